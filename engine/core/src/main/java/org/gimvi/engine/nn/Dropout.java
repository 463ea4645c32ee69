package org.gimvi.engine.nn;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.random.Rng;

/**
 * Inverted dropout's masks: in training, each element survives with probability 1 − p and is scaled
 * by 1/(1 − p); the mask is kept for the backward pass. Identity in eval mode. The layer that owns it
 * applies the mask together with its ReLU, forward and backward, in one pass each
 * ({@link ComputeBackend#reluDropout}, {@link ComputeBackend#dropoutReluBackward}).
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

    /** A training-mode mask of rows×cols (p &gt; 0): 1/(1 − p) kept, 0 dropped. */
    public void drawMask(FMatrixRMaj mask, int rows, int cols, Rng rng) {
        mask.reshape(rows, cols);
        backend.dropoutMask(rng.nextLong(), p, mask.data, rows * cols); // one draw keys the mask, as Rng.fillDropoutMask
    }
}
