package org.gimvi.tools.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.gimvi.tools.Progress;
import org.gimvi.tools.SavedModelImputation;

/**
 * What an executor does with its partition of slides: decode the broadcast model once, then impute
 * each slide with {@link SavedModelImputation} (the impute command's own path) into
 * {@code OUTDIR/SLIDE.h5ad}. Each slide's failure — a panel lacking the model's genes, an unreadable
 * file, no usable cell, an existing output without --force — becomes that slide's report line, and
 * the next slide goes on. With {@link OutputFormat#PARQUET} the slide becomes rows of the job's table
 * ({@link ImputedTable}) instead of a file. The model is decoded per partition, not shared between a JVM's tasks, so
 * concurrent tasks never share a model's work buffers.
 */
final class SlideTask implements FlatMapFunction<Iterator<Slide>, SlideOutcome> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String modelName;
    private final SlideReading reading;
    private final String outDir;
    private final boolean force;
    private final OutputFormat format;
    private final String table; // the Parquet table's path, for the report

    SlideTask(Broadcast<byte[]> model, String modelName, SlideReading reading, String outDir, boolean force,
              OutputFormat format, String table) {
        this.format = format;
        this.table = table;
        this.model = model;
        this.modelName = modelName;
        this.reading = reading;
        this.outDir = outDir;
        this.force = force;
    }

    @Override
    public Iterator<SlideOutcome> call(Iterator<Slide> slides) throws IOException {
        SavedModelImputation imputation = SavedModelImputation.decode(model.value(), modelName, reading.settings());
        Progress silent = Progress.forCommand("gimvi-spark", true);
        return new Iterator<>() { // one slide at a time: a task holds one imputed slide, not its whole partition
            @Override
            public boolean hasNext() {
                return slides.hasNext();
            }

            @Override
            public SlideOutcome next() {
                return impute(imputation, slides.next(), silent);
            }
        };
    }

    private SlideOutcome impute(SavedModelImputation imputation, Slide slide, Progress progress) {
        if (format == OutputFormat.PARQUET) {
            return rows(imputation, slide, progress);
        }
        return SlideOutcome.of(file(imputation, slide, progress));
    }

    private SlideOutcome rows(SavedModelImputation imputation, Slide slide, Progress progress) {
        long start = System.nanoTime();
        try {
            SavedModelImputation.Imputed imp = imputation.imputeSlide(Path.of(slide.path()), progress);
            return new SlideOutcome(SlideResult.ok(slide, table, imp.slide().cells().length, seconds(start)),
                    ImputedTable.rows(slide.name(), imp));
        } catch (RuntimeException e) {
            return SlideOutcome.of(SlideResult.failed(slide, table, seconds(start), e.getMessage() != null
                    ? e.getMessage() : e.toString()));
        } catch (OutOfMemoryError e) {
            return SlideOutcome.of(SlideResult.failed(slide, table, seconds(start), slide.path() + ": out of memory "
                    + "imputing this slide; give executors more memory (--executor-memory) or split the slide"));
        }
    }

    private SlideResult file(SavedModelImputation imputation, Slide slide, Progress progress) {
        long start = System.nanoTime();
        Path out = Path.of(outDir).resolve(slide.name() + ".h5ad");
        Path in = Path.of(slide.path());
        try {
            if (Files.exists(out) && !force) {
                return SlideResult.failed(slide, out.toString(), seconds(start), out + " already exists; pass --force "
                        + "to replace it");
            }
            if (Files.exists(in) && Files.exists(out) && Files.isSameFile(in, out)) {
                return SlideResult.failed(slide, out.toString(), seconds(start), out + " is the slide's input; refusing "
                        + "to overwrite it — write the outputs to another --out-dir");
            }
            int cells = imputation.imputeSlide(in, out, progress);
            return SlideResult.ok(slide, out.toString(), cells, seconds(start));
        } catch (IOException | RuntimeException e) {
            // the readers' and the imputation's errors already name the file and the fix
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            return SlideResult.failed(slide, out.toString(), seconds(start), why);
        } catch (OutOfMemoryError e) {
            return SlideResult.failed(slide, out.toString(), seconds(start), in + ": out of memory imputing this slide; "
                    + "give executors more memory (--executor-memory) or split the slide");
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
