package org.gimvi.benchmarks.streaming;

import java.util.Arrays;
import org.gimvi.engine.random.Rng;

/**
 * Cells of a large simulated scRNA-seq reference, one at a time, so a generator never holds more
 * than the row it is making: each cell has one of {@value #TYPES} types; it expresses about
 * {@code expressedPerCell} genes, half drawn from its type's markers (the first genes of a block of
 * the gene list) and half from all genes, with geometric counts (mean 2, markers mean 6). Cell i's
 * row depends only on the seed and i, so any slice can be regenerated.
 */
final class SparseReferenceSimulator {
    static final int TYPES = 10;

    private final int genes;
    private final int expressedPerCell;
    private final long seed;
    private final int[] scratch;

    SparseReferenceSimulator(int genes, int expressedPerCell, long seed) {
        if (expressedPerCell < 2 || expressedPerCell > genes) {
            throw new IllegalArgumentException("genes expressed per cell must be in [2, " + genes + "], got "
                    + expressedPerCell);
        }
        this.genes = genes;
        this.expressedPerCell = expressedPerCell;
        this.seed = seed;
        this.scratch = new int[expressedPerCell];
    }

    int genes() {
        return genes;
    }

    /** The type of cell i. */
    int type(long cell) {
        return new Rng(seed ^ (cell * 0x9E3779B97F4A7C15L)).nextInt(TYPES);
    }

    /**
     * Writes cell i's non-zeros (ascending genes) into {@code indices}/{@code values}; returns how
     * many.
     */
    int row(long cell, int[] indices, float[] values) {
        Rng rng = new Rng(seed ^ (cell * 0x9E3779B97F4A7C15L));
        int type = rng.nextInt(TYPES);
        int markerBlock = Math.max(1, genes / TYPES);
        int markers = Math.max(1, markerBlock / 4);
        for (int k = 0; k < expressedPerCell; k++) {
            scratch[k] = k % 2 == 0 ? type * markerBlock + rng.nextInt(markers) : rng.nextInt(genes);
        }
        Arrays.sort(scratch);
        int n = 0;
        for (int k = 0; k < expressedPerCell; k++) {
            if (n > 0 && indices[n - 1] == scratch[k]) {
                values[n - 1] += 1;
                continue;
            }
            int g = scratch[k];
            boolean marker = g / markerBlock == type && g % markerBlock < markers;
            indices[n] = g;
            values[n++] = 1 + geometric(rng, marker ? 5.0 : 1.0);
        }
        return n;
    }

    /** Failures before the first success with the given mean. */
    private static int geometric(Rng rng, double mean) {
        double p = 1 / (1 + mean);
        return (int) Math.floor(Math.log(1 - rng.nextDouble()) / Math.log(1 - p));
    }
}
