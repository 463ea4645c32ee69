package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gimvi.engine.kernels.SpecialFunctions;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks (double precision) of the likelihood gradients of both backends, on the
 * log scale of μ and θ and on the zero-inflation logit π.
 */
class CountLikelihoodGradientTest {
    private static final double EPS = 1e-8;

    static double nb(double x, double mu, double th) {
        double logThMu = Math.log(th + mu + EPS);
        return th * (Math.log(th + EPS) - logThMu) + x * (Math.log(mu + EPS) - logThMu)
                + SpecialFunctions.lgamma(x + th) - SpecialFunctions.lgamma(th) - SpecialFunctions.lgamma(x + 1);
    }

    static double zinb(double x, double mu, double th, double pi) {
        double c = SpecialFunctions.softplus(-pi);
        double a = -pi + th * (Math.log(th + EPS) - Math.log(th + mu + EPS));
        if (x < EPS) {
            return SpecialFunctions.softplus(a) - c;
        }
        return -c + a + x * (Math.log(mu + EPS) - Math.log(th + mu + EPS))
                + SpecialFunctions.lgamma(x + th) - SpecialFunctions.lgamma(th) - SpecialFunctions.lgamma(x + 1);
    }

    static double poisson(double x, double mu) {
        return (x == 0 ? 0 : x * Math.log(mu)) - mu - SpecialFunctions.lgamma(x + 1);
    }

    static double gaussian(double x, double mu, double var) {
        return -0.5 * Math.log(2 * Math.PI * var) - (x - mu) * (x - mu) / (2 * var);
    }

    private static final double[] XS = {0, 1, 2, 7, 40, 913};
    private static final double[] MUS = {0.05, 0.9, 6.5, 120};
    private static final double[] THETAS = {0.02, 0.7, 3.0, 55};
    private static final double H = 1e-5;

    private static void check(ComputeBackend backend, double rel) {
        for (double x : XS) {
            for (double mu : MUS) {
                for (double th : THETAS) {
                    for (double pi : new double[]{-2.0, 0.3}) {
                        float[] xf = {(float) x};
                        float[] mf = {(float) mu};
                        float[] tf = {(float) th};
                        float[] pf = {(float) pi};
                        float[] lp = new float[1];
                        float[] gm = new float[1];
                        float[] gt = new float[1];
                        float[] gp = new float[1];
                        double mu0 = mf[0];
                        double th0 = tf[0];
                        double pi0 = pf[0];
                        String at = backend.name() + " x=" + x + " mu=" + mu + " theta=" + th + " pi=" + pi;

                        backend.negBinomial(1, 1, xf, mf, tf, lp, gm, gt);
                        double dMu = (nb(x, mu0 * Math.exp(H), th0) - nb(x, mu0 * Math.exp(-H), th0)) / (2 * H);
                        double dTh = (nb(x, mu0, th0 * Math.exp(H)) - nb(x, mu0, th0 * Math.exp(-H))) / (2 * H);
                        assertEquals(nb(x, mu0, th0), lp[0], 1e-3 + 1e-5 * Math.abs(nb(x, mu0, th0)), "nb logp " + at);
                        assertEquals(dMu, gm[0], 1e-4 + rel * Math.abs(dMu), "nb dlog(mu) " + at);
                        assertEquals(dTh, gt[0], 1e-4 + rel * Math.abs(dTh), "nb dlog(theta) " + at);

                        backend.zeroInflatedNegBinomial(1, 1, xf, mf, tf, pf, lp, gm, gt, gp);
                        dMu = (zinb(x, mu0 * Math.exp(H), th0, pi0) - zinb(x, mu0 * Math.exp(-H), th0, pi0)) / (2 * H);
                        dTh = (zinb(x, mu0, th0 * Math.exp(H), pi0) - zinb(x, mu0, th0 * Math.exp(-H), pi0)) / (2 * H);
                        double dPi = (zinb(x, mu0, th0, pi0 + H) - zinb(x, mu0, th0, pi0 - H)) / (2 * H);
                        assertEquals(zinb(x, mu0, th0, pi0), lp[0], 1e-3 + 1e-5 * Math.abs(zinb(x, mu0, th0, pi0)), "zinb logp " + at);
                        assertEquals(dMu, gm[0], 1e-4 + rel * Math.abs(dMu), "zinb dlog(mu) " + at);
                        assertEquals(dTh, gt[0], 1e-4 + rel * Math.abs(dTh), "zinb dlog(theta) " + at);
                        assertEquals(dPi, gp[0], 1e-5 + rel * Math.abs(dPi), "zinb dpi " + at);

                        backend.gaussian(1, 1, xf, mf, tf, lp, gm, gt);
                        dMu = (gaussian(x, mu0 * Math.exp(H), th0) - gaussian(x, mu0 * Math.exp(-H), th0)) / (2 * H);
                        dTh = (gaussian(x, mu0, th0 * Math.exp(H)) - gaussian(x, mu0, th0 * Math.exp(-H))) / (2 * H);
                        assertEquals(gaussian(x, mu0, th0), lp[0], 1e-3 + 1e-5 * Math.abs(gaussian(x, mu0, th0)), "gaussian logp " + at);
                        assertEquals(dMu, gm[0], 1e-4 + rel * Math.abs(dMu), "gaussian dlog(mu) " + at);
                        assertEquals(dTh, gt[0], 1e-4 + rel * Math.abs(dTh), "gaussian dlog(variance) " + at);

                        backend.poisson(1, 1, xf, mf, lp, gm);
                        dMu = (poisson(x, mu0 * Math.exp(H)) - poisson(x, mu0 * Math.exp(-H))) / (2 * H);
                        assertEquals(dMu, gm[0], 1e-5 + 1e-5 * Math.abs(dMu), "poisson dlog(mu) " + at);
                    }
                }
            }
        }
    }

    @Test
    void scalarGradientsMatchFiniteDifferences() {
        check(new ScalarBackend(), 1e-5);
    }

    @Test
    void simdGradientsMatchFiniteDifferences() {
        check(new SimdBackend(null), 2e-4);
    }
}
