package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.Posterior;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model's own operations on the device (posterior sampling and its backward, KL terms, gathers
 * and scatters, the library gradient, dropout masks, the Gaussian likelihood, the small elementwise
 * forms) against the scalar reference on awkward sizes. Bit-exact where the device adds in the host's
 * order with nothing to contract or approximate (gathers, index scatters, copies, the dropout hash);
 * elsewhere within a few ulp of the float built-ins, as the CPU's own float kernels.
 */
class OpenClModelOpsTest {
    private final ComputeBackend scalar = new ScalarBackend();

    private static FMatrixRMaj matrix(int rows, int cols, float lo, float hi, long seed) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        new Rng(seed).fillUniform(m.data, rows * cols, lo, hi);
        return m;
    }

    private static float[] uniform(int n, float lo, float hi, long seed) {
        float[] x = new float[n];
        new Rng(seed).fillUniform(x, n, lo, hi);
        return x;
    }

    private static void assertClose(float[] want, float[] got, int n, double rel, double abs, String what) {
        for (int i = 0; i < n; i++) {
            assertEquals(want[i], got[i], abs + rel * Math.abs(want[i]), what + " element " + i);
        }
    }

    private static void assertExact(float[] want, float[] got, int n, String what) {
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                    what + " element " + i + ": " + want[i] + " vs " + got[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 1000})
    void sampling(int rows) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        int d = 10;
        FMatrixRMaj params = matrix(rows, 2 * d, -3f, 2f, rows);
        FMatrixRMaj eps = matrix(rows, d, -2f, 2f, rows + 1L);
        for (Posterior p : Posterior.values()) {
            FMatrixRMaj want = new FMatrixRMaj(rows, d);
            FMatrixRMaj got = new FMatrixRMaj(rows, d);
            scalar.reparameterize(params, eps, p, want);
            cl.reparameterize(params, eps, p, got);
            assertClose(want.data, got.data, rows * d, 1e-6, 1e-6, "reparameterize " + p);
        }
        FMatrixRMaj dz = matrix(rows, d, -1f, 1f, rows + 2L);
        FMatrixRMaj want = matrix(rows, 2 * d, 0f, 1f, 9);
        FMatrixRMaj got = want.copy();
        scalar.reparameterizeBackward(params, eps, dz, 0.7f, want);
        cl.reparameterizeBackward(params, eps, dz, 0.7f, got);
        assertClose(want.data, got.data, rows * 2 * d, 1e-5, 1e-6, "reparameterizeBackward");
        float[] kw = new float[rows];
        float[] kg = new float[rows];
        scalar.normalKl(params, kw);
        cl.normalKl(params, kg);
        assertClose(kw, kg, rows, 1e-5, 1e-5, "normalKl");

        FMatrixRMaj lib = matrix(rows, 2, -2f, 2f, rows + 3L);
        float[] leps = uniform(rows, -2f, 2f, rows + 4L);
        float[] pm = uniform(rows, 5f, 8f, rows + 5L);
        float[] pv = uniform(rows, 0.2f, 2f, rows + 6L);
        for (Posterior p : Posterior.values()) {
            float[] lw = new float[rows];
            float[] lg = new float[rows];
            scalar.libraryReparameterize(lib, leps, 1e-4f, p, lw);
            cl.libraryReparameterize(lib, leps, 1e-4f, p, lg);
            assertClose(lw, lg, rows, 1e-6, 1e-6, "libraryReparameterize " + p);
        }
        float[] dEll = uniform(rows, -1f, 1f, rows + 7L);
        FMatrixRMaj dw = new FMatrixRMaj(rows, 2);
        FMatrixRMaj dg = new FMatrixRMaj(rows, 2);
        scalar.libraryBackward(lib, leps, dEll, 0.5f, pm, pv, 1e-4f, dw);
        cl.libraryBackward(lib, leps, dEll, 0.5f, pm, pv, 1e-4f, dg);
        assertClose(dw.data, dg.data, 2 * rows, 1e-5, 1e-6, "libraryBackward");
        scalar.libraryKl(lib, pm, pv, 1e-4f, kw);
        cl.libraryKl(lib, pm, pv, 1e-4f, kg);
        assertClose(kw, kg, rows, 1e-5, 1e-5, "libraryKl");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 1000})
    void gathersAndScatters(int genes) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        int rows = 5;
        int panel = Math.max(1, genes / 3);
        int[] columns = new int[panel];
        for (int j = 0; j < panel; j++) {
            columns[j] = (j * 7 + 2) % genes; // spread over the genes, out of order; repeats dropped below
        }
        columns = distinct(columns, genes);
        panel = columns.length;
        FMatrixRMaj src = matrix(rows, genes, -2f, 2f, genes);
        FMatrixRMaj w = new FMatrixRMaj(rows, panel);
        FMatrixRMaj g = new FMatrixRMaj(rows, panel);
        scalar.gatherColumns(TensorView.of(src), columns, w);
        cl.gatherColumns(TensorView.of(src), columns, g);
        assertExact(w.data, g.data, rows * panel, "gatherColumns");

        FMatrixRMaj small = matrix(rows, panel, -1f, 1f, genes + 1L);
        FMatrixRMaj tw = src.copy();
        FMatrixRMaj tg = src.copy();
        scalar.scatterAddColumns(small, columns, TensorView.of(tw));
        cl.scatterAddColumns(small, columns, TensorView.of(tg));
        assertExact(tw.data, tg.data, rows * genes, "scatterAddColumns");

        // a per-batch table (genes × 3) and cells in batches 0..2, repeated rows in the index
        FMatrixRMaj table = matrix(genes, 3, -1f, 1f, genes + 2L);
        int[] batch = {2, 0, 2, 1, 0};
        float[] ew = new float[rows];
        float[] eg = new float[rows];
        int[] geneRows = {0, genes - 1, genes / 2, 0, genes - 1};
        scalar.gatherExp(TensorView.of(table), 1, geneRows, ew, rows);
        cl.gatherExp(TensorView.of(table), 1, geneRows, eg, rows);
        assertClose(ew, eg, rows, 1e-6, 0, "gatherExp");
        FMatrixRMaj gw = table.copy();
        FMatrixRMaj gg = table.copy();
        scalar.scatterAddScaledByGroup(-0.3f, small, columns, batch, TensorView.of(gw));
        cl.scatterAddScaledByGroup(-0.3f, small, columns, batch, TensorView.of(gg));
        assertClose(gw.data, gg.data, genes * 3, 1e-6, 1e-6, "scatterAddScaledByGroup");
        scalar.scatterAddScaledByGroup(0.5f, small, columns, null, TensorView.of(gw));
        cl.scatterAddScaledByGroup(0.5f, small, columns, null, TensorView.of(gg));
        assertClose(gw.data, gg.data, genes * 3, 1e-6, 1e-6, "scatterAddScaledByGroup, one group");

        // batch embeddings: rows of a table added by index, and the gradient scattered back (repeats add up)
        FMatrixRMaj emb = matrix(3, genes, -1f, 1f, genes + 3L);
        FMatrixRMaj yw = src.copy();
        FMatrixRMaj yg = src.copy();
        scalar.addIndexedRows(TensorView.of(emb), batch, yw);
        cl.addIndexedRows(TensorView.of(emb), batch, yg);
        assertExact(yw.data, yg.data, rows * genes, "addIndexedRows");
        FMatrixRMaj ew2 = emb.copy();
        FMatrixRMaj eg2 = emb.copy();
        scalar.scatterAddIndexedRows(src, batch, TensorView.of(ew2));
        cl.scatterAddIndexedRows(src, batch, TensorView.of(eg2));
        assertExact(ew2.data, eg2.data, 3 * genes, "scatterAddIndexedRows");
    }

    private static int[] distinct(int[] c, int genes) {
        boolean[] seen = new boolean[genes];
        int k = 0;
        int[] out = new int[c.length];
        for (int v : c) {
            if (!seen[v]) {
                seen[v] = true;
                out[k++] = v;
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 1000})
    void rowFormsAndSmallElementwise(int cols) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        int rows = 7;
        FMatrixRMaj p = matrix(rows, cols, 0.01f, 1f, cols);
        FMatrixRMaj g = matrix(rows, cols, -1f, 1f, cols + 1L);
        float[] dw = new float[rows];
        float[] dg = new float[rows];
        FMatrixRMaj ow = new FMatrixRMaj(rows, cols);
        FMatrixRMaj og = new FMatrixRMaj(rows, cols);
        scalar.softmaxLibraryBackward(p, g, 0.25f, dw, ow);
        cl.softmaxLibraryBackward(p, g, 0.25f, dg, og);
        // dℓ is a row sum: the device's tree against the CPU's left-to-right order
        assertClose(dw, dg, rows, 1e-5, 1e-6 * Math.sqrt(cols), "softmaxLibraryBackward dℓ");
        assertClose(ow.data, og.data, rows * cols, 1e-6, 1e-6 * Math.sqrt(cols), "softmaxLibraryBackward logits (p·dℓ)");

        int[] some = cols == 1 ? new int[]{0} : new int[]{cols - 1, 0, cols / 2};
        FMatrixRMaj rw = p.copy();
        FMatrixRMaj rg = p.copy();
        scalar.renormaliseRows(rw, some);
        cl.renormaliseRows(rg, some);
        assertClose(rw.data, rg.data, rows * cols, 1e-6, 0, "renormaliseRows");

        float[] v = uniform(rows, -2f, 2f, cols + 2L);
        scalar.scaleRows(g, v, ow);
        cl.scaleRows(g, v, og);
        assertExact(ow.data, og.data, rows * cols, "scaleRows");

        int n = rows * cols;
        float[] x = uniform(n, -5f, 5f, cols + 3L);
        float[] yw = uniform(n, -1f, 1f, cols + 4L);
        float[] yg = yw.clone();
        scalar.decayAdd(0.9f, x, yw, n);
        cl.decayAdd(0.9f, x, yg, n);
        assertClose(yw, yg, n, 1e-6, 1e-7, "decayAdd");
        scalar.scale(-1.5f, x, yw, n);
        cl.scale(-1.5f, x, yg, n);
        assertExact(yw, yg, n, "scale into");
        float[] lane = x.clone();
        float[] laneG = x.clone();
        scalar.addAndZero(lane, yw, n);
        cl.addAndZero(laneG, yg, n);
        assertExact(yw, yg, n, "addAndZero sum");
        assertExact(lane, laneG, n, "addAndZero lane");
        scalar.fastExp(x, yw, n);
        cl.fastExp(x, yg, n);
        assertClose(yw, yg, n, 1e-6, 0, "fastExp");
        float[] pos = uniform(n, 1e-3f, 50f, cols + 5L);
        scalar.fastLog(pos, yw, n);
        cl.fastLog(pos, yg, n);
        assertClose(yw, yg, n, 1e-6, 1e-6, "fastLog");
        scalar.expDouble(x, 1, yw, n - 1);
        cl.expDouble(x, 1, yg, n - 1);
        assertClose(yw, yg, n - 1, 1e-6, 0, "expDouble at an offset");
        scalar.copy(x, 0, yw, 0, n);
        cl.copy(x, 0, yg, 0, n);
        assertExact(yw, yg, n, "copy");
        scalar.fill(0.25f, yw, 1, n - 1);
        cl.fill(0.25f, yg, 1, n - 1);
        assertExact(yw, yg, n, "fill at an offset");

        float[] mask = new float[n];
        float[] maskG = new float[n];
        scalar.dropoutMask(0xDEAD_BEEF_1234L + cols, 0.1f, mask, n);
        cl.dropoutMask(0xDEAD_BEEF_1234L + cols, 0.1f, maskG, n);
        assertExact(mask, maskG, n, "dropoutMask");

        // a layer's ReLU and dropout fused into one launch: the same bits as relu then mul
        float[] hw = x.clone();
        float[] hg = x.clone();
        scalar.reluDropout(hw, mask, yw, n);
        cl.reluDropout(hg, mask, yg, n);
        assertExact(hw, hg, n, "reluDropout's ReLU in place");
        assertExact(yw, yg, n, "reluDropout");
        float[] dyw = uniform(n, -1f, 1f, cols + 6L);
        float[] dyg = dyw.clone();
        float[] dxw = new float[n];
        float[] dxg = new float[n];
        scalar.dropoutReluBackward(mask, hw, dyw, dxw, n);
        cl.dropoutReluBackward(mask, hg, dyg, dxg, n);
        assertExact(dxw, dxg, n, "dropoutReluBackward");
        scalar.dropoutReluBackward(mask, hw, dyw, dyw, n);
        cl.dropoutReluBackward(mask, hg, dyg, dyg, n);
        assertExact(dyw, dyg, n, "dropoutReluBackward, dx = dy");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129, 1000})
    void gaussianLikelihood(int cols) {
        ComputeBackend cl = OpenClTestDevice.transferring();
        int rows = 4;
        int n = rows * cols;
        float[] x = uniform(n, -3f, 3f, cols);
        float[] mu = uniform(n, -3f, 3f, cols + 1L);
        float[] var = uniform(cols, 0.1f, 4f, cols + 2L);
        float[][] w = {new float[n], new float[n], new float[n]};
        float[][] g = {new float[n], new float[n], new float[n]};
        scalar.gaussian(rows, cols, 0, x, mu, var, w[0], w[1], w[2]);
        cl.gaussian(rows, cols, 0, x, mu, var, g[0], g[1], g[2]);
        assertClose(w[0], g[0], n, 1e-5, 1e-5, "gaussian log-likelihood");
        assertClose(w[1], g[1], n, 1e-5, 1e-5, "gaussian μ gradient");
        assertClose(w[2], g[2], n, 1e-5, 1e-5, "gaussian variance gradient");
    }
}
