package org.gimvi.engine.backend;

import static org.gimvi.engine.backend.BackendTestData.assertExact;
import static org.gimvi.engine.backend.BackendTestData.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wide decoder passes and the minibatch index split over the pool (ParallelRowPasses) give the
 * one-thread bits on 2 and 3 threads, for blocks just past the split threshold with awkward row counts and widths.
 */
class ParallelRowPassesTest {
    private static final WorkerPool TWO = new WorkerPool(2);
    private static final WorkerPool THREE = new WorkerPool(3);
    private final SimdBackend one = new SimdBackend(null);

    @AfterAll
    static void stopPools() {
        TWO.shutdown();
        THREE.shutdown();
    }

    @ParameterizedTest
    @ValueSource(ints = {67, 128, 129})
    void splitPassesEqualOneThread(int rows) {
        int cols = ParallelRowPasses.MIN_ELEMENTS / rows + 3; // just past the threshold, never a whole vector
        int n = rows * cols;
        assertTrue(ParallelRowPasses.worthSplitting(TWO, rows, n));
        FMatrixRMaj logits = matrix(rows, cols, -30f, 30f, rows);
        FMatrixRMaj g = matrix(rows, cols, -5f, 5f, rows + 1L);
        float[] ell = new float[rows];
        new Rng(rows + 2L).fillUniform(ell, rows, 0f, 9f);
        for (WorkerPool pool : new WorkerPool[]{TWO, THREE}) {
            SimdBackend split = new SimdBackend(pool);
            String on = " on " + pool.threads() + " threads, " + rows + " rows";
            for (boolean log : new boolean[]{true, false}) {
                FMatrixRMaj want = new FMatrixRMaj(rows, cols);
                FMatrixRMaj got = new FMatrixRMaj(rows, cols);
                if (log) {
                    one.rowLogSoftmax(logits, want);
                    split.rowLogSoftmax(logits, got);
                } else {
                    one.rowSoftmax(logits, want);
                    split.rowSoftmax(logits, got);
                }
                assertExact(want.data, got.data, n, (log ? "rowLogSoftmax" : "rowSoftmax") + on);
            }
            FMatrixRMaj logRho = new FMatrixRMaj(rows, cols);
            one.rowLogSoftmax(logits, logRho);
            FMatrixRMaj muWant = new FMatrixRMaj(rows, cols);
            FMatrixRMaj muGot = new FMatrixRMaj(rows, cols);
            one.addToRowsExp(logRho, ell, muWant);
            split.addToRowsExp(logRho, ell, muGot);
            assertExact(muWant.data, muGot.data, n, "addToRowsExp" + on);

            float[] pWant = new float[n + 5];
            float[] pGot = new float[n + 5];
            one.exp(logRho.data, pWant, n);
            split.exp(logRho.data, pGot, n);
            assertExact(pWant, pGot, n + 5, "exp" + on);

            FMatrixRMaj p = new FMatrixRMaj(rows, cols);
            System.arraycopy(pWant, 0, p.data, 0, n);
            float[] dEllWant = new float[rows];
            float[] dEllGot = new float[rows];
            FMatrixRMaj dWant = p.copy();
            FMatrixRMaj dGot = p.copy();
            one.softmaxLibraryBackward(dWant, g, 0.3f, dEllWant, dWant); // in place, as the model calls it
            split.softmaxLibraryBackward(dGot, g, 0.3f, dEllGot, dGot);
            assertExact(dEllWant, dEllGot, rows, "softmaxLibraryBackward dEll" + on);
            assertExact(dWant.data, dGot.data, n, "softmaxLibraryBackward" + on);

            FMatrixRMaj counts = matrix(rows, cols, 0f, 1f, rows + 3L); // ~10 % non-zero, rows ending in zeros
            for (int i = 0; i < n; i++) {
                counts.data[i] = counts.data[i] < 0.9f ? 0f : (float) Math.floor(counts.data[i] * 100 - 89);
            }
            NonZeroEntries nzWant = new NonZeroEntries(rows, cols);
            NonZeroEntries nzGot = new NonZeroEntries(rows, cols);
            one.indexNonZeros(counts, nzWant);
            split.indexNonZeros(counts, nzGot);
            int k = nzWant.count();
            assertEquals(k, nzGot.count(), "indexNonZeros count" + on);
            for (int r = 0; r <= rows; r++) {
                assertEquals(nzWant.rowStart()[r], nzGot.rowStart()[r], "indexNonZeros row start " + r + on);
            }
            for (int q = 0; q < k; q++) {
                assertEquals(nzWant.columns()[q], nzGot.columns()[q], "indexNonZeros column of entry " + q + on);
            }
            assertExact(nzWant.values(), nzGot.values(), k, "indexNonZeros values" + on);
        }
    }
}
