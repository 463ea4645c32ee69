package org.gimvi.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused float32 count log-likelihoods and their gradients (scVI's formulas, ε = 1e-8), vectorised
 * across the columns (genes) of a row-major cells×genes block. Each formula exists twice — once on
 * vectors, once on scalars for the column tail — with the same operations in the same order, so a
 * gene's result does not depend on whether it fell in a vector or in the tail.
 *
 * <p>Per-gene terms that do not depend on the cell (log(θ+ε), θ/(θ+ε), lgamma θ, ψ(θ)) are computed
 * once per call into caller-provided column scratch, which removes two of the five special-function
 * evaluations per element.
 *
 * <p>Gradient outputs are on the log scale of the parameters: μ·∂/∂μ and θ·∂/∂θ.
 */
public final class CountLikelihoodKernels {
    private CountLikelihoodKernels() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    static final float EPS = 1e-8f;

    /** Number of column scratch arrays {@link #prepareTheta} fills. */
    public static final int THETA_TERMS = 3;

    /** terms[0] = θ/(θ+ε), terms[1] = lgamma θ, terms[2] = ψ(θ). */
    public static void prepareTheta(float[] theta, int cols, float[][] terms) {
        for (int j = 0; j < cols; j++) {
            float th = theta[j];
            terms[0][j] = th / (th + EPS);
            terms[1][j] = FastMath.lgamma(th);
            terms[2][j] = FastMath.digamma(th);
        }
    }

    /*
     * The two log ratios of the NB density are evaluated without cancellation (exact identities):
     *   log(θ+ε) − log(θ+μ+ε) = −log1p(μ/(θ+ε))     (the θ·(…) term: loses digits for large θ otherwise)
     *   log(μ+ε) − log(θ+μ+ε) = −log1p(θ/(μ+ε))
     */

    // ------------------------------------------------------------------ negative binomial

    /**
     * μ·∂/∂μ of the NB log-likelihood, μ·[x/(μ+ε) − (θ+x)/(θ+μ+ε)], rewritten without the
     * cancellation of the two ratios (which loses 4–5 digits in float when x ≈ μ is large):
     * with μ' = μ + ε it equals μ·θ·(x − μ') / (μ'·(θ + μ')).
     */
    static FloatVector muGradient(FloatVector x, FloatVector mu, FloatVector theta) {
        FloatVector mp = mu.add(EPS);
        return mu.mul(theta).mul(x.sub(mp)).div(mp.mul(theta.add(mp)));
    }

    static float muGradient(float x, float mu, float theta) {
        float mp = mu + EPS;
        return mu * theta * (x - mp) / (mp * (theta + mp));
    }

    public static void negBinomial(int rows, int cols, float[] x, float[] mu, float[] theta, float[][] terms,
                                   float[] logp, float[] muGrad, float[] thetaGrad) {
        float[] ratio = terms[0];
        float[] lgt = terms[1];
        float[] dgt = terms[2];
        int bound = F.loopBound(cols);
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            int j = 0;
            for (; j < bound; j += L) {
                int e = row + j;
                FloatVector xv = FloatVector.fromArray(F, x, e);
                FloatVector m = FloatVector.fromArray(F, mu, e);
                FloatVector th = FloatVector.fromArray(F, theta, j);
                FloatVector thMu = th.add(m).add(EPS);
                FloatVector logRatio = VectorMath.log1p(m.div(th.add(EPS))).neg();
                FloatVector logMuRatio = VectorMath.log1p(th.div(m.add(EPS))).neg();
                FloatVector xth = xv.add(th);
                FloatVector t1 = th.mul(logRatio);
                FloatVector t2 = xv.mul(logMuRatio);
                FloatVector lg = VectorMath.lgamma(xth).sub(FloatVector.fromArray(F, lgt, j))
                        .sub(VectorMath.lgamma(xv.add(1f)));
                t1.add(t2).add(lg).intoArray(logp, e);
                FloatVector xthOverThMu = xth.div(thMu);
                if (muGrad != null) {
                    muGradient(xv, m, th).intoArray(muGrad, e);
                }
                if (thetaGrad != null) {
                    FloatVector u = logRatio.add(FloatVector.fromArray(F, ratio, j)).sub(xthOverThMu)
                            .add(VectorMath.digamma(xth).sub(FloatVector.fromArray(F, dgt, j)));
                    th.mul(u).intoArray(thetaGrad, e);
                }
            }
            for (; j < cols; j++) {
                int e = row + j;
                float xv = x[e];
                float m = mu[e];
                float th = theta[j];
                float thMu = th + m + EPS;
                float logRatio = -FastMath.log1p(m / (th + EPS));
                float logMuRatio = -FastMath.log1p(th / (m + EPS));
                float xth = xv + th;
                float t1 = th * logRatio;
                float t2 = xv * logMuRatio;
                float lg = FastMath.lgamma(xth) - lgt[j] - FastMath.lgamma(xv + 1f);
                logp[e] = t1 + t2 + lg;
                float xthOverThMu = xth / thMu;
                if (muGrad != null) {
                    muGrad[e] = muGradient(xv, m, th);
                }
                if (thetaGrad != null) {
                    float u = logRatio + ratio[j] - xthOverThMu + (FastMath.digamma(xth) - dgt[j]);
                    thetaGrad[e] = th * u;
                }
            }
        }
    }

    // ------------------------------------------------------------------ zero-inflated negative binomial

    public static void zeroInflatedNegBinomial(int rows, int cols, float[] x, float[] mu, float[] theta, float[] pi,
                                               float[][] terms, float[] logp, float[] muGrad, float[] thetaGrad,
                                               float[] piGrad) {
        float[] ratio = terms[0];
        float[] lgt = terms[1];
        float[] dgt = terms[2];
        int bound = F.loopBound(cols);
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            int j = 0;
            for (; j < bound; j += L) {
                int e = row + j;
                FloatVector xv = FloatVector.fromArray(F, x, e);
                FloatVector m = FloatVector.fromArray(F, mu, e);
                FloatVector p = FloatVector.fromArray(F, pi, e);
                FloatVector th = FloatVector.fromArray(F, theta, j);
                VectorMask<Float> zero = xv.compare(VectorOperators.LT, EPS);
                FloatVector thMu = th.add(m).add(EPS);
                FloatVector xth = xv.add(th);
                FloatVector logRatio = VectorMath.log1p(m.div(th.add(EPS))).neg();
                FloatVector t1 = th.mul(logRatio);
                FloatVector t2 = xv.mul(VectorMath.log1p(th.div(m.add(EPS))).neg());
                FloatVector lg = VectorMath.lgamma(xth).sub(FloatVector.fromArray(F, lgt, j))
                        .sub(VectorMath.lgamma(xv.add(1f)));
                FloatVector c = VectorMath.softplus(p.neg());
                FloatVector a = p.neg().add(t1);
                FloatVector logpZero = VectorMath.softplus(a).sub(c);
                FloatVector logpNonZero = c.neg().add(a).add(t2).add(lg);
                logpNonZero.blend(logpZero, zero).intoArray(logp, e);
                FloatVector sA = VectorMath.sigmoid(a);
                FloatVector thOverThMu = th.div(thMu);
                FloatVector xthOverThMu = xth.div(thMu);
                if (muGrad != null) {
                    FloatVector gZero = m.mul(sA.mul(thOverThMu.neg()));
                    FloatVector gNonZero = muGradient(xv, m, th);
                    gNonZero.blend(gZero, zero).intoArray(muGrad, e);
                }
                if (thetaGrad != null) {
                    FloatVector r = FloatVector.fromArray(F, ratio, j);
                    FloatVector gZero = th.mul(sA.mul(logRatio.add(r).sub(thOverThMu)));
                    FloatVector u = logRatio.add(r).sub(xthOverThMu)
                            .add(VectorMath.digamma(xth).sub(FloatVector.fromArray(F, dgt, j)));
                    th.mul(u).blend(gZero, zero).intoArray(thetaGrad, e);
                }
                if (piGrad != null) {
                    FloatVector sNegP = VectorMath.sigmoid(p.neg());
                    sNegP.sub(1f).blend(sNegP.sub(sA), zero).intoArray(piGrad, e);
                }
            }
            for (; j < cols; j++) {
                int e = row + j;
                float xv = x[e];
                float m = mu[e];
                float p = pi[e];
                float th = theta[j];
                boolean zero = xv < EPS;
                float thMu = th + m + EPS;
                float logRatio = -FastMath.log1p(m / (th + EPS));
                float t1 = th * logRatio;
                float c = FastMath.softplus(-p);
                float a = -p + t1;
                float sA = FastMath.sigmoid(a);
                float thOverThMu = th / thMu;
                float xth = xv + th;
                float xthOverThMu = xth / thMu;
                if (zero) {
                    logp[e] = FastMath.softplus(a) - c;
                } else {
                    float t2 = xv * -FastMath.log1p(th / (m + EPS));
                    float lg = FastMath.lgamma(xth) - lgt[j] - FastMath.lgamma(xv + 1f);
                    logp[e] = -c + a + t2 + lg;
                }
                if (muGrad != null) {
                    muGrad[e] = zero ? m * (sA * -thOverThMu) : muGradient(xv, m, th);
                }
                if (thetaGrad != null) {
                    thetaGrad[e] = zero
                            ? th * (sA * (logRatio + ratio[j] - thOverThMu))
                            : th * (logRatio + ratio[j] - xthOverThMu + (FastMath.digamma(xth) - dgt[j]));
                }
                if (piGrad != null) {
                    float sNegP = FastMath.sigmoid(-p);
                    piGrad[e] = zero ? sNegP - sA : sNegP - 1f;
                }
            }
        }
    }

    // ------------------------------------------------------------------ Poisson

    public static void poisson(int n, float[] x, float[] mu, float[] logp, float[] muGrad) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            FloatVector m = FloatVector.fromArray(F, mu, i);
            FloatVector xlogm = xv.mul(VectorMath.log(m)).blend(0f, xv.compare(VectorOperators.EQ, 0f));
            xlogm.sub(m).sub(VectorMath.lgamma(xv.add(1f))).intoArray(logp, i);
            if (muGrad != null) {
                xv.sub(m).intoArray(muGrad, i);
            }
        }
        for (; i < n; i++) {
            float xv = x[i];
            float m = mu[i];
            float xlogm = xv == 0f ? 0f : xv * FastMath.log(m);
            logp[i] = xlogm - m - FastMath.lgamma(xv + 1f);
            if (muGrad != null) {
                muGrad[i] = xv - m;
            }
        }
    }
}
