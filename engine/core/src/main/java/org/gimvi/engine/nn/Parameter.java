package org.gimvi.engine.nn;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;

/**
 * A trainable tensor and its gradient, which backward passes accumulate into.
 *
 * <p>Gradient lanes let several backward passes run at once without sharing memory: lane 0 is
 * {@link #grad} itself, lanes 1.. are extra buffers of the same shape (see {@link #ensureLanes}).
 * A call site always writes the same lane (gimVI: the dataset index), and {@link #reduceLanes} adds
 * lanes 1, 2, … into lane 0 in that fixed order, so the summed gradient is the same float result
 * whether the passes ran in parallel or one after another.
 */
public final class Parameter {
    private final String name;
    public final FMatrixRMaj value;
    public final FMatrixRMaj grad;
    private FMatrixRMaj[] extraLanes = new FMatrixRMaj[0]; // lanes 1..; all zero between steps

    public Parameter(String name, FMatrixRMaj value, FMatrixRMaj grad) {
        if (value.numRows != grad.numRows || value.numCols != grad.numCols) {
            throw new IllegalArgumentException("parameter " + name + ": value and gradient shapes differ");
        }
        this.name = name;
        this.value = value;
        this.grad = grad;
    }

    public String name() {
        return name;
    }

    public int size() {
        return value.numRows * value.numCols;
    }

    public void zeroGrad() {
        Arrays.fill(grad.data, 0, size(), 0f);
    }

    /** Makes gradient lanes 0..lanes−1 available, allocated by the backend (once; never shrinks). */
    public void ensureLanes(ComputeBackend backend, int lanes) {
        if (lanes - 1 <= extraLanes.length) {
            return;
        }
        FMatrixRMaj[] grown = Arrays.copyOf(extraLanes, lanes - 1);
        for (int l = extraLanes.length; l < grown.length; l++) {
            grown[l] = backend.allocate(grad.numRows, grad.numCols);
        }
        extraLanes = grown;
    }

    /** The gradient buffer of {@code lane}; lane 0 is {@link #grad}. */
    public FMatrixRMaj grad(int lane) {
        if (lane == 0) {
            return grad;
        }
        if (lane > extraLanes.length) {
            throw new IllegalStateException("parameter " + name + ": gradient lane " + lane + " was never allocated "
                    + "(call ensureLanes first)");
        }
        return extraLanes[lane - 1];
    }

    /** grad += lane 1 + lane 2 + … (in that order) on the backend, which also zeroes those lanes. */
    public void reduceLanes(ComputeBackend backend) {
        int n = size();
        for (FMatrixRMaj lane : extraLanes) {
            backend.addAndZero(lane.data, grad.data, n);
        }
    }
}
