package org.gimvi.tools.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.InputFormatException;
import org.gimvi.tools.SavedModelImputation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark-submit --class org.gimvi.tools.spark.ImputeSlidesJob gimvi-spark.jar …}: imputes many
 * spatial slides with one trained model. The driver reads the slides table and the model (refusing
 * a wrong one before any work), broadcasts the model's bytes, and gives every slide its own
 * partition; executors impute with the impute command's own path, so each {@code OUTDIR/SLIDE.h5ad}
 * is the file {@code gimvi impute --model M --spatial PATH} writes. The report lists every slide
 * with its status; a bad slide fails alone.
 */
@Command(name = "gimvi-spark", mixinStandardHelpOptions = true, version = "gimvi-java 0.1.0",
        description = "Impute every slide of a table (slide files, or a Parquet table of cells) with a trained gimVI "
                + "model on Spark; one .h5ad per slide and a report of every slide's status.")
public final class ImputeSlidesJob implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A trained model (.gimvi, from 'gimvi train').")
    Path model;

    @Option(names = "--slides", description = "Slides table (.tsv or .csv) with columns 'slide' (a name: output "
            + "SLIDE.h5ad) and 'path' (h5ad, loom, 10x folder or text table; relative to the table).")
    Path slides;

    @Option(names = "--cells", paramLabel = "PARQUET", description = "Instead of --slides: a Parquet table of cells, "
            + "one row per cell with its slide (--slide-column), its name (--cell-column) and one numeric column per "
            + "panel gene.")
    String cells;

    @Option(names = "--slide-column", defaultValue = "slide", description = "--cells: the slide column. "
            + "Default: ${DEFAULT-VALUE}.")
    String slideColumn;

    @Option(names = "--cell-column", defaultValue = "cell", description = "--cells: the cell-name column (names "
            + "SLIDE_i are made when it is absent). Default: ${DEFAULT-VALUE}.")
    String cellColumn;

    @Option(names = "--out-dir", required = true, description = "Folder for the SLIDE.h5ad outputs (created if absent; "
            + "on a cluster a file system every executor sees).")
    Path outDir;

    @Option(names = "--report", description = "The per-slide report (.tsv). Default: OUT_DIR/report.tsv.")
    Path report;

    @Option(names = "--layer", description = "h5ad slides: read this layer (or 'raw') instead of X.")
    String layer;

    @Option(names = "--gene-column", description = "Gene names from this var column / loom row attribute.")
    String geneColumn;

    @Option(names = "--orientation", defaultValue = "AUTO", description = "Text-table slides: CELLS_BY_GENES, "
            + "GENES_BY_CELLS or AUTO. Default: ${DEFAULT-VALUE}.")
    DatasetReaders.Orientation orientation;

    @Option(names = "--case-sensitive", description = "Match gene names exactly, case included.")
    boolean caseSensitive;

    @Option(names = "--seed", defaultValue = "0", description = "Seed recorded in each output. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--force", description = "Replace existing outputs.")
    boolean force;

    @Option(names = "--master", description = "Spark master when not started by spark-submit (e.g. local[2]); "
            + "spark-submit's --master is used otherwise.")
    String master;

    @Override
    public Integer call() throws IOException {
        if ((slides == null) == (cells == null)) {
            throw new IllegalArgumentException("give either --slides (a table of slide files) or --cells (a Parquet "
                    + "table of cells), not " + (slides == null ? "neither" : "both"));
        }
        List<Slide> table = slides != null ? SlideTable.read(slides) : null;
        Path reportFile = report != null ? report : outDir.resolve("report.tsv");
        checkOutputs(reportFile);
        SlideReading reading = new SlideReading(layer, geneColumn, orientation, caseSensitive, seed);
        SavedModelImputation.load(model, reading.settings()); // a wrong model is refused here, once, not per slide
        byte[] modelBytes = Files.readAllBytes(model);
        Files.createDirectories(outDir);

        SparkSession.Builder builder = SparkSession.builder().appName("gimvi-impute-slides");
        if (master != null) {
            builder.master(master);
        }
        SparkSession spark = builder.getOrCreate();
        long start = System.nanoTime();
        List<SlideResult> results;
        try {
            results = table != null ? run(spark, table, modelBytes, model.toString(), reading, outDir.toString(), force)
                    : runCells(spark, modelBytes, reading);
        } finally {
            if (master != null) {
                spark.stop(); // a session we started; under spark-submit the launcher owns it
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        SlideReport.write(reportFile, results);
        return summarise(results, seconds, reportFile);
    }

    /** Imputes the slides, one partition each, and returns every slide's result in table order. */
    static List<SlideResult> run(SparkSession spark, List<Slide> table, byte[] modelBytes, String modelName,
                                 SlideReading reading, String outDir, boolean force) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> shipped = sc.broadcast(modelBytes);
        try {
            return sc.parallelize(table, table.size())
                    .mapPartitions(new SlideTask(shipped, modelName, reading, outDir, force))
                    .collect();
        } finally {
            shipped.destroy();
        }
    }

    /**
     * The cells table's slides: rows hashed by slide over the default parallelism, sorted by slide and
     * then by their place in the table, so each slide is one run of rows; results sorted by slide name.
     */
    private List<SlideResult> runCells(SparkSession spark, byte[] modelBytes, SlideReading reading) {
        Dataset<Row> df;
        try {
            df = spark.read().parquet(cells);
        } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes but thrown unchecked by Scala
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            if (why.contains("getSubject")) {
                throw new IllegalArgumentException("--cells " + cells + ": Spark reads Parquet through Hadoop's file "
                        + "system, whose UserGroupInformation calls Subject.getSubject, unsupported from JDK 24 on; run "
                        + "a --cells job on JDK 17 or 21 (slide files, --slides, work on any JDK 17+)");
            }
            throw new IllegalArgumentException(cells + ": cannot be read as a Parquet table (" + why + ")");
        }
        CellTableLayout layout = CellTableLayout.of(cells, df.schema(), slideColumn, cellColumn);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> shipped = sc.broadcast(modelBytes);
        try {
            String order = "_gimvi_row";
            List<SlideResult> results = new java.util.ArrayList<>(df.withColumn(order, functions.monotonically_increasing_id())
                    .repartition(sc.defaultParallelism(), functions.col(slideColumn)) // a slide's rows together
                    .sortWithinPartitions(functions.col(slideColumn), functions.col(order))
                    .javaRDD()
                    .mapPartitions(new CellTableTask(shipped, model.toString(), reading, layout, outDir.toString(), force))
                    .collect());
            if (results.isEmpty()) {
                throw new IllegalArgumentException(cells + ": the table has no rows");
            }
            results.sort(java.util.Comparator.comparing(SlideResult::slide));
            return results;
        } finally {
            shipped.destroy();
        }
    }

    private void checkOutputs(Path reportFile) {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException("--out-dir " + outDir + " is a file; give a folder");
        }
        if (Files.isDirectory(reportFile)) {
            throw new IllegalArgumentException("--report " + reportFile + " is a folder; give a file name, e.g. "
                    + reportFile.resolve("report.tsv"));
        }
        if (Files.exists(reportFile) && !force) {
            throw new IllegalArgumentException("--report " + reportFile + " already exists; pass --force to replace it");
        }
    }

    private static int summarise(List<SlideResult> results, double seconds, Path reportFile) {
        long cells = 0;
        int ok = 0;
        for (SlideResult r : results) {
            if (r.status() == SlideResult.Status.OK) {
                ok++;
                cells += r.cells();
            } else {
                System.err.println("gimvi-spark: slide " + r.slide() + " FAILED: " + r.message());
            }
        }
        System.out.printf(Locale.ROOT, "imputed %d of %d slides (%d cells) in %.1f s (%.0f cells/s); report: %s%n", ok,
                results.size(), cells, seconds, cells / Math.max(seconds, 1e-9), reportFile);
        return ok == results.size() ? 0 : 1;
    }

    public static void main(String[] args) {
        int code = execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the job's command line: 0 when every slide was imputed, 1 when some failed (the report
     * says which and why), 2 for bad arguments or inputs refused before any work — one line each,
     * never a stack trace.
     */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new ImputeSlidesJob());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            if (ex instanceof InputFormatException || ex instanceof IllegalArgumentException
                    || ex instanceof IllegalStateException || ex instanceof IOException) {
                line.getErr().println("gimvi-spark: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, arguments) -> {
            ex.getCommandLine().getErr().println("gimvi-spark: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        return cl.execute(args);
    }
}
