package org.gimvi.model.gimvi;

import java.util.ArrayList;
import java.util.List;
import org.gimvi.engine.matrix.CountMatrix;

/**
 * Refuses input that would otherwise turn into NaN deep inside training, with a message that names
 * the dataset, the field and the fix.
 */
final class InputChecks {
    private InputChecks() {
    }

    static void check(Gimvi.DatasetInput d) {
        String name = d.name() == null || d.name().isBlank() ? "(unnamed)" : d.name();
        CountMatrix x = d.counts();
        if (x == null || d.genes() == null || d.likelihood() == null) {
            throw new IllegalArgumentException("dataset '" + name + "': counts, genes and likelihood are required");
        }
        if (x.rows() == 0 || x.cols() == 0) {
            throw new IllegalArgumentException("dataset '" + name + "' is empty (" + x.rows() + " cells × " + x.cols()
                    + " genes)");
        }
        if (d.genes().length != x.cols()) {
            throw new IllegalArgumentException("dataset '" + name + "' has " + x.cols() + " columns but "
                    + d.genes().length + " gene names");
        }
        for (int j = 0; j < d.genes().length; j++) {
            if (d.genes()[j] == null || d.genes()[j].isBlank()) {
                throw new IllegalArgumentException("dataset '" + name + "': gene name " + j + " is empty");
            }
        }
        if (d.nBatches() < 1) {
            throw new IllegalArgumentException("dataset '" + name + "': number of batches must be at least 1");
        }
        if (d.batch() != null) {
            if (d.batch().length != x.rows()) {
                throw new IllegalArgumentException("dataset '" + name + "': " + d.batch().length + " batch codes for "
                        + x.rows() + " cells");
            }
            for (int i = 0; i < d.batch().length; i++) {
                if (d.batch()[i] < 0 || d.batch()[i] >= d.nBatches()) {
                    throw new IllegalArgumentException("dataset '" + name + "': cell " + i + " has batch code "
                            + d.batch()[i] + ", outside [0, " + d.nBatches() + ")");
                }
            }
        }
        checkValues(name, d, x);
    }

    private static void checkValues(String name, Gimvi.DatasetInput d, CountMatrix x) {
        boolean requireInteger = !d.allowNonIntegerCounts() && d.likelihood().countsOnly();
        float[] row = new float[x.cols()];
        List<Integer> empty = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            x.copyRow(i, row, 0);
            double total = 0;
            for (int j = 0; j < row.length; j++) {
                float v = row[j];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("dataset '" + name + "': value at cell " + i + ", gene '"
                            + d.genes()[j] + "' is " + v + "; counts must be finite numbers");
                }
                if (v < 0 && d.likelihood().countsOnly()) {
                    throw new IllegalArgumentException("dataset '" + name + "': value at cell " + i + ", gene '"
                            + d.genes()[j] + "' is negative (" + v + "); the " + d.likelihood().id()
                            + " likelihood needs raw counts ≥ 0");
                }
                if (requireInteger && v != Math.rint(v)) {
                    throw new IllegalArgumentException("dataset '" + name + "': value at cell " + i + ", gene '"
                            + d.genes()[j] + "' is " + v + ", not an integer count; the " + d.likelihood().id()
                            + " likelihood models raw counts. Pass raw counts (not normalised or log values), "
                            + "or choose the gaussian likelihood for continuous data");
                }
                total += v;
            }
            if (total == 0) {
                empty.add(i);
            }
        }
        if (!d.allowNonIntegerCounts() && d.likelihood().countsOnly()) {
            String why = NormalisedDataCheck.reason(x);
            if (why != null) {
                throw new IllegalArgumentException("dataset '" + name + "' does not look like raw counts: " + why
                        + "; the " + d.likelihood().id() + " likelihood models raw molecule counts, so normalised, "
                        + "quantile-normalised or scaled data would be modelled wrongly. Pass the raw counts, or, if "
                        + "these really are counts, explicitly allow them (allowNonIntegerCounts; --allow-non-counts on the command line); for continuous data choose "
                        + "the gaussian likelihood");
            }
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "' has " + empty.size() + " cells with zero total "
                    + "counts (first: " + empty.subList(0, Math.min(5, empty.size())) + "); the model's library size is "
                    + "log Σ counts, so remove those cells first (CellFilter.nonEmptyRows)");
        }
    }
}
