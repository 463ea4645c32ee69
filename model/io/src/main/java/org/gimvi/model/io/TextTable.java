package org.gimvi.model.io;

/**
 * A numeric table read from delimited text: row names, column names and row-major float values.
 *
 * @param rowNames generated as "row1", "row2", … when the file has none
 */
public record TextTable(String[] rowNames, String[] colNames, float[] values) {
    public int rows() {
        return rowNames.length;
    }

    public int cols() {
        return colNames.length;
    }

    public float get(int row, int col) {
        return values[row * colNames.length + col];
    }

    /** The transposed table (rows become columns). */
    public TextTable transposed() {
        int r = rows();
        int c = cols();
        float[] t = new float[values.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j * r + i] = values[i * c + j];
            }
        }
        return new TextTable(colNames, rowNames, t);
    }
}
