package org.gimvi.engine.backend;

import static org.gimvi.engine.backend.BackendTestData.assertExact;
import static org.gimvi.engine.backend.BackendTestData.matrix;
import static org.gimvi.engine.backend.BackendTestData.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIMD against the scalar reference on the awkward sizes: bit-exact where the contract says so
 * (column sums, BatchNorm, ReLU, products), within float tolerance for the transcendental kernels
 * (scalar evaluates them in double).
 */
class BackendAgreementTest {
    private final ScalarBackend scalar = new ScalarBackend();
    private final SimdBackend simd = new SimdBackend(null);

    private static void assertClose(float[] want, float[] got, int n, double rel, double abs, String what) {
        for (int i = 0; i < n; i++) {
            double tol = abs + rel * Math.abs(want[i]);
            assertEquals(want[i], got[i], tol, what + " element " + i);
        }
    }

    /**
     * θ·∂/∂θ is θ times a sum of O(1..10) terms that nearly cancel when θ is large, so float32 can
     * only promise an absolute error proportional to θ.
     */
    private static void assertThetaGradClose(float[] want, float[] got, float[] theta, int rows, int cols, String what) {
        for (int i = 0; i < rows * cols; i++) {
            double tol = 1e-4 * Math.abs(want[i]) + 2e-6 * (1 + theta[i % cols]);
            assertEquals(want[i], got[i], tol, what + " element " + i + " theta " + theta[i % cols]);
        }
    }

    interface Op {
        void apply(ComputeBackend b, float[] x, float[] y, int n);
    }

