package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.model.data.ObsColumn;
import org.gimvi.model.io.H5adWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --stream-reference} against the in-memory {@code train}: the same model file, byte for
 * byte, on a small CSR reference (one block, so the same epoch order) whose cells include some
 * without counts on the panel (left out through the on-disk row view, not a copy) and two donors
 * (batches); bad input refused with the in-memory path's one line, exit 2.
 */
class StreamedReferenceTrainingTest {
    @TempDir
    Path dir;
    Path ref;
    Path slide;

    static final int CELLS = 150;
    static final int GENES = 30;
    static final int PANEL = 8;

    @BeforeEach
    void data() throws IOException {
        Random rnd = new Random(5);
        float[][] x = new float[CELLS][GENES];
        for (int i = 0; i < CELLS; i++) {
            for (int j = 0; j < GENES; j++) {
                x[i][j] = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(7) : 0;
            }
            if (i % 11 == 4) {
                Arrays.fill(x[i], 0, PANEL, 0f); // no counts on the panel genes: left out of training
            }
            x[i][GENES - 1] += 1; // a positive total
        }
        ref = dir.resolve("ref.h5ad");
        String[] donor = donors();
        H5adWriter.write(ref, new H5adWriter.Content(csr(x), BadInputCorpusTest.names("r", CELLS), genes(GENES))
                .obs("donor", ObsColumn.Categorical.of(donor)));
        float[][] s = new float[60][PANEL];
        for (float[] row : s) {
            for (int j = 0; j < PANEL; j++) {
                row[j] = rnd.nextInt(5);
            }
            row[0] += 1;
        }
        slide = dir.resolve("slide.h5ad");
        H5adWriter.write(slide, new H5adWriter.Content(s, BadInputCorpusTest.names("s", 60), genes(PANEL)));
    }

    static String[] donors() {
        String[] donor = new String[CELLS];
        Arrays.setAll(donor, i -> i < CELLS / 2 ? "d1" : "d2");
        return donor;
    }

    static String[] genes(int n) {
        String[] g = new String[n];
        Arrays.setAll(g, j -> "Gene" + j);
        return g;
    }

    static CsrMatrix csr(float[][] x) {
        int[] ptr = new int[x.length + 1];
        int nnz = 0;
        for (float[] row : x) {
            for (float v : row) {
                nnz += v != 0 ? 1 : 0;
            }
        }
        int[] idx = new int[nnz];
        float[] val = new float[nnz];
        int at = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                if (x[i][j] != 0) {
                    idx[at] = j;
                    val[at++] = x[i][j];
                }
            }
            ptr[i + 1] = at;
        }
        return new CsrMatrix(x.length, x[0].length, ptr, idx, val);
    }

    private CliRunner.Result train(Path reference, Path model, String... more) {
        String[] base = {"train", "--seq", reference.toString(), "--spatial", slide.toString(), "--save-model",
            model.toString(), "--epochs", "3", "--rounds", "2", "--seq-batch-key", "donor", "--seed", "4"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRunner.run(all);
    }

    @Test
    void theStreamedReferenceTrainsTheSameModelFileAsTheReferenceInMemory() throws IOException {
        Path inMemory = dir.resolve("memory.gimvi");
        Path streamed = dir.resolve("streamed.gimvi");
        CliRunner.Result a = train(ref, inMemory);
        assertEquals(0, a.code(), a.all());
        assertTrue(a.all().contains("reference cells 133 of 150 kept"), "the cell view is exercised: " + a.all());
        CliRunner.Result b = train(ref, streamed, "--stream-reference");
        assertEquals(0, b.code(), b.all());
        assertTrue(b.all().contains("streamed from disk"), b.all());
        assertEquals(-1, Files.mismatch(inMemory, streamed), "the model files differ");
    }

    @Test
    void badInputIsRefusedWithTheInMemoryPathsLine() throws IOException {
        float[][] x = new float[CELLS][GENES];
        for (float[] row : x) {
            row[1] = 2;
        }
        x[7][5] = -3;
        x[9][2] = Float.NaN; // reported first: a non-finite value anywhere before a negative one
        Path bad = dir.resolve("bad.h5ad");
        H5adWriter.write(bad, new H5adWriter.Content(csr(x), BadInputCorpusTest.names("r", CELLS), genes(GENES))
                .obs("donor", ObsColumn.Categorical.of(donors())));
        String memory = refused(train(bad, dir.resolve("m1.gimvi"), "--quiet"), "bad.h5ad", "'r9'", "'Gene2'", "NaN");
        String streamed = refused(train(bad, dir.resolve("m2.gimvi"), "--quiet", "--stream-reference"), "bad.h5ad");
        assertEquals(memory, streamed);
        x[9][2] = 0.5f; // not an integer count: refused by the model's checks, in the same pass
        H5adWriter.write(bad, new H5adWriter.Content(csr(x), BadInputCorpusTest.names("r", CELLS), genes(GENES)));
        String negative = refused(CliRunner.run("train", "--seq", bad.toString(), "--spatial", slide.toString(),
                "--save-model", dir.resolve("m3.gimvi").toString(), "--quiet", "--stream-reference"), "'r7'", "'Gene5'",
                "negative");
        assertFalse(negative.contains("0.5"), negative);

        Path dense = dir.resolve("dense.h5ad");
        H5adWriter.write(dense, new H5adWriter.Content(new float[][]{{1, 2}, {3, 4}}, new String[]{"a", "b"},
                new String[]{"Gene0", "Gene1"}));
        refused(train(dense, dir.resolve("m4.gimvi"), "--quiet", "--stream-reference"), "dense.h5ad", "CSR");
        Path csv = dir.resolve("ref.csv");
        Files.writeString(csv, ",Gene0,Gene1\na,1,2\nb,3,4\n");
        refused(train(csv, dir.resolve("m5.gimvi"), "--quiet", "--stream-reference"), "ref.csv", ".h5ad",
                "--stream-reference");
        assertFalse(Files.exists(dir.resolve("m2.gimvi")) || Files.exists(dir.resolve("m4.gimvi")));
    }

    private static String refused(CliRunner.Result r, String... needles) {
        assertEquals(2, r.code(), r.all());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("gimvi train: ") && !lines[0].contains("Exception"), lines[0]);
        for (String n : needles) {
            assertTrue(lines[0].contains(n), "'" + n + "' missing from: " + lines[0]);
        }
        return lines[0];
    }
}
