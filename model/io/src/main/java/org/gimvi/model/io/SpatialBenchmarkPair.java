package org.gimvi.model.io;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gimvi.engine.matrix.DenseCountMatrix;

/**
 * The layout of the Li et al. 2022 benchmark (and of TISSUE's test data): {@code scRNA_count.txt}
 * (genes × cells, gene names in the first column), {@code Spatial_count.txt} (cells × genes, a header
 * of gene names) and {@code Locations.txt} (cells × coordinates), each optionally gzipped.
 *
 * @param seqCounts     scRNA-seq, cells × genes
 * @param coordinates   spatial cells × coordinate columns (null if Locations is absent)
 */
public record SpatialBenchmarkPair(String name, DenseCountMatrix seqCounts, String[] seqGenes, String[] seqCells,
                                   DenseCountMatrix spatialCounts, String[] spatialGenes, float[][] coordinates) {

    /** True when {@code dir} holds the two count files. */
    public static boolean isPair(Path dir) {
        return find(dir, "scRNA_count.txt") != null && find(dir, "Spatial_count.txt") != null;
    }

    static Path find(Path dir, String base) {
        for (String name : new String[]{base, base + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    public static SpatialBenchmarkPair read(Path dir) {
        Path seqFile = find(dir, "scRNA_count.txt");
        Path spFile = find(dir, "Spatial_count.txt");
        if (seqFile == null || spFile == null) {
            throw new InputFormatException(dir, "expected scRNA_count.txt(.gz) and Spatial_count.txt(.gz) "
                    + "(the Li et al. 2022 benchmark layout)");
        }
        TextTable seq = DelimitedTextReader.read(seqFile).transposed(); // file is genes × cells
        TextTable sp = DelimitedTextReader.read(spFile);
        float[][] coords = null;
        Path loc = find(dir, "Locations.txt");
        if (loc != null) {
            TextTable l = DelimitedTextReader.read(loc);
            if (l.rows() != sp.rows()) {
                throw new InputFormatException(loc, "has " + l.rows() + " rows but Spatial_count has " + sp.rows()
                        + " cells; the two files must describe the same cells in the same order");
            }
            coords = new float[l.rows()][l.cols()];
            for (int i = 0; i < l.rows(); i++) {
                for (int j = 0; j < l.cols(); j++) {
                    coords[i][j] = l.get(i, j);
                }
            }
        }
        return new SpatialBenchmarkPair(dir.getFileName() == null ? dir.toString() : dir.getFileName().toString(),
                new DenseCountMatrix(seq.rows(), seq.cols(), seq.values()), seq.colNames(), seq.rowNames(),
                new DenseCountMatrix(sp.rows(), sp.cols(), sp.values()), sp.colNames(), coords);
    }
}
