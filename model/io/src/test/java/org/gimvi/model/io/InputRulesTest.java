package org.gimvi.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.CellSelection;
import org.gimvi.model.data.GeneMatching;
import org.gimvi.model.data.SharedPanel;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reading and matching rules every command relies on, each on a small generated file. */
class InputRulesTest {

    @Test
    void exactNamesFirstThenCaseInsensitiveOnlyWhereUnambiguous() {
        // a whole-transcriptome reference can hold names equal ignoring case (Drosophila: e.g. "Abd-B"/"abd-B" style)
        String[] reference = {"Abc", "ABC", "Gad2", "lamp5"};
        GeneMatching.Result r = GeneMatching.match(new String[]{"ABC", "gad2", "Lamp5", "abc"}, reference,
                GeneMatching.CaseRule.EXACT_THEN_UNAMBIGUOUS_CASE);
        assertArrayEquals(new int[]{1, 2, 3, -1}, r.positions());
        assertEquals(List.of("abc"), r.ambiguous(), "two reference genes fit 'abc' ignoring case: not guessed");
        assertTrue(r.duplicatesInReference().isEmpty(), "case-only collisions are not duplicates");
        GeneMatching.Result exact = GeneMatching.match(new String[]{"gad2", "Gad2"}, reference,
                GeneMatching.CaseRule.CASE_SENSITIVE);
        assertArrayEquals(new int[]{-1, 2}, exact.positions());
        SharedPanel p = SharedPanel.match(new String[]{"Abc", "GAD2", "LAMP5", "x"}, reference, "slide", "ref");
        assertArrayEquals(new int[]{0, 2, 3}, p.referenceColumns());
        assertEquals(List.of("x"), p.spatialOnly());
    }

    @Test
    void continuousDataKeepCellsWhoseTotalIsNotPositive() {
        DenseCountMatrix ref = new DenseCountMatrix(2, 3, new float[]{1, 2, 3, 4, 5, 6});
        DenseCountMatrix sp = new DenseCountMatrix(3, 3, new float[]{1, 1, 1, 0, 0, 0, -0.5f, 0.2f, 0.1f});
        SharedPanel panel = SharedPanel.match(new String[]{"a", "b", "c"}, new String[]{"a", "b", "c"}, "s", "r");
        CellSelection counts = CellSelection.of(ref, sp, panel, List.of(panel.all()));
        assertArrayEquals(new int[]{0}, counts.spatialRows(), "count data: only cells with counts");
        CellSelection continuous = CellSelection.of(ref, CellSelection.Rule.POSITIVE_TOTAL, sp,
                CellSelection.Rule.ALL_CELLS, panel, List.of(panel.all()));
        assertArrayEquals(new int[]{0, 1, 2}, continuous.spatialRows(), "continuous data: every cell");
    }

    @Test
    void nanInfinityAreRefusedOnReadNamingFileCellAndGene(@TempDir Path dir) throws Exception {
        Path dense = dir.resolve("dense.h5ad");
        H5adWriter.write(dense, new H5adWriter.Content(new float[][]{{1, 2}, {Float.NaN, 0}},
                new String[]{"c1", "c2"}, new String[]{"Gad2", "Vip"}));
        RuntimeException e = assertThrows(RuntimeException.class, () -> DatasetReaders.read(dense));
        assertTrue(e.getMessage().contains("dense.h5ad") && e.getMessage().contains("'c2'")
                && e.getMessage().contains("'Gad2'") && e.getMessage().contains("NaN"), e.getMessage());
        Path csr = dir.resolve("csr.h5ad");
        H5adWriter.write(csr, new H5adWriter.Content(new CsrMatrix(2, 2, new int[]{0, 1, 2}, new int[]{1, 0},
                new float[]{3, Float.POSITIVE_INFINITY}), new String[]{"c1", "c2"}, new String[]{"Gad2", "Vip"}));
        e = assertThrows(RuntimeException.class, () -> DatasetReaders.read(csr));
        assertTrue(e.getMessage().contains("csr.h5ad") && e.getMessage().contains("'c2'")
                && e.getMessage().contains("'Gad2'") && e.getMessage().contains("Infinity"), e.getMessage());
    }

    @Test
    void duplicateCellNamesAndOneRowTablesAreRefused(@TempDir Path dir) throws Exception {
        Path dup = dir.resolve("dup.csv");
        Files.writeString(dup, ",Gad2,Vip,Sst\nc1,1,2,3\nc2,0,1,1\nc1,4,0,2\n");
        RuntimeException e = assertThrows(RuntimeException.class, () -> DatasetReaders.read(dup));
        assertTrue(e.getMessage().contains("dup.csv") && e.getMessage().contains("'c1'"), e.getMessage());
        Path one = dir.resolve("one.csv");
        Files.writeString(one, ",Gad2,Vip,Sst,Pvalb,Lamp5\ncell1,1,2,3,4,5\n");
        e = assertThrows(RuntimeException.class, () -> DatasetReaders.read(one));
        assertTrue(e.getMessage().contains("one.csv") && e.getMessage().contains("orientation"), e.getMessage());
        CellDataset d = DatasetReaders.read(one, DatasetReaders.Orientation.CELLS_BY_GENES);
        assertEquals(1, d.counts().rows(), "with the orientation given, one cell × five genes");
    }

    @Test
    void pandasNamedIntegerIndexBecomesCellNames(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pandas.csv");
        Files.writeString(f, "cell_id,Gad2,Vip,Sst\n0,1,2,3\n1,0,1,1\n2,4,0,2\n");
        CellDataset d = DatasetReaders.read(f);
        assertArrayEquals(new String[]{"Gad2", "Vip", "Sst"}, d.genes());
        assertArrayEquals(new String[]{"0", "1", "2"}, d.cells());
        assertEquals(4f, d.counts().get(2, 0));
    }

    @Test
    void layersAndRawAreReadOnRequest(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("layered.h5ad");
        H5adWriter.write(f, new H5adWriter.Content(new float[][]{{0.5f, 1.5f}, {2.5f, 0.1f}},
                new String[]{"c1", "c2"}, new String[]{"Gad2", "Vip"}).layer("counts", new float[][]{{1, 3}, {5, 0}}));
        CellDataset x = DatasetReaders.read(f);
        assertEquals(0.5f, x.counts().get(0, 0));
        CellDataset counts = DatasetReaders.read(f, DatasetReaders.Options.defaults().withMatrix("counts"));
        assertEquals(5f, counts.counts().get(1, 0));
        assertEquals(List.of("counts"), H5adReader.otherMatrices(f));
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> DatasetReaders.read(f, DatasetReaders.Options.defaults().withMatrix("spliced")));
        assertTrue(e.getMessage().contains("layers/spliced"), e.getMessage());
    }

    @Test
    void modelAndRDataFilesAreNamedNotParsedAsText(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.gimvi");
        Files.write(model, "GIMVI-J\nrest of a model".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        RuntimeException e = assertThrows(RuntimeException.class, () -> DatasetReaders.read(model));
        assertTrue(e.getMessage().contains("gimvi-java model file"), e.getMessage());
        assertTrue(DatasetReaders.isModelFile(model));
        Path rda = dir.resolve("data.bin");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(rda))) {
            out.write("RDX3\nX\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        e = assertThrows(RuntimeException.class, () -> DatasetReaders.read(rda));
        assertTrue(e.getMessage().contains("R data file"), e.getMessage());
    }
}
