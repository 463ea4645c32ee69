package org.gimvi.model.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gimvi.model.data.CellDataset;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.ObsColumn;

/**
 * The Linnarsson-lab text layout of Zeisel et al. 2015 ({@code expression_mRNA_17-Aug-2014.txt}):
 * tab-separated, metadata rows on top (in column 1 the row's name, e.g. {@code tissue},
 * {@code group #}, {@code level1class}, {@code cell_id}; values from column 2 on), then one blank-ish
 * separator row, then gene rows (column 0 the symbol, column 1 an annotation that is dropped, counts
 * from column 2 on). Metadata rows become per-cell columns; {@code cell_id} names the cells.
 */
public final class LinnarssonReader {
    private LinnarssonReader() {
    }

    public static CellDataset read(Path file) {
        Map<String, String[]> meta = new LinkedHashMap<>();
        List<String> genes = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int cells = -1;
        try (BufferedReader r = DelimitedTextReader.open(file)) {
            String line;
            long lineNo = 0;
            boolean inGenes = false;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String[] f = line.split("\t", -1);
                if (f.length < 3) {
                    continue;
                }
                if (cells < 0) {
                    cells = f.length - 2;
                }
                if (f.length - 2 != cells) {
                    throw new InputFormatException(file, lineNo, "has " + (f.length - 2) + " cell columns, earlier rows "
                            + cells + " (a truncated or ragged file?)");
                }
                if (!inGenes && !f[0].isEmpty()) {
                    inGenes = true; // the first row with a symbol in column 0 starts the gene block
                }
                if (!inGenes) {
                    if (!f[1].isEmpty()) {
                        String[] v = new String[cells];
                        System.arraycopy(f, 2, v, 0, cells);
                        meta.put(f[1].trim(), v);
                    }
                    continue;
                }
                float[] v = new float[cells];
                for (int c = 0; c < cells; c++) {
                    try {
                        v[c] = Float.parseFloat(f[c + 2].trim());
                    } catch (NumberFormatException e) {
                        throw new InputFormatException(file, lineNo, "gene '" + f[0] + "', cell column " + (c + 1)
                                + " holds '" + f[c + 2] + "', which is not a number");
                    }
                }
                genes.add(f[0]);
                rows.add(v);
            }
        } catch (IOException e) {
            throw new InputFormatException(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (rows.isEmpty()) {
            throw new InputFormatException(file, "no gene rows found (expected metadata rows, then gene rows with the "
                    + "symbol in the first column)");
        }
        int g = rows.size();
        DenseCountMatrix counts = DenseCountMatrix.zeros(cells, g);
        for (int j = 0; j < g; j++) {
            float[] v = rows.get(j);
            for (int c = 0; c < cells; c++) {
                counts.set(c, j, v[c]);
            }
        }
        String[] cellNames = meta.containsKey("cell_id") ? meta.remove("cell_id") : H5adReader.generated("cell", cells);
        Map<String, ObsColumn> obs = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : meta.entrySet()) {
            obs.put(e.getKey(), numericOrCategorical(e.getValue()));
        }
        return new CellDataset(file.getFileName().toString(), "Linnarsson-lab text (Zeisel 2015 layout)", counts,
                genes.toArray(new String[0]), cellNames, obs, null);
    }

    static ObsColumn numericOrCategorical(String[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            try {
                d[i] = Double.parseDouble(v[i].trim());
            } catch (NumberFormatException e) {
                return ObsColumn.Categorical.of(v);
            }
        }
        return new ObsColumn.Numeric(d);
    }
}
