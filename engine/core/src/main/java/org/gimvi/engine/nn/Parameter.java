package org.gimvi.engine.nn;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.TensorView;

/**
 * A trainable tensor and its gradient: views ({@link TensorView}) into the flat buffers of the
 * {@link ParameterArena} that holds it. A layer creates its parameters on buffers of their own (an
 * arena of one); the model then packs all of them into one arena ({@link ParameterArena#pack}), which
 * moves the values and re-points every view, so a layer must read {@link #value()} and
 * {@link #grad(int)} at each use rather than keep the arrays.
 *
 * <p>Gradient lanes let several backward passes run at once without sharing memory: lane l is the
 * arena's gradient buffer l (lane 0 the summed gradient, see {@link ParameterArena#ensureLanes}). A
 * call site always writes the same lane (gimVI: the dataset index), and
 * {@link ParameterArena#reduceLanes} adds lanes 1, 2, … into lane 0 in that fixed order, so the summed
 * gradient is the same float result whether the passes ran in parallel or one after another.
 */
public final class Parameter {
    private final String name;
    private final int rows;
    private final int cols;
    private ParameterArena arena;
    private int offset;
    private TensorView value;
    private TensorView[] gradLanes;

    /** A parameter on the given buffers (no copy): its own one-parameter arena until it is packed. */
    public Parameter(String name, FMatrixRMaj value, FMatrixRMaj grad) {
        if (value.numRows != grad.numRows || value.numCols != grad.numCols) {
            throw new IllegalArgumentException("parameter " + name + ": value and gradient shapes differ");
        }
        this.name = name;
        this.rows = value.numRows;
        this.cols = value.numCols;
        ParameterArena.own(this, value.data, grad.data);
    }

    /** Points this parameter at {@code offset} of {@code arena} (called by the arena). */
    void bind(ParameterArena arena, int offset) {
        this.arena = arena;
        this.offset = offset;
        this.value = new TensorView(arena.values(), offset, rows, cols);
        rebindLanes();
    }

    /** Rebuilds the gradient views after the arena's lanes changed (called by the arena, never per step). */
    void rebindLanes() {
        TensorView[] lanes = new TensorView[arena.lanes()];
        for (int l = 0; l < lanes.length; l++) {
            lanes[l] = new TensorView(arena.gradients(l), offset, rows, cols);
        }
        gradLanes = lanes;
    }

    public String name() {
        return name;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int size() {
        return rows * cols;
    }

    /** The arena holding this parameter. */
    public ParameterArena arena() {
        return arena;
    }

    /** Where this parameter starts in its arena's buffers. */
    public int offset() {
        return offset;
    }

    public TensorView value() {
        return value;
    }

    /** The summed gradient (lane 0). */
    public TensorView grad() {
        return gradLanes[0];
    }

    /** The gradient buffer of {@code lane}; lane 0 is {@link #grad()}. */
    public TensorView grad(int lane) {
        if (lane >= gradLanes.length) {
            throw new IllegalStateException("parameter " + name + ": gradient lane " + lane + " was never allocated "
                    + "(call ensureLanes first)");
        }
        return gradLanes[lane];
    }

    /** Zeroes lane 0 on the host (tests; training zeroes a whole optimiser group in one backend call). */
    public void zeroGrad() {
        Arrays.fill(grad().array(), offset, offset + size(), 0f);
    }

    /** Makes gradient lanes 0..lanes−1 available for the whole arena (once; never shrinks). */
    public void ensureLanes(ComputeBackend backend, int lanes) {
        arena.ensureLanes(backend, lanes);
    }
}
