package org.gimvi.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise Adam update of one parameter tensor (PyTorch semantics: L2 weight decay added to
 * the gradient), in a plain scalar form and a Vector API form that is bit-identical to it: both use
 * the same float operations in the same order, and float square root is exactly rounded in both
 * ({@code (float) Math.sqrt(v)} of a float equals the correctly rounded float root).
 */
public final class AdamUpdate {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private AdamUpdate() {
    }

    /** The constants of one step (mutable, so that an optimizer reuses one instance: no per-step allocation). */
    public static final class Coefficients {
        float beta1;
        float beta2;
        float oneMinusBeta1;
        float oneMinusBeta2;
        float stepSize;
        float bc2Sqrt;
        float eps;
        float weightDecay;

        /**
         * @param stepSize bias-corrected step size lr / (1 − β1^t)
         * @param bc2Sqrt  √(1 − β2^t)
         */
        public Coefficients set(float beta1, float beta2, float stepSize, float bc2Sqrt, float eps, float weightDecay) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.oneMinusBeta1 = 1f - beta1;
            this.oneMinusBeta2 = 1f - beta2;
            this.stepSize = stepSize;
            this.bc2Sqrt = bc2Sqrt;
            this.eps = eps;
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * The coefficients of step t (1-based) for learning rate lr, as PyTorch's Adam computes them:
         * bias corrections 1 − β^t in double, then rounded once to float.
         */
        public Coefficients forStep(float lr, float beta1, float beta2, float eps, float weightDecay, long t) {
            double bc1 = 1.0 - Math.pow(beta1, t);
            double bc2 = 1.0 - Math.pow(beta2, t);
            return set(beta1, beta2, (float) (lr / bc1), (float) Math.sqrt(bc2), eps, weightDecay);
        }

        // read access for backends outside this package (a device kernel takes them as arguments)

        public float beta1() {
            return beta1;
        }

        public float beta2() {
            return beta2;
        }

        /** 1 − β1, rounded once to float (the kernels use this float, not 1 − β1 recomputed). */
        public float oneMinusBeta1() {
            return oneMinusBeta1;
        }

        public float oneMinusBeta2() {
            return oneMinusBeta2;
        }

        public float stepSize() {
            return stepSize;
        }

        public float bc2Sqrt() {
            return bc2Sqrt;
        }

        public float eps() {
            return eps;
        }

        public float weightDecay() {
            return weightDecay;
        }
    }

    /** Reference: w[i] −= stepSize·m / (√v / bc2Sqrt + eps) after the moment updates, for i in [0, n). */
    public static void scalar(float[] w, float[] g, float[] m, float[] v, int n, Coefficients c) {
        scalar(w, g, m, v, 0, n, c);
    }

    /** The same for elements [off, off + n) of all four buffers (one group of a parameter arena). */
    public static void scalar(float[] w, float[] g, float[] m, float[] v, int off, int n, Coefficients c) {
        for (int i = off; i < off + n; i++) {
            scalarElement(w, g, m, v, i, c);
        }
    }

    private static void scalarElement(float[] w, float[] g, float[] m, float[] v, int i, Coefficients c) {
        float grad = g[i];
        if (c.weightDecay != 0f) {
            grad = grad + c.weightDecay * w[i];
        }
        float mi = c.beta1 * m[i] + c.oneMinusBeta1 * grad;
        float vi = c.beta2 * v[i] + c.oneMinusBeta2 * grad * grad;
        m[i] = mi;
        v[i] = vi;
        float denom = (float) Math.sqrt(vi) / c.bc2Sqrt + c.eps;
        w[i] -= c.stepSize * mi / denom;
    }

    /** The same update, a vector of elements at a time; the tail runs the scalar element. */
    public static void simd(float[] w, float[] g, float[] m, float[] v, int n, Coefficients c) {
        simd(w, g, m, v, 0, n, c);
    }

    /** The same for elements [off, off + n) of all four buffers; vectors start at off, the tail is scalar. */
    public static void simd(float[] w, float[] g, float[] m, float[] v, int off, int n, Coefficients c) {
        float b1 = c.beta1;
        float b2 = c.beta2;
        float ob1 = c.oneMinusBeta1;
        float ob2 = c.oneMinusBeta2;
        float step = c.stepSize;
        float bc2 = c.bc2Sqrt;
        float eps = c.eps;
        float wd = c.weightDecay;
        int i = off;
        for (int bound = off + F.loopBound(n); i < bound; i += F.length()) {
            FloatVector wi = FloatVector.fromArray(F, w, i);
            FloatVector grad = FloatVector.fromArray(F, g, i);
            if (wd != 0f) {
                grad = grad.add(wi.mul(wd));
            }
            FloatVector mi = FloatVector.fromArray(F, m, i).mul(b1).add(grad.mul(ob1));
            FloatVector vi = FloatVector.fromArray(F, v, i).mul(b2).add(grad.mul(ob2).mul(grad));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.sqrt().div(bc2).add(eps);
            wi.sub(mi.mul(step).div(denom)).intoArray(w, i);
        }
        for (; i < off + n; i++) {
            scalarElement(w, g, m, v, i, c);
        }
    }
}
