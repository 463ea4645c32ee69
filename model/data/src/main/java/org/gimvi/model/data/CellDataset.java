package org.gimvi.model.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.matrix.CsrMatrix;

/**
 * One dataset in memory, whatever file it came from: counts (dense or CSR), gene and cell names,
 * per-cell metadata columns and optional spatial coordinates.
 *
 * @param format      how it was read (h5ad, loom, delimited text, …), for messages and `info`
 * @param coordinates cells × dimensions, or null
 */
public record CellDataset(String name, String format, CountMatrix counts, String[] genes, String[] cells,
                          Map<String, ObsColumn> obs, float[][] coordinates) {

    public CellDataset {
        if (genes.length != counts.cols() || cells.length != counts.rows()) {
            throw new IllegalArgumentException(name + ": " + counts.rows() + "×" + counts.cols() + " matrix with "
                    + cells.length + " cell names and " + genes.length + " gene names");
        }
        obs = Collections.unmodifiableMap(new LinkedHashMap<>(obs));
    }

    /** True when every stored value is a non-negative integer (what count likelihoods need). */
    public boolean integerCounts() {
        if (counts instanceof CsrMatrix csr) {
            for (float v : csr.values()) {
                if (v < 0 || v != Math.rint(v)) {
                    return false;
                }
            }
            return true;
        }
        float[] row = new float[counts.cols()];
        for (int i = 0; i < counts.rows(); i++) {
            counts.copyRow(i, row, 0);
            for (float v : row) {
                if (v < 0 || v != Math.rint(v) || !Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
