package org.gimvi.tools.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.gimvi.tools.SavedModelImputation;

/**
 * The Parquet output's layout: one row per input cell — {@code slide}, {@code cell},
 * {@code gimvi_used} (false for cells without counts on the panel, whose values are zeros, as in
 * the h5ad), one float column per reference gene named by the gene (the values of the h5ad's
 * {@code X}: expected counts), and {@code X_gimvi}, the latent position (an array of floats, the
 * h5ad's {@code obsm['X_gimvi']}). Spatial-only genes are not imputed and not repeated here.
 */
final class ImputedTable {
    static final String SLIDE = "slide";
    static final String CELL = "cell";
    static final String USED = "gimvi_used";
    static final String LATENT = "X_gimvi";

    private ImputedTable() {
    }

    /**
     * The table's schema for a model's genes; a gene named like one of the fixed columns, or two
     * genes equal but for case (Spark resolves columns ignoring case), are refused with the fix.
     */
    static StructType schema(String[] genes, String model) {
        Map<String, String> seen = new HashMap<>();
        for (String fixed : new String[]{SLIDE, CELL, USED, LATENT}) {
            seen.put(fixed.toLowerCase(Locale.ROOT), "the table's own column '" + fixed + "'");
        }
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField(SLIDE, DataTypes.StringType, false),
                DataTypes.createStructField(CELL, DataTypes.StringType, false),
                DataTypes.createStructField(USED, DataTypes.BooleanType, false)));
        for (String g : genes) {
            String clash = seen.putIfAbsent(g.toLowerCase(Locale.ROOT), "gene '" + g + "'");
            if (clash != null) {
                throw new IllegalArgumentException(model + ": gene '" + g + "' and " + clash + " would be the same "
                        + "Parquet column (Spark ignores case in column names); write h5ad files instead "
                        + "(--out-format h5ad)");
            }
            fields.add(DataTypes.createStructField(g, DataTypes.FloatType, false));
        }
        fields.add(DataTypes.createStructField(LATENT, DataTypes.createArrayType(DataTypes.FloatType, false), false));
        return DataTypes.createStructType(fields);
    }

    /**
     * The slide's rows, every input cell in input order, made one at a time as the writer takes them
     * (so a task holds the imputed matrix, 4 bytes a value, not boxed rows).
     */
    static Iterable<Row> rows(String slide, SavedModelImputation.Imputed imp) {
        int n = imp.slide().cells().length;
        int g = imp.values().numCols;
        int d = imp.latent().numCols;
        int[] encodedRow = new int[n];
        java.util.Arrays.fill(encodedRow, -1);
        int[] used = imp.usedRows();
        for (int r = 0; r < used.length; r++) {
            encodedRow[used[r]] = r;
        }
        String[] cells = imp.slide().cells();
        float[] values = imp.values().data;
        float[] latent = imp.latent().data;
        return () -> new java.util.Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public Row next() {
                if (i >= n) {
                    throw new java.util.NoSuchElementException();
                }
                int r = encodedRow[i];
                Object[] v = new Object[4 + g];
                v[0] = slide;
                v[1] = cells[i];
                v[2] = r >= 0;
                for (int j = 0; j < g; j++) {
                    v[3 + j] = r >= 0 ? values[r * g + j] : 0f;
                }
                Float[] z = new Float[d]; // an array column's value: a Java array (Spark takes no java.util.List here)
                for (int k = 0; k < d; k++) {
                    z[k] = r >= 0 ? latent[r * d + k] : 0f;
                }
                v[3 + g] = z;
                i++;
                return RowFactory.create(v);
            }
        };
    }
}
