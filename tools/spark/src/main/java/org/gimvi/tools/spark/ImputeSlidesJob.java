package org.gimvi.tools.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.InputFormatException;
import org.gimvi.tools.SavedModelImputation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark-submit --class org.gimvi.tools.spark.ImputeSlidesJob gimvi-spark-all.jar …}: imputes many
 * spatial slides with one trained model. The driver reads the slides table and the model (refusing
 * a wrong one before any work), broadcasts the model's bytes, and gives every slide its own
 * partition; executors impute with the impute command's own path, so each {@code OUTDIR/SLIDE.h5ad}
 * is the file {@code gimvi impute --model M --spatial PATH} writes — or, with
 * {@code --out-format parquet}, every slide's cells are rows of one Parquet table
 * {@code OUTDIR/imputed.parquet} ({@link ImputedTable}), written to a temporary folder beside it and
 * renamed into place once complete. The report lists every slide with its status; a bad slide
 * fails alone.
 */
@Command(name = "gimvi-spark", mixinStandardHelpOptions = true, version = "gimvi-java 0.1.0",
        description = "Impute every slide of a table (slide files, or a Parquet table of cells) with a trained gimVI "
                + "model on Spark; one .h5ad per slide (or one Parquet table of every cell) and a report of every "
                + "slide's status.")
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

    @Option(names = "--out-dir", required = true, description = "Folder for the SLIDE.h5ad outputs or the Parquet "
            + "table, and the report (created if absent; on a cluster a file system every executor sees).")
    Path outDir;

    @Option(names = "--out-format", defaultValue = "h5ad", description = "h5ad: OUT_DIR/SLIDE.h5ad per slide (the "
            + "file 'gimvi impute --model' writes); parquet: one table OUT_DIR/" + TABLE + " with a row per cell "
            + "(slide, cell, gimvi_used, one float column per reference gene, X_gimvi: the latent space). "
            + "Default: ${DEFAULT-VALUE}.", converter = FormatConverter.class)
    OutputFormat outFormat;

    /** The Parquet table's name inside OUT_DIR. */
    static final String TABLE = "imputed.parquet";

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
        // a wrong model is refused here, once, not per slide
        SavedModelImputation loaded = SavedModelImputation.load(model, reading.settings());
        StructType schema = null;
        if (outFormat == OutputFormat.PARQUET) {
            checkParquetRuns("--out-format parquet");
            schema = ImputedTable.schema(loaded.outputGenes(), model.toString());
        }
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
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Broadcast<byte[]> shipped = sc.broadcast(modelBytes);
            try {
                String tableOut = outDir.resolve(TABLE).toString();
                JavaRDD<SlideOutcome> outcomes = table != null
                        ? sc.parallelize(table, table.size()).mapPartitions(new SlideTask(shipped, model.toString(),
                                reading, outDir.toString(), force, outFormat, tableOut))
                        : runCells(spark, shipped, reading, tableOut);
                results = outFormat == OutputFormat.PARQUET ? writeTable(spark, outcomes, schema, outDir.resolve(TABLE))
                        : outcomes.map(SlideOutcome::result).collect();
                if (results.isEmpty() && cells != null) {
                    throw new IllegalArgumentException(cells + ": the table has no rows");
                }
                results = inTableOrder(results, table);
            } finally {
                shipped.destroy();
            }
        } finally {
            if (master != null) {
                spark.stop(); // a session we started; under spark-submit the launcher owns it
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        SlideReport.write(reportFile, results);
        return summarise(results, seconds, reportFile);
    }

    /**
     * The cells table's slides: rows hashed by slide over the default parallelism, sorted by slide and
     * then by their place in the table, so each slide is one run of rows.
     */
    private JavaRDD<SlideOutcome> runCells(SparkSession spark, Broadcast<byte[]> shipped, SlideReading reading,
                                           String tableOut) {
        Dataset<Row> df;
        try {
            df = spark.read().parquet(cells);
        } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes but thrown unchecked by Scala
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            if (why.contains("getSubject")) {
                checkParquetRuns("--cells " + cells);
            }
            throw new IllegalArgumentException(cells + ": cannot be read as a Parquet table (" + why + ")");
        }
        CellTableLayout layout = CellTableLayout.of(cells, df.schema(), slideColumn, cellColumn);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String order = "_gimvi_row";
        return df.withColumn(order, functions.monotonically_increasing_id())
                .repartition(sc.defaultParallelism(), functions.col(slideColumn)) // a slide's rows together
                .sortWithinPartitions(functions.col(slideColumn), functions.col(order))
                .javaRDD()
                .mapPartitions(new CellTableTask(shipped, model.toString(), reading, layout, outDir.toString(), force,
                        outFormat, tableOut));
    }

    /**
     * Writes every imputed slide's rows as one Parquet table: into a temporary folder beside
     * {@code target}, renamed into place only when Spark has committed all of it (a replaced table
     * is moved aside first and deleted after). Each slide's result reaches the driver through an
     * accumulator filled in the write's own tasks (kept once per slide, should a task run twice).
     */
    private List<SlideResult> writeTable(SparkSession spark, JavaRDD<SlideOutcome> outcomes, StructType schema,
                                         Path target) throws IOException {
        CollectionAccumulator<SlideResult> reported = spark.sparkContext().collectionAccumulator("gimvi slides");
        JavaRDD<Row> rows = outcomes.flatMap(rowsReporting(reported));
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + java.util.UUID.randomUUID());
        try {
            // imputed values are nearly all distinct: dictionary pages would cost time for no smaller file
            // (measured: same size, the write's time cut from 72.6 s to 42.4 s for 200,000 cells × 150 genes)
            spark.createDataFrame(rows, schema).write().option("parquet.enable.dictionary", "false")
                    .parquet(tmp.toString());
            AtomicFolders.replace(tmp, target);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) { // a failed Spark job (SparkException: checked for Java, thrown undeclared by Scala)
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalStateException(target + ": writing the Parquet table failed (" + why + "); nothing was "
                    + "written");
        } finally {
            AtomicFolders.deleteIfExists(tmp);
        }
        java.util.Map<String, SlideResult> once = new java.util.LinkedHashMap<>();
        for (SlideResult r : reported.value()) {
            once.putIfAbsent(r.slide(), r);
        }
        return new java.util.ArrayList<>(once.values());
    }

    /** The rows of each outcome, its result sent to the driver (static: the closure must not hold the job). */
    private static FlatMapFunction<SlideOutcome, Row> rowsReporting(CollectionAccumulator<SlideResult> reported) {
        return o -> {
            reported.add(o.result());
            return o.rows().iterator();
        };
    }

    /** Results in the slides table's order, or sorted by slide name for a cells table. */
    private static List<SlideResult> inTableOrder(List<SlideResult> results, List<Slide> table) {
        List<SlideResult> sorted = new java.util.ArrayList<>(results);
        if (table == null) {
            sorted.sort(java.util.Comparator.comparing(SlideResult::slide));
            return sorted;
        }
        java.util.Map<String, Integer> place = new java.util.HashMap<>();
        for (int i = 0; i < table.size(); i++) {
            place.putIfAbsent(table.get(i).name(), i);
        }
        sorted.sort(java.util.Comparator.comparing(r -> place.getOrDefault(r.slide(), Integer.MAX_VALUE)));
        return sorted;
    }

    /**
     * Spark's Parquet reading and writing go through Hadoop's file system, whose
     * UserGroupInformation calls {@code Subject.getSubject}: unsupported from JDK 24 on.
     */
    private static void checkParquetRuns(String what) {
        if (Runtime.version().feature() >= 24) {
            throw new IllegalArgumentException(what + ": Spark reads and writes Parquet through Hadoop's file system, "
                    + "whose UserGroupInformation calls Subject.getSubject, unsupported from JDK 24 on; run Parquet "
                    + "jobs on JDK 17 or 21 (slide files in, h5ad files out, work on any JDK 17+)");
        }
    }

    private void checkOutputs(Path reportFile) {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new IllegalArgumentException("--out-dir " + outDir + " is a file; give a folder");
        }
        Path tableOut = outDir.resolve(TABLE);
        if (outFormat == OutputFormat.PARQUET && Files.exists(tableOut) && !force) {
            throw new IllegalArgumentException("--out-format parquet: " + tableOut + " already exists; pass --force to "
                    + "replace it");
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

    /** {@code h5ad} or {@code parquet}, in any case. */
    static final class FormatConverter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an output format; choose h5ad "
                        + "or parquet");
            }
        }
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
