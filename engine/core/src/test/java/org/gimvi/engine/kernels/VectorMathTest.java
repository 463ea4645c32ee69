package org.gimvi.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every vector lane must equal the scalar twin bit for bit, at the awkward sizes. */
class VectorMathTest {

    interface ArrayFn {
        void apply(float[] x, float[] y, int n);
    }

    interface ScalarFn {
        float apply(float x);
    }

    private static float[] inputs(int n, float lo, float hi, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n];
        rng.fillUniform(x, n, lo, hi);
        return x;
    }

    private static void assertLanesMatch(ArrayFn vector, ScalarFn scalar, float[] x) {
        float[] y = new float[x.length];
        vector.apply(x, y, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(scalar.apply(x[i])), Float.floatToIntBits(y[i]),
                    "element " + i + " of " + x.length + " for x = " + x[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16, 33, 127, 129, 1000})
    void transcendentalsMatchScalarTwins(int n) {
        assertLanesMatch(VectorMath::exp, FastMath::exp, inputs(n, -100f, 100f, n));
        assertLanesMatch(VectorMath::log, FastMath::log, inputs(n, 0f, 1e4f, n + 1));
        assertLanesMatch(VectorMath::log1p, FastMath::log1p, inputs(n, -0.5f, 1e3f, n + 2));
        assertLanesMatch(VectorMath::softplus, FastMath::softplus, inputs(n, -50f, 50f, n + 3));
        assertLanesMatch(VectorMath::sigmoid, FastMath::sigmoid, inputs(n, -50f, 50f, n + 4));
        assertLanesMatch(VectorMath::lgamma, FastMath::lgamma, inputs(n, 1e-3f, 1e5f, n + 5));
        assertLanesMatch(VectorMath::lgamma, FastMath::lgamma, inputs(n, 1e-3f, 10f, n + 6));
        assertLanesMatch(VectorMath::digamma, FastMath::digamma, inputs(n, 1e-3f, 1e5f, n + 7));
        assertLanesMatch(VectorMath::digamma, FastMath::digamma, inputs(n, 1e-3f, 8f, n + 8));
    }

    @ParameterizedTest
    @ValueSource(ints = {33})
    void specialValuesMatchScalarTwins(int n) {
        float[] specials = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, 88.72f, 88.73f, -87.33f, -87.34f, 1e-38f, 1e-45f,
            0.70710677f, 0.7071068f, 1e-8f, 7.9999995f, 8f, 5.9999995f, 6f, 2f, 0.5f, 1e30f, -1e30f, 3f, 4f, 5f,
            1e-20f, 1e20f, 123.456f};
        assertEquals(n, specials.length);
        assertLanesMatch(VectorMath::exp, FastMath::exp, specials);
        assertLanesMatch(VectorMath::log, FastMath::log, specials);
        assertLanesMatch(VectorMath::log1p, FastMath::log1p, specials);
        assertLanesMatch(VectorMath::softplus, FastMath::softplus, specials);
        assertLanesMatch(VectorMath::sigmoid, FastMath::sigmoid, specials);
    }

}
