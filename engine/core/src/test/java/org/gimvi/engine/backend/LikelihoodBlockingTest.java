package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SIMD likelihoods run in cache-sized chunks of rows; this holds them to the promise that makes
 * that safe: an element's results are the same bits whether its row is computed inside a block of
 * several chunks (ending in a partial one) or on its own, at any offset; rows longer than a chunk
 * (4,099 columns) are cut into segments, whose θ terms start at the segment's first column.
 */
class LikelihoodBlockingTest {
    private final SimdBackend simd = new SimdBackend(null);

    private static float[] uniform(int n, float lo, float hi, long seed) {
        float[] x = new float[n];
        new Rng(seed).fillUniform(x, n, lo, hi);
        return x;
    }

    private static float[] counts(int n, long seed) {
        float[] x = uniform(n, 0f, 1f, seed);
        for (int i = 0; i < n; i++) {
            x[i] = x[i] < 0.4f ? 0f : (float) Math.floor(x[i] * 40f); // zeros for the ZINB branch
        }
        return x;
    }

    private static void assertSameBits(float[] want, float[] got, int from, int n, String what) {
        for (int i = from; i < from + n; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), what + " element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 4099})
    void chunkedBlocksEqualRowByRow(int cols) {
        int chunk = Math.max(1, 2048 / cols);
        int rows = Math.min(2 * chunk + 3, 700); // several chunks and a partial one (one row each beyond 2048 columns)
        int off = 7;
        int n = off + rows * cols;
        float[] x = counts(n, cols);
        float[] mu = uniform(n, 0.01f, 30f, cols + 1);
        float[] pi = uniform(n, -4f, 4f, cols + 2);
        float[] theta = uniform(cols, 0.05f, 50f, cols + 3);
        float[][] block = new float[4][n];
        float[][] single = new float[4][n];
        simd.zeroInflatedNegBinomial(rows, cols, off, x, mu, theta, pi, block[0], block[1], block[2], block[3]);
        for (int r = 0; r < rows; r++) {
            simd.zeroInflatedNegBinomial(1, cols, off + r * cols, x, mu, theta, pi, single[0], single[1], single[2],
                    single[3]);
        }
        for (int k = 0; k < 4; k++) {
            assertSameBits(single[k], block[k], off, rows * cols, "ZINB output " + k);
        }
        // and element by element, each alone with its own column's θ (the scalar tail's path)
        float[][] one = new float[4][n];
        for (int e = off; e < n; e += 97) {
            int j = (e - off) % cols;
            simd.zeroInflatedNegBinomial(1, 1, e, x, mu, new float[]{theta[j]}, pi, one[0], one[1], one[2], one[3]);
            for (int k = 0; k < 4; k++) {
                assertEquals(Float.floatToIntBits(one[k][e]), Float.floatToIntBits(block[k][e]),
                        "ZINB output " + k + " of element " + e + " alone");
            }
        }
        simd.negBinomial(rows, cols, off, x, mu, theta, block[0], block[1], block[2]);
        for (int r = 0; r < rows; r++) {
            simd.negBinomial(1, cols, off + r * cols, x, mu, theta, single[0], single[1], single[2]);
        }
        for (int k = 0; k < 3; k++) {
            assertSameBits(single[k], block[k], off, rows * cols, "NB output " + k);
        }
        float[] gx = uniform(n, -5f, 5f, cols + 4);
        simd.gaussian(rows, cols, off, gx, mu, theta, block[0], block[1], block[2]);
        for (int r = 0; r < rows; r++) {
            simd.gaussian(1, cols, off + r * cols, gx, mu, theta, single[0], single[1], single[2]);
        }
        for (int k = 0; k < 3; k++) {
            assertSameBits(single[k], block[k], off, rows * cols, "Gaussian output " + k);
        }
    }
}
