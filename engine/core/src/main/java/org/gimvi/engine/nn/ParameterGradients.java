package org.gimvi.engine.nn;

/**
 * What a backward pass through a stack of layers accumulates besides the input gradient.
 *
 * <p>An adversary's fool term needs only the gradient at the classifier's input: the classifier's
 * own gradients of that pass are thrown away (zeroed before the classifier's next step), so
 * computing them is wasted work — for gimVI's 3 × 32 classifier about a third of the fool pass's
 * arithmetic.
 */
public enum ParameterGradients {
    /** Every parameter's gradient, added into the call site's gradient lane (the layer is trained). */
    ACCUMULATE,
    /**
     * Only the input gradient is wanted: the Linear layers' weight, bias and covariate gradients are
     * not computed. BatchNorm still writes its scale and shift gradients into the lane, because its
     * input gradient is computed from those two sums; a caller that uses this mode must treat the
     * lane as scratch until it is zeroed.
     */
    INPUT_ONLY
}
