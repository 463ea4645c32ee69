package org.gimvi.engine.nn;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.random.Rng;

/**
 * Inverted dropout: in training, each element survives with probability 1 − p and is scaled by
 * 1/(1 − p); the mask is kept for the backward pass. Identity in eval mode.
 */
public final class Dropout {
    private final ComputeBackend backend;
    private final float p;

    public Dropout(ComputeBackend backend, float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + p);
        }
        this.backend = backend;
        this.p = p;
    }

    public float rate() {
        return p;
    }

    /** y = x ⊙ mask (training) or y = x (eval). y may alias x. */
    public void forward(FMatrixRMaj x, FMatrixRMaj y, FMatrixRMaj mask, Rng rng, boolean training) {
        int n = x.numRows * x.numCols;
        if (!training || p == 0f) {
            backend.copy(x.data, y.data, n);
            return;
        }
        drawMask(mask, x.numRows, x.numCols, rng);
        backend.mul(x.data, mask.data, y.data, n);
    }

    /**
     * A training-mode mask of rows×cols (p &gt; 0): 1/(1 − p) kept, 0 dropped, for a caller that applies
     * it itself (a ReLU and the dropout in one pass, {@link ComputeBackend#reluDropout}).
     */
    public void drawMask(FMatrixRMaj mask, int rows, int cols, Rng rng) {
        mask.reshape(rows, cols);
        backend.dropoutMask(rng.nextLong(), p, mask.data, rows * cols); // one draw keys the mask, as Rng.fillDropoutMask
    }

    /** dx = dy ⊙ mask; dx may alias dy. */
    public void backward(FMatrixRMaj mask, FMatrixRMaj dy, FMatrixRMaj dx) {
        int n = dy.numRows * dy.numCols;
        if (p == 0f) {
            backend.copy(dy.data, dx.data, n);
            return;
        }
        backend.mul(dy.data, mask.data, dx.data, n);
    }
}
