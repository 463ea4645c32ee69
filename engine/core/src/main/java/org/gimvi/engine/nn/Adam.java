package org.gimvi.engine.nn;

import java.util.List;
import org.gimvi.engine.kernels.AdamUpdate;

/**
 * Adam with PyTorch's semantics: L2 weight decay added to the gradient (not AdamW), bias
 * corrections applied as {@code p −= (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)}.
 * gimVI uses lr 1e-3, eps 0.01, weight decay 1e-6.
 *
 * <p>Moment buffers are allocated once, at construction.
 */
public final class Adam {
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

    public Adam(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
        this.params = params.toArray(new Parameter[0]);
        this.m = new float[this.params.length][];
        this.v = new float[this.params.length][];
        for (int i = 0; i < this.params.length; i++) {
            m[i] = new float[this.params[i].size()];
            v[i] = new float[this.params[i].size()];
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    /** gimVI's settings: lr 1e-3, betas (0.9, 0.999), eps 0.01, weight decay 1e-6. */
    public static Adam gimviDefaults(List<Parameter> params) {
        return new Adam(params, 1e-3f, 0.9f, 0.999f, 0.01f, 1e-6f);
    }

    public void zeroGrad() {
        for (Parameter p : params) {
            p.zeroGrad();
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
            AdamUpdate.simd(params[k].value.data, params[k].grad.data, m[k], v[k], m[k].length, c);
        }
    }

    /** Learning rate (for reporting). */
    public float learningRate() {
        return lr;
    }

}
