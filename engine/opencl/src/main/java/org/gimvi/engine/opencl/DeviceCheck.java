package org.gimvi.engine.opencl;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.backend.TensorView;

/**
 * The start-up check of an OpenCL backend: the arena kernel runs each of its families once on small
 * operands (which also compiles it, so the training loop never pays for that) and the results are
 * compared with the scalar reference. A kernel that Aparapi ran anywhere but the OpenCL device, or whose results are wrong,
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

    /**
     * Each family of the arena kernel once (products, an elementwise function, a row reduction,
     * column sums, BatchNorm, a likelihood, Adam, a gather and the dropout hash), with the operands
     * uploaded and the results downloaded as the model does — so the transfers are checked too.
     */
    private static void check(OpenClBackend cl, ComputeBackend ref) {
        int rows = 5;
        int cols = 3;
        FMatrixRMaj a = matrix(rows, cols, 1);
        FMatrixRMaj b = matrix(cols, 4, 2);
        FMatrixRMaj want = new FMatrixRMaj(rows, 4);
        FMatrixRMaj got = cl.allocate(rows, 4);
        cl.upload(a);
        cl.upload(b);
        ref.mult(a, b, want);
        cl.mult(a, b, got);
        cl.download(got);
        compare("GEMM", want.data, got.data, rows * 4, 0);

        float[] x = up(cl, a.data.clone());
        float[] w = new float[x.length];
        float[] g = cl.allocateVector(x.length);
        ref.sigmoid(x, w, x.length);
        cl.sigmoid(x, g, x.length);
        compare("elementwise (sigmoid)", w, down(cl, g), x.length, 1e-5);

        FMatrixRMaj ws = new FMatrixRMaj(rows, cols);
        FMatrixRMaj gs = cl.allocate(rows, cols);
        ref.rowSoftmax(a, ws);
        cl.rowSoftmax(a, gs);
        cl.download(gs);
        compare("row softmax", ws.data, gs.data, rows * cols, 1e-5);

        float[] wc = new float[cols];
        float[] gc = cl.allocateVector(cols);
        ref.sumCols(a, wc);
        cl.sumCols(a, gc);
        compare("column sums", wc, down(cl, gc), cols, 1e-6);

        float[] gamma = up(cl, new float[]{1f, 0.5f, 2f});
        float[] beta = up(cl, new float[]{0f, 1f, -1f});
        float[] zeros = up(cl, new float[cols]);
        float[] ones = up(cl, ones(cols));
        ref.batchNormEval(a, gamma, beta, 1e-3f, zeros, ones, ws);
        cl.batchNormEval(a, gamma, beta, 1e-3f, zeros, ones, gs);
        cl.download(gs);
        compare("BatchNorm", ws.data, gs.data, rows * cols, 1e-5);

        float[] counts = up(cl, new float[]{0f, 1f, 4f, 0f, 9f, 2f, 0f, 3f, 1f, 0f, 7f, 5f, 0f, 2f, 1f});
        float[] mu = new float[x.length];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = 0.5f + i;
        }
        up(cl, mu);
        float[] theta = up(cl, new float[]{0.7f, 3f, 20f});
        ref.negBinomial(rows, cols, counts, mu, theta, w, null, null);
        cl.negBinomial(rows, cols, counts, mu, theta, g, null, null);
        compare("negative binomial likelihood", w, down(cl, g), x.length, 1e-4);

        float[][] ws2 = {x.clone(), mu.clone(), new float[x.length], new float[x.length]};
        float[][] gs2 = {up(cl, x.clone()), up(cl, mu.clone()), cl.allocateVector(x.length), cl.allocateVector(x.length)};
        org.gimvi.engine.kernels.AdamUpdate.Coefficients c = new org.gimvi.engine.kernels.AdamUpdate.Coefficients()
                .set(0.9f, 0.999f, 0.01f, 0.0316f, 0.01f, 1e-6f);
        ref.adamUpdate(ws2[0], ws2[1], ws2[2], ws2[3], x.length, c);
        cl.adamUpdate(gs2[0], gs2[1], gs2[2], gs2[3], x.length, c);
        compare("Adam", ws2[0], down(cl, gs2[0]), x.length, 1e-5);

        int[] columns = {2, 0};
        cl.upload(columns, columns.length);
        FMatrixRMaj wg = new FMatrixRMaj(rows, 2);
        FMatrixRMaj gg = cl.allocate(rows, 2);
        ref.gatherColumns(TensorView.of(a), columns, wg);
        cl.gatherColumns(TensorView.of(a), columns, gg);
        cl.download(gg);
        compare("column gather", wg.data, gg.data, rows * 2, 0);

        float[] wm = new float[37];
        float[] gm = cl.allocateVector(37);
        ref.dropoutMask(0x1234_5678_9abcL, 0.25f, wm, 37);
        cl.dropoutMask(0x1234_5678_9abcL, 0.25f, gm, 37);
        compare("dropout mask", wm, down(cl, gm), 37, 0);
    }

    private static float[] up(OpenClBackend cl, float[] x) {
        cl.upload(x, x.length);
        return x;
    }

    private static float[] down(OpenClBackend cl, float[] x) {
        cl.download(x, x.length);
        return x;
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
