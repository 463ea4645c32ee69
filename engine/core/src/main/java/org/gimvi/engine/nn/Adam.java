package org.gimvi.engine.nn;

import java.util.ArrayList;
import java.util.List;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.kernels.AdamUpdate;

/**
 * Adam with PyTorch's semantics: L2 weight decay added to the gradient (not AdamW), bias
 * corrections applied as {@code p −= (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)}.
 * gimVI uses lr 1e-3, eps 0.01, weight decay 1e-6.
 *
 * <p>The moments live in the parameters' {@link ParameterArena}, laid out like the values, so one
 * backend call updates a whole group (values, gradient and both moments at the same offsets) and a
 * device backend keeps them next to the parameters. They are zeroed when the optimiser is created.
 */
public final class Adam {
    private final ComputeBackend backend;
    private final Group[] groups;
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private long step;
    private final AdamUpdate.Coefficients coefficients = new AdamUpdate.Coefficients();

    /** A contiguous run of one arena's layout: one fill to zero, one call to update. */
    private record Group(float[] values, float[] gradients, float[] m, float[] v, int offset, int length) {
    }

    /**
     * @param params the parameters to optimise; runs of them that lie next to each other in one
     *               arena (a packed model's parameters, in layout order) become one group each
     */
    public Adam(ComputeBackend backend, List<Parameter> params, float lr, float beta1, float beta2, float eps,
                float weightDecay) {
        this.backend = backend;
        this.groups = groupsOf(backend, params);
        for (Group g : groups) {
            backend.fill(0f, g.m, g.offset, g.length);
            backend.fill(0f, g.v, g.offset, g.length);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    private static Group[] groupsOf(ComputeBackend backend, List<Parameter> params) {
        List<Group> out = new ArrayList<>();
        int i = 0;
        while (i < params.size()) {
            Parameter first = params.get(i);
            ParameterArena arena = first.arena();
            int end = first.offset() + first.size();
            int j = i + 1;
            while (j < params.size() && params.get(j).arena() == arena && params.get(j).offset() == end) {
                end += params.get(j).size();
                j++;
            }
            out.add(new Group(arena.values(), arena.gradients(0), arena.firstMoments(backend),
                    arena.secondMoments(backend), first.offset(), end - first.offset()));
            i = j;
        }
        return out.toArray(new Group[0]);
    }

    /** Backend calls per step: one per contiguous group (1 for a packed model's parameter group). */
    public int groups() {
        return groups.length;
    }

    /** gimVI's settings: lr 1e-3, betas (0.9, 0.999), eps 0.01, weight decay 1e-6. */
    public static Adam gimviDefaults(ComputeBackend backend, List<Parameter> params) {
        return new Adam(backend, params, 1e-3f, 0.9f, 0.999f, 0.01f, 1e-6f);
    }

    /** Zeroes the summed gradient (lane 0) of every group: one fill each. */
    public void zeroGrad() {
        for (Group g : groups) {
            backend.fill(0f, g.gradients, g.offset, g.length);
        }
    }

    public long steps() {
        return step;
    }

    /** One update of every parameter from its accumulated gradient. */
    public void step() {
        step++;
        AdamUpdate.Coefficients c = coefficients.forStep(lr, beta1, beta2, eps, weightDecay, step);
        for (Group g : groups) {
            backend.adamUpdate(g.values, g.gradients, g.m, g.v, g.offset, g.length, c);
        }
    }

    /** Learning rate (for reporting). */
    public float learningRate() {
        return lr;
    }

}
