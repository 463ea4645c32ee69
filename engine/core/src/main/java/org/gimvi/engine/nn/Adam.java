package org.gimvi.engine.nn;

import java.util.List;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.kernels.AdamUpdate;

/**
 * Adam with PyTorch's semantics: L2 weight decay added to the gradient (not AdamW), bias
 * corrections applied as {@code p −= (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)}.
 * gimVI uses lr 1e-3, eps 0.01, weight decay 1e-6.
 *
 * <p>Moment buffers are allocated once, at construction, by the backend that runs the update, so
 * that a device backend keeps them next to the parameters.
 */
public final class Adam {
    private final ComputeBackend backend;
    private final Parameter[] params;
    private final float[][] m;
    private final float[][] v;
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private long step;
    private final AdamUpdate.Coefficients coefficients = new AdamUpdate.Coefficients();

    public Adam(ComputeBackend backend, List<Parameter> params, float lr, float beta1, float beta2, float eps,
                float weightDecay) {
        this.backend = backend;
        this.params = params.toArray(new Parameter[0]);
        this.m = new float[this.params.length][];
        this.v = new float[this.params.length][];
        for (int i = 0; i < this.params.length; i++) {
            m[i] = backend.allocate(1, this.params[i].size()).data;
            v[i] = backend.allocate(1, this.params[i].size()).data;
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** gimVI's settings: lr 1e-3, betas (0.9, 0.999), eps 0.01, weight decay 1e-6. */
    public static Adam gimviDefaults(ComputeBackend backend, List<Parameter> params) {
        return new Adam(backend, params, 1e-3f, 0.9f, 0.999f, 0.01f, 1e-6f);
    }

    public void zeroGrad() {
        for (Parameter p : params) {
            backend.fill(0f, p.grad.data, 0, p.size());
        }
    }

    public long steps() {
        return step;
    }

    /** One update of every parameter from its accumulated gradient. */
    public void step() {
        step++;
        double bc1 = 1.0 - Math.pow(beta1, step);
        double bc2 = 1.0 - Math.pow(beta2, step);
        AdamUpdate.Coefficients c = coefficients.set(beta1, beta2, (float) (lr / bc1), (float) Math.sqrt(bc2), eps,
                weightDecay);
        for (int k = 0; k < params.length; k++) {
            backend.adamUpdate(params[k].value.data, params[k].grad.data, m[k], v[k], params[k].size(), c);
        }
    }

    /** Learning rate (for reporting). */
    public float learningRate() {
        return lr;
    }

}
