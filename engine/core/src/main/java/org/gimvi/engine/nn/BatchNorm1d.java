package org.gimvi.engine.nn;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.TensorView;

/**
 * PyTorch's BatchNorm1d over the rows of a minibatch: training mode normalises with the batch mean
 * and biased batch variance and moves the running estimates (unbiased variance) by {@code momentum};
 * eval mode uses the running estimates. Affine scale starts at 1, shift at 0. scVI's defaults are
 * eps 0.001 and momentum 0.01.
 */
public final class BatchNorm1d implements Trainable {
    public static final float DEFAULT_EPS = 1e-3f;
    public static final float DEFAULT_MOMENTUM = 0.01f;

    private final ComputeBackend backend;
    private final String name;
    private final int features;
    private final float eps;
    private final float momentum;
    private final Parameter gamma;
    private final Parameter beta;
    private final float[] runningMean;
    private final float[] runningVar;

    /**
     * What a training-mode forward pass leaves for its backward pass; one per call site. A call site
     * has a gradient lane (see {@link Parameter}) and may defer its running-statistics update: then
     * the forward pass stages the update and {@link #commitRunningStatistics} applies it later, so
     * that call sites running in parallel never write the shared running estimates, and the order of
     * updates stays the caller's.
     */
    public static final class Cache {
        final FMatrixRMaj xhat;
        final float[] mean;
        final float[] invStd;
        final int lane;
        final float[] stagedMean; // momentum·batch mean, or null when updates are immediate
        final float[] stagedVar;  // momentum·unbiased batch variance
        boolean staged;

        public Cache(ComputeBackend backend, int maxRows, int features) {
            this(backend, maxRows, features, 0, RunningStatistics.UPDATE_IN_FORWARD);
        }

        public Cache(ComputeBackend backend, int maxRows, int features, int lane, RunningStatistics statistics) {
            boolean deferred = statistics == RunningStatistics.DEFER_TO_COMMIT;
            xhat = backend.allocate(maxRows, features);
            mean = backend.allocateVector(features);
            invStd = backend.allocateVector(features);
            this.lane = lane;
            stagedMean = deferred ? backend.allocateVector(features) : null;
            stagedVar = deferred ? backend.allocateVector(features) : null;
        }
    }

    public BatchNorm1d(ComputeBackend backend, String name, int features) {
        this(backend, name, features, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    public BatchNorm1d(ComputeBackend backend, String name, int features, float eps, float momentum) {
        this.backend = backend;
        this.name = name;
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        FMatrixRMaj g = backend.allocate(1, features);
        Arrays.fill(g.data, 1f);
        gamma = new Parameter(name + ".weight", g, backend.allocate(1, features));
        beta = new Parameter(name + ".bias", backend.allocate(1, features), backend.allocate(1, features));
        runningMean = backend.allocateVector(features);
        runningVar = backend.allocateVector(features);
        backend.fill(1f, runningVar, 0, features);
    }

    public int features() {
        return features;
    }

    public void forward(FMatrixRMaj x, FMatrixRMaj y, Cache cache, ForwardMode mode) {
        if (mode == ForwardMode.EVALUATION) {
            backend.batchNormEval(x, gamma.value().array(), gamma.offset(), beta.value().array(), beta.offset(), eps,
                    runningMean, runningVar, y);
            return;
        }
        cache.xhat.reshape(x.numRows, features);
        if (cache.stagedMean == null) {
            backend.batchNormTrain(x, gamma.value().array(), gamma.offset(), beta.value().array(), beta.offset(), eps,
                    momentum, runningMean, runningVar, cache.xhat, cache.mean, cache.invStd, y);
            return;
        }
        // Stage the update: starting from zero, the backend's "keep·running + momentum·batch" leaves
        // exactly momentum·batch (keep·0 + v = v), which commit adds to keep·running — the same float
        // operations as an immediate update.
        backend.fill(0f, cache.stagedMean, 0, features);
        backend.fill(0f, cache.stagedVar, 0, features);
        backend.batchNormTrain(x, gamma.value().array(), gamma.offset(), beta.value().array(), beta.offset(), eps,
                momentum, cache.stagedMean, cache.stagedVar, cache.xhat, cache.mean, cache.invStd, y);
        cache.staged = true;
    }

    /** Applies a deferred running-statistics update staged by the last training forward (if any). */
    public void commitRunningStatistics(Cache cache) {
        if (!cache.staged) {
            return;
        }
        float keep = 1f - momentum;
        backend.decayAdd(keep, cache.stagedMean, runningMean, features);
        backend.decayAdd(keep, cache.stagedVar, runningVar, features);
        cache.staged = false;
    }

    /** Training-mode backward into the cache's gradient lane; dx may alias dy. */
    public void backward(Cache cache, FMatrixRMaj dy, FMatrixRMaj dx) {
        TensorView dGamma = gamma.grad(cache.lane);
        TensorView dBeta = beta.grad(cache.lane);
        backend.batchNormBackward(cache.xhat, cache.invStd, gamma.value().array(), gamma.offset(), dy, dGamma.array(),
                dGamma.offset(), dBeta.array(), dBeta.offset(), dx);
    }

    public float[] runningMean() {
        return runningMean;
    }

    public float[] runningVar() {
        return runningVar;
    }

    @Override
    public void collectParameters(List<Parameter> out) {
        out.add(gamma);
        out.add(beta);
    }

    @Override
    public void collectBuffers(List<NamedBuffer> out) {
        out.add(new NamedBuffer(name + ".running_mean", runningMean));
        out.add(new NamedBuffer(name + ".running_var", runningVar));
    }
}
