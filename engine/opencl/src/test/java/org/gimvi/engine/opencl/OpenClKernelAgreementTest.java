package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Accumulation;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every OpenCL kernel against the scalar reference on awkward sizes, on a real OpenCL runtime
 * (pocl on the CPU in CI). Bit-exact where the operation is exactly rounded on every OpenCL device
 * (GEMM's fma chain, column sums, ReLU, products, axpy); elsewhere within the tolerances the SIMD
 * backend meets, widened where the OpenCL built-ins (exp, log, log1p: up to 3–4 ulp by the
 * specification) are looser than the CPU's float kernels.
 */
class OpenClKernelAgreementTest {
    private final ComputeBackend scalar = new ScalarBackend();

    private static float[] uniform(int n, float lo, float hi, long seed) {
        float[] x = new float[n];
        new Rng(seed).fillUniform(x, n, lo, hi);
        return x;
    }

    private static FMatrixRMaj matrix(int rows, int cols, float lo, float hi, long seed) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        new Rng(seed).fillUniform(m.data, rows * cols, lo, hi);
        return m;
    }

    private static void assertClose(float[] want, float[] got, int n, double rel, double abs, String what) {
        for (int i = 0; i < n; i++) {
            double tol = abs + rel * Math.abs(want[i]);
            assertEquals(want[i], got[i], tol, what + " element " + i);
        }
    }

    private static void assertExact(float[] want, float[] got, int n, String what) {
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), what + " element " + i
                    + ": " + want[i] + " vs " + got[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 1000})
    void gemmInAllThreeFormsIsBitExact(int size) {
        gemmAgainstScalar(OpenClTestDevice.transferring(), size);
        gemmAgainstScalar(OpenClTestDevice.transferringOtherGemm(), size); // tiled and direct kernels alike
    }

    private void gemmAgainstScalar(ComputeBackend cl, int size) {
        // m, k, n all awkward: the size under test against small and tile-straddling partners
        int[][] shapes = {{size, 3, 17}, {17, size, 5}, {5, 33, size}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            FMatrixRMaj a = matrix(m, k, -1f, 1f, 11L * m + k);
            FMatrixRMaj at = matrix(k, m, -1f, 1f, 13L * m + k);
            FMatrixRMaj b = matrix(k, n, -1f, 1f, 17L * k + n);
            FMatrixRMaj bt = matrix(n, k, -1f, 1f, 19L * k + n);
            float[] bias = uniform(n, -1f, 1f, 23);
            FMatrixRMaj want = matrix(m, n, -1f, 1f, 29);
            FMatrixRMaj got = want.copy();
            scalar.multBias(a, b, bias, want);
            cl.multBias(a, b, bias, got);
            assertExact(want.data, got.data, m * n, "A·B+bias " + m + "x" + k + "x" + n);
            scalar.multAddTransA(at, b, want);
            cl.multAddTransA(at, b, got);
            assertExact(want.data, got.data, m * n, "C+=Aᵀ·B " + m + "x" + k + "x" + n);
            scalar.multTransB(a, bt, want);
            cl.multTransB(a, bt, got);
            assertExact(want.data, got.data, m * n, "A·Bᵀ " + m + "x" + k + "x" + n);
        }
        assertThrows(IllegalArgumentException.class, () -> cl.mult(new FMatrixRMaj(2, 3), new FMatrixRMaj(2, 3),
                new FMatrixRMaj(2, 3)));
    }

    /** Whole arrays travel back from the device: what a kernel does not write must keep the host's values. */
    @ParameterizedTest
    @ValueSource(ints = {1, 33, 129})
    void elementsOutsideTheOperandsKeepTheirHostValues(int n) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        float[] x = uniform(n + 7, -1f, 1f, 3);
        float[] out = new float[n + 7];
        java.util.Arrays.fill(out, 42f);
        cl.exp(x, out, n);
        for (int i = n; i < out.length; i++) {
            assertEquals(42f, out[i], "exp tail " + i);
        }
        FMatrixRMaj a = matrix(n, 5, -1f, 1f, 4);
        FMatrixRMaj b = matrix(5, 3, -1f, 1f, 5);
        FMatrixRMaj c = new FMatrixRMaj(n + 2, 3); // a workspace sized for more rows, reshaped to this batch
        java.util.Arrays.fill(c.data, 42f);
        c.reshape(n, 3);
        cl.mult(a, b, c);
        for (int i = n * 3; i < c.data.length; i++) {
            assertEquals(42f, c.data[i], "GEMM tail " + i);
        }
        float[] sums = new float[n + 3];
        java.util.Arrays.fill(sums, 42f);
        cl.sumRows(a, sums);
        assertEquals(42f, sums[n], "row sums tail");
    }

    interface Op {
        void apply(ComputeBackend b, float[] x, float[] y, int n);
    }

    private void compareElementwise(ComputeBackend cl, Op op, int n, float lo, float hi, double rel, double abs,
                                    String what) {
        float[] x = uniform(n, lo, hi, n * 31L + what.hashCode());
        float[] want = new float[n];
        float[] got = new float[n];
        op.apply(scalar, x, want, n);
        op.apply(cl, x, got, n);
        assertClose(want, got, n, rel, abs, what);
        // in place (y aliases x) gives the same
        float[] inPlace = x.clone();
        op.apply(cl, inPlace, inPlace, n);
        assertExact(got, inPlace, n, what + " in place");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 1000})
    void elementwiseKernels(int n) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        compareElementwise(cl, ComputeBackend::exp, n, -80f, 80f, 5e-7, 0, "exp");
        compareElementwise(cl, ComputeBackend::log, n, 1e-6f, 1e6f, 5e-7, 1e-7, "log");
        compareElementwise(cl, ComputeBackend::log1p, n, 0f, 1e5f, 5e-7, 1e-7, "log1p");
        compareElementwise(cl, ComputeBackend::softplus, n, -30f, 30f, 1e-6, 1e-7, "softplus");
        compareElementwise(cl, ComputeBackend::sigmoid, n, -30f, 30f, 1e-6, 1e-7, "sigmoid");
        compareElementwise(cl, ComputeBackend::lgamma, n, 1e-3f, 1e5f, 1e-6, 4e-6, "lgamma");
        compareElementwise(cl, ComputeBackend::digamma, n, 1e-3f, 1e5f, 2e-6, 2e-6, "digamma");
        compareElementwise(cl, ComputeBackend::relu, n, -1f, 1f, 0, 0, "relu");
        float[] a = uniform(n, -2f, 2f, 1);
        float[] b = uniform(n, -2f, 2f, 2);
        float[] want = new float[n];
        float[] got = new float[n];
        scalar.mul(a, b, want, n);
        cl.mul(a, b, got, n);
        assertExact(want, got, n, "mul");
        scalar.reluBackward(a, b, want, n);
        cl.reluBackward(a, b, got, n);
        assertExact(want, got, n, "reluBackward");
        System.arraycopy(b, 0, want, 0, n);
        System.arraycopy(b, 0, got, 0, n);
        scalar.axpy(0.3f, a, want, n);
        cl.axpy(0.3f, a, got, n);
        assertExact(want, got, n, "axpy");
        scalar.scale(-1.7f, want, n);
        cl.scale(-1.7f, got, n);
        assertExact(want, got, n, "scale");
        FMatrixRMaj x = matrix(n, 3, -1f, 1f, 5);
        float[] v = uniform(n, -1f, 1f, 6);
        FMatrixRMaj wy = new FMatrixRMaj(n, 3);
        FMatrixRMaj gy = new FMatrixRMaj(n, 3);
        scalar.addToRows(x, v, wy);
        cl.addToRows(x, v, gy);
        assertExact(wy.data, gy.data, n * 3, "addToRows");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 1000})
    void rowAndColumnReductionsAndSoftmax(int cols) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        for (int rows : new int[]{1, 3, 129}) {
            FMatrixRMaj x = matrix(rows, cols, -20f, 20f, rows * 1000L + cols);
            float[] want = new float[Math.max(rows, cols)];
            float[] got = new float[Math.max(rows, cols)];
            scalar.sumCols(x, want);
            cl.sumCols(x, got);
            assertExact(want, got, cols, "sumCols");
            scalar.sumCols(x, want, 0, Accumulation.ADD);
            cl.sumCols(x, got, 0, Accumulation.ADD);
            assertExact(want, got, cols, "sumCols accumulate");
            scalar.sumRows(x, want);
            cl.sumRows(x, got);
            assertClose(want, got, rows, 1e-5, 1e-4 * Math.sqrt(cols), "sumRows");
            FMatrixRMaj ws = new FMatrixRMaj(rows, cols);
            FMatrixRMaj gs = new FMatrixRMaj(rows, cols);
            scalar.rowSoftmax(x, ws);
            cl.rowSoftmax(x, gs);
            assertClose(ws.data, gs.data, rows * cols, 5e-6, 1e-12, "softmax");
            scalar.rowLogSoftmax(x, ws);
            cl.rowLogSoftmax(x, gs);
            assertClose(ws.data, gs.data, rows * cols, 1e-6, 1e-5, "logSoftmax");
            FMatrixRMaj inPlace = x.copy();
            cl.rowLogSoftmax(inPlace, inPlace);
            assertExact(gs.data, inPlace.data, rows * cols, "logSoftmax in place");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 1000})
    void batchNorm(int cols) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        for (int rows : new int[]{2, 3, 33, 128}) {
            FMatrixRMaj x = matrix(rows, cols, -3f, 5f, rows * 7L + cols);
            float[] gamma = uniform(cols, 0.5f, 1.5f, 1);
            float[] beta = uniform(cols, -1f, 1f, 2);
            float[][] st = new float[8][cols];
            java.util.Arrays.fill(st[1], 1f);
            java.util.Arrays.fill(st[5], 1f);
            FMatrixRMaj xhatS = new FMatrixRMaj(rows, cols);
            FMatrixRMaj xhatC = new FMatrixRMaj(rows, cols);
            FMatrixRMaj yS = new FMatrixRMaj(rows, cols);
            FMatrixRMaj yC = new FMatrixRMaj(rows, cols);
            scalar.batchNormTrain(x, gamma, beta, 1e-3f, 0.01f, st[0], st[1], xhatS, st[2], st[3], yS);
            cl.batchNormTrain(x, gamma, beta, 1e-3f, 0.01f, st[4], st[5], xhatC, st[6], st[7], yC);
            // OpenCL may contract a·b + c into one fma: a few ulp, not bits
            assertClose(yS.data, yC.data, rows * cols, 1e-5, 1e-5, "bn forward");
            assertClose(st[0], st[4], cols, 1e-5, 1e-6, "running mean");
            assertClose(st[1], st[5], cols, 1e-5, 1e-6, "running var");
            assertClose(st[3], st[7], cols, 1e-5, 1e-6, "inverse std");
            FMatrixRMaj dy = matrix(rows, cols, -1f, 1f, 99);
            FMatrixRMaj dxS = new FMatrixRMaj(rows, cols);
            FMatrixRMaj dxC = new FMatrixRMaj(rows, cols);
            float[] dgS = new float[cols];
            float[] dbS = new float[cols];
            float[] dgC = new float[cols];
            float[] dbC = new float[cols];
            scalar.batchNormBackward(xhatS, st[3], gamma, dy, dgS, dbS, dxS);
            cl.batchNormBackward(xhatS, st[3], gamma, dy, dgC, dbC, dxC);
            assertClose(dxS.data, dxC.data, rows * cols, 1e-4, 1e-5, "bn backward");
            assertClose(dgS, dgC, cols, 1e-5, 1e-5, "dgamma");
            assertExact(dbS, dbC, cols, "dbeta");
            cl.batchNormBackward(xhatS, st[3], gamma, dy, dgC, dbC, dy); // dx aliases dy
            assertClose(dxS.data, dy.data, rows * cols, 1e-4, 1e-5, "bn backward in place");
            scalar.batchNormEval(x, gamma, beta, 1e-3f, st[0], st[1], yS);
            cl.batchNormEval(x, gamma, beta, 1e-3f, st[0], st[1], yC);
            assertClose(yS.data, yC.data, rows * cols, 1e-5, 1e-5, "bn eval");
        }
        assertThrows(IllegalArgumentException.class, () -> cl.batchNormTrain(new FMatrixRMaj(1, cols),
                new float[cols], new float[cols], 1e-3f, 0.01f, new float[cols], new float[cols],
                new FMatrixRMaj(1, cols), new float[cols], new float[cols], new FMatrixRMaj(1, cols)));
    }

    /** As in the CPU agreement test: θ·∂/∂θ is θ times nearly cancelling terms, so the error scales with θ. */
    private static void assertThetaGradClose(float[] want, float[] got, float[] theta, int n, int cols, String what) {
        for (int i = 0; i < n; i++) {
            double tol = 1e-4 * Math.abs(want[i]) + 4e-6 * (1 + theta[i % cols]);
            assertEquals(want[i], got[i], tol, what + " element " + i + " theta " + theta[i % cols]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 1000})
    void adam(int n) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        org.gimvi.engine.kernels.AdamUpdate.Coefficients c = new org.gimvi.engine.kernels.AdamUpdate.Coefficients();
        float[][] s = {uniform(n, -1f, 1f, 1), null, new float[n], new float[n]};
        float[][] d = {s[0].clone(), null, new float[n], new float[n]};
        for (int step = 1; step <= 3; step++) {
            float[] g = uniform(n, -1f, 1f, 10 + step);
            c.set(0.9f, 0.999f, (float) (1e-3 / (1 - Math.pow(0.9, step))), (float) Math.sqrt(1 - Math.pow(0.999, step)),
                    0.01f, step == 2 ? 0f : 1e-6f);
            scalar.adamUpdate(s[0], g, s[2], s[3], n, c);
            cl.adamUpdate(d[0], g, d[2], d[3], n, c);
        }
        // β·m + (1−β)·g may be contracted into an fma on the device: an ulp of the terms (|g| ≤ 1), not of the result
        assertClose(s[2], d[2], n, 1e-6, 2e-8, "adam first moment");
        assertClose(s[3], d[3], n, 1e-6, 1e-10, "adam second moment");
        assertClose(s[0], d[0], n, 1e-6, 1e-7, "adam weights");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 1000})
    void countLikelihoods(int cols) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        int rows = 3;
        int off = 2 * cols; // the last rows of a 5-row block, as one batch inside a minibatch
        int n = 5 * cols;
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
        float[][] c = new float[4][n];
        scalar.negBinomial(rows, cols, off, x, mu, theta, s[0], s[1], s[2]);
        cl.negBinomial(rows, cols, off, x, mu, theta, c[0], c[1], c[2]);
        assertExact(s[0], c[0], off, "nb leaves elements before the offset alone");
        assertClose(s[0], c[0], n, 2e-5, 4e-3, "nb logp");
        assertClose(s[1], c[1], n, 2e-5, 2e-5, "nb mu grad");
        assertThetaGradClose(s[2], c[2], theta, n, cols, "nb theta grad");
        scalar.zeroInflatedNegBinomial(rows, cols, off, x, mu, theta, pi, s[0], s[1], s[2], s[3]);
        cl.zeroInflatedNegBinomial(rows, cols, off, x, mu, theta, pi, c[0], c[1], c[2], c[3]);
        assertClose(s[0], c[0], n, 2e-5, 4e-3, "zinb logp");
        assertClose(s[1], c[1], n, 2e-5, 2e-5, "zinb mu grad");
        assertThetaGradClose(s[2], c[2], theta, n, cols, "zinb theta grad");
        assertClose(s[3], c[3], n, 1e-5, 1e-6, "zinb pi grad");
        float[] logpOnly = new float[n];
        cl.zeroInflatedNegBinomial(rows, cols, off, x, mu, theta, pi, logpOnly, null, null, null);
        assertExact(c[0], logpOnly, n, "zinb without gradients");
        scalar.poisson(5, cols, x, mu, s[0], s[1]);
        cl.poisson(5, cols, x, mu, c[0], c[1]);
        assertClose(s[0], c[0], n, 2e-5, 4e-3, "poisson logp");
        assertClose(s[1], c[1], n, 1e-6, 1e-6, "poisson grad");
    }
}
