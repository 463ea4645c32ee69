package org.gimvi.tools.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where things are in a cells table: the slide column (strings), the optional cell-name column, and
 * every numeric column as a panel gene (named by the column). Checked on the driver against the
 * table's schema, so a wrong table is one line before any work.
 *
 * @param table      the table's path, for messages and provenance
 * @param slideField position of the slide column
 * @param cellField  position of the cell-name column, or -1 (names SLIDE_i are generated)
 * @param genes      the gene columns' names, in table order
 * @param geneFields their positions
 */
record CellTableLayout(String table, int slideField, int cellField, String[] genes, int[] geneFields)
        implements Serializable {

    static CellTableLayout of(String table, StructType schema, String slideColumn, String cellColumn) {
        List<String> names = List.of(schema.fieldNames());
        int slide = names.indexOf(slideColumn);
        if (slide < 0) {
            throw new IllegalArgumentException(table + ": no column '" + slideColumn + "' (the slide of each cell); "
                    + "columns: " + names + " — name it with --slide-column");
        }
        if (!schema.fields()[slide].dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException(table + ": column '" + slideColumn + "' is "
                    + schema.fields()[slide].dataType().simpleString() + "; slide names must be strings");
        }
        int cell = names.indexOf(cellColumn);
        List<String> genes = new ArrayList<>();
        List<Integer> fields = new ArrayList<>();
        for (int i = 0; i < schema.fields().length; i++) {
            StructField f = schema.fields()[i];
            if (i == slide || i == cell) {
                continue;
            }
            if (!(f.dataType() instanceof NumericType)) {
                throw new IllegalArgumentException(table + ": column '" + f.name() + "' is " + f.dataType().simpleString()
                        + "; every column besides '" + slideColumn + "' and '" + cellColumn + "' must be a gene's "
                        + "numbers");
            }
            genes.add(f.name());
            fields.add(i);
        }
        if (genes.isEmpty()) {
            throw new IllegalArgumentException(table + ": no gene columns besides '" + slideColumn + "'");
        }
        return new CellTableLayout(table, slide, cell, genes.toArray(new String[0]),
                fields.stream().mapToInt(Integer::intValue).toArray());
    }
}
