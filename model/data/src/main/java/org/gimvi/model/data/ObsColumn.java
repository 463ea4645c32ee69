package org.gimvi.model.data;

/** A per-cell metadata column: numeric, or categorical (codes into categories, −1 = missing). */
public sealed interface ObsColumn permits ObsColumn.Numeric, ObsColumn.Categorical {

    int size();

    String typeName();

    record Numeric(double[] values) implements ObsColumn {
        public int size() {
            return values.length;
        }

        public String typeName() {
            return "numeric";
        }
    }

    record Categorical(String[] categories, int[] codes) implements ObsColumn {
        public int size() {
            return codes.length;
        }

        public String typeName() {
            return "categorical (" + categories.length + " categories)";
        }

        public String value(int cell) {
            return codes[cell] < 0 ? null : categories[codes[cell]];
        }

        /** Categorical column from raw strings, categories in order of first appearance. */
        public static Categorical of(String[] values) {
            java.util.Map<String, Integer> index = new java.util.LinkedHashMap<>();
            int[] codes = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                codes[i] = values[i] == null ? -1 : index.computeIfAbsent(values[i], k -> index.size());
            }
            return new Categorical(index.keySet().toArray(new String[0]), codes);
        }
    }
}
