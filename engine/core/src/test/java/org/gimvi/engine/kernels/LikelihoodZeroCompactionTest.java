package org.gimvi.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The count likelihoods computing their lgamma/digamma terms over the non-zero counts alone give the
 * dense passes' bits for every output (log-likelihood and all gradients), at every share of zeros,
 * on awkward widths and on rows long enough to be cut into segments.
 */
class LikelihoodZeroCompactionTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 2100})
    void compactedTermsEqualTheDensePasses(int cols) {
        int rows = 5;
        int n = rows * cols;
        for (double zeros : new double[] {0, 0.3, 0.7, 0.95, 1}) {
            Rng rng = new Rng(cols * 7L + (long) (zeros * 100));
            float[] x = new float[n];
            float[] mu = new float[n];
            float[] pi = new float[n];
            float[] theta = new float[cols];
            for (int i = 0; i < n; i++) {
                double u = rng.nextDouble();
                x[i] = u < zeros ? 0f : u < zeros + 0.02 ? 0.5f : (float) Math.floor(1 + Math.exp(rng.nextDouble() * 6));
                mu[i] = (float) Math.exp(rng.nextDouble() * 10 - 3);
                pi[i] = (float) (rng.nextGaussian() * 2);
            }
            for (int j = 0; j < cols; j++) {
                theta[j] = (float) Math.exp(rng.nextGaussian() * 2);
            }
            float[][] scratch = new float[CountLikelihoodKernels.SCRATCH][CountLikelihoodKernels.scratchLength(rows, cols)];
            float[][] dense = new float[4][n];
            float[][] compact = new float[4][n];
            String what = cols + " columns, " + zeros + " zeros";
            CountLikelihoodKernels.negBinomial(rows, cols, 0, x, mu, theta, scratch, dense[0], dense[1], dense[2], 0f);
            CountLikelihoodKernels.negBinomial(rows, cols, 0, x, mu, theta, scratch, compact[0], compact[1], compact[2], 2f);
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(dense[k], compact[k], "nb output " + k + ", " + what);
            }
            CountLikelihoodKernels.zeroInflatedNegBinomial(rows, cols, 0, x, mu, theta, pi, scratch, dense[0], dense[1],
                    dense[2], dense[3], 0f);
            CountLikelihoodKernels.zeroInflatedNegBinomial(rows, cols, 0, x, mu, theta, pi, scratch, compact[0],
                    compact[1], compact[2], compact[3], 2f);
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(dense[k], compact[k], "zinb output " + k + ", " + what);
            }
            // and without the θ gradient (the digamma pass is skipped then)
            CountLikelihoodKernels.negBinomial(rows, cols, 0, x, mu, theta, scratch, dense[0], dense[1], null, 0f);
            CountLikelihoodKernels.negBinomial(rows, cols, 0, x, mu, theta, scratch, compact[0], compact[1], null, 2f);
            assertArrayEquals(dense[0], compact[0], "nb logp without θ gradient, " + what);
        }
    }
}
