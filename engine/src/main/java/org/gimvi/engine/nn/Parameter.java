package org.gimvi.engine.nn;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;

/** A trainable tensor and its gradient, which backward passes accumulate into. */
public final class Parameter {
    private final String name;
    public final FMatrixRMaj value;
    public final FMatrixRMaj grad;

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
}
