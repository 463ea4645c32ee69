package org.gimvi.model.data;

import java.util.Arrays;

/**
 * Per-cell batch codes in [0, names.length) with each batch's name: what an obs column (e.g. a
 * slide or donor id) becomes when a model corrects for it.
 */
public record BatchCodes(int[] codes, String[] names) {

    public BatchCodes {
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= names.length) {
                throw new IllegalArgumentException("cell " + i + " has batch code " + codes[i] + " outside [0, "
                        + names.length + ")");
            }
        }
    }

    /** Every cell in one batch called {@code name}. */
    public static BatchCodes single(int cells, String name) {
        return new BatchCodes(new int[cells], new String[]{name});
    }

    /**
     * The column's values as batches, in order of first appearance (numbers by their value).
     *
     * @param column   the obs column's name, for messages
     * @param source   the file, for messages
     * @param cellNames to name a cell whose value is missing
     */
    public static BatchCodes fromColumn(ObsColumn values, String column, String source, String[] cellNames) {
        String[] labels = new String[values.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = values instanceof ObsColumn.Categorical c ? c.value(i) : number((ObsColumn.Numeric) values, i);
            if (labels[i] == null) {
                throw new IllegalArgumentException(source + ": cell '" + cellNames[i] + "' has no value in batch column '"
                        + column + "'; every cell needs a batch");
            }
        }
        ObsColumn.Categorical c = ObsColumn.Categorical.of(labels);
        return new BatchCodes(c.codes(), c.categories());
    }

    private static String number(ObsColumn.Numeric n, int i) {
        double v = n.values()[i];
        if (Double.isNaN(v)) {
            return null;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The batches of the given cells (same batch names, so codes keep their meaning). */
    public BatchCodes select(int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = codes[rows[i]];
        }
        return new BatchCodes(out, names);
    }

    /** Two datasets' cells, one after the other; batch names of both, shared names merged. */
    public static BatchCodes concat(BatchCodes a, BatchCodes b) {
        java.util.LinkedHashMap<String, Integer> index = new java.util.LinkedHashMap<>();
        for (String n : a.names) {
            index.putIfAbsent(n, index.size());
        }
        for (String n : b.names) {
            index.putIfAbsent(n, index.size());
        }
        int[] codes = Arrays.copyOf(a.codes, a.codes.length + b.codes.length);
        for (int i = 0; i < b.codes.length; i++) {
            codes[a.codes.length + i] = index.get(b.names[b.codes[i]]);
        }
        return new BatchCodes(codes, index.keySet().toArray(new String[0]));
    }

    public int count() {
        return names.length;
    }
}
