package org.gimvi.engine.opencl;

/**
 * Fused count likelihoods: one work item per element computes the log-likelihood and its gradients
 * in one pass (the CPU backends need several passes only to keep C2's inlining budget). Formulas and
 * cancellation-free rewrites are those of {@link org.gimvi.engine.kernels.CountLikelihoodKernels}:
 * {@code log(θ+ε) − log(θ+μ+ε) = −log1p(μ/(θ+ε))}, {@code log(μ+ε) − log(θ+μ+ε) = −log1p(θ/(μ+ε))},
 * {@code μ·∂/∂μ = μθ(x − μ')/(μ'(θ+μ'))} with μ' = μ + ε. Elements start at {@link #off} in the
 * per-element arrays; θ is per column.
 */
public final class CountLikelihoodKernel extends DeviceMath {
    static final int NB = 0;
    static final int ZINB = 1;
    static final int POISSON = 2;
    static final float EPS = 1e-8f;

    int op;
    int count;
    int cols;
    int off;
    int wantMu;
    int wantTheta;
    int wantPi;

    float[] x;
    float[] mu;
    float[] theta;
    float[] pi;
    float[] logp;
    float[] muGrad;
    float[] thetaGrad;
    float[] piGrad;

    @Override
    public void run() {
        int t = getGlobalId(0);
        if (t < count) {
            int e = off + t;
            if (op == POISSON) {
                poisson(e);
            } else {
                negBinomial(e, theta[t % cols]);
            }
        }
    }

    private void poisson(int e) {
        float xv = x[e];
        float m = mu[e];
        float xlogm = xv == 0f ? 0f : xv * log(m);
        logp[e] = xlogm - m - lgammaF(xv + 1f);
        if (wantMu == 1) {
            muGrad[e] = xv - m;
        }
    }

    private void negBinomial(int e, float th) {
        float xv = x[e];
        float m = mu[e];
        float logRatio = -log1p(m / (th + EPS));
        float logMuRatio = -log1p(th / (m + EPS));
        float nb = th * logRatio + xv * logMuRatio + (lgammaF(xv + th) - lgammaF(th) - lgammaF(xv + 1f));
        float mp = m + EPS;
        float gMu = m * th * (xv - mp) / (mp * (th + mp));
        float ratio = th / (th + EPS);
        float gTheta = th * (logRatio + ratio - (xv + th) / (th + m + EPS) + (digammaF(xv + th) - digammaF(th)));
        float lp = nb;
        float gPi = 0f;
        if (op == ZINB) {
            float p = pi[e];
            float c = softplusF(-p);
            float sNegP = sigmoidF(-p);
            if (xv < EPS) {
                float a = -p + th * logRatio;
                float sA = sigmoidF(a);
                float thOverThMu = th / (th + m + EPS);
                lp = softplusF(a) - c;
                gMu = m * (sA * -thOverThMu);
                gTheta = th * (sA * (logRatio + ratio - thOverThMu));
                gPi = sNegP - sA;
            } else {
                lp = nb - c - p;
                gPi = sNegP - 1f;
            }
        }
        logp[e] = lp;
        if (wantMu == 1) {
            muGrad[e] = gMu;
        }
        if (wantTheta == 1) {
            thetaGrad[e] = gTheta;
        }
        if (wantPi == 1) {
            piGrad[e] = gPi;
        }
    }
}
