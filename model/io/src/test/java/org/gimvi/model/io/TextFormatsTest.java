package org.gimvi.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.gimvi.model.data.CellDataset;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.model.data.ObsColumn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFormatsTest {

    private static void gz(Path p, String text) throws Exception {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void tenXFolderIsReadSparse(@TempDir Path dir) throws Exception {
        // genes × cells, 1-based: gene2/cell1 = 5, gene1/cell2 = 3, gene3/cell2 = 1
        gz(dir.resolve("matrix.mtx.gz"), "%%MatrixMarket matrix coordinate integer general\n% comment\n3 2 3\n2 1 5\n3 2 1\n1 2 3\n");
        gz(dir.resolve("features.tsv.gz"), "ENSG1\tGad2\tGene Expression\nENSG2\tLamp5\tGene Expression\nENSG3\tTtr\tGene Expression\n");
        gz(dir.resolve("barcodes.tsv.gz"), "AAAC-1\nAAAG-1\n");
        CellDataset d = DatasetReaders.read(dir, DatasetReaders.Orientation.AUTO);
        assertTrue(d.counts() instanceof CsrMatrix);
        assertArrayEquals(new String[]{"Gad2", "Lamp5", "Ttr"}, d.genes());
        assertArrayEquals(new String[]{"AAAC-1", "AAAG-1"}, d.cells());
        assertArrayEquals(new float[]{0, 5, 0, 3, 0, 1}, ((CsrMatrix) d.counts()).toDense().data());
        gz(dir.resolve("barcodes.tsv.gz"), "AAAC-1\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> DatasetReaders.read(dir, DatasetReaders.Orientation.AUTO));
        assertTrue(e.getMessage().contains("barcodes"), e.getMessage());
    }

    @Test
    void headerlessAndSpaceSeparatedTables(@TempDir Path dir) throws Exception {
        Path headerless = dir.resolve("h.txt");
        Files.writeString(headerless, "geneA\t1\t2\t3\ngeneB\t4\t5\t6\n");
        TextTable t = DelimitedTextReader.read(headerless);
        assertEquals(2, t.rows());
        assertEquals(3, t.cols());
        assertArrayEquals(new String[]{"geneA", "geneB"}, t.rowNames());
        assertEquals(6f, t.get(1, 2));
        Path spaced = dir.resolve("s.txt");
        Files.writeString(spaced, "\"x\" \"y\"\n1.5 2\n-3 4.25\n");
        TextTable s = DelimitedTextReader.read(spaced);
        assertArrayEquals(new String[]{"x", "y"}, s.colNames());
        assertEquals(4.25f, s.get(1, 1));
        Path ragged = dir.resolve("r.txt");
        Files.writeString(ragged, "a\tb\n1\t2\n3\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> DelimitedTextReader.read(ragged));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void zeiselLayoutKeepsMetadataRowsAsCellColumns(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("expression.txt");
        Files.writeString(f, String.join("\n",
                "\ttissue\tsscortex\tca1hippocampus\tsscortex",
                "\tgroup #\t1\t2\t1",
                "\tlevel1class\tinterneurons\tpyramidal CA1\tinterneurons",
                "\tcell_id\tc1\tc2\tc3",
                "\t\t\t\t",
                "Gad2\t1\t4\t0\t7",
                "Lamp5\t1\t0\t2\t0", ""));
        CellDataset d = DatasetReaders.read(f, DatasetReaders.Orientation.AUTO);
        assertArrayEquals(new String[]{"c1", "c2", "c3"}, d.cells());
        assertArrayEquals(new String[]{"Gad2", "Lamp5"}, d.genes());
        assertEquals(7f, d.counts().get(2, 0));
        assertEquals(2f, d.counts().get(1, 1));
        ObsColumn.Categorical level1 = (ObsColumn.Categorical) d.obs().get("level1class");
        assertEquals("pyramidal CA1", level1.value(1));
        assertEquals(2.0, ((ObsColumn.Numeric) d.obs().get("group #")).values()[1]);
    }
}
