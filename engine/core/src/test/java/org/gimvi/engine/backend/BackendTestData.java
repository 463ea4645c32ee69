package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.random.Rng;

/** Seeded operands and the bit-for-bit assertion that the backend agreement tests share. */
final class BackendTestData {
    private BackendTestData() {
    }

    /** n values uniform in [lo, hi) from the seed. */
    static float[] uniform(int n, float lo, float hi, long seed) {
        float[] x = new float[n];
        new Rng(seed).fillUniform(x, n, lo, hi);
        return x;
    }

    /** A rows × cols matrix of values uniform in [lo, hi) from the seed. */
    static FMatrixRMaj matrix(int rows, int cols, float lo, float hi, long seed) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        new Rng(seed).fillUniform(m.data, rows * cols, lo, hi);
        return m;
    }

    /** The first n elements of got have want's bits (−0 and NaN payloads included). */
    static void assertExact(float[] want, float[] got, int n, String what) {
        for (int i = 0; i < n; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                        what + " element " + i + ": " + want[i] + " vs " + got[i]);
            }
        }
    }
}
