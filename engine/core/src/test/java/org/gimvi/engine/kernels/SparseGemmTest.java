package org.gimvi.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sparse-input products against the dense GEMM they replace: the scalar definitions equal
 * {@link Gemm#scalar} bit for bit (the skipped terms are exact zeros), and the SIMD backend's
 * kernels, single-threaded and split over a pool, equal the scalar backend's, on awkward sizes.
 */
class SparseGemmTest {
    private static final int[] SIZES = {1, 3, 33, 127, 129};

    /** rows × cols with about {@code density} of the entries non-zero (log1p of small counts, as an encoder sees). */
    private static FMatrixRMaj input(int rows, int cols, double density, long seed) {
        Rng rng = new Rng(seed);
        FMatrixRMaj x = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            x.data[i] = rng.nextFloat() < density ? (float) Math.log1p(1 + (int) (rng.nextFloat() * 20)) : 0f;
        }
        return x;
    }

    private static float[] uniform(int n, long seed) {
        float[] v = new float[n];
        new Rng(seed).fillUniform(v, n, -1f, 1f);
        return v;
    }

    @Test
    void indexListsEveryNonZeroInColumnOrder() {
        FMatrixRMaj x = new FMatrixRMaj(3, 4, true, 0, 1, 0, 2, 0, 0, 0, 0, 5, 6, 7, 8);
        NonZeroEntries nz = new NonZeroEntries(4, 4);
        nz.index(x);
        nz.indexColumns();
        assertEquals(3, nz.rows());
        assertEquals(6, nz.count());
        assertArrayEquals(new int[] {0, 2, 2, 6}, java.util.Arrays.copyOf(nz.rowStart(), 4));
        assertArrayEquals(new int[] {1, 3, 0, 1, 2, 3}, java.util.Arrays.copyOf(nz.columns(), 6));
        assertArrayEquals(new float[] {1, 2, 5, 6, 7, 8}, java.util.Arrays.copyOf(nz.values(), 6));
        assertEquals(0.5, nz.density(), 1e-12);
        assertArrayEquals(new int[] {0, 1, 3, 4, 6}, nz.columnStart(), "by column: where each column's rows start");
        assertArrayEquals(new int[] {2, 0, 2, 2, 0, 2}, java.util.Arrays.copyOf(nz.rowsByColumn(), 6));
        assertArrayEquals(new float[] {5, 1, 6, 7, 2, 8}, java.util.Arrays.copyOf(nz.valuesByColumn(), 6));
        assertThrows(IllegalArgumentException.class, () -> nz.index(new FMatrixRMaj(5, 4)));
        assertThrows(IllegalArgumentException.class, () -> nz.index(new FMatrixRMaj(2, 3)));
    }

    @Test
    void scalarDefinitionsEqualTheDenseProduct() {
        for (int rows : SIZES) {
            for (int cols : new int[] {1, 3, 33, 129}) {
                for (int n : new int[] {1, 3, 33, 64, 129}) {
                    for (double density : new double[] {0, 0.1, 0.6, 1}) {
                        FMatrixRMaj x = input(rows, cols, density, rows * 31L + cols * 7L + n);
                        NonZeroEntries nz = new NonZeroEntries(rows, cols);
                        nz.index(x);
                        nz.indexColumns();
                        float[] w = uniform(cols * n, 5);
                        float[] bias = uniform(n, 6);
                        float[] dense = new float[rows * n];
                        float[] sparse = new float[rows * n];
                        Gemm.scalar(rows, n, cols, x.data, 0, cols, 1, w, 0, n, dense, 0, n, bias, false);
                        SparseGemm.rowsScalar(0, rows, nz, w, 0, n, sparse, bias, 0);
                        String shape = rows + "×" + cols + "·" + n + " at " + density;
                        assertArrayEquals(dense, sparse, "forward " + shape);

                        float[] d = uniform(rows * n, 7);
                        float[] gDense = uniform(cols * n, 8);
                        float[] gSparse = gDense.clone();
                        Gemm.scalar(cols, n, rows, x.data, 0, 1, cols, d, 0, n, gDense, 0, n, null, true);
                        SparseGemm.transposedScalar(0, cols, nz, d, n, gSparse, 0);
                        assertArrayEquals(gDense, gSparse, "transposed " + shape);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void simdBackendEqualsTheScalarDenseProductBitForBit(int threads) {
        ComputeBackend scalar = new ScalarBackend();
        ComputeBackend simd = new SimdBackend(threads == 1 ? null : new WorkerPool(threads));
        for (int rows : SIZES) {
            for (int cols : new int[] {3, 33, 127, 1000}) {
                for (int n : new int[] {1, 3, 33, 64, 128, 129}) {
                    FMatrixRMaj x = input(rows, cols, 0.2, rows * 17L + cols + n);
                    NonZeroEntries nz = new NonZeroEntries(rows + 2, cols); // capacity above the rows used
                    nz.index(x);
                    nz.indexColumns();
                    // weights and gradients as views at odd offsets of a larger buffer, as in the parameter arena
                    float[] arena = uniform(5 + cols * n + n, 9);
                    TensorView w = new TensorView(arena, 5, cols, n);
                    TensorView bias = new TensorView(arena, 5 + cols * n, 1, n);
                    FMatrixRMaj expected = new FMatrixRMaj(rows, n);
                    FMatrixRMaj actual = new FMatrixRMaj(rows, n);
                    scalar.multBias(x, w, bias, expected);
                    simd.multBiasSparse(nz, w, bias, actual);
                    String shape = rows + "×" + cols + "·" + n + ", " + threads + " threads";
                    assertArrayEquals(expected.data, actual.data, "forward " + shape);

                    FMatrixRMaj d = new FMatrixRMaj(rows, n);
                    new Rng(10).fillUniform(d.data, rows * n, -1f, 1f);
                    float[] gExpected = uniform(3 + cols * n, 11);
                    float[] gActual = gExpected.clone();
                    scalar.multAddTransA(x, d, new TensorView(gExpected, 3, cols, n));
                    simd.multAddTransASparse(nz, d, new TensorView(gActual, 3, cols, n));
                    assertArrayEquals(gExpected, gActual, "transposed " + shape);
                }
            }
        }
    }

    @Test
    void operandsOfTheWrongShapeAreRefused() {
        NonZeroEntries nz = new NonZeroEntries(8, 5);
        nz.index(input(3, 5, 0.5, 2));
        nz.indexColumns();
        TensorView w = new TensorView(new float[5 * 2], 0, 5, 2);
        TensorView wrongWidth = new TensorView(new float[4 * 2], 0, 4, 2);
        TensorView b = new TensorView(new float[2], 0, 1, 2);
        for (ComputeBackend backend : new ComputeBackend[] {new ScalarBackend(), new SimdBackend(null)}) {
            assertThrows(IllegalArgumentException.class, () -> backend.multBiasSparse(nz, w, b, new FMatrixRMaj(4, 2)));
            assertThrows(IllegalArgumentException.class, () -> backend.multBiasSparse(nz, wrongWidth, b, new FMatrixRMaj(3, 2)));
            assertThrows(IllegalArgumentException.class,
                    () -> backend.multAddTransASparse(nz, new FMatrixRMaj(4, 2), new TensorView(new float[10], 0, 5, 2)));
            assertTrue(backend.prefersSparseInput());
        }
    }

    /**
     * A transform of the row-ordered values between the two steps (the model's log1p) reaches the
     * by-column order too.
     */
    @Test
    void valuesTransformedBeforeIndexingColumnsReachBothOrders() {
        FMatrixRMaj x = input(7, 9, 0.4, 3);
        NonZeroEntries nz = new NonZeroEntries(7, 9);
        nz.index(x);
        for (int q = 0; q < nz.count(); q++) {
            nz.values()[q] = (float) Math.log1p(nz.values()[q]);
        }
        nz.indexColumns();
        for (int p = 0; p < 9; p++) {
            for (int q = nz.columnStart()[p]; q < nz.columnStart()[p + 1]; q++) {
                int r = nz.rowsByColumn()[q];
                assertEquals((float) Math.log1p(x.data[r * 9 + p]), nz.valuesByColumn()[q]);
            }
        }
    }

    /** The count that decides the sparse path: ±0 are zeros, anything else (NaN too) is not; SIMD = scalar. */
    @Test
    void nonZeroCountsAgreeOnAwkwardSizes() {
        ComputeBackend scalar = new ScalarBackend();
        ComputeBackend simd = new SimdBackend(null);
        for (int n : new int[] {1, 3, 33, 127, 129, 1000}) {
            float[] x = new float[n];
            int expected = 0;
            for (int i = 0; i < n; i++) {
                x[i] = switch (i % 5) {
                    case 0 -> 0f;
                    case 1 -> -0f;
                    case 2 -> Float.NaN;
                    case 3 -> 1e-40f; // subnormal
                    default -> 3f;
                };
                expected += i % 5 >= 2 ? 1 : 0;
            }
            assertEquals(expected, scalar.countNonZeros(x, n), "scalar, n = " + n);
            assertEquals(expected, simd.countNonZeros(x, n), "simd, n = " + n);
        }
    }

    /**
     * The forward product's by-column walk (taken when the weights outgrow the cache) equals the row
     * walk's scalar definition on awkward sizes, over any split of C's columns; and through the SIMD
     * backend on a 20,000-gene input, where it is chosen, equals the dense scalar product.
     */
    @Test
    void theByColumnForwardWalkEqualsTheRowWalk() {
        for (int rows : SIZES) {
            for (int cols : new int[] {1, 3, 33, 129}) {
                for (int n : new int[] {1, 3, 33, 64, 129}) {
                    FloatMatrixInput in = new FloatMatrixInput(rows, cols, 0.3, rows * 13L + cols * 3L + n);
                    float[] w = uniform(2 + cols * n, 21);
                    float[] bias = uniform(1 + n, 22);
                    float[] expected = new float[rows * n];
                    SparseGemm.rowsScalar(0, rows, in.nz, w, 2, n, expected, bias, 1);
                    float[] actual = new float[rows * n];
                    SparseGemm.columnsSimd(0, n / 2, in.nz, w, 2, n, actual, bias, 1); // two column ranges
                    SparseGemm.columnsSimd(n / 2, n, in.nz, w, 2, n, actual, bias, 1);
                    assertArrayEquals(expected, actual, rows + "×" + cols + "·" + n);
                    float[] noBias = new float[rows * n];
                    float[] noBiasByColumn = new float[rows * n];
                    SparseGemm.rowsScalar(0, rows, in.nz, w, 2, n, noBias, null, 0);
                    SparseGemm.columnsSimd(0, n, in.nz, w, 2, n, noBiasByColumn, null, 0);
                    assertArrayEquals(noBias, noBiasByColumn, "no bias, " + rows + "×" + cols + "·" + n);
                }
            }
        }
        int rows = 33;
        int cols = 20_000;
        int n = 64;
        assertTrue((long) cols * n > SparseGemm.BY_COLUMN_ABOVE, "on one thread the backend takes the by-column walk here (on two, the row walk)");
        FloatMatrixInput in = new FloatMatrixInput(rows, cols, 0.1, 5);
        float[] arena = uniform(cols * n + n, 23);
        TensorView w = new TensorView(arena, 0, cols, n);
        TensorView b = new TensorView(arena, cols * n, 1, n);
        FMatrixRMaj expected = new FMatrixRMaj(rows, n);
        new ScalarBackend().multBias(in.x, w, b, expected);
        for (int threads : new int[] {1, 2}) {
            FMatrixRMaj actual = new FMatrixRMaj(rows, n);
            new SimdBackend(threads == 1 ? null : new WorkerPool(threads)).multBiasSparse(in.nz, w, b, actual);
            assertArrayEquals(expected.data, actual.data, "20,000 genes, " + threads + " threads");
        }
    }

    /** A random input and its non-zero entries in both orders. */
    private static final class FloatMatrixInput {
        final FMatrixRMaj x;
        final NonZeroEntries nz;

        FloatMatrixInput(int rows, int cols, double density, long seed) {
            x = input(rows, cols, density, seed);
            nz = new NonZeroEntries(rows, cols);
            nz.index(x);
            nz.indexColumns();
        }
    }
}
