package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Accumulation;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.backend.Transpose;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The offset (arena view) forms on the OpenCL backend: GEMM bit-exact against the scalar reference
 * at offsets, and column sums, BatchNorm and Adam at an offset with the same bits as the device's own
 * offset-0 forms; elements outside the viewed range are never written.
 */
class OpenClArenaViewTest {
    private static final int OFF = 7;
    private static final float SENTINEL = 12345.5f;
    private final ComputeBackend scalar = new ScalarBackend();

    private static float[] random(int n, long seed) {
        float[] a = new float[n];
        new Rng(seed).fillUniform(a, n, -1f, 1f);
        return a;
    }

    private static float[] placed(float[] src) {
        float[] a = new float[OFF + src.length + 5];
        java.util.Arrays.fill(a, SENTINEL);
        System.arraycopy(src, 0, a, OFF, src.length);
        return a;
    }

    private static void assertPlaced(float[] want, float[] buffer, String what) {
        for (int i = 0; i < buffer.length; i++) {
            int j = i - OFF;
            float expected = j >= 0 && j < want.length ? want[j] : SENTINEL;
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(buffer[i]), what + " element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void gemmAtOffsetsIsBitExact(int size) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        int m = 5;
        int k = 3 + size % 5;
        int n = size;
        for (int form = 0; form < 8; form++) {
            Transpose transA = (form & 1) != 0 ? Transpose.TRANSPOSED : Transpose.NONE;
            Transpose transB = (form & 2) != 0 ? Transpose.TRANSPOSED : Transpose.NONE;
            Accumulation accumulate = (form & 4) != 0 ? Accumulation.ADD : Accumulation.OVERWRITE;
            float[] a = random(m * k, form + 1);
            float[] b = random(k * n, form + 2);
            float[] c0 = random(m * n, form + 3);
            float[] bias = random(n, form + 4);
            float[] want = c0.clone();
            scalar.gemm(transA, transB, m, n, k, a, 0, b, 0, want, 0, accumulate == Accumulation.ADD ? null : bias, 0, accumulate);
            float[] cp = placed(c0);
            cl.gemm(transA, transB, m, n, k, placed(a), OFF, placed(b), OFF, cp, OFF, accumulate == Accumulation.ADD ? null : placed(bias), OFF,
                    accumulate);
            assertPlaced(want, cp, "gemm tA=" + transA + " tB=" + transB + " acc=" + accumulate);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void columnSumsBatchNormAndAdamAtAnOffset(int cols) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        int rows = 6;
        FMatrixRMaj x = FMatrixRMaj.wrap(rows, cols, random(rows * cols, 20));
        FMatrixRMaj dy = FMatrixRMaj.wrap(rows, cols, random(rows * cols, 21));
        float[] acc = random(cols, 22);
        float[] sums = acc.clone();
        cl.sumCols(x, sums, 0, Accumulation.ADD);
        float[] sp = placed(acc);
        cl.sumCols(x, sp, OFF, Accumulation.ADD);
        assertPlaced(sums, sp, "sumCols");

        float[] gamma = random(cols, 23);
        float[] beta = random(cols, 24);
        float[] rm = new float[cols];
        float[] rv = new float[cols];
        java.util.Arrays.fill(rv, 1f);
        FMatrixRMaj xhat = new FMatrixRMaj(rows, cols);
        FMatrixRMaj y = new FMatrixRMaj(rows, cols);
        float[] mean = new float[cols];
        float[] inv = new float[cols];
        cl.batchNormTrain(x, gamma, beta, 1e-3f, 0.01f, rm.clone(), rv.clone(), xhat, mean, inv, y);
        FMatrixRMaj y2 = new FMatrixRMaj(rows, cols);
        cl.batchNormTrain(x, placed(gamma), OFF, placed(beta), OFF, 1e-3f, 0.01f, rm.clone(), rv.clone(),
                new FMatrixRMaj(rows, cols), new float[cols], new float[cols], y2);
        assertPlaced(y.data, placed(y2.data), "batchNormTrain");
        float[] dg = acc.clone();
        float[] db = sums.clone();
        FMatrixRMaj dx = new FMatrixRMaj(rows, cols);
        cl.batchNormBackward(xhat, inv, gamma, dy, dg, db, dx);
        float[] dgp = placed(acc);
        float[] dbp = placed(sums);
        FMatrixRMaj dx2 = new FMatrixRMaj(rows, cols);
        cl.batchNormBackward(xhat, inv, placed(gamma), OFF, dy, dgp, OFF, dbp, OFF, dx2);
        assertPlaced(dg, dgp, "batchNormBackward dGamma");
        assertPlaced(db, dbp, "batchNormBackward dBeta");
        assertPlaced(dx.data, placed(dx2.data), "batchNormBackward dx");

        AdamUpdate.Coefficients c = new AdamUpdate.Coefficients().set(0.9f, 0.999f, 1e-2f, 0.03f, 0.01f, 1e-6f);
        float[] w = random(cols, 30);
        float[] g = random(cols, 31);
        float[] mm = new float[cols];
        float[] vv = new float[cols];
        float[] wp = placed(w);
        float[] mp = placed(mm);
        float[] vp = placed(vv);
        cl.adamUpdate(w, g, mm, vv, cols, c);
        cl.adamUpdate(wp, placed(g), mp, vp, OFF, cols, c);
        assertPlaced(w, wp, "adam w");
        assertPlaced(mm, mp, "adam m");
        assertPlaced(vv, vp, "adam v");
    }
}
