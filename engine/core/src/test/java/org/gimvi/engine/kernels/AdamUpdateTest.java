package org.gimvi.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;

/** The vector Adam update is bit-identical to the scalar reference on awkward sizes. */
class AdamUpdateTest {

    @Test
    void simdMatchesScalarBitForBit() {
        for (float weightDecay : new float[] {0f, 1e-6f, 0.1f}) {
            for (int n : new int[] {1, 3, 33, 127, 129}) {
                Rng rng = new Rng(n * 31L + Float.floatToIntBits(weightDecay));
                float[] w1 = new float[n];
                float[] g = new float[n];
                rng.fillGaussian(w1, n);
                float[] w2 = w1.clone();
                float[] m1 = new float[n];
                float[] v1 = new float[n];
                float[] m2 = new float[n];
                float[] v2 = new float[n];
                AdamUpdate.Coefficients c = new AdamUpdate.Coefficients();
                for (int t = 1; t <= 7; t++) {
                    rng.fillGaussian(g, n);
                    g[0] = t == 3 ? 0f : g[0] * 1e4f; // a zero and a large gradient
                    c.set(0.9f, 0.999f, (float) (1e-3 / (1 - Math.pow(0.9, t))), (float) Math.sqrt(1 - Math.pow(0.999, t)),
                            0.01f, weightDecay);
                    AdamUpdate.scalar(w1, g, m1, v1, n, c);
                    AdamUpdate.simd(w2, g, m2, v2, n, c);
                    for (int i = 0; i < n; i++) {
                        String at = "n=" + n + " wd=" + weightDecay + " step " + t + " element " + i;
                        assertEquals(Float.floatToIntBits(w1[i]), Float.floatToIntBits(w2[i]), "weight " + at);
                        assertEquals(Float.floatToIntBits(m1[i]), Float.floatToIntBits(m2[i]), "first moment " + at);
                        assertEquals(Float.floatToIntBits(v1[i]), Float.floatToIntBits(v2[i]), "second moment " + at);
                    }
                }
            }
        }
    }
}
