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

    /**
     * One pass over the rows, each read as its stored entries (a sparse reference, in memory or on
     * disk, is never densified): every value legal for the likelihood, the normalised-data tally,
     * the cells without counts. The first offending value is reported in row-major order, as a
     * dense scan would find it.
     */
    private static void checkValues(String name, Gimvi.DatasetInput d, CountMatrix x) {
        boolean countsOnly = d.likelihood().countsOnly();
        boolean requireInteger = d.nonIntegerValues() == Gimvi.DatasetInput.NonIntegerValues.REFUSED && countsOnly;
        int genes = x.cols();
        int[] columns = new int[genes];
        float[] values = new float[genes];
        NormalisedDataCheck.Tally tally = requireInteger ? new NormalisedDataCheck.Tally(genes) : null;
        List<Integer> empty = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            int n = x.copyRowEntries(i, columns, values);
            double total = 0;
            long zeros = genes - (long) n;
            int offending = -1; // the stored entry of the lowest column whose value is refused
            for (int k = 0; k < n; k++) {
                float v = values[k];
                if (problem(v, countsOnly, requireInteger) != null
                        && (offending < 0 || columns[k] < columns[offending])) {
                    offending = k;
                }
                total += v;
                zeros += v == 0f ? 1 : 0;
            }
            if (offending >= 0) {
                float v = values[offending];
                throw new IllegalArgumentException("dataset '" + name + "': value at cell " + i + ", gene '"
                        + d.genes()[columns[offending]] + "' is " + problem(v, countsOnly, requireInteger)
                        .describe(v, d.likelihood()));
            }
            if (tally != null) {
                tally.addCell(total, zeros);
            }
            if (total == 0) {
                empty.add(i);
            }
        }
        String why = tally == null ? null : tally.reason();
        if (why != null) {
            throw new IllegalArgumentException("dataset '" + name + "' does not look like raw counts: " + why
                    + "; the " + d.likelihood().id() + " likelihood models raw molecule counts, so normalised, "
                    + "quantile-normalised or scaled data would be modelled wrongly. Pass the raw counts, or, if "
                    + "these really are counts, explicitly allow them (DatasetInput.allowingNonIntegerValues(); --allow-non-counts on the command line); for continuous data choose "
                    + "the gaussian likelihood");
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "' has " + empty.size() + " cells with zero total "
                    + "counts (first: " + empty.subList(0, Math.min(5, empty.size())) + "); the model's library size is "
                    + "log Σ counts, so remove those cells first (CellFilter.nonEmptyRows)");
        }
    }

    /** Why a value is refused, in the order the checks apply. */
    private enum Problem {
        NOT_FINITE, NEGATIVE, NOT_INTEGER;

        /** The message's end after "value at cell i, gene 'g' is ". */
        String describe(float v, Likelihood likelihood) {
            return switch (this) {
                case NOT_FINITE -> v + "; counts must be finite numbers";
                case NEGATIVE -> "negative (" + v + "); the " + likelihood.id() + " likelihood needs raw counts ≥ 0";
                case NOT_INTEGER -> v + ", not an integer count; the " + likelihood.id()
                        + " likelihood models raw counts. Pass raw counts (not normalised or log values), "
                        + "or choose the gaussian likelihood for continuous data";
            };
        }
    }

    private static Problem problem(float v, boolean countsOnly, boolean requireInteger) {
        if (!Float.isFinite(v)) {
            return Problem.NOT_FINITE;
        }
        if (v < 0 && countsOnly) {
            return Problem.NEGATIVE;
        }
        if (requireInteger && v != Math.rint(v)) {
            return Problem.NOT_INTEGER;
        }
        return null;
    }
}
