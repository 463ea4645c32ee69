package org.gimvi.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DropoutMasksTest {

    /** The scalar definition, element by element. */
    private static float reference(int i, float p, long key) {
        int h = DropoutMasks.fmix32(DropoutMasks.fmix32(i * 0x9E3779B9 + (int) key) ^ (int) (key >>> 32));
        long u31 = (h >>> 1);
        return u31 < (long) Math.floor(p * 2147483648.0) ? 0f : 1f / (1f - p);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 4096})
    void vectorLanesEqualTheScalarDefinition(int n) {
        for (float p : new float[]{0.1f, 0.2f, 0.5f}) {
            float[] mask = new float[n];
            DropoutMasks.fill(mask, n, p, 0x1234_5678_9ABC_DEF0L + n);
            for (int i = 0; i < n; i++) {
                assertEquals(reference(i, p, 0x1234_5678_9ABC_DEF0L + n), mask[i], "element " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {0.1f, 0.2f, 0.5f})
    void keepRateAndIndependenceAcrossKeys(float p) {
        int n = 1 << 18;
        float[] a = new float[n];
        float[] b = new float[n];
        DropoutMasks.fill(a, n, p, 1);
        DropoutMasks.fill(b, n, p, 2);
        long keptA = 0;
        long both = 0;
        for (int i = 0; i < n; i++) {
            keptA += a[i] > 0 ? 1 : 0;
            both += a[i] > 0 && b[i] > 0 ? 1 : 0;
        }
        double q = 1 - p;
        assertEquals(q, keptA / (double) n, 4 * Math.sqrt(q * p / n) + 1e-4);
        assertEquals(q * q, both / (double) n, 4 * Math.sqrt(q * q * (1 - q * q) / n) + 1e-4);
        // neighbouring elements are not correlated
        long pairs = 0;
        for (int i = 0; i + 1 < n; i++) {
            pairs += a[i] > 0 && a[i + 1] > 0 ? 1 : 0;
        }
        assertTrue(Math.abs(pairs / (double) (n - 1) - q * q) < 0.01);
    }
}
