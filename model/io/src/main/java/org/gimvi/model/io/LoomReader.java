package org.gimvi.model.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.gimvi.model.data.CellDataset;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.ObsColumn;

/**
 * Reads loom files: {@code /matrix} is genes × cells (transposed here to cells × genes), gene names
 * from a row attribute ({@code Gene} by default), cell names from {@code CellID} (generated when
 * absent), every 1-D column attribute as a metadata column, and coordinates from {@code X}/{@code Y}
 * or a 2-column {@code Spatial_coordinates}-like attribute.
 */
public final class LoomReader {
    private LoomReader() {
    }

    public static CellDataset read(Path file) {
        return read(file, "Gene");
    }

    public static CellDataset read(Path file, String geneAttribute) {
        if (!Files.isRegularFile(file)) {
            throw new InputFormatException(file, "file not found");
        }
        try (HdfFile hdf = new HdfFile(file)) {
            Node m = hdf.getChildren().get("matrix");
            if (!(m instanceof Dataset matrix) || matrix.getDimensions().length != 2) {
                throw new InputFormatException(file, "has no 2-D '/matrix'; is it a loom file?");
            }
            int genes = matrix.getDimensions()[0];
            int cells = matrix.getDimensions()[1];
            float[] gc = Hdf5Arrays.floats(file, matrix);
            DenseCountMatrix counts = DenseCountMatrix.zeros(cells, genes);
            float[] d = counts.data();
            for (int g = 0; g < genes; g++) {
                for (int c = 0; c < cells; c++) {
                    d[c * genes + g] = gc[g * cells + c];
                }
            }
            Group rowAttrs = group(hdf, "row_attrs");
            Group colAttrs = group(hdf, "col_attrs");
            String[] geneNames = names(file, rowAttrs, geneAttribute, genes, "gene", true);
            String[] cellNames = names(file, colAttrs, "CellID", cells, "cell", false);
            Map<String, ObsColumn> obs = new LinkedHashMap<>();
            float[][] coords = null;
            if (colAttrs != null) {
                for (Node n : colAttrs) {
                    if (!(n instanceof Dataset ds) || n.getName().equals("CellID")) {
                        continue;
                    }
                    int[] dims = ds.getDimensions();
                    if (dims.length == 2 && dims[0] == cells && dims[1] == 2 && coords == null
                            && n.getName().toLowerCase(Locale.ROOT).contains("spatial")) {
                        double[] v = Hdf5Arrays.doubles(file, ds);
                        coords = new float[cells][2];
                        for (int i = 0; i < cells; i++) {
                            coords[i][0] = (float) v[2 * i];
                            coords[i][1] = (float) v[2 * i + 1];
                        }
                        continue;
                    }
                    if (dims[0] != cells || (dims.length == 2 && dims[1] != 1) || dims.length > 2) {
                        continue;
                    }
                    if (ds.getJavaType() == String.class || ds.getJavaType() == Object.class) {
                        obs.put(n.getName(), ObsColumn.Categorical.of(Hdf5Arrays.strings(file, ds)));
                    } else {
                        obs.put(n.getName(), new ObsColumn.Numeric(Hdf5Arrays.doubles(file, ds)));
                    }
                }
            }
            if (coords == null) {
                coords = xyFromColumns(obs, cells);
            }
            return new CellDataset(file.getFileName().toString(), "loom", counts, geneNames, cellNames, obs, coords);
        } catch (InputFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InputFormatException(file, "cannot be read as HDF5/loom (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static Group group(HdfFile hdf, String name) {
        Node n = hdf.getChildren().get(name);
        return n instanceof Group g ? g : null;
    }

    private static String[] names(Path file, Group attrs, String preferred, int n, String prefix, boolean required) {
        if (attrs != null) {
            for (String candidate : new String[]{preferred, preferred.toLowerCase(Locale.ROOT), "Gene", "gene", "Accession"}) {
                Node a = attrs.getChildren().get(candidate);
                if (a instanceof Dataset d && d.getDimensions().length == 1 && d.getDimensions()[0] == n) {
                    return Hdf5Arrays.strings(file, d);
                }
            }
        }
        if (required) {
            throw new InputFormatException(file, "row attribute '" + preferred + "' with the gene names is missing; "
                    + "available: " + (attrs == null ? "none" : attrs.getChildren().keySet()) + " (choose one as the gene column)");
        }
        return H5adReader.generated(prefix, n);
    }

    /** Coordinates from numeric columns named x/y, X/Y, x_coord/y_coord (case-insensitive), else null. */
    static float[][] xyFromColumns(Map<String, ObsColumn> obs, int rows) {
        String[][] pairs = {{"x", "y"}, {"x_coord", "y_coord"}, {"x_centroid", "y_centroid"}, {"array_col", "array_row"}};
        for (String[] p : pairs) {
            ObsColumn x = find(obs, p[0]);
            ObsColumn y = find(obs, p[1]);
            if (x instanceof ObsColumn.Numeric nx && y instanceof ObsColumn.Numeric ny) {
                float[][] out = new float[rows][2];
                for (int i = 0; i < rows; i++) {
                    out[i][0] = (float) nx.values()[i];
                    out[i][1] = (float) ny.values()[i];
                }
                return out;
            }
        }
        return null;
    }

    private static ObsColumn find(Map<String, ObsColumn> obs, String name) {
        for (Map.Entry<String, ObsColumn> e : obs.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
