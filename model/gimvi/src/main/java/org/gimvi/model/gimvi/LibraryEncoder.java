package org.gimvi.model.gimvi;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.kernels.FastMath;
import org.gimvi.engine.nn.FullyConnectedStack;
import org.gimvi.engine.nn.Linear;
import org.gimvi.engine.nn.NamedBuffer;
import org.gimvi.engine.nn.Parameter;
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
    private final Linear posterior;
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
            acts = e.stack.newActivations(b, maxRows, lane, true);
            params = b.allocate(maxRows, 2);
            eps = new float[maxRows];
            ell = new float[maxRows];
            dParams = b.allocate(maxRows, 2);
            dHidden = b.allocate(maxRows, e.hidden);
        }
    }

    LibraryEncoder(ComputeBackend backend, String name, int genes, GimviArchitecture a, Rng rng) {
        this.backend = backend;
        this.hidden = a.hiddenLibraryEncoder;
        stack = new FullyConnectedStack(backend, name + ".encoder", genes, hidden, hidden, 1, 0, a.dropoutEncoder, rng);
        posterior = new Linear(backend, name + ".posterior", hidden, 2, rng);
    }

    Workspace newWorkspace(int maxRows, int lane) {
        return new Workspace(backend, this, maxRows, lane);
    }

    void commitRunningStatistics(Workspace w) {
        stack.commitRunningStatistics(w.acts);
    }

    static float variance(float rawLogVariance) {
        return FastMath.exp(rawLogVariance) + VARIANCE_FLOOR;
    }

    void forward(FMatrixRMaj logx, Workspace w, Rng rng, boolean training, boolean sample) {
        int rows = logx.numRows;
        FMatrixRMaj h = stack.forward(logx, null, w.acts, rng, training);
        w.params.reshape(rows, 2);
        posterior.forward(h, w.params);
        if (sample) {
            for (int i = 0; i < rows; i++) {
                w.eps[i] = (float) rng.nextGaussian();
            }
        }
        for (int i = 0; i < rows; i++) {
            float mean = w.params.data[2 * i];
            w.ell[i] = sample ? mean + (float) Math.sqrt(variance(w.params.data[2 * i + 1])) * w.eps[i] : mean;
        }
    }

    /**
     * @param dEll     loss gradient at each sampled ℓ
     * @param klScale  factor of Σ KL_ℓ in the loss
     * @param priorMean per-cell prior mean of ℓ
     * @param priorVar per-cell prior variance of ℓ
     */
    void backward(FMatrixRMaj logx, Workspace w, float[] dEll, float klScale, float[] priorMean, float[] priorVar) {
        int rows = logx.numRows;
        w.dParams.reshape(rows, 2);
        float[] p = w.params.data;
        float[] dp = w.dParams.data;
        for (int i = 0; i < rows; i++) {
            float mean = p[2 * i];
            float expRaw = FastMath.exp(p[2 * i + 1]);
            float var = expRaw + VARIANCE_FLOOR;
            float std = (float) Math.sqrt(var);
            // ℓ = m + √v·ε ; KL = ½log σp² − ½log v + (v + (m − mp)²)/(2σp²) − ½
            float dMean = dEll[i] + klScale * (mean - priorMean[i]) / priorVar[i];
            float dVar = dEll[i] * w.eps[i] / (2f * std) + klScale * (-0.5f / var + 0.5f / priorVar[i]);
            dp[2 * i] = dMean;
            dp[2 * i + 1] = dVar * expRaw;
        }
        w.dHidden.reshape(rows, hidden);
        posterior.backward(w.acts.output(), null, w.dParams, w.dHidden, w.lane);
        stack.backward(logx, null, w.acts, w.dHidden, null);
    }

    /** KL(q(ℓ|x) ‖ N(priorMean, priorVar)) per cell. */
    static void klPerCell(Workspace w, int rows, float[] priorMean, float[] priorVar, float[] out) {
        for (int i = 0; i < rows; i++) {
            double mq = w.params.data[2 * i];
            double vq = variance(w.params.data[2 * i + 1]);
            double vp = priorVar[i];
            double d = mq - priorMean[i];
            out[i] = (float) (0.5 * FastMath.log((float) (vp / vq)) + (vq + d * d) / (2 * vp) - 0.5);
        }
    }

    @Override
    public void collectParameters(List<Parameter> out) {
        stack.collectParameters(out);
        posterior.collectParameters(out);
    }

    @Override
    public void collectBuffers(List<NamedBuffer> out) {
        stack.collectBuffers(out);
    }
}
