package org.gimvi.engine.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Indexing by row ranges ({@code beginIndex} + {@code indexRows}, which threads may split) gives the
 * one-pass {@code index}'s entries, whatever the split, and no range writes into another's entries.
 */
class NonZeroEntriesTest {

    /** Mostly zeros, with a row of zeros, rows ending in zeros and in a non-zero, −0 and NaN. */
    private static FMatrixRMaj sparse(int rows, int cols, long seed) {
        FMatrixRMaj x = new FMatrixRMaj(rows, cols);
        Rng rng = new Rng(seed);
        for (int i = 0; i < rows * cols; i++) {
            double u = rng.nextDouble();
            x.data[i] = u < 0.85 ? 0f : (float) Math.floor(u * 40);
        }
        if (rows > 1) {
            Arrays.fill(x.data, cols, 2 * cols, 0f);  // an empty row
        }
        x.data[cols - 1] = 7f;                        // row 0 ends in a non-zero
        x.data[0] = -0f;
        if (rows > 2) {
            x.data[2 * cols + cols / 2] = Float.NaN;  // counts as non-zero, as nonZero says
            x.data[3 * cols - 1] = 0f;
        }
        return x;
    }

    private static int[] counts(FMatrixRMaj x) {
        int[] c = new int[x.numRows];
        for (int r = 0; r < x.numRows; r++) {
            for (int j = 0; j < x.numCols; j++) {
                c[r] += NonZeroEntries.nonZero(x.data[r * x.numCols + j]);
            }
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 127, 129})
    void rowRangesGiveTheOnePassEntries(int cols) {
        for (int rows : new int[]{1, 3, 33}) {
            FMatrixRMaj x = sparse(rows, cols, rows * 1000L + cols);
            NonZeroEntries want = new NonZeroEntries(rows, cols);
            want.index(x);
            for (int ranges : new int[]{1, 2, 3, rows}) {
                NonZeroEntries got = new NonZeroEntries(rows, cols);
                Arrays.fill(got.values(), -99f); // stale content must not survive into the entries
                got.beginIndex(x, counts(x));
                int per = (rows + ranges - 1) / ranges;
                for (int r0 = rows - 1 - (rows - 1) % per; r0 >= 0; r0 -= per) { // last range first
                    got.indexRows(x, r0, Math.min(rows, r0 + per));
                }
                String what = rows + " × " + cols + " in " + ranges + " ranges";
                int n = want.count();
                assertEquals(n, got.count(), what);
                assertArrayEquals(Arrays.copyOf(want.rowStart(), rows + 1), Arrays.copyOf(got.rowStart(), rows + 1), what);
                assertArrayEquals(Arrays.copyOf(want.columns(), n), Arrays.copyOf(got.columns(), n), what);
                for (int q = 0; q < n; q++) {
                    assertEquals(Float.floatToRawIntBits(want.values()[q]), Float.floatToRawIntBits(got.values()[q]),
                            what + ", entry " + q);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 33})
    void aWrongCountIsReported(int cols) {
        FMatrixRMaj x = sparse(3, cols, cols);
        Arrays.fill(x.data, 0, cols, 2f); // row 0: all non-zero
        for (int wrong : new int[]{cols - 1, cols + 1, 0}) {
            int[] c = counts(x);
            c[0] = wrong;
            NonZeroEntries e = new NonZeroEntries(3, cols);
            e.beginIndex(x, c);
            assertThrows(IllegalStateException.class, () -> e.indexRows(x, 0, 1), "row 0 counted " + wrong);
        }
    }
}
