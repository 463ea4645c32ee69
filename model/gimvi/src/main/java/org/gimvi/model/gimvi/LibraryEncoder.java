package org.gimvi.model.gimvi;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.Posterior;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.nn.ForwardMode;
import org.gimvi.engine.nn.FullyConnectedStack;
import org.gimvi.engine.nn.Linear;
import org.gimvi.engine.nn.NamedBuffer;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.nn.RunningStatistics;
import org.gimvi.engine.nn.Trainable;
import org.gimvi.engine.random.Rng;

/**
 * q(ℓ|x) for a dataset whose log library size is latent: one FC layer (128 wide by default, scVI's
 * Encoder default, not the z-encoder's width), then a Linear to (mean, log-variance) with
 * variance = exp(·) + 1e-4. ℓ = mean + √variance·ε.
 */
final class LibraryEncoder implements Trainable {
    static final float VARIANCE_FLOOR = 1e-4f;

    private final FullyConnectedStack stack;
    private final Linear posteriorHead; // the posterior's parameters from the hidden layer
    private final ComputeBackend backend;
    private final int hidden;

    /** Buffers of one dataset's call site: gradient lane and staged statistics as in {@link MultiEncoder.Workspace}. */
    static final class Workspace {
        final int lane;
        final FullyConnectedStack.Activations acts;
        final FMatrixRMaj params;  // B × 2: mean | raw log-variance
        final float[] eps;
        final float[] ell;
        final FMatrixRMaj dParams;
        final FMatrixRMaj dHidden;

        Workspace(ComputeBackend b, LibraryEncoder e, int maxRows, int lane) {
            this.lane = lane;
            acts = e.stack.newActivations(b, maxRows, lane, RunningStatistics.DEFER_TO_COMMIT);
            params = b.allocate(maxRows, 2);
            eps = b.allocateVector(maxRows);
            ell = b.allocateVector(maxRows);
            dParams = b.allocate(maxRows, 2);
            dHidden = b.allocate(maxRows, e.hidden);
        }
    }

    LibraryEncoder(ComputeBackend backend, String name, int genes, GimviArchitecture a, Rng rng) {
        this.backend = backend;
        this.hidden = a.hiddenLibraryEncoder;
        stack = new FullyConnectedStack(backend, name + ".encoder", genes, hidden, hidden, 1, 0, a.dropoutEncoder, rng);
        posteriorHead = new Linear(backend, name + ".posterior", hidden, 2, rng);
    }

    Workspace newWorkspace(int maxRows, int lane) {
        return new Workspace(backend, this, maxRows, lane);
    }

    void commitRunningStatistics(Workspace w) {
        stack.commitRunningStatistics(w.acts);
    }

    /** {@code logxNonZeros}: the input by its non-zero entries for a sparse first layer (logx then gives only the shape), or null. */
    void forward(FMatrixRMaj logx, NonZeroEntries logxNonZeros, Workspace w, Rng rng, ForwardMode mode, Posterior posterior) {
        int rows = logx.numRows;
        FMatrixRMaj h = logxNonZeros != null ? stack.forward(logxNonZeros, null, w.acts, rng, mode)
                : stack.forward(logx, null, w.acts, rng, mode);
        w.params.reshape(rows, 2);
        posteriorHead.forward(h, w.params);
        if (posterior == Posterior.SAMPLE) {
            rng.fillGaussian(w.eps, rows);
            backend.upload(w.eps, rows);
        }
        backend.libraryReparameterize(w.params, w.eps, VARIANCE_FLOOR, posterior, w.ell);
    }

    /**
     * @param dEll     loss gradient at each sampled ℓ
     * @param klScale  factor of Σ KL_ℓ in the loss
     * @param priorMean per-cell prior mean of ℓ
     * @param priorVar per-cell prior variance of ℓ
     */
    void backward(FMatrixRMaj logx, NonZeroEntries logxNonZeros, Workspace w, float[] dEll, float klScale,
                  float[] priorMean, float[] priorVar) {
        int rows = logx.numRows;
        w.dParams.reshape(rows, 2);
        backend.libraryBackward(w.params, w.eps, dEll, klScale, priorMean, priorVar, VARIANCE_FLOOR, w.dParams);
        w.dHidden.reshape(rows, hidden);
        posteriorHead.backward(w.acts.output(), null, w.dParams, w.dHidden, w.lane);
        if (logxNonZeros != null) {
            stack.backward(logxNonZeros, null, w.acts, w.dHidden);
        } else {
            stack.backward(logx, null, w.acts, w.dHidden, null);
        }
    }

    /** KL(q(ℓ|x) ‖ N(priorMean, priorVar)) per cell of the last forward, into out. */
    void kl(Workspace w, float[] priorMean, float[] priorVar, float[] out) {
        backend.libraryKl(w.params, priorMean, priorVar, VARIANCE_FLOOR, out);
    }

    @Override
    public void collectParameters(List<Parameter> out) {
        stack.collectParameters(out);
        posteriorHead.collectParameters(out);
    }

    @Override
    public void collectBuffers(List<NamedBuffer> out) {
        stack.collectBuffers(out);
    }
}
