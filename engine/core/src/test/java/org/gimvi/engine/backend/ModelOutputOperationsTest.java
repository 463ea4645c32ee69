package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The once-per-model outputs computed through the backend: posterior-sample moments and θ = exp(r). */
class ModelOutputOperationsTest {
    private static final ComputeBackend[] BACKENDS = {new ScalarBackend(), new SimdBackend(null)};

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void posteriorSampleMomentsAreTheSamplesMeanAndStandardDeviation(int n) {
        for (ComputeBackend b : BACKENDS) {
            double[] sum = new double[n];
            double[] sumSq = new double[n];
            float[] sample = new float[n];
            for (int s = 0; s < 3; s++) { // samples i, i+1, i+5: mean i+2, population variance 14/3
                for (int i = 0; i < n; i++) {
                    sample[i] = i + (s == 2 ? 5 : s);
                }
                b.accumulateMoments(sample, sum, sumSq, n);
            }
            float[] mean = new float[n];
            float[] std = new float[n];
            b.momentsToMeanStd(sum, sumSq, 3, mean, std, n);
            for (int i = 0; i < n; i++) {
                assertEquals(i + 2f, mean[i], 1e-5f * (i + 2), b.name() + " mean " + i);
                assertEquals((float) Math.sqrt(14.0 / 3), std[i], 1e-4f, b.name() + " std " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void inverseDispersionIsExpInDoubleAtTheViewedOffset(int n) {
        float[] r = new float[n + 4];
        for (int i = 0; i < r.length; i++) {
            r[i] = (i % 11 - 5) * 0.7f;
        }
        for (ComputeBackend b : BACKENDS) {
            float[] theta = new float[n];
            b.expDouble(r, 4, theta, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits((float) Math.exp(r[4 + i])), Float.floatToIntBits(theta[i]), b.name() + " " + i);
            }
        }
    }
}
