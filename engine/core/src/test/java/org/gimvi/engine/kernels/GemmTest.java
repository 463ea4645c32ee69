package org.gimvi.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Accumulation;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.backend.Transpose;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SIMD GEMM is held to exact equality with the scalar definition, in every form. */
class GemmTest {
    private static final int[] AWKWARD = {1, 3, 33, 127, 129};

    private static FMatrixRMaj random(int rows, int cols, Rng rng) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        rng.fillUniform(m.data, rows * cols, -1f, 1f);
        return m;
    }

    private static void assertBitsEqual(FMatrixRMaj want, FMatrixRMaj got, String what) {
        assertEquals(want.numRows, got.numRows);
        assertEquals(want.numCols, got.numCols);
        for (int i = 0; i < want.numRows * want.numCols; i++) {
            assertEquals(Float.floatToIntBits(want.data[i]), Float.floatToIntBits(got.data[i]),
                    what + ": element " + i + " differs: " + want.data[i] + " vs " + got.data[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void allFormsMatchScalarExactly(int m) {
        Rng rng = new Rng(42 + m);
        ScalarBackend scalar = new ScalarBackend();
        SimdBackend simd = new SimdBackend(null);
        for (int n : AWKWARD) {
            for (int k : AWKWARD) {
                FMatrixRMaj a = random(m, k, rng);
                FMatrixRMaj at = random(k, m, rng);
                FMatrixRMaj b = random(k, n, rng);
                FMatrixRMaj bt = random(n, k, rng);
                float[] bias = new float[n];
                rng.fillUniform(bias, n, -1f, 1f);
                FMatrixRMaj c0 = random(m, n, rng);
                for (int form = 0; form < 4; form++) {
                    Transpose ta = (form & 1) != 0 ? Transpose.TRANSPOSED : Transpose.NONE;
                    Transpose tb = (form & 2) != 0 ? Transpose.TRANSPOSED : Transpose.NONE;
                    FMatrixRMaj aa = ta == Transpose.TRANSPOSED ? at : a;
                    FMatrixRMaj bb = tb == Transpose.TRANSPOSED ? bt : b;
                    String what = "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb;
                    FMatrixRMaj want = new FMatrixRMaj(m, n);
                    FMatrixRMaj got = new FMatrixRMaj(m, n);
                    scalar.gemm(ta, tb, aa, bb, want, null, Accumulation.OVERWRITE);
                    simd.gemm(ta, tb, aa, bb, got, null, Accumulation.OVERWRITE);
                    assertBitsEqual(want, got, what);
                    scalar.gemm(ta, tb, aa, bb, want, bias, Accumulation.OVERWRITE);
                    simd.gemm(ta, tb, aa, bb, got, bias, Accumulation.OVERWRITE);
                    assertBitsEqual(want, got, what + " bias");
                    want.setTo(c0);
                    got.setTo(c0);
                    scalar.gemm(ta, tb, aa, bb, want, null, Accumulation.ADD);
                    simd.gemm(ta, tb, aa, bb, got, null, Accumulation.ADD);
                    assertBitsEqual(want, got, what + " accumulate");
                }
            }
        }
    }

    /**
     * Every form (Aᵀ or not, Bᵀ or not) of an m×n×k product, with a bias and accumulating onto a
     * random C, on each SIMD backend, bit for bit against the scalar definition.
     */
    private static void assertEveryFormMatchesScalar(int m, int n, int k, Rng rng, String where, SimdBackend... simds) {
        ScalarBackend scalar = new ScalarBackend();
        for (int form = 0; form < 4; form++) {
            Transpose ta = (form & 1) != 0 ? Transpose.TRANSPOSED : Transpose.NONE;
            Transpose tb = (form & 2) != 0 ? Transpose.TRANSPOSED : Transpose.NONE;
            FMatrixRMaj aa = ta == Transpose.TRANSPOSED ? random(k, m, rng) : random(m, k, rng);
            FMatrixRMaj bb = tb == Transpose.TRANSPOSED ? random(n, k, rng) : random(k, n, rng);
            float[] bias = new float[n];
            rng.fillUniform(bias, n, -1f, 1f);
            FMatrixRMaj c0 = random(m, n, rng);
            String what = where + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb;
            FMatrixRMaj want = new FMatrixRMaj(m, n);
            scalar.gemm(ta, tb, aa, bb, want, bias, Accumulation.OVERWRITE);
            FMatrixRMaj wantAcc = c0.copy();
            scalar.gemm(ta, tb, aa, bb, wantAcc, null, Accumulation.ADD);
            for (int s = 0; s < simds.length; s++) {
                FMatrixRMaj got = new FMatrixRMaj(m, n);
                simds[s].gemm(ta, tb, aa, bb, got, bias, Accumulation.OVERWRITE);
                assertBitsEqual(want, got, what + " bias, backend " + s);
                got.setTo(c0);
                simds[s].gemm(ta, tb, aa, bb, got, null, Accumulation.ADD);
                assertBitsEqual(wantAcc, got, what + " accumulate, backend " + s);
            }
        }
    }

    /** Inner dimensions past one k-block of SimdGemm (stored and reloaded accumulators between blocks). */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 129})
    void blocksOfTheInnerDimensionMatchScalarExactly(int m) {
        Rng rng = new Rng(91 + m);
        WorkerPool pool = new WorkerPool(3);
        try {
            int kb = SimdGemm.K_BLOCK;
            for (int n : new int[]{1, 33, 129}) {
                for (int k : new int[]{kb - 1, kb, kb + 1, 2 * kb + 3, 5 * kb + 127}) {
                    assertEveryFormMatchesScalar(m, n, k, rng, "no pool / pool of 3:", new SimdBackend(null),
                            new SimdBackend(pool));
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /** C of at most 32 rows is split over the pool by column blocks: still the scalar bits, any pool. */
    @Test
    void shortWideProductsSplitByColumnsMatchScalarExactly() {
        Rng rng = new Rng(17);
        for (int threads : new int[]{2, 3}) {
            WorkerPool pool = new WorkerPool(threads);
            try {
                SimdBackend simd = new SimdBackend(pool);
                for (int m : new int[]{1, 3, 10, 32}) {
                    for (int n : new int[]{129, 1030, 2150}) {
                        for (int k : new int[]{33, 300}) {
                            assertEveryFormMatchesScalar(m, n, k, rng, threads + " threads:", simd);
                        }
                    }
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void scalarDefinitionAgreesWithDoubleProduct() {
        Rng rng = new Rng(7);
        FMatrixRMaj a = random(5, 7, rng);
        FMatrixRMaj b = random(7, 4, rng);
        FMatrixRMaj c = new FMatrixRMaj(5, 4);
        new ScalarBackend().mult(a, b, c);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int p = 0; p < 7; p++) {
                    s += (double) a.get(i, p) * b.get(p, j);
                }
                assertEquals(s, c.get(i, j), 1e-5);
            }
        }
    }

    @Test
    void resultIsIdenticalForAnyThreadCount() {
        Rng rng = new Rng(3);
        FMatrixRMaj a = random(517, 129, rng);
        FMatrixRMaj b = random(129, 301, rng);
        FMatrixRMaj single = new FMatrixRMaj(517, 301);
        new SimdBackend(null).mult(a, b, single);
        for (int threads : new int[]{2, 3, 8}) {
            WorkerPool pool = new WorkerPool(threads);
            try {
                FMatrixRMaj multi = new FMatrixRMaj(517, 301);
                SimdBackend backend = new SimdBackend(pool);
                for (int rep = 0; rep < 5; rep++) {
                    backend.mult(a, b, multi);
                    assertBitsEqual(single, multi, threads + " threads, repetition " + rep);
                    backend.multTransA(random(129, 517, new Rng(rep)), b, new FMatrixRMaj(517, 301));
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void shapeMismatchAndAliasingAreRejected() {
        SimdBackend simd = new SimdBackend(null);
        FMatrixRMaj a = new FMatrixRMaj(3, 4);
        assertThrows(IllegalArgumentException.class, () -> simd.mult(a, new FMatrixRMaj(5, 2), new FMatrixRMaj(3, 2)));
        assertThrows(IllegalArgumentException.class, () -> simd.mult(a, new FMatrixRMaj(4, 2), new FMatrixRMaj(3, 3)));
        FMatrixRMaj sq = new FMatrixRMaj(3, 3);
        assertThrows(IllegalArgumentException.class, () -> simd.mult(sq, new FMatrixRMaj(3, 3), sq));
    }

    @Test
    void transposeIsExact() {
        float[] src = new float[33 * 70];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        float[] dst = new float[src.length];
        Gemm.transpose(src, 33, 70, dst);
        for (int i = 0; i < 33; i++) {
            for (int j = 0; j < 70; j++) {
                assertEquals(src[i * 70 + j], dst[j * 33 + i]);
            }
        }
        float[] back = new float[src.length];
        Gemm.transpose(dst, 70, 33, back);
        assertArrayEquals(src, back);
    }
}
