package org.gimvi.engine.opencl;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ScalarBackend;

/**
 * The start-up check of an OpenCL backend: every kernel class is run once on small operands (which
 * also compiles it, so the training loop never pays for that) and its result compared with the scalar
 * reference. A kernel that Aparapi ran anywhere but the OpenCL device, or whose results are wrong,
 * makes the backend's creation fail with one line naming the device and the kernel.
 */
final class DeviceCheck {
    private DeviceCheck() {
    }

    static void verify(OpenClBackend cl) {
        try {
            check(cl, new ScalarBackend());
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalArgumentException("OpenCL device " + cl.name() + " failed its start-up check: " + e
                    + "; use --device cpu or another device (gimvi info --devices)", e);
        }
    }

    private static void check(OpenClBackend cl, ComputeBackend ref) {
        int rows = 5;
        int cols = 3;
        FMatrixRMaj a = matrix(rows, cols, 1);
        FMatrixRMaj b = matrix(cols, 4, 2);
        FMatrixRMaj want = new FMatrixRMaj(rows, 4);
        FMatrixRMaj got = new FMatrixRMaj(rows, 4);
        ref.mult(a, b, want);
        cl.mult(a, b, got);
        compare("GEMM", want.data, got.data, rows * 4, 0);

        float[] x = new float[rows * cols];
        System.arraycopy(a.data, 0, x, 0, x.length);
        float[] w = new float[x.length];
        float[] g = new float[x.length];
        ref.sigmoid(x, w, x.length);
        cl.sigmoid(x, g, x.length);
        compare("ElementwiseKernel", w, g, x.length, 1e-5);

        FMatrixRMaj ws = new FMatrixRMaj(rows, cols);
        FMatrixRMaj gs = new FMatrixRMaj(rows, cols);
        ref.rowSoftmax(a, ws);
        cl.rowSoftmax(a, gs);
        compare("RowKernel", ws.data, gs.data, rows * cols, 1e-5);

        float[] wc = new float[cols];
        float[] gc = new float[cols];
        ref.sumCols(a, wc);
        cl.sumCols(a, gc);
        compare("ColumnSumKernel", wc, gc, cols, 1e-6);

        float[] gamma = {1f, 0.5f, 2f};
        float[] beta = {0f, 1f, -1f};
        float[][] s = new float[8][cols];
        ref.batchNormEval(a, gamma, beta, 1e-3f, s[0], ones(cols), ws);
        cl.batchNormEval(a, gamma, beta, 1e-3f, s[1], ones(cols), gs);
        compare("BatchNormKernel", ws.data, gs.data, rows * cols, 1e-5);

        float[] counts = {0f, 1f, 4f, 0f, 9f, 2f, 0f, 3f, 1f, 0f, 7f, 5f, 0f, 2f, 1f};
        float[] mu = new float[x.length];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = 0.5f + i;
        }
        float[] theta = {0.7f, 3f, 20f};
        ref.negBinomial(rows, cols, counts, mu, theta, w, null, null);
        cl.negBinomial(rows, cols, counts, mu, theta, g, null, null);
        compare("CountLikelihoodKernel", w, g, x.length, 1e-4);

        float[][] ws2 = {x.clone(), mu.clone(), new float[x.length], new float[x.length]};
        float[][] gs2 = {x.clone(), mu.clone(), new float[x.length], new float[x.length]};
        org.gimvi.engine.kernels.AdamUpdate.Coefficients c = new org.gimvi.engine.kernels.AdamUpdate.Coefficients()
                .set(0.9f, 0.999f, 0.01f, 0.0316f, 0.01f, 1e-6f);
        ref.adamUpdate(ws2[0], ws2[1], ws2[2], ws2[3], x.length, c);
        cl.adamUpdate(gs2[0], gs2[1], gs2[2], gs2[3], x.length, c);
        compare("AdamKernel", ws2[0], gs2[0], x.length, 1e-5);
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    private static FMatrixRMaj matrix(int rows, int cols, int seed) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            m.data[i] = (float) Math.sin(seed * 7.0 + i * 1.3) * 2f;
        }
        return m;
    }

    private static void compare(String kernel, float[] want, float[] got, int n, double rel) {
        for (int i = 0; i < n; i++) {
            double tol = 1e-6 + rel * Math.abs(want[i]);
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                throw new IllegalStateException("OpenCL kernel " + kernel + " returned " + got[i] + " instead of " + want[i]
                        + " in the start-up check (element " + i + "); the driver computes wrongly: use --device cpu");
            }
        }
    }
}
