package org.gimvi.tools.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.H5adWriter;
import org.gimvi.tools.GimviCli;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local mode ({@code local[2]}) against the impute command: a model trained on a
 * small simulated pair imputes two good slides — each output must be the very file
 * {@code gimvi impute --model} writes, byte for byte — and three bad ones (a panel lacking the
 * model's genes, a file that is not an h5ad, a slide with no counts), which fail alone with their
 * reason in the report and leave no file behind; and the same from a Parquet table of cells. Spark 4.1.1 runs here on JDK 17 and on JDK 25,
 * but its Parquet I/O (Hadoop's file system) fails from JDK 24 on, so the Parquet test is skipped there.
 */
class ImputeSlidesJobTest {
    @TempDir
    Path dir;

    /** One local[2] session for both tests (the job uses the active session when --master is not given). */
    private static SparkSession spark;

    /** One simulated pair and model for both tests. */
    @TempDir
    static Path shared;
    private static Path sim;
    private static Path model;

    @BeforeAll
    static void startSparkAndTrain() {
        // two shuffle partitions, not 200: the tables here are tiny and the machine has two cores
        spark = SparkSession.builder().master("local[2]").appName("gimvi-spark-test")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        sim = shared.resolve("sim");
        assertEquals(0, GimviCli.execute("simulate", "--out", sim.toString(), "--cells", "120", "--seed", "5"));
        model = shared.resolve("m.gimvi");
        assertEquals(0, GimviCli.execute("train", "--seq", sim.resolve("seq.h5ad").toString(), "--spatial",
                sim.resolve("spatial.h5ad").toString(), "--epochs", "1", "--rounds", "1", "--save-model",
                model.toString(), "--quiet"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }


    @Test
    void sparkOutputsEqualTheImputeCommandsAndBadSlidesFailAlone() throws IOException {

        CellDataset spatial = DatasetReaders.read(sim.resolve("spatial.h5ad"));
        Path a = sim.resolve("spatial.h5ad");
        Path b = dir.resolve("second.h5ad");
        writeRows(b, spatial, 20, 100, spatial.genes());
        Path lacking = dir.resolve("lacking.h5ad");
        String[] renamed = spatial.genes().clone();
        renamed[0] = "NotAModelGene";
        writeRows(lacking, spatial, 0, 30, renamed);
        Path garbage = dir.resolve("garbage.h5ad");
        Files.writeString(garbage, "not an HDF5 file");
        Path empty = dir.resolve("empty.h5ad");
        H5adWriter.write(empty, new H5adWriter.Content(new float[5][spatial.genes().length], names(5),
                spatial.genes()));

        Path table = dir.resolve("slides.tsv");
        Files.writeString(table, "slide\tpath\n" + "a\t" + a + "\n" + "lacking\t" + lacking + "\n" + "b\t" + b + "\n"
                + "garbage\t" + garbage + "\n" + "empty\t" + empty + "\n");
        Path out = dir.resolve("out");
        long start = System.nanoTime();
        int code = ImputeSlidesJob.execute("--model", model.toString(), "--slides", table.toString(), "--out-dir",
                out.toString());
        assertEquals(1, code, "some slides failed, so the job says so");
        System.out.printf("the Spark job (session start, 5 slides, stop) took %.1f s%n", (System.nanoTime() - start) / 1e9);

        List<String> report = Files.readAllLines(out.resolve("report.tsv"), StandardCharsets.UTF_8);
        assertEquals(SlideReport.HEADER, report.get(0));
        assertEquals(6, report.size(), String.join("\n", report));
        assertRow(report.get(1), "a", "OK", "");
        assertRow(report.get(2), "lacking", "FAILED", "lacks 1: " + spatial.genes()[0]);
        assertRow(report.get(3), "b", "OK", "");
        assertRow(report.get(4), "garbage", "FAILED", "garbage.h5ad");
        assertRow(report.get(5), "empty", "FAILED", "no cell has counts on the model's panel genes");

        for (String[] s : new String[][] {{"a", a.toString()}, {"b", b.toString()}}) {
            Path single = dir.resolve("single-" + s[0] + ".h5ad");
            assertEquals(0, GimviCli.execute("impute", "--model", model.toString(), "--spatial", s[1], "--out",
                    single.toString(), "--quiet"));
            assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(out.resolve(s[0] + ".h5ad")),
                    "slide " + s[0] + ": the Spark output differs from gimvi impute's");
        }
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("a.h5ad", "b.h5ad", "report.tsv"), files.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "failed slides leave no file, finished ones no temporary file");
        }
        assertFalse(Files.exists(out.resolve("lacking.h5ad")));
    }

    @Test
    void aParquetTableOfCellsImputesEachSlideAsItsFileWould() throws IOException {
        Assumptions.assumeTrue(Runtime.version().feature() < 24, "skipped on JDK " + Runtime.version().feature()
                + ": Spark's Parquet I/O goes through Hadoop 3.4's UserGroupInformation, which calls "
                + "Subject.getSubject — unsupported from JDK 24 on (UnsupportedOperationException); the slide-file "
                + "job runs on this JDK");
        CellDataset spatial = DatasetReaders.read(sim.resolve("spatial.h5ad"));
        String[] genes = spatial.genes();
        List<StructField> fields = new java.util.ArrayList<>(List.of(
                DataTypes.createStructField("slide", DataTypes.StringType, false),
                DataTypes.createStructField("cell", DataTypes.StringType, false)));
        for (String g : genes) {
            fields.add(DataTypes.createStructField(g, DataTypes.FloatType, false));
        }
        List<Row> rows = new java.util.ArrayList<>();
        float[] x = new float[genes.length];
        for (int i = 0; i < 70; i++) { // slide "a": the first 70 cells; slide "zeros": three empty cells between them
            spatial.counts().copyRow(i, x, 0);
            rows.add(row("a", spatial.cells()[i], x));
            if (i % 30 == 0) {
                rows.add(row("zeros", "z" + i, new float[genes.length]));
            }
        }
        Path table = dir.resolve("cells.parquet");
        spark.createDataFrame(rows, DataTypes.createStructType(fields)).coalesce(1).write().parquet(table.toString());
        Path fileA = dir.resolve("a-file.h5ad");
        writeRows(fileA, spatial, 0, 70, genes);

        Path out = dir.resolve("out");
        assertEquals(1, ImputeSlidesJob.execute("--model", model.toString(), "--cells", table.toString(), "--out-dir",
                out.toString()));
        List<String> report = Files.readAllLines(out.resolve("report.tsv"), StandardCharsets.UTF_8);
        assertEquals(3, report.size(), String.join("\n", report));
        assertRow(report.get(1), "a", "OK", "");
        assertRow(report.get(2), "zeros", "FAILED", "no cell has counts on the model's panel genes");

        Path single = dir.resolve("single-a.h5ad");
        assertEquals(0, GimviCli.execute("impute", "--model", model.toString(), "--spatial", fileA.toString(), "--out",
                single.toString(), "--quiet"));
        CellDataset expected = DatasetReaders.read(single);
        CellDataset actual = DatasetReaders.read(out.resolve("a.h5ad"));
        assertArrayEquals(expected.cells(), actual.cells(), "cells in table order");
        float[] e = new float[expected.genes().length];
        float[] a = new float[e.length];
        for (int i = 0; i < expected.cells().length; i++) {
            expected.counts().copyRow(i, e, 0);
            actual.counts().copyRow(i, a, 0);
            assertArrayEquals(e, a, "imputed values of cell " + i);
        }
    }

    /**
     * {@code --out-format parquet}: one table of every imputed slide's cells whose values, latent
     * positions and used flags equal the impute command's h5ad bit for bit; a bad slide fails alone
     * (no rows, a report line); no temporary folder is left. From JDK 24 on the job refuses Parquet
     * output before any work, with the reason, in one line.
     */
    @Test
    void aParquetTableHoldsTheImputeCommandsValues() throws IOException {
        CellDataset spatial = DatasetReaders.read(sim.resolve("spatial.h5ad"));
        Path a = sim.resolve("spatial.h5ad");
        Path b = dir.resolve("second.h5ad");
        writeRows(b, spatial, 20, 100, spatial.genes());
        Path lacking = dir.resolve("lacking.h5ad");
        String[] renamed = spatial.genes().clone();
        renamed[0] = "NotAModelGene";
        writeRows(lacking, spatial, 0, 30, renamed);
        Path slides = dir.resolve("slides.tsv");
        Files.writeString(slides, "slide\tpath\n" + "a\t" + a + "\n" + "lacking\t" + lacking + "\n" + "b\t" + b + "\n");
        Path out = dir.resolve("out");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldErr = System.err;
        int code;
        try {
            System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            code = ImputeSlidesJob.execute("--model", model.toString(), "--slides", slides.toString(), "--out-dir",
                    out.toString(), "--out-format", "parquet");
        } finally {
            System.setErr(oldErr);
        }
        if (Runtime.version().feature() >= 24) {
            assertEquals(2, code, err.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).strip().matches("gimvi-spark: --out-format parquet: .*"
                    + "Subject.getSubject.*JDK 17 or 21.*"), err.toString(StandardCharsets.UTF_8));
            assertFalse(Files.exists(out.resolve(ImputeSlidesJob.TABLE)));
            return;
        }
        assertEquals(1, code, "one slide failed: " + err.toString(StandardCharsets.UTF_8));
        List<String> report = Files.readAllLines(out.resolve("report.tsv"), StandardCharsets.UTF_8);
        assertEquals(4, report.size(), String.join("\n", report));
        assertRow(report.get(1), "a", "OK", "");
        assertRow(report.get(2), "lacking", "FAILED", "lacks 1: " + spatial.genes()[0]);
        assertRow(report.get(3), "b", "OK", "");
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(ImputeSlidesJob.TABLE, "report.tsv"), files.map(p -> p.getFileName().toString())
                    .sorted().toList(), "the table and the report, no temporary folder");
        }
        List<Row> table = spark.read().parquet(out.resolve(ImputeSlidesJob.TABLE).toString()).collectAsList();
        java.util.Map<String, Row> byCell = new java.util.HashMap<>();
        for (Row r : table) {
            assertTrue(byCell.put(r.getString(0) + "/" + r.getString(1), r) == null, "one row per cell");
        }
        assertEquals(spatial.cells().length + 80, table.size(), "every cell of the two imputed slides");
        for (String[] s : new String[][] {{"a", a.toString()}, {"b", b.toString()}}) {
            Path single = dir.resolve("single-" + s[0] + ".h5ad");
            assertEquals(0, GimviCli.execute("impute", "--model", model.toString(), "--spatial", s[1], "--out",
                    single.toString(), "--quiet"));
            CellDataset expected = org.gimvi.model.io.H5adReader.read(single,
                    new org.gimvi.model.io.H5adReader.Options("X", null, "X_gimvi")); // the latent space as coordinates
            org.gimvi.model.data.ObsColumn used = expected.obs().get("gimvi_used");
            Row first = byCell.get(s[0] + "/" + expected.cells()[0]);
            int genes = first.size() - 4;
            float[] x = new float[expected.genes().length];
            for (int i = 0; i < expected.cells().length; i++) {
                Row r = byCell.get(s[0] + "/" + expected.cells()[i]);
                expected.counts().copyRow(i, x, 0);
                float[] values = new float[genes];
                for (int j = 0; j < genes; j++) {
                    assertEquals(expected.genes()[j], r.schema().fields()[3 + j].name());
                    values[j] = r.getFloat(3 + j);
                }
                assertArrayEquals(java.util.Arrays.copyOf(x, genes), values, s[0] + ", cell " + i);
                List<Float> z = r.getList(3 + genes);
                float[] latent = new float[z.size()];
                for (int k = 0; k < latent.length; k++) {
                    latent[k] = z.get(k);
                }
                assertArrayEquals(expected.coordinates()[i], latent, s[0] + ", latent of cell " + i);
                boolean wasUsed = used instanceof org.gimvi.model.data.ObsColumn.Numeric n ? n.values()[i] != 0
                        : ((org.gimvi.model.data.ObsColumn.Categorical) used).value(i).equalsIgnoreCase("true");
                assertEquals(wasUsed, r.getBoolean(2), s[0] + ", used flag of cell " + i);
            }
        }
    }

    private static Row row(String slide, String cell, float[] values) {
        Object[] v = new Object[2 + values.length];
        v[0] = slide;
        v[1] = cell;
        for (int j = 0; j < values.length; j++) {
            v[2 + j] = values[j];
        }
        return RowFactory.create(v);
    }

    private static void assertRow(String row, String slide, String status, String reasonContains) {
        String[] f = row.split("\t", -1);
        assertEquals(7, f.length, row);
        assertEquals(slide, f[0], row);
        assertEquals(status, f[1], row);
        assertTrue(f[6].contains(reasonContains), row);
    }

    private static void writeRows(Path file, CellDataset d, int from, int to, String[] genes) throws IOException {
        float[][] x = new float[to - from][d.genes().length];
        for (int i = from; i < to; i++) {
            d.counts().copyRow(i, x[i - from], 0);
        }
        H5adWriter.write(file, new H5adWriter.Content(x, Arrays.copyOfRange(d.cells(), from, to), genes));
    }

    private static String[] names(int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = "cell" + i;
        }
        return s;
    }
}
