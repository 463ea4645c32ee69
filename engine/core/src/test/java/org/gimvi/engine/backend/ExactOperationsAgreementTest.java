package org.gimvi.engine.backend;

import static org.gimvi.engine.backend.BackendTestData.assertExact;
import static org.gimvi.engine.backend.BackendTestData.matrix;
import static org.gimvi.engine.backend.BackendTestData.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.kernels.FastMath;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact operations of {@link ComputeBackend} (the ones the model's own loops moved into): the
 * SIMD backend must return the scalar definition's bits on the awkward sizes, and each must equal
 * the model loop it replaced, written out here once more.
 */
class ExactOperationsAgreementTest {
    private final ScalarBackend scalar = new ScalarBackend();
    private final SimdBackend simd = new SimdBackend(null);

    private static int[] indices(int n, int bound, long seed) {
        Rng rng = new Rng(seed);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = (int) (rng.nextDouble() * bound);
        }
        return idx;
    }

    /** A permutation prefix: distinct column indices, as a dataset's gene mapping is. */
    private static int[] distinct(int n, int bound, long seed) {
        int[] all = new int[bound];
        for (int i = 0; i < bound; i++) {
            all[i] = i;
        }
        Rng rng = new Rng(seed);
        for (int i = bound - 1; i > 0; i--) {
            int j = (int) (rng.nextDouble() * (i + 1));
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void elementwise(int n) {
        float[] x = uniform(n, -80f, 80f, n);
        float[] pos = uniform(n, 1e-30f, 1e6f, n + 1);
        float[] y = uniform(n, -3f, 3f, n + 2);
        float[] a = new float[n];
        float[] b = new float[n];
        scalar.fastExp(x, a, n);
        simd.fastExp(x, b, n);
        assertExact(a, b, n, "fastExp");
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(FastMath.exp(x[i])), Float.floatToIntBits(a[i]), "fastExp is FastMath.exp");
        }
        scalar.fastLog(pos, a, n);
        simd.fastLog(pos, b, n);
        assertExact(a, b, n, "fastLog");
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(FastMath.log(pos[i])), Float.floatToIntBits(a[i]), "fastLog is FastMath.log");
        }
        scalar.scale(-0.37f, y, a, n);
        simd.scale(-0.37f, y, b, n);
        assertExact(a, b, n, "scale");
        float[] ya = y.clone();
        float[] yb = y.clone();
        scalar.decayAdd(0.99f, x, ya, n);
        simd.decayAdd(0.99f, x, yb, n);
        assertExact(ya, yb, n, "decayAdd");
        simd.copy(x, b, n);
        assertExact(x, b, n, "copy");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void rowOperations(int cols) {
        for (int rows : new int[]{1, 3, 33}) {
            FMatrixRMaj x = matrix(rows, cols, 0.01f, 1f, rows * 100L + cols);
            float[] v = uniform(rows, -2f, 2f, cols);
            FMatrixRMaj ys = new FMatrixRMaj(rows, cols);
            FMatrixRMaj yv = new FMatrixRMaj(rows, cols);
            scalar.scaleRows(x, v, ys);
            simd.scaleRows(x, v, yv);
            assertExact(ys.data, yv.data, rows * cols, "scaleRows");

            int[] columns = distinct(Math.max(1, cols / 3), cols, cols);
            FMatrixRMaj rs = x.copy();
            FMatrixRMaj rv = x.copy();
            scalar.renormaliseRows(rs, columns);
            simd.renormaliseRows(rv, columns);
            assertExact(rs.data, rv.data, rows * cols, "renormaliseRows");
            // the decoder's loop it replaced
            FMatrixRMaj old = x.copy();
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int g : columns) {
                    s += old.data[i * cols + g];
                }
                float inv = (float) (1.0 / s);
                for (int g = 0; g < cols; g++) {
                    old.data[i * cols + g] *= inv;
                }
            }
            assertExact(old.data, rs.data, rows * cols, "renormaliseRows = decoder loop");

            int categories = 4;
            FMatrixRMaj table = matrix(categories, cols, -1f, 1f, 5);
            int[] index = indices(rows, categories, rows + cols);
            FMatrixRMaj as = x.copy();
            FMatrixRMaj av = x.copy();
            scalar.addIndexedRows(TensorView.of(table), index, as);
            simd.addIndexedRows(TensorView.of(table), index, av);
            assertExact(as.data, av.data, rows * cols, "addIndexedRows");
            FMatrixRMaj ts = table.copy();
            FMatrixRMaj tv = table.copy();
            scalar.scatterAddIndexedRows(x, index, TensorView.of(ts));
            simd.scatterAddIndexedRows(x, index, TensorView.of(tv));
            assertExact(ts.data, tv.data, categories * cols, "scatterAddIndexedRows");

            FMatrixRMaj gs = new FMatrixRMaj(rows, columns.length);
            FMatrixRMaj gv = new FMatrixRMaj(rows, columns.length);
            scalar.gatherColumns(TensorView.of(x), columns, gs);
            simd.gatherColumns(TensorView.of(x), columns, gv);
            assertExact(gs.data, gv.data, rows * columns.length, "gatherColumns");
            FMatrixRMaj ss = x.copy();
            FMatrixRMaj sv = x.copy();
            scalar.scatterAddColumns(gs, columns, TensorView.of(ss));
            simd.scatterAddColumns(gs, columns, TensorView.of(sv));
            assertExact(ss.data, sv.data, rows * cols, "scatterAddColumns");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void dispersion(int genes) {
        int batches = 3;
        FMatrixRMaj r = matrix(genes, batches, -4f, 4f, genes);
        int[] map = distinct(Math.max(1, genes - 1), genes, genes + 1);
        int c = map.length;
        for (int s = 0; s < batches; s++) {
            float[] ts = new float[c];
            float[] tv = new float[c];
            scalar.gatherExp(TensorView.of(r), s, map, ts, c);
            simd.gatherExp(TensorView.of(r), s, map, tv, c);
            assertExact(ts, tv, c, "gatherExp");
            for (int j = 0; j < c; j++) {
                assertEquals(Float.floatToIntBits(FastMath.exp(r.data[map[j] * batches + s])), Float.floatToIntBits(ts[j]));
            }
        }
        int rows = 7;
        FMatrixRMaj g = matrix(rows, c, -1f, 1f, 3);
        int[] batch = indices(rows, batches, 4);
        FMatrixRMaj gs = new FMatrixRMaj(genes, batches);
        FMatrixRMaj gv = new FMatrixRMaj(genes, batches);
        scalar.scatterAddScaledByGroup(-0.5f, g, map, batch, TensorView.of(gs));
        simd.scatterAddScaledByGroup(-0.5f, g, map, batch, TensorView.of(gv));
        assertExact(gs.data, gv.data, genes * batches, "scatterAddScaledByGroup");
        FMatrixRMaj one = new FMatrixRMaj(genes, 1);
        simd.scatterAddScaledByGroup(-0.5f, g, map, null, TensorView.of(one));
        float[] want = new float[genes];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < c; j++) {
                want[map[j]] += -0.5f * g.data[i * c + j];
            }
        }
        assertExact(want, one.data, genes, "one dispersion column");
    }

    /**
     * The dispersion gradient as the model calls it: a reference's genes (one contiguous run of the
     * model's, from 0 or further on) or a panel's scattered distinct genes, one dispersion column or
     * one per batch, rows in batch order (long runs of one group, as a dataset's minibatch is) or
     * unordered (runs of one row). Every case against the scalar definition's bits.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void dispersionGradientByGeneRunsAndBatchRuns(int cols) {
        for (int first : new int[]{0, 5, -1}) {
            int genes = Math.max(first, 0) + cols + 2;
            int[] map = first < 0 ? distinct(cols, genes, cols) : new int[cols];
            for (int j = 0; first >= 0 && j < cols; j++) {
                map[j] = first + j;
            }
            for (int rows : new int[]{1, 3, 33}) {
                FMatrixRMaj g = matrix(rows, cols, -1f, 1f, cols * 17L + rows);
                for (int dc : new int[]{1, 3}) {
                    for (boolean sorted : new boolean[]{true, false}) {
                        int[] group = dc == 1 ? null : indices(rows, dc, rows);
                        if (sorted && group != null) {
                            java.util.Arrays.sort(group);
                        }
                        FMatrixRMaj ts = matrix(genes, dc, -2f, 2f, 9);
                        FMatrixRMaj tv = ts.copy();
                        scalar.scatterAddScaledByGroup(-0.37f, g, map, group, TensorView.of(ts));
                        simd.scatterAddScaledByGroup(-0.37f, g, map, group, TensorView.of(tv));
                        assertExact(ts.data, tv.data, genes * dc, "scatterAddScaledByGroup, "
                                + (first < 0 ? "scattered genes" : "genes from " + first) + ", " + dc + " column(s), "
                                + rows + " rows" + (sorted ? " in batch order" : ""));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void softmaxLibraryBackward(int cols) {
        for (int rows : new int[]{1, 3, 8, 33}) {
            FMatrixRMaj p = matrix(rows, cols, 0f, 1f, cols * 3L + rows);
            FMatrixRMaj g = matrix(rows, cols, -50f, 50f, cols * 5L + rows);
            float[] es = new float[rows];
            float[] ev = new float[rows];
            FMatrixRMaj ds = new FMatrixRMaj(rows, cols);
            FMatrixRMaj dv = p.copy();
            scalar.softmaxLibraryBackward(p, g, 0.7f, es, ds);
            simd.softmaxLibraryBackward(dv, g, 0.7f, ev, dv); // aliasing p and dLogits, as the model does
            assertExact(es, ev, rows, "dEll");
            assertExact(ds.data, dv.data, rows * cols, "dLogits");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void latentPosterior(int latent) {
        for (int rows : new int[]{1, 3, 33}) {
            FMatrixRMaj params = matrix(rows, 2 * latent, -3f, 3f, latent * 7L + rows);
            FMatrixRMaj eps = matrix(rows, latent, -2f, 2f, latent * 11L + rows);
            FMatrixRMaj dz = matrix(rows, latent, -1f, 1f, latent * 13L + rows);
            for (Posterior posterior : Posterior.values()) {
                FMatrixRMaj zs = new FMatrixRMaj(rows, latent);
                FMatrixRMaj zv = new FMatrixRMaj(rows, latent);
                scalar.reparameterize(params, eps, posterior, zs);
                simd.reparameterize(params, eps, posterior, zv);
                assertExact(zs.data, zv.data, rows * latent, "reparameterize " + posterior);
                if (posterior == Posterior.MEAN) { // the mean columns, whatever eps holds
                    for (int i = 0; i < rows * latent; i++) {
                        assertEquals(params.data[(i / latent) * 2 * latent + i % latent], zs.data[i], "z = mean at " + i);
                    }
                }
            }
            FMatrixRMaj ps = new FMatrixRMaj(rows, 2 * latent);
            FMatrixRMaj pv = new FMatrixRMaj(rows, 2 * latent);
            scalar.reparameterizeBackward(params, eps, dz, 0.3f, ps);
            simd.reparameterizeBackward(params, eps, dz, 0.3f, pv);
            assertExact(ps.data, pv.data, rows * 2 * latent, "reparameterizeBackward");
            float[] ks = new float[rows];
            float[] kv = new float[rows];
            scalar.normalKl(params, ks);
            simd.normalKl(params, kv);
            assertExact(ks, kv, rows, "normalKl");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void libraryPosteriorAndElbo(int rows) {
        FMatrixRMaj params = matrix(rows, 2, -3f, 3f, rows);
        float[] eps = uniform(rows, -2f, 2f, rows + 1);
        float[] dEll = uniform(rows, -5f, 5f, rows + 2);
        float[] pm = uniform(rows, 5f, 9f, rows + 3);
        float[] pv = uniform(rows, 0.1f, 2f, rows + 4);
        for (Posterior posterior : Posterior.values()) {
            float[] ls = new float[rows];
            float[] lv = new float[rows];
            scalar.libraryReparameterize(params, eps, 1e-4f, posterior, ls);
            simd.libraryReparameterize(params, eps, 1e-4f, posterior, lv);
            assertExact(ls, lv, rows, "libraryReparameterize " + posterior);
            if (posterior == Posterior.MEAN) {
                for (int i = 0; i < rows; i++) {
                    assertEquals(params.data[2 * i], ls[i], "ℓ = mean at " + i);
                }
            }
        }
        FMatrixRMaj ds = new FMatrixRMaj(rows, 2);
        FMatrixRMaj dv = new FMatrixRMaj(rows, 2);
        scalar.libraryBackward(params, eps, dEll, 0.4f, pm, pv, 1e-4f, ds);
        simd.libraryBackward(params, eps, dEll, 0.4f, pm, pv, 1e-4f, dv);
        assertExact(ds.data, dv.data, 2 * rows, "libraryBackward");
        float[] ks = new float[rows];
        float[] kv = new float[rows];
        scalar.libraryKl(params, pm, pv, 1e-4f, ks);
        simd.libraryKl(params, pm, pv, 1e-4f, kv);
        assertExact(ks, kv, rows, "libraryKl");

        float[] rec = uniform(rows, -900f, -1f, rows + 5);
        float[] recS = rec.clone();
        float[] recV = rec.clone();
        double[] sumS = new double[2];
        double[] sumV = new double[2];
        scalar.negativeElboSums(recS, ks, kv, rows, sumS);
        simd.negativeElboSums(recV, ks, kv, rows, sumV);
        assertExact(recS, recV, rows, "negated reconstruction");
        assertEquals(Double.doubleToLongBits(sumS[0]), Double.doubleToLongBits(sumV[0]), "Σ rec");
        assertEquals(Double.doubleToLongBits(sumS[1]), Double.doubleToLongBits(sumV[1]), "Σ KL");
        for (int i = 0; i < rows; i++) {
            assertEquals(-rec[i], recS[i]);
        }
    }

    /** A batch run computed in place at an offset gives the bits of the same block copied to index 0. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void likelihoodsAtAnOffset(int cols) {
        int before = 3;
        int rows = 5;
        int total = before + rows + 2;
        int n = total * cols;
        int off = before * cols;
        int len = rows * cols;
        Rng rng = new Rng(cols + 17);
        float[] x = new float[n];
        float[] mu = new float[n];
        float[] pi = new float[n];
        float[] theta = new float[cols];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextDouble() < 0.4 ? 0f : (float) Math.floor(Math.exp(rng.nextDouble() * 6));
            mu[i] = (float) Math.exp(rng.nextDouble() * 8 - 3);
            pi[i] = (float) (rng.nextGaussian() * 2);
        }
        for (int j = 0; j < cols; j++) {
            theta[j] = (float) Math.exp(rng.nextGaussian());
        }
        float[] xc = java.util.Arrays.copyOfRange(x, off, off + len);
        float[] mc = java.util.Arrays.copyOfRange(mu, off, off + len);
        float[] pc = java.util.Arrays.copyOfRange(pi, off, off + len);
        for (ComputeBackend b : new ComputeBackend[]{scalar, simd}) {
            float[][] at = new float[4][n];
            float[][] copied = new float[4][len];
            b.zeroInflatedNegBinomial(rows, cols, off, x, mu, theta, pi, at[0], at[1], at[2], at[3]);
            b.zeroInflatedNegBinomial(rows, cols, xc, mc, theta, pc, copied[0], copied[1], copied[2], copied[3]);
            for (int k = 0; k < 4; k++) {
                assertExact(copied[k], java.util.Arrays.copyOfRange(at[k], off, off + len), len, b.name() + " zinb " + k);
            }
            b.negBinomial(rows, cols, off, x, mu, theta, at[0], at[1], at[2]);
            b.negBinomial(rows, cols, xc, mc, theta, copied[0], copied[1], copied[2]);
            for (int k = 0; k < 3; k++) {
                assertExact(copied[k], java.util.Arrays.copyOfRange(at[k], off, off + len), len, b.name() + " nb " + k);
            }
            b.gaussian(rows, cols, off, x, mu, theta, at[0], at[1], at[2]);
            b.gaussian(rows, cols, xc, mc, theta, copied[0], copied[1], copied[2]);
            for (int k = 0; k < 3; k++) {
                assertExact(copied[k], java.util.Arrays.copyOfRange(at[k], off, off + len), len, b.name() + " gaussian " + k);
            }
            for (int e = 0; e < off; e++) {
                assertEquals(0f, at[0][e], "nothing written before the run");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void bufferMovesAndLaneFolding(int n) {
        float[] x = uniform(n + 5, -3f, 3f, n);
        for (ComputeBackend b : new ComputeBackend[]{scalar, simd}) {
            float[] y = uniform(n + 7, -1f, 1f, n + 1);
            float[] before = y.clone();
            b.fill(0.25f, y, 2, n);
            for (int i = 0; i < n + 7; i++) {
                float want = i >= 2 && i < n + 2 ? 0.25f : before[i];
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[i]), b.name() + " fill " + i);
            }
            b.copy(x, 5, y, 1, n);
            for (int i = 0; i < n + 7; i++) {
                float want = i >= 1 && i < n + 1 ? x[i + 4] : (i < n + 2 && i >= 2 ? 0.25f : before[i]);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[i]), b.name() + " copy " + i);
            }
        }
        // the lane fold equals Parameter's former loop (g += d, then d = 0) on both backends
        float[] lane = uniform(n, -2f, 2f, n + 3);
        float[] sum = uniform(n, -2f, 2f, n + 4);
        float[] old = sum.clone();
        for (int i = 0; i < n; i++) {
            old[i] += lane[i];
        }
        for (ComputeBackend b : new ComputeBackend[]{scalar, simd}) {
            float[] l = lane.clone();
            float[] s = sum.clone();
            b.addAndZero(l, s, n);
            assertExact(old, s, n, b.name() + " addAndZero sum");
            assertExact(new float[n], l, n, b.name() + " addAndZero lane");
        }
    }

    /**
     * Arena-sized Adam updates and lane folds, which the SIMD backend splits into blocks over its
     * pool: the same bits as the scalar backend on one thread, at sizes around the blocks' edges and
     * at a non-zero offset.
     */
    @ParameterizedTest
    @ValueSource(ints = {65_535, 65_536, 65_536 + 129, 200_003})
    void arenaSizedFillAdamAndLaneFoldSplitOverThreads(int n) {
        SimdBackend pooled = new SimdBackend(new org.gimvi.engine.parallel.WorkerPool(2));
        org.gimvi.engine.kernels.AdamUpdate.Coefficients c = new org.gimvi.engine.kernels.AdamUpdate.Coefficients()
                .set(0.9f, 0.999f, 1e-3f / 0.1f, (float) Math.sqrt(1 - 0.999), 0.01f, 1e-6f);
        int off = 7;
        float[] g = uniform(off + n, -1f, 1f, n + 1);
        float[][] s = {uniform(off + n, -1f, 1f, n), uniform(off + n, -0.1f, 0.1f, n + 2), uniform(off + n, 0f, 0.1f, n + 3)};
        float[][] v = {s[0].clone(), s[1].clone(), s[2].clone()};
        for (int step = 0; step < 2; step++) {
            scalar.adamUpdate(s[0], g, s[1], s[2], off, n, c);
            pooled.adamUpdate(v[0], g, v[1], v[2], off, n, c);
        }
        assertExact(s[0], v[0], off + n, "adam w");
        assertExact(s[1], v[1], off + n, "adam m");
        assertExact(s[2], v[2], off + n, "adam v");
        float[] lane = uniform(n, -2f, 2f, n + 5);
        float[] sum = uniform(n, -2f, 2f, n + 6);
        float[] laneS = lane.clone();
        float[] sumS = sum.clone();
        scalar.addAndZero(laneS, sumS, n);
        pooled.addAndZero(lane, sum, n);
        assertExact(sumS, sum, n, "addAndZero sum");
        assertExact(new float[n], lane, n, "addAndZero lane");
        // zeroing a gradient range at an offset: exactly that range, in blocks over the pool
        float[] grad = uniform(off + n + 5, -1f, 1f, n + 7);
        float[] want = grad.clone();
        java.util.Arrays.fill(want, off, off + n, 0f);
        pooled.fill(0f, grad, off, n);
        assertExact(want, grad, off + n + 5, "fill");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void adamAndDropoutMasks(int n) {
        org.gimvi.engine.kernels.AdamUpdate.Coefficients c = new org.gimvi.engine.kernels.AdamUpdate.Coefficients()
                .set(0.9f, 0.999f, 1e-3f / 0.1f, (float) Math.sqrt(1 - 0.999), 0.01f, 1e-6f);
        float[] w0 = uniform(n, -1f, 1f, n);
        float[] g = uniform(n, -1f, 1f, n + 1);
        float[] m0 = uniform(n, -0.1f, 0.1f, n + 2);
        float[] v0 = uniform(n, 0f, 0.1f, n + 3);
        float[][] s = {w0.clone(), m0.clone(), v0.clone()};
        float[][] v = {w0.clone(), m0.clone(), v0.clone()};
        for (int step = 0; step < 3; step++) {
            scalar.adamUpdate(s[0], g, s[1], s[2], n, c);
            simd.adamUpdate(v[0], g, v[1], v[2], n, c);
        }
        assertExact(s[0], v[0], n, "adam w");
        assertExact(s[1], v[1], n, "adam m");
        assertExact(s[2], v[2], n, "adam v");
        for (float p : new float[]{0.1f, 0.5f}) {
            float[] a = new float[n];
            float[] b = new float[n];
            scalar.dropoutMask(0x5EED_0000_0000_0001L + n, p, a, n);
            simd.dropoutMask(0x5EED_0000_0000_0001L + n, p, b, n);
            assertExact(a, b, n, "dropoutMask p=" + p);
            float[] viaRng = new float[n];
            new Rng(n).fillDropoutMask(viaRng, n, p);
            scalar.dropoutMask(new Rng(n).nextLong(), p, a, n);
            assertExact(viaRng, a, n, "dropoutMask = Rng.fillDropoutMask with the same draw");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void classifierLosses(int rows) {
        int classes = 3;
        FMatrixRMaj logits = matrix(rows, classes, -4f, 4f, rows);
        FMatrixRMaj logProb = new FMatrixRMaj(rows, classes);
        scalar.rowLogSoftmax(logits, logProb);
        int[] labels = indices(rows, classes, rows + 1);
        float scale = 0.7f / rows;
        for (float[] targets : new float[][]{{1f, 0f}, {0f, 0.5f}}) {
            // the classifier's former loop
            float[] want = new float[rows * classes];
            double wantLoss = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < classes; j++) {
                    float target = j == labels[i] ? targets[0] : targets[1];
                    float lp = logProb.data[i * classes + j];
                    wantLoss -= target * lp;
                    want[i * classes + j] = scale * (FastMath.exp(lp) - target);
                }
            }
            for (ComputeBackend b : new ComputeBackend[]{scalar, simd}) {
                FMatrixRMaj d = new FMatrixRMaj(rows, classes);
                double[] loss = new double[1];
                b.crossEntropyBackward(logProb, labels, targets[0], targets[1], scale, d, loss);
                assertExact(want, d.data, rows * classes, b.name() + " crossEntropyBackward");
                assertEquals(Double.doubleToLongBits(wantLoss), Double.doubleToLongBits(loss[0]), b.name() + " loss");
            }
        }
        FMatrixRMaj ties = new FMatrixRMaj(rows, classes);
        for (int i = 0; i < rows; i++) {
            ties.data[i * classes + (i % classes)] = 1f;
            ties.data[i * classes + ((i + 1) % classes)] = i % 2 == 0 ? 1f : 0.5f;
        }
        for (ComputeBackend b : new ComputeBackend[]{scalar, simd}) {
            int[] best = new int[rows];
            b.rowArgmax(ties, best);
            for (int i = 0; i < rows; i++) {
                int first = i % 2 == 0 ? Math.min(i % classes, (i + 1) % classes) : i % classes;
                assertEquals(first, best[i], b.name() + " rowArgmax row " + i);
            }
        }
    }
}
