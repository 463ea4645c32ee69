package org.gimvi.benchmarks.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.io.H5adWriter;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;
import org.gimvi.tools.GimviCli;
import org.gimvi.tools.Progress;
import org.gimvi.tools.SavedModelImputation;
import org.gimvi.tools.spark.ImputeSlidesJob;

/**
 * Many slides, one model: imputes CELLS simulated spatial cells split into SLIDES slides (h5ad
 * files) once in a single process — {@code gimvi impute --model}'s path, slide after slide, in one
 * JVM — and once with the Spark job in {@code local[2]}, and prints cells per second for both; the
 * two outputs of every slide are also compared byte for byte; then once more with the job's Parquet
 * output, whose first slide's values are compared with its h5ad bit for bit. A benchmark main, not a test: run it
 * with Spark on the class path (see benchmarks/README.md).
 *
 * <pre>java … SparkSlidesBenchmark WORKDIR [CELLS=1000000] [SLIDES=20] [MASTER=local[2]]</pre>
 */
public final class SparkSlidesBenchmark {
    private SparkSlidesBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SparkSlidesBenchmark WORKDIR [CELLS=1000000] [SLIDES=20] [MASTER=local[2]]");
            System.exit(2);
        }
        Path work = Path.of(args[0]);
        int cells = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int slides = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String master = args.length > 3 ? args[3] : "local[2]";
        Files.createDirectories(work);

        long t = System.nanoTime();
        Path model = work.resolve("model.gimvi");
        Path table = work.resolve("slides.tsv");
        writeInputs(work, cells, slides, model, table);
        System.out.printf(Locale.ROOT, "inputs: %d cells in %d slides, model trained (%.1f s)%n", cells, slides,
                secs(t));

        Path single = work.resolve("single");
        Files.createDirectories(single);
        t = System.nanoTime();
        SavedModelImputation imputation = SavedModelImputation.load(model, SavedModelImputation.Settings.defaults());
        Progress quiet = Progress.forCommand("benchmark", true);
        for (int s = 0; s < slides; s++) {
            imputation.imputeSlide(work.resolve(slideName(s) + ".in.h5ad"), single.resolve(slideName(s) + ".h5ad"),
                    quiet);
        }
        double singleSeconds = secs(t);
        System.out.printf(Locale.ROOT, "single process: %.1f s, %.0f cells/s%n", singleSeconds, cells / singleSeconds);

        Path spark = work.resolve("spark");
        t = System.nanoTime();
        int code = ImputeSlidesJob.execute("--model", model.toString(), "--slides", table.toString(), "--out-dir",
                spark.toString(), "--master", master, "--force");
        double sparkSeconds = secs(t);
        System.out.printf(Locale.ROOT, "spark %s (exit %d, session start and stop included): %.1f s, %.0f cells/s%n",
                master, code, sparkSeconds, cells / sparkSeconds);

        int same = 0;
        for (int s = 0; s < slides; s++) {
            if (Arrays.equals(Files.readAllBytes(single.resolve(slideName(s) + ".h5ad")),
                    Files.readAllBytes(spark.resolve(slideName(s) + ".h5ad")))) {
                same++;
            }
        }
        System.out.printf(Locale.ROOT, "outputs byte-identical: %d of %d slides%n", same, slides);

        Path parquet = work.resolve("spark-parquet");
        t = System.nanoTime();
        code = ImputeSlidesJob.execute("--model", model.toString(), "--slides", table.toString(), "--out-dir",
                parquet.toString(), "--master", master, "--force", "--out-format", "parquet");
        double parquetSeconds = secs(t);
        System.out.printf(Locale.ROOT, "spark %s, --out-format parquet (exit %d, session start and stop included): "
                + "%.1f s, %.0f cells/s%n", master, code, parquetSeconds, cells / parquetSeconds);
        compareTable(parquet.resolve("imputed.parquet"), single.resolve(slideName(0) + ".h5ad"), slideName(0), master);
    }

    /** Rows of the Parquet table, and one slide's values and latent positions against its h5ad, bit for bit. */
    private static void compareTable(Path table, Path h5ad, String slide, String master) {
        org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().master(master)
                .appName("gimvi-benchmark-check").getOrCreate();
        try {
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df = spark.read().parquet(table.toString());
            long rows = df.count();
            java.util.List<org.apache.spark.sql.Row> one = df.filter(df.col("slide").equalTo(slide)).collectAsList();
            org.gimvi.model.data.CellDataset expected = org.gimvi.model.io.H5adReader.read(h5ad,
                    new org.gimvi.model.io.H5adReader.Options("X", null, "X_gimvi"));
            java.util.Map<String, Integer> at = new java.util.HashMap<>();
            for (int i = 0; i < expected.cells().length; i++) {
                at.put(expected.cells()[i], i);
            }
            float[] x = new float[expected.genes().length];
            long differing = 0;
            for (org.apache.spark.sql.Row r : one) {
                int i = at.get(r.getString(1));
                expected.counts().copyRow(i, x, 0);
                int genes = r.size() - 4;
                for (int j = 0; j < genes; j++) {
                    differing += Float.floatToIntBits(x[j]) != Float.floatToIntBits(r.getFloat(3 + j)) ? 1 : 0;
                }
                java.util.List<Float> z = r.getList(3 + genes);
                for (int k = 0; k < z.size(); k++) {
                    differing += Float.floatToIntBits(expected.coordinates()[i][k])
                            != Float.floatToIntBits(z.get(k)) ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "parquet table: %d rows; %s: %d rows, %d values differing from its h5ad%n",
                    rows, slide, one.size(), differing);
        } finally {
            spark.stop();
        }
    }

    /** Simulates one pair with CELLS spatial cells, writes the slides, trains a small model on a slice of them. */
    private static void writeInputs(Path work, int cells, int slides, Path model, Path table) throws IOException {
        SimulatorConfig c = new SimulatorConfig();
        c.seqCells = 1500;
        c.spatialCells = cells;
        SimulatedPair p = TissueSimulator.simulate(c);
        Path seq = work.resolve("seq.h5ad");
        H5adWriter.write(seq, new H5adWriter.Content(rows(p.seqCounts(), 0, c.seqCells), names("seq", 0, c.seqCells),
                p.seqGenes()));
        StringBuilder tsv = new StringBuilder("slide\tpath\n");
        int per = (cells + slides - 1) / slides;
        for (int s = 0; s < slides; s++) {
            int from = Math.min(cells, s * per);
            int to = Math.min(cells, from + per);
            Path file = work.resolve(slideName(s) + ".in.h5ad");
            H5adWriter.write(file, new H5adWriter.Content(rows(p.spatialCounts(), from, to), names("cell", from, to),
                    p.spatialGenes()));
            tsv.append(slideName(s)).append('\t').append(file).append('\n');
        }
        Files.writeString(table, tsv.toString(), StandardCharsets.UTF_8);
        // the model trains on a 1,500-cell slice: this measures imputation, not training
        Path trainingSlide = work.resolve("training-slide.h5ad");
        int slice = Math.min(cells, 1500);
        H5adWriter.write(trainingSlide, new H5adWriter.Content(rows(p.spatialCounts(), 0, slice), names("cell", 0, slice),
                p.spatialGenes()));
        int code = GimviCli.execute("train", "--seq", seq.toString(), "--spatial", trainingSlide.toString(),
                "--epochs", "20", "--rounds", "1",
                "--save-model", model.toString(), "--force", "--quiet");
        if (code != 0) {
            throw new IllegalStateException("training the benchmark's model failed (exit " + code + ")");
        }
    }

    private static String slideName(int s) {
        return String.format(Locale.ROOT, "slide%02d", s);
    }

    private static float[][] rows(DenseCountMatrix m, int from, int to) {
        float[][] r = new float[to - from][m.cols()];
        for (int i = from; i < to; i++) {
            m.copyRow(i, r[i - from], 0);
        }
        return r;
    }

    private static String[] names(String prefix, int from, int to) {
        String[] s = new String[to - from];
        for (int i = from; i < to; i++) {
            s[i - from] = prefix + i;
        }
        return s;
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
