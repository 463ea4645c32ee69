package org.gimvi.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.ObsColumn;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real datasets of ../shared/data load with the shapes, names, labels and coordinates their
 * SOURCE.md files state. Skipped when the data are absent (a fresh machine); point GIMVI_DATA at the
 * folder to run it from elsewhere.
 */
class SharedDataReadersTest {
    private static Path data;

    @BeforeAll
    static void locate() {
        String env = System.getenv("GIMVI_DATA");
        data = env != null ? Paths.get(env) : Paths.get("../../../shared/data");
    }

    private static Path file(String relative) {
        Path p = data.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "real data not available: " + p);
        return p;
    }

    @Test
    void anndataOfTheGimviAuthors() {
        CellDataset d = DatasetReaders.read(file("osmFISH_SScortex_Codeluppi2018/smfish_scvi_4530cells.h5ad"),
                DatasetReaders.Orientation.AUTO);
        assertEquals(4530, d.counts().rows());
        assertEquals(33, d.counts().cols());
        assertEquals("Gad2", d.genes()[0]);
        assertTrue(d.integerCounts());
        ObsColumn.Categorical labels = (ObsColumn.Categorical) d.obs().get("str_labels");
        assertEquals(6, labels.categories().length);
        assertNotNull(d.coordinates());
    }

    @Test
    void looms() {
        CellDataset osm = DatasetReaders.read(file("osmFISH_SScortex_Codeluppi2018/osmFISH_SScortex_mouse_all_cells.loom"),
                DatasetReaders.Orientation.AUTO);
        assertEquals(6471, osm.counts().rows());
        assertEquals(33, osm.counts().cols());
        assertTrue(osm.obs().containsKey("ClusterName"));
        assertEquals(2, osm.coordinates()[0].length);
        CellDataset star = DatasetReaders.read(file("starMAP_mPFC_Wang2018/mpfc-starmap.loom"), DatasetReaders.Orientation.AUTO);
        assertEquals(3704, star.counts().rows());
        assertEquals(158, star.counts().cols());
        assertEquals(16, ((ObsColumn.Categorical) star.obs().get("Clusters")).categories().length);
        assertNotNull(star.coordinates());
    }

    @Test
    void delimitedTextInBothOrientations() {
        CellDataset z = DatasetReaders.read(file("Zeisel2015_partial_EWCE/zeisel2015_first200genes_counts.csv.gz"),
                DatasetReaders.Orientation.GENES_BY_CELLS);
        assertEquals(3005, z.counts().rows());
        assertEquals(200, z.counts().cols());
        assertEquals("Tspan12", z.genes()[0]);
        SpatialBenchmarkPair pair = SpatialBenchmarkPair.read(file("AllenCortex_SMARTseq_osmFISH33_TISSUEtests"));
        assertEquals(1000, pair.seqCounts().rows());
        assertEquals(3405, pair.spatialCounts().rows());
        assertEquals(33, pair.spatialCounts().cols());
        assertEquals(3405, pair.coordinates().length);
    }

    @Test
    void headerlessWhitespaceAndNormalisedFiles() {
        CellDataset seqfish = DatasetReaders.read(file("seqFISH_VISp_Zhu2018_with_Tasic2016/seqfish_cortex_b2_testing.txt.gz"),
                DatasetReaders.Orientation.GENES_BY_CELLS);
        assertEquals(1597, seqfish.counts().rows());
        assertEquals(113, seqfish.counts().cols());
        assertEquals("abca15", seqfish.genes()[0]);
        // integer-valued but quantile-normalised: a count likelihood refuses it and says why
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> org.gimvi.model.gimvi.Gimvi.create(
                java.util.List.of(org.gimvi.model.gimvi.Gimvi.DatasetInput.of("seqFISH", seqfish.counts(), seqfish.genes(),
                        org.gimvi.model.gimvi.Likelihood.NB, org.gimvi.model.gimvi.Library.OBSERVED)),
                org.gimvi.model.gimvi.GimviOptions.defaults()));
        assertTrue(e.getMessage().contains("does not look like raw counts"), e.getMessage());
        assertTrue(e.getMessage().contains("gaussian"), "the message names the likelihood that fits: " + e.getMessage());
        // ... and a likelihood that fits continuous data accepts it
        org.gimvi.model.gimvi.Gimvi.create(java.util.List.of(org.gimvi.model.gimvi.Gimvi.DatasetInput.of("seqFISH",
                        seqfish.counts(), seqfish.genes(), org.gimvi.model.gimvi.Likelihood.GAUSSIAN, org.gimvi.model.gimvi.Library.OBSERVED)),
                org.gimvi.model.gimvi.GimviOptions.defaults());
        CellDataset dge = DatasetReaders.read(file("Drosophila_embryo_BDTNP_Karaiskos2017/dge_raw.txt.gz"),
                DatasetReaders.Orientation.GENES_BY_CELLS);
        assertEquals(1297, dge.counts().rows());
        assertEquals(8924, dge.counts().cols());
        assertTrue(dge.integerCounts());
        CellDataset bdtnp = DatasetReaders.read(file("Drosophila_embryo_BDTNP_Karaiskos2017/bdtnp.txt.gz"),
                DatasetReaders.Orientation.CELLS_BY_GENES);
        assertEquals(3039, bdtnp.counts().rows());
        assertEquals(84, bdtnp.counts().cols());
        assertTrue(!bdtnp.integerCounts(), "continuous in-situ intensities");
        TextTable geometry = DelimitedTextReader.read(file("Drosophila_embryo_BDTNP_Karaiskos2017/geometry.txt.gz"));
        assertEquals(3039, geometry.rows());
        assertEquals(java.util.List.of("x", "y", "z"), java.util.List.of(geometry.colNames()));
        TextTable coords = DelimitedTextReader.read(file("seqFISH_VISp_Zhu2018_with_Tasic2016/fcortex.coordinates.txt.gz"));
        assertEquals(1597, coords.rows());
        // headerless: cell index, field id, x, y — the integer first column is read as the cell names
        assertEquals(3, coords.cols());
        assertEquals("1", coords.rowNames()[0]);
        assertEquals(265.76f, coords.get(0, 1), 1e-3f);
    }

    @Test
    void truncatedHdf5IsRefusedWithAMessage(@TempDir Path tmp) throws Exception {
        byte[] bytes = Files.readAllBytes(file("starMAP_mPFC_Wang2018/mpfc-starmap.loom"));
        Path cut = tmp.resolve("cut.loom");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> DatasetReaders.read(cut, DatasetReaders.Orientation.AUTO));
        assertTrue(e.getMessage().contains("cut.loom"), e.getMessage());
    }
}
