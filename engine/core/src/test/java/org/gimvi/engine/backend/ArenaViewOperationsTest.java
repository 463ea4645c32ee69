package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The offset-taking (arena view) forms of every backend operation a parameter reaches, on the
 * scalar and SIMD backends, against the scalar backend's offset-0 forms on the same numbers: the
 * same bits, and nothing outside the viewed range written (the neighbours hold a sentinel).
 */
class ArenaViewOperationsTest {
    private static final int OFF = 7; // an awkward offset: not a multiple of any vector width
    private static final float SENTINEL = 12345.5f;
    private static final ComputeBackend REF = new ScalarBackend();
    private static final ComputeBackend[] BACKENDS = {new ScalarBackend(), new SimdBackend(null)};

    private static float[] random(int n, long seed) {
        float[] a = new float[n];
        new Rng(seed).fillUniform(a, n, -1f, 1f);
        return a;
    }

    /** src at offset OFF of a buffer whose other elements are the sentinel. */
    private static float[] placed(float[] src) {
        float[] a = new float[OFF + src.length + 5];
        java.util.Arrays.fill(a, SENTINEL);
        System.arraycopy(src, 0, a, OFF, src.length);
        return a;
    }

    private static TensorView view(float[] src, int rows, int cols) {
        return new TensorView(placed(src), OFF, rows, cols);
    }

    private static FMatrixRMaj matrix(float[] data, int rows, int cols) {
        return FMatrixRMaj.wrap(rows, cols, data.clone());
    }

