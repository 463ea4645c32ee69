package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.ObsColumn;
import org.gimvi.model.io.H5adReader;
import org.gimvi.model.io.H5adWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of broken inputs and dangerous output paths, generated here (no committed binaries).
 * Each must be refused with exit code 2 and one line naming the file and the field, leaving no
 * output behind and every input as it was (the folder is compared byte for byte before and after).
 */
class BadInputCorpusTest {
    @TempDir
    Path dir;
    Path ref;
    Path slide;

    static final int GENES = 10;

    /** Deterministic small counts: reference 60 cells × 10 genes, slide 40 cells × 5 of them + one of its own. */
    @BeforeEach
    void corpus() throws IOException {
        java.util.Random rnd = new java.util.Random(1);
        String[] genes = new String[GENES];
        for (int j = 0; j < GENES; j++) {
            genes[j] = "Gene" + j;
        }
        ref = dir.resolve("ref.h5ad");
        H5adWriter.write(ref, new H5adWriter.Content(counts(rnd, 60, GENES), names("r", 60), genes));
        slide = dir.resolve("slide.h5ad");
        H5adWriter.write(slide, slideContent(counts(rnd, 40, 6), names("s", 40)));
    }

    static float[][] counts(java.util.Random rnd, int cells, int genes) {
        float[][] x = new float[cells][genes];
        for (float[] row : x) {
            for (int j = 0; j < genes; j++) {
                row[j] = rnd.nextInt(6);
            }
            row[0] += 1; // every cell has counts
        }
        return x;
    }

