package org.gimvi.engine.nn;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;

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

    /** What a training-mode forward pass leaves for its backward pass; one per call site. */
    public static final class Cache {
        final FMatrixRMaj xhat;
        final float[] mean;
        final float[] invStd;

        public Cache(ComputeBackend backend, int maxRows, int features) {
            xhat = backend.allocate(maxRows, features);
            mean = new float[features];
            invStd = new float[features];
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
        runningMean = new float[features];
        runningVar = new float[features];
        Arrays.fill(runningVar, 1f);
    }

    public int features() {
        return features;
    }

    public void forward(FMatrixRMaj x, FMatrixRMaj y, Cache cache, boolean training) {
        if (training) {
            cache.xhat.reshape(x.numRows, features);
            backend.batchNormTrain(x, gamma.value.data, beta.value.data, eps, momentum, runningMean, runningVar,
                    cache.xhat, cache.mean, cache.invStd, y);
        } else {
            backend.batchNormEval(x, gamma.value.data, beta.value.data, eps, runningMean, runningVar, y);
        }
    }

    /** Training-mode backward; dx may alias dy. */
    public void backward(Cache cache, FMatrixRMaj dy, FMatrixRMaj dx) {
        backend.batchNormBackward(cache.xhat, cache.invStd, gamma.value.data, dy, gamma.grad.data, beta.grad.data, dx);
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