    /** The viewed range equals want bit for bit and every other element is still the sentinel. */
    private static void assertPlaced(float[] want, float[] buffer, String what) {
        for (int i = 0; i < buffer.length; i++) {
            int j = i - OFF;
            float expected = j >= 0 && j < want.length ? want[j] : SENTINEL;
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(buffer[i]), what + " element " + i);
        }
    }

    private static void assertBits(float[] want, float[] got, int n, String what) {
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), what + " element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void gemmOnViews(int size) {
        int m = 5;
        int k = size % 2 == 0 ? 4 : 3 + size % 5;
        int n = size;
        for (int form = 0; form < 16; form++) {
            Transpose transA = (form & 1) != 0 ? Transpose.TRANSPOSED : Transpose.NONE;
            Transpose transB = (form & 2) != 0 ? Transpose.TRANSPOSED : Transpose.NONE;
            boolean withBias = (form & 4) != 0;
            Accumulation accumulate = (form & 8) != 0 ? Accumulation.ADD : Accumulation.OVERWRITE;
            float[] a = random(m * k, 1 + form);
            float[] b = random(k * n, 2 + form);
            float[] c0 = random(m * n, 3 + form);
            float[] bias = random(n, 4 + form);
            FMatrixRMaj am = transA == Transpose.TRANSPOSED ? matrix(a, k, m) : matrix(a, m, k);
            FMatrixRMaj bm = transB == Transpose.TRANSPOSED ? matrix(b, n, k) : matrix(b, k, n);
            FMatrixRMaj want = matrix(c0, m, n);
            REF.gemm(transA, transB, am, bm, want, withBias ? bias.clone() : null, accumulate);
            for (ComputeBackend be : BACKENDS) {
                float[] ap = placed(a);
                float[] bp = placed(b);
                float[] cp = placed(c0);
                float[] biasP = placed(bias);
                be.gemm(transA, transB, m, n, k, ap, OFF, bp, OFF, cp, OFF, withBias ? biasP : null, OFF, accumulate);
                String what = be.name() + " gemm tA=" + transA + " tB=" + transB + " bias=" + withBias + " acc=" + accumulate;
                assertPlaced(want.data, cp, what);
                assertPlaced(a, ap, what + " (A untouched)");
                assertPlaced(b, bp, what + " (B untouched)");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void layerProductsOnViews(int size) {
        int rows = 4;
        int in = 3;
        float[] x = random(rows * in, 10);
        float[] w = random(in * size, 11);
        float[] bias = random(size, 12);
        float[] dy = random(rows * size, 13);
        FMatrixRMaj wantY = new FMatrixRMaj(rows, size);
        REF.multBias(matrix(x, rows, in), matrix(w, in, size), bias, wantY);
        FMatrixRMaj wantDw = matrix(random(in * size, 14), in, size);
        float[] dw0 = wantDw.data.clone();
        REF.multAddTransA(matrix(x, rows, in), matrix(dy, rows, size), wantDw);
        FMatrixRMaj wantDx = new FMatrixRMaj(rows, in);
        REF.multTransB(matrix(dy, rows, size), matrix(w, in, size), wantDx);
        FMatrixRMaj wantDxAcc = matrix(x, rows, in);
        REF.multAddTransB(matrix(dy, rows, size), matrix(w, in, size), wantDxAcc);
        for (ComputeBackend be : BACKENDS) {
            TensorView wv = view(w, in, size);
            FMatrixRMaj y = new FMatrixRMaj(rows, size);
            be.multBias(matrix(x, rows, in), wv, view(bias, 1, size), y);
            assertBits(wantY.data, y.data, rows * size, be.name() + " multBias");
            TensorView dw = view(dw0, in, size);
            be.multAddTransA(matrix(x, rows, in), matrix(dy, rows, size), dw);
            assertPlaced(wantDw.data, dw.array(), be.name() + " multAddTransA");
            FMatrixRMaj dx = new FMatrixRMaj(rows, in);
            be.multTransB(matrix(dy, rows, size), wv, dx);
            assertBits(wantDx.data, dx.data, rows * in, be.name() + " multTransB");
            FMatrixRMaj dxAcc = matrix(x, rows, in);
            be.multAddTransB(matrix(dy, rows, size), wv, dxAcc);
            assertBits(wantDxAcc.data, dxAcc.data, rows * in, be.name() + " multAddTransB");
            assertPlaced(w, wv.array(), be.name() + " weights untouched");
        }
        assertThrows(IllegalArgumentException.class,
                () -> REF.multBias(matrix(x, rows, in), view(w, in, size), view(bias, 1, Math.max(size - 1, 0)),
                        new FMatrixRMaj(rows, size)), "a bias view shorter than C's columns");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void columnSumsAndBatchNormOnViews(int cols) {
        int rows = 6;
        float[] x = random(rows * cols, 20);
        float[] dy = random(rows * cols, 21);
        float[] gamma = random(cols, 22);
        float[] beta = random(cols, 23);
        float[] acc = random(cols, 24);
        float[] sums = acc.clone();
        REF.sumCols(matrix(x, rows, cols), sums, 0, Accumulation.ADD);
        float[] rm = random(cols, 25);
        float[] rv = random(cols, 26);
        for (int j = 0; j < cols; j++) {
            rv[j] = Math.abs(rv[j]) + 0.5f;
        }
        FMatrixRMaj wantXhat = new FMatrixRMaj(rows, cols);
        FMatrixRMaj wantY = new FMatrixRMaj(rows, cols);
        float[] wantMean = new float[cols];
        float[] wantInv = new float[cols];
        float[] wantRm = rm.clone();
        float[] wantRv = rv.clone();
        REF.batchNormTrain(matrix(x, rows, cols), gamma, beta, 1e-3f, 0.01f, wantRm, wantRv, wantXhat, wantMean, wantInv,
                wantY);
        FMatrixRMaj wantEval = new FMatrixRMaj(rows, cols);
        REF.batchNormEval(matrix(x, rows, cols), gamma, beta, 1e-3f, rm, rv, wantEval);
        float[] wantDGamma = acc.clone();
        float[] wantDBeta = sums.clone();
        FMatrixRMaj wantDx = new FMatrixRMaj(rows, cols);
        REF.batchNormBackward(wantXhat, wantInv, gamma, matrix(dy, rows, cols), wantDGamma, wantDBeta, wantDx);
        for (ComputeBackend be : BACKENDS) {
            String name = be.name();
            float[] out = placed(acc);
            be.sumCols(matrix(x, rows, cols), out, OFF, Accumulation.ADD);
            assertPlaced(sums, out, name + " sumCols");
            float[] g = placed(gamma);
            float[] bt = placed(beta);
            FMatrixRMaj xhat = new FMatrixRMaj(rows, cols);
            FMatrixRMaj y = new FMatrixRMaj(rows, cols);
            float[] mean = new float[cols];
            float[] inv = new float[cols];
            float[] rm1 = rm.clone();
            float[] rv1 = rv.clone();
            be.batchNormTrain(matrix(x, rows, cols), g, OFF, bt, OFF, 1e-3f, 0.01f, rm1, rv1, xhat, mean, inv, y);
            assertBits(wantY.data, y.data, rows * cols, name + " batchNormTrain y");
            assertBits(wantRv, rv1, cols, name + " batchNormTrain running variance");
            FMatrixRMaj ev = new FMatrixRMaj(rows, cols);
            be.batchNormEval(matrix(x, rows, cols), g, OFF, bt, OFF, 1e-3f, rm, rv, ev);
            assertBits(wantEval.data, ev.data, rows * cols, name + " batchNormEval");
            float[] dg = placed(acc);
            float[] db = placed(sums);
            FMatrixRMaj dx = new FMatrixRMaj(rows, cols);
            be.batchNormBackward(xhat, inv, g, OFF, matrix(dy, rows, cols), dg, OFF, db, OFF, dx);
            assertPlaced(wantDGamma, dg, name + " batchNormBackward dGamma");
            assertPlaced(wantDBeta, db, name + " batchNormBackward dBeta");
            assertBits(wantDx.data, dx.data, rows * cols, name + " batchNormBackward dx");
            assertPlaced(gamma, g, name + " gamma untouched");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void gathersAndScattersOnViews(int cols) {
        int rows = 5;
        int categories = 3;
        int[] index = {2, 0, 2, 1, 0};
        float[] table = random(categories * cols, 30);
        float[] x = random(rows * cols, 31);
        int[] columns = new int[Math.max(1, cols / 2)];
        for (int j = 0; j < columns.length; j++) {
            columns[j] = (j * 7 + 1) % cols;
        }
        FMatrixRMaj wantAdd = matrix(x, rows, cols);
        REF.addIndexedRows(TensorView.of(matrix(table, categories, cols)), index, wantAdd);
        FMatrixRMaj wantTable = matrix(table, categories, cols);
        REF.scatterAddIndexedRows(matrix(x, rows, cols), index, TensorView.of(wantTable));
        FMatrixRMaj wantGather = new FMatrixRMaj(rows, columns.length);
        REF.gatherColumns(TensorView.of(matrix(x, rows, cols)), columns, wantGather);
        FMatrixRMaj wantScatter = matrix(x, rows, cols);
        REF.scatterAddColumns(wantGather, columns, TensorView.of(wantScatter));
        // the dispersion table: cols genes × 3 batches
        float[] r = random(cols * categories, 32);
        int[] genes = new int[columns.length];
        System.arraycopy(columns, 0, genes, 0, genes.length);
        float[] wantTheta = new float[genes.length];
        REF.gatherExp(TensorView.of(matrix(r, cols, categories)), 2, genes, wantTheta, genes.length);
        FMatrixRMaj wantR = matrix(r, cols, categories);
        REF.scatterAddScaledByGroup(-0.5f, wantGather, genes, index, TensorView.of(wantR));
        for (ComputeBackend be : BACKENDS) {
            String name = be.name();
            FMatrixRMaj add = matrix(x, rows, cols);
            TensorView tv = view(table, categories, cols);
            be.addIndexedRows(tv, index, add);
            assertBits(wantAdd.data, add.data, rows * cols, name + " addIndexedRows");
            be.scatterAddIndexedRows(matrix(x, rows, cols), index, tv);
            assertPlaced(wantTable.data, tv.array(), name + " scatterAddIndexedRows");
            FMatrixRMaj gathered = new FMatrixRMaj(rows, columns.length);
            be.gatherColumns(view(x, rows, cols), columns, gathered);
            assertBits(wantGather.data, gathered.data, rows * columns.length, name + " gatherColumns");
            TensorView sv = view(x, rows, cols);
            be.scatterAddColumns(gathered, columns, sv);
            assertPlaced(wantScatter.data, sv.array(), name + " scatterAddColumns");
            float[] theta = new float[genes.length];
            TensorView rv = view(r, cols, categories);
            be.gatherExp(rv, 2, genes, theta, genes.length);
            assertBits(wantTheta, theta, genes.length, name + " gatherExp");
            be.scatterAddScaledByGroup(-0.5f, gathered, genes, index, rv);
            assertPlaced(wantR.data, rv.array(), name + " scatterAddScaledByGroup");
        }
        assertThrows(IllegalArgumentException.class,
                () -> REF.addIndexedRows(view(table, categories, cols), new int[] {categories, 0, 0, 0, 0},
                        matrix(x, rows, cols)), "an index past the table's rows");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void adamOnAnArenaRange(int n) {
        AdamUpdate.Coefficients c = new AdamUpdate.Coefficients().set(0.9f, 0.999f, 1e-2f, 0.03f, 0.01f, 1e-6f);
        float[] w = random(n, 40);
        float[] g = random(n, 41);
        float[] m = random(n, 42);
        float[] v = random(n, 43);
        for (int i = 0; i < n; i++) {
            v[i] = Math.abs(v[i]);
        }
        float[] ww = w.clone();
        float[] wm = m.clone();
        float[] wv = v.clone();
        REF.adamUpdate(ww, g.clone(), wm, wv, n, c);
        for (ComputeBackend be : BACKENDS) {
            float[] wp = placed(w);
            float[] gp = placed(g);
            float[] mp = placed(m);
            float[] vp = placed(v);
            be.adamUpdate(wp, gp, mp, vp, OFF, n, c);
            assertPlaced(ww, wp, be.name() + " adam w");
            assertPlaced(wm, mp, be.name() + " adam m");
            assertPlaced(wv, vp, be.name() + " adam v");
            assertPlaced(g, gp, be.name() + " adam g untouched");
        }
    }
}