    static String[] names(String prefix, int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = prefix + i;
        }
        return s;
    }

    static final String[] SLIDE_GENES = {"Gene0", "GENE1", "Gene2", "Gene3", "Gene4", "OnlyOnTheSlide"};

    static H5adWriter.Content slideContent(float[][] x, String[] cells) {
        String[] region = new String[cells.length];
        float[][] xy = new float[cells.length][2];
        for (int i = 0; i < cells.length; i++) {
            region[i] = i % 2 == 0 ? "cortex" : "striatum";
            xy[i] = new float[]{i, 2 * i};
        }
        return new H5adWriter.Content(x, cells, SLIDE_GENES).obs("region", ObsColumn.Categorical.of(region))
                .obs("area", new double[cells.length]).obsm("spatial", xy);
    }

    /** Every file under the folder with its bytes and permissions. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    m.put(dir.relativize(p).toString(), Arrays.hashCode(Files.readAllBytes(p)) + " "
                            + Files.getPosixFilePermissions(p));
                } else if (Files.isDirectory(p)) {
                    m.put(dir.relativize(p) + "/", "folder");
                }
            }
        }
        return m;
    }

    /** Runs the command; asserts exit 2, one line containing every needle, and an unchanged folder. */
    private String refused(String[] args, String... needles) throws IOException {
        Map<String, String> before = snapshot();
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.all());
        String[] lines = r.err().strip().split("\n");
        String line = lines[lines.length - 1];
        for (int k = 0; k < lines.length - 1; k++) {
            assertTrue(lines[k].matches("gimvi \\w+: (reading|training|imputing|writing).*"),
                    "only progress lines before the one error line:\n" + r.err());
        }
        assertTrue(line.startsWith("gimvi " + args[0] + ": "), line);
        assertFalse(line.contains("Exception"), line);
        for (String n : needles) {
            assertTrue(line.contains(n), "'" + n + "' missing from: " + line);
        }
        assertEquals(before, snapshot(), "no output left and no input changed by: " + String.join(" ", args));
        return line;
    }

    private String[] impute(Path spatial, String... more) {
        String[] base = {"impute", "--seq", ref.toString(), "--spatial", spatial.toString(), "--out",
                dir.resolve("out.h5ad").toString(), "--epochs", "1", "--quiet"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void nanInADenseH5adNamesFileCellAndGene() throws IOException {
        float[][] x = counts(new java.util.Random(2), 40, 6);
        x[3][2] = Float.NaN;
        Path bad = dir.resolve("nan_dense.h5ad");
        H5adWriter.write(bad, slideContent(x, names("s", 40)));
        refused(impute(bad), "nan_dense.h5ad", "'s3'", "'Gene2'", "NaN");
    }

    @Test
    void infinityInACsrH5adNamesFileCellAndGene() throws IOException {
        Path bad = dir.resolve("inf_csr.h5ad");
        H5adWriter.write(bad, new H5adWriter.Content(new CsrMatrix(2, 6, new int[]{0, 2, 3}, new int[]{0, 4, 1},
                new float[]{1, 2, Float.POSITIVE_INFINITY}), new String[]{"a", "b"}, SLIDE_GENES));
        refused(impute(bad), "inf_csr.h5ad", "'b'", "'GENE1'", "Infinity");
    }

    @Test
    void negativeCountsUnderACountLikelihood() throws IOException {
        float[][] x = counts(new java.util.Random(3), 40, 6);
        x[5][0] = -2;
        Path bad = dir.resolve("negative.h5ad");
        H5adWriter.write(bad, slideContent(x, names("s", 40)));
        refused(impute(bad), "negative.h5ad", "'s5'", "'Gene0'", "negative");
    }

    @Test
    void zScoredDataUnderTheGaussianLikelihoodAreRefusedBeforeTraining() throws IOException {
        StringBuilder csv = new StringBuilder(",Gene0,Gene1,Gene2,Gene3,Gene4\n");
        java.util.Random rnd = new java.util.Random(4);
        for (int i = 0; i < 30; i++) {
            csv.append("z").append(i);
            for (int j = 0; j < 5; j++) {
                csv.append(',').append(String.format(java.util.Locale.ROOT, "%.3f", rnd.nextGaussian() * 1.5));
            }
            csv.append('\n');
        }
        Path z = dir.resolve("zscored.csv");
        Files.writeString(z, csv.toString());
        String line = refused(impute(z, "--spatial-likelihood", "gaussian"), "zscored.csv", "cell 'z", "log(1 + value)");
        assertFalse(line.contains("learning rate"), line);
    }

    @Test
    void outputPathsAreCheckedBeforeAnyWork() throws IOException {
        refused(new String[]{"impute", "--seq", ref.toString(), "--spatial", slide.toString(), "--out", ref.toString()},
                "--out", "ref.h5ad", "is an input");
        Path same = dir.resolve("same.h5ad");
        refused(new String[]{"impute", "--seq", ref.toString(), "--spatial", slide.toString(), "--out", same.toString(),
            "--save-model", same.toString()}, "--save-model", "same.h5ad", "also the --out");
        Path folder = Files.createDirectory(dir.resolve("a-folder"));
        refused(new String[]{"impute", "--seq", ref.toString(), "--spatial", slide.toString(), "--out", folder.toString()},
                "--out", "a-folder", "is a folder");
        refused(new String[]{"train", "--seq", ref.toString(), "--spatial", slide.toString(), "--save-model",
            slide.toString()}, "--save-model", "slide.h5ad", "is an input");
    }

    @Test
    void anExistingReadOnlyOutputIsKeptUnlessForcedAndOutputsFollowTheUmask() throws IOException {
        Path out = dir.resolve("out.h5ad");
        Files.writeString(out, "the user's earlier result");
        Files.setPosixFilePermissions(out, Set.of(PosixFilePermission.OWNER_READ));
        refused(impute(slide), "--out", "out.h5ad", "already exists", "--force");
        CliRunner.Result r = CliRunner.run(impute(slide, "--force"));
        assertEquals(0, r.code(), r.all());
        Path fresh = Files.createFile(dir.resolve("fresh"));
        assertEquals(Files.getPosixFilePermissions(fresh), Files.getPosixFilePermissions(out),
                "the output gets the umask's permissions, like any new file");
        CellDataset d = H5adReader.read(out);
        assertEquals(40, d.counts().rows());
    }

    @Test
    void zeroEpochsAreRefused() throws IOException {
        refused(new String[]{"impute", "--seq", ref.toString(), "--spatial", slide.toString(), "--out",
            dir.resolve("out.h5ad").toString(), "--epochs", "0"}, "--epochs", "at least 1");
        refused(new String[]{"train", "--seq", ref.toString(), "--spatial", slide.toString(), "--save-model",
            dir.resolve("m.gimvi").toString(), "--epochs", "0"}, "--epochs");
    }

    @Test
    void duplicateCellNamesAndOneCellTables() throws IOException {
        Path dup = dir.resolve("dup.csv");
        Files.writeString(dup, ",Gene0,Gene1,Gene2,Gene3\nc1,1,2,3,1\nc2,0,1,1,1\nc1,4,0,2,1\n");
        refused(impute(dup), "dup.csv", "'c1'", "twice");
        Path one = dir.resolve("one.csv");
        Files.writeString(one, ",Gene0,Gene1,Gene2,Gene3,Gene4\ncell1,1,2,3,4,5\n");
        refused(impute(one), "one.csv", "orientation");
    }

    @Test
    void modelAndRFilesAreNamedByTheirFormat() throws IOException {
        Path rda = dir.resolve("counts.rda");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(rda))) {
            out.write("RDX3\nX\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        refused(new String[]{"info", rda.toString()}, "counts.rda", "R data file");
        Path model = dir.resolve("m.gimvi");
        CliRunner.Result t = CliRunner.run("train", "--seq", ref.toString(), "--spatial", slide.toString(),
                "--save-model", model.toString(), "--epochs", "1", "--quiet");
        assertEquals(0, t.code(), t.all());
        CliRunner.Result info = CliRunner.run("info", model.toString());
        assertEquals(0, info.code(), info.all());
        assertTrue(info.out().contains("gimvi-java model") && info.out().contains("trained")
                && info.out().contains("dataset 1 'spatial': 5 genes") && info.out().contains("n_latent"), info.out());
        refused(impute(model), "m.gimvi", "gimvi-java model file", "gimvi impute --model");
        // a saved model refuses a slide that lacks its panel genes, naming them
        Path partial = dir.resolve("partial.csv");
        Files.writeString(partial, ",Gene0,Gene1,Gene2\nc1,1,2,3\nc2,0,1,1\nc3,4,0,2\n");
        refused(new String[]{"impute", "--model", model.toString(), "--spatial", partial.toString(), "--out",
            dir.resolve("o.h5ad").toString()}, "partial.csv", "lacks 2", "Gene3", "Gene4");
        refused(new String[]{"impute", "--model", model.toString(), "--seq", ref.toString(), "--spatial",
            slide.toString(), "--out", dir.resolve("o.h5ad").toString()}, "--seq", "--model");
        refused(new String[]{"impute", "--model", model.toString(), "--spatial", slide.toString(), "--out",
            dir.resolve("o.h5ad").toString(), "--epochs", "50"}, "--epochs", "applies to training");
        Path corrupt = dir.resolve("corrupt.gimvi");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(corrupt, Arrays.copyOf(bytes, bytes.length / 2));
        refused(new String[]{"impute", "--model", corrupt.toString(), "--spatial", slide.toString(), "--out",
            dir.resolve("o.h5ad").toString()}, "corrupt.gimvi", "truncated or corrupt");
    }

    @Test
    void unknownBatchKeyNamesTheColumns() throws IOException {
        refused(impute(slide, "--spatial-batch-key", "slide_id"), "slide.h5ad", "slide_id", "region");
    }
}
