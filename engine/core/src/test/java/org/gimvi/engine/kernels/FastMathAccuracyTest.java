package org.gimvi.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Measures the float kernels against double precision over the arguments the count likelihoods see
 * (counts up to 1e6, inverse dispersions from 1e-4 to 1e4). The bounds asserted here are the ones
 * documented on {@link FastMath}.
 */
class FastMathAccuracyTest {

    private static double ulpError(float got, double want) {
        return Math.abs(got - want) / Math.ulp((float) want);
    }

    @Test
    void expWithinTwoUlp() {
        double worst = 0;
        for (float x = -87f; x <= 88.5f; x += 0.0137f) {
            worst = Math.max(worst, ulpError(FastMath.exp(x), Math.exp(x)));
        }
        assertTrue(worst <= 2.0, "exp worst ulp error " + worst);
        assertEquals(1f, FastMath.exp(0f));
        assertEquals(Float.POSITIVE_INFINITY, FastMath.exp(89f));
        assertEquals(0f, FastMath.exp(-100f));
        assertTrue(Float.isNaN(FastMath.exp(Float.NaN)));
    }

    @Test
    void logWithinTwoUlp() {
        double worst = 0;
        for (double x = 1e-30; x < 1e30; x *= 1.0173) {
            float xf = (float) x;
            worst = Math.max(worst, ulpError(FastMath.log(xf), Math.log(xf)));
        }
        for (float x = 0.5f; x < 2f; x += 1e-4f) {
            double want = Math.log(x);
            if (want != 0) {
                worst = Math.max(worst, Math.abs(FastMath.log(x) - want) / Math.ulp((float) Math.abs(want)));
            }
        }
        assertTrue(worst <= 2.0, "log worst ulp error " + worst);
        assertEquals(0f, FastMath.log(1f));
        assertEquals(Float.NEGATIVE_INFINITY, FastMath.log(0f));
        assertTrue(Float.isNaN(FastMath.log(-1f)));
        assertEquals(Math.log(Float.MIN_VALUE), FastMath.log(Float.MIN_VALUE), 1e-5);
        assertEquals(Float.POSITIVE_INFINITY, FastMath.log(Float.POSITIVE_INFINITY));
    }

    @Test
    void log1pAccurateForSmallArguments() {
        for (float x : new float[]{1e-10f, 1e-6f, 1e-3f, 0.5f, 3f, 1e6f}) {
            assertEquals(Math.log1p(x), FastMath.log1p(x), Math.abs(Math.log1p(x)) * 3e-7 + 1e-30, "x=" + x);
        }
    }

    @Test
    void lgammaWithinDocumentedBounds() {
        double worstAbsSmall = 0;
        double worstRelLarge = 0;
        for (double x = 1e-4; x < 1e6; x *= 1.0031) {
            float xf = (float) x;
            double want = SpecialFunctions.lgamma(xf);
            double err = Math.abs(FastMath.lgamma(xf) - want);
            if (xf < 8f) {
                worstAbsSmall = Math.max(worstAbsSmall, err / Math.max(1.0, Math.abs(want)));
            } else {
                worstRelLarge = Math.max(worstRelLarge, err / Math.abs(want));
            }
        }
        assertTrue(worstAbsSmall < 4e-6, "lgamma (0,8) worst error " + worstAbsSmall);
        assertTrue(worstRelLarge < 4e-7, "lgamma [8,1e6) worst relative error " + worstRelLarge);
    }

    @Test
    void digammaWithinDocumentedBounds() {
        double worst = 0;
        for (double x = 1e-3; x < 1e6; x *= 1.0031) {
            float xf = (float) x;
            double want = SpecialFunctions.digamma(xf);
            worst = Math.max(worst, Math.abs(FastMath.digamma(xf) - want) / Math.max(1.0, Math.abs(want)));
        }
        assertTrue(worst < 1e-6, "digamma worst error " + worst);
    }

    @Test
    void doubleReferencesMatchKnownValues() {
        assertEquals(0.5 * Math.log(Math.PI), SpecialFunctions.lgamma(0.5), 1e-14);
        assertEquals(0.0, SpecialFunctions.lgamma(1.0), 1e-14);
        assertEquals(0.0, SpecialFunctions.lgamma(2.0), 1e-14);
        assertEquals(Math.log(362880.0), SpecialFunctions.lgamma(10.0), 1e-12);
        assertEquals(857.9336698258574, SpecialFunctions.lgamma(200.0), 1e-10);
        assertEquals(-0.5772156649015329, SpecialFunctions.digamma(1.0), 1e-13);
        assertEquals(-1.9635100260214235, SpecialFunctions.digamma(0.5), 1e-13);
        assertEquals(2.251752589066721, SpecialFunctions.digamma(10.0), 1e-13);
    }

    @Test
    void softplusAndSigmoidAreStable() {
        assertEquals(1000f, FastMath.softplus(1000f));
        assertEquals(0f, FastMath.softplus(-1000f));
        assertEquals((float) Math.log(2), FastMath.softplus(0f), 1e-7);
        assertEquals(1f, FastMath.sigmoid(100f));
        assertEquals(0f, FastMath.sigmoid(-100f));
        assertEquals(0.5f, FastMath.sigmoid(0f));
    }
}