    private void compareElementwise(Op op, int n, float lo, float hi, double rel, double abs, String what) {
        float[] x = uniform(n, lo, hi, n * 31L + what.hashCode());
        float[] want = new float[n];
        float[] got = new float[n];
        op.apply(scalar, x, want, n);
        op.apply(simd, x, got, n);
        assertClose(want, got, n, rel, abs, what);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void elementwiseKernels(int n) {
        compareElementwise(ComputeBackend::exp, n, -80f, 80f, 3e-7, 0, "exp");
        compareElementwise(ComputeBackend::log, n, 1e-6f, 1e6f, 3e-7, 1e-7, "log");
        compareElementwise(ComputeBackend::log1p, n, 0f, 1e5f, 3e-7, 1e-7, "log1p");
        compareElementwise(ComputeBackend::softplus, n, -30f, 30f, 5e-7, 1e-7, "softplus");
        compareElementwise(ComputeBackend::sigmoid, n, -30f, 30f, 5e-7, 1e-7, "sigmoid");
        compareElementwise(ComputeBackend::lgamma, n, 1e-3f, 1e5f, 4e-7, 2e-6, "lgamma");
        compareElementwise(ComputeBackend::digamma, n, 1e-3f, 1e5f, 1e-6, 1e-6, "digamma");
        compareElementwise(ComputeBackend::relu, n, -1f, 1f, 0, 0, "relu");
        float[] a = uniform(n, -2f, 2f, 1);
        float[] b = uniform(n, -2f, 2f, 2);
        float[] want = new float[n];
        float[] got = new float[n];
        scalar.mul(a, b, want, n);
        simd.mul(a, b, got, n);
        assertExact(want, got, n, "mul");
        scalar.reluBackward(a, b, want, n);
        simd.reluBackward(a, b, got, n);
        assertExact(want, got, n, "reluBackward");
        System.arraycopy(b, 0, want, 0, n);
        System.arraycopy(b, 0, got, 0, n);
        scalar.axpy(0.3f, a, want, n);
        simd.axpy(0.3f, a, got, n);
        assertExact(want, got, n, "axpy");
    }

    /**
     * The fused ReLU + dropout pass and its backward: the bits of the two passes they replace (the
     * scalar backend runs the definitions), in place and not, with masks of 0 and 1/(1 − p), negative
     * zeros and signed gradients.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void fusedReluDropoutEqualsItsTwoPasses(int n) {
        float[] mask = new float[n];
        scalar.dropoutMask(n, 0.2f, mask, n);
        float[] pre = uniform(n, -2f, 2f, 3);
        pre[0] = -0f;
        if (n > 2) {
            pre[2] = 0f;
        }
        float[][] x = {pre.clone(), pre.clone()};
        float[][] y = {new float[n], new float[n]};
        scalar.reluDropout(x[0], mask, y[0], n);
        simd.reluDropout(x[1], mask, y[1], n);
        assertExact(x[0], x[1], n, "reluDropout: the ReLU output left in x");
        assertExact(y[0], y[1], n, "reluDropout: the dropped-out output");
        float[] twoPasses = new float[n];
        float[] relu = pre.clone();
        simd.relu(relu, relu, n);
        simd.mul(relu, mask, twoPasses, n);
        assertExact(twoPasses, y[1], n, "reluDropout against relu then mul");

        float[] dy = uniform(n, -1f, 1f, 4);
        float[][] dx = {new float[n], new float[n]};
        scalar.dropoutReluBackward(mask, x[0], dy, dx[0], n);
        simd.dropoutReluBackward(mask, x[1], dy, dx[1], n);
        assertExact(dx[0], dx[1], n, "dropoutReluBackward");
        float[] inPlace = dy.clone();
        simd.dropoutReluBackward(mask, x[1], inPlace, inPlace, n);
        assertExact(dx[0], inPlace, n, "dropoutReluBackward in place");
        float[] separate = new float[n];
        simd.mul(dy, mask, separate, n);
        simd.reluBackward(x[1], separate, separate, n);
        assertExact(separate, dx[1], n, "dropoutReluBackward against mul then reluBackward");
    }

    /**
     * The decoder mean fused row by row — μ = exp(log ρ + ℓ) — gives each backend's own two-pass
     * definition's bits (the SIMD backend its vector exp; the scalar backend runs the definition),
     * with lanes past exp's range (log ρ below −87.3, a shift into overflow) and −0 among the inputs.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void fusedDecoderMeanEqualsItsTwoPasses(int cols) {
        for (int rows : new int[]{1, 3, 33}) {
            FMatrixRMaj logRho = matrix(rows, cols, -30f, 0f, rows * 31L + cols);
            logRho.data[0] = -0f;
            if (rows * cols > 5) {
                logRho.data[3] = -95f;       // exp underflows: the special-lane path
                logRho.data[rows * cols - 1] = -88f;
            }
            float[] ell = uniform(rows, 0f, 9f, rows + 5L);
            ell[0] = 70f;                    // row 0: −30 … 0 shifted by 70 overflows part of the row
            for (ComputeBackend b : new ComputeBackend[]{scalar, simd}) {
                FMatrixRMaj twoPasses = new FMatrixRMaj(rows, cols);
                b.addToRows(logRho, ell, twoPasses);
                b.exp(twoPasses.data, twoPasses.data, rows * cols);
                FMatrixRMaj fused = new FMatrixRMaj(rows, cols);
                b.addToRowsExp(logRho, ell, fused);
                assertExact(twoPasses.data, fused.data, rows * cols, b.name() + " addToRowsExp, " + rows + " rows");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void rowReductionsAndSoftmax(int cols) {
        for (int rows : new int[]{1, 3, 33}) {
            FMatrixRMaj x = matrix(rows, cols, -20f, 20f, rows * 1000L + cols);
            float[] want = new float[Math.max(rows, cols)];
            float[] got = new float[Math.max(rows, cols)];
            scalar.sumCols(x, want);
            simd.sumCols(x, got);
            assertExact(want, got, cols, "sumCols");
            java.util.Arrays.fill(want, 0.25f);
            java.util.Arrays.fill(got, 0.25f);
            scalar.sumCols(x, want, 0, Accumulation.ADD);
            simd.sumCols(x, got, 0, Accumulation.ADD);
            assertExact(want, got, cols, "sumCols, ADD");
            scalar.sumRows(x, want);
            simd.sumRows(x, got);
            assertClose(want, got, rows, 1e-5, 1e-4, "sumRows");
            FMatrixRMaj ws = new FMatrixRMaj(rows, cols);
            FMatrixRMaj gs = new FMatrixRMaj(rows, cols);
            scalar.rowSoftmax(x, ws);
            simd.rowSoftmax(x, gs);
            assertClose(ws.data, gs.data, rows * cols, 2e-6, 1e-12, "softmax");
            scalar.rowLogSoftmax(x, ws);
            simd.rowLogSoftmax(x, gs);
            assertClose(ws.data, gs.data, rows * cols, 1e-6, 1e-5, "logSoftmax");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void batchNormIsBitExact(int cols) {
        for (int rows : new int[]{2, 3, 33, 128}) {
            FMatrixRMaj x = matrix(rows, cols, -3f, 5f, rows * 7L + cols);
            float[] gamma = uniform(cols, 0.5f, 1.5f, 1);
            float[] beta = uniform(cols, -1f, 1f, 2);
            float[][] state = new float[8][cols];
            java.util.Arrays.fill(state[1], 1f);
            java.util.Arrays.fill(state[5], 1f);
            FMatrixRMaj xhatS = new FMatrixRMaj(rows, cols);
            FMatrixRMaj xhatV = new FMatrixRMaj(rows, cols);
            FMatrixRMaj yS = new FMatrixRMaj(rows, cols);
            FMatrixRMaj yV = new FMatrixRMaj(rows, cols);
            scalar.batchNormTrain(x, gamma, beta, 1e-3f, 0.01f, state[0], state[1], xhatS, state[2], state[3], yS);
            simd.batchNormTrain(x, gamma, beta, 1e-3f, 0.01f, state[4], state[5], xhatV, state[6], state[7], yV);
            assertExact(yS.data, yV.data, rows * cols, "bn forward");
            assertExact(state[1], state[5], cols, "running var");
            FMatrixRMaj dy = matrix(rows, cols, -1f, 1f, 99);
            FMatrixRMaj dxS = new FMatrixRMaj(rows, cols);
            FMatrixRMaj dxV = new FMatrixRMaj(rows, cols);
            float[] dgS = new float[cols];
            float[] dbS = new float[cols];
            float[] dgV = new float[cols];
            float[] dbV = new float[cols];
            scalar.batchNormBackward(xhatS, state[3], gamma, dy, dgS, dbS, dxS);
            simd.batchNormBackward(xhatV, state[7], gamma, dy, dgV, dbV, dxV);
            assertExact(dxS.data, dxV.data, rows * cols, "bn backward");
            assertExact(dgS, dgV, cols, "dgamma");
            scalar.batchNormEval(x, gamma, beta, 1e-3f, state[0], state[1], yS);
            simd.batchNormEval(x, gamma, beta, 1e-3f, state[4], state[5], yV);
            assertExact(yS.data, yV.data, rows * cols, "bn eval");
        }
        assertThrows(IllegalArgumentException.class, () -> simd.batchNormTrain(new FMatrixRMaj(1, cols),
                new float[cols], new float[cols], 1e-3f, 0.01f, new float[cols], new float[cols],
                new FMatrixRMaj(1, cols), new float[cols], new float[cols], new FMatrixRMaj(1, cols)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void countLikelihoods(int cols) {
        int rows = 5;
        int n = rows * cols;
        Rng rng = new Rng(cols);
        float[] x = new float[n];
        float[] mu = new float[n];
        float[] pi = new float[n];
        float[] theta = new float[cols];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            x[i] = u < 0.4 ? 0f : (float) Math.floor(Math.exp(rng.nextDouble() * 8));
            mu[i] = (float) Math.exp(rng.nextDouble() * 10 - 3);
            pi[i] = (float) (rng.nextGaussian() * 2);
        }
        for (int j = 0; j < cols; j++) {
            theta[j] = (float) Math.exp(rng.nextGaussian() * 2);
        }
        float[][] s = new float[4][n];
        float[][] v = new float[4][n];
        scalar.negBinomial(rows, cols, x, mu, theta, s[0], s[1], s[2]);
        simd.negBinomial(rows, cols, x, mu, theta, v[0], v[1], v[2]);
        // logp subtracts lgamma terms of size up to ~2e4: float32 keeps ~1e-7 of their magnitude.
        assertClose(s[0], v[0], n, 2e-5, 4e-3, "nb logp");
        assertClose(s[1], v[1], n, 2e-5, 2e-5, "nb mu grad");
        assertThetaGradClose(s[2], v[2], theta, rows, cols, "nb theta grad");
        scalar.zeroInflatedNegBinomial(rows, cols, x, mu, theta, pi, s[0], s[1], s[2], s[3]);
        simd.zeroInflatedNegBinomial(rows, cols, x, mu, theta, pi, v[0], v[1], v[2], v[3]);
        assertClose(s[0], v[0], n, 2e-5, 4e-3, "zinb logp");
        assertClose(s[1], v[1], n, 2e-5, 2e-5, "zinb mu grad");
        assertThetaGradClose(s[2], v[2], theta, rows, cols, "zinb theta grad");
        assertClose(s[3], v[3], n, 1e-5, 1e-6, "zinb pi grad");
        scalar.gaussian(rows, cols, x, mu, theta, s[0], s[1], s[2]);
        simd.gaussian(rows, cols, x, mu, theta, v[0], v[1], v[2]);
        assertClose(s[0], v[0], n, 2e-5, 1e-3, "gaussian logp");
        assertClose(s[1], v[1], n, 2e-5, 1e-5, "gaussian mu grad");
        assertClose(s[2], v[2], n, 2e-5, 1e-5, "gaussian variance grad");
        scalar.poisson(rows, cols, x, mu, s[0], s[1]);
        simd.poisson(rows, cols, x, mu, v[0], v[1]);
        assertClose(s[0], v[0], n, 2e-5, 4e-3, "poisson logp");
        assertClose(s[1], v[1], n, 1e-6, 1e-6, "poisson grad");
    }
}
