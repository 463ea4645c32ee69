package org.gimvi.tools;

import java.nio.file.Path;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.model.data.BatchCodes;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.CellSelection;
import org.gimvi.model.data.CountValues;
import org.gimvi.model.data.ObsColumn;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.io.DatasetReaders;

/** Reading a command's inputs and checking them against the likelihood that will model them. */
final class Inputs {
    private Inputs() {
    }

    /**
     * Reads one input; values are checked before anything filters them: finite always, and ≥ 0 when
     * a count likelihood will model them.
     */
    static CellDataset read(Path file, DatasetReaders.Options options, Likelihood likelihood, Progress progress) {
        progress.step("reading " + file.getFileName());
        CellDataset d = DatasetReaders.read(file, options);
        CountValues.check(d.counts(), d.genes(), d.cells(), file.toString(),
                likelihood.countsOnly() ? CountValues.Sign.NON_NEGATIVE : CountValues.Sign.ANY);
        return d;
    }

    /** Count likelihoods need a positive total per cell; continuous data keep every cell. */
    static CellSelection.Rule cellRule(Likelihood likelihood) {
        return likelihood.countsOnly() ? CellSelection.Rule.POSITIVE_TOTAL : CellSelection.Rule.ALL_CELLS;
    }

    /** The batches named by an obs column, or null (one batch) when no key is given. */
    static BatchCodes batches(CellDataset d, String key, Path file, String option) {
        if (key == null) {
            return null;
        }
        ObsColumn c = d.obs().get(key);
        if (c == null) {
            throw new IllegalArgumentException(file + ": " + option + " '" + key + "' is not an obs column; available: "
                    + (d.obs().isEmpty() ? "none" : String.join(", ", d.obs().keySet())));
        }
        return BatchCodes.fromColumn(c, key, file.toString(), d.cells());
    }

    /**
     * Continuous data under the gaussian likelihood may be negative, but gimvi-java's encoder reads
     * log(1 + value) and an observed library is the log of the cell's total: values below −1 or a
     * total ≤ 0 (z-scored or centred data) would make training diverge, so they are refused here,
     * naming the cell, before any training.
     */
    static void checkModellable(CountMatrix x, String[] genes, String[] cells, Path file, Likelihood likelihood) {
        if (likelihood.countsOnly()) {
            return;
        }
        float[] row = new float[x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            x.copyRow(i, row, 0);
            double total = 0;
            for (int j = 0; j < row.length; j++) {
                if (row[j] < -1) {
                    throw new IllegalArgumentException(file + ": cell '" + cells[i] + "', gene '" + genes[j] + "' is "
                            + row[j] + "; the " + likelihood.id() + " likelihood accepts negative values, but the encoder "
                            + "reads log(1 + value), so values below −1 (z-scored or centred data) cannot be modelled — "
                            + "pass non-negative data such as raw counts or log-normalised values");
                }
                total += row[j];
            }
            if (!(total > 0)) {
                throw new IllegalArgumentException(file + ": cell '" + cells[i] + "' sums to " + total + " over the "
                        + "genes used; gimVI's library size is the log of that total, so it must be positive — pass "
                        + "non-negative data such as raw counts or log-normalised values");
            }
        }
    }
}
