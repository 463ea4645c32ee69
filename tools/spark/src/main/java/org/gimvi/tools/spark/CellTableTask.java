package org.gimvi.tools.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.CellDataset;
import org.gimvi.tools.Progress;
import org.gimvi.tools.SavedModelImputation;

/**
 * An executor's share of a cells table (one row per cell: slide, cell name, one column per panel
 * gene), its rows sorted by slide and then by their place in the table: each slide's run of rows
 * becomes one in-memory slide imputed by {@link SavedModelImputation#imputeCells} into
 * {@code OUTDIR/SLIDE.h5ad} (or rows of the job's Parquet table, {@link OutputFormat#PARQUET}); each
 * slide fails or succeeds alone, as with slide files.
 */
final class CellTableTask implements FlatMapFunction<Iterator<Row>, SlideOutcome> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String modelName;
    private final SlideReading reading;
    private final String table;
    private final String[] genes;
    private final int[] geneFields;
    private final int slideField;
    private final int cellField; // -1: names are generated
    private final String outDir;
    private final boolean force;
    private final OutputFormat format;
    private final String outTable;

    CellTableTask(Broadcast<byte[]> model, String modelName, SlideReading reading, CellTableLayout layout,
                  String outDir, boolean force, OutputFormat format, String outTable) {
        this.format = format;
        this.outTable = outTable;
        this.model = model;
        this.modelName = modelName;
        this.reading = reading;
        this.table = layout.table();
        this.genes = layout.genes();
        this.geneFields = layout.geneFields();
        this.slideField = layout.slideField();
        this.cellField = layout.cellField();
        this.outDir = outDir;
        this.force = force;
    }

    @Override
    public Iterator<SlideOutcome> call(Iterator<Row> rows) throws java.io.IOException {
        SavedModelImputation imputation = SavedModelImputation.decode(model.value(), modelName, reading.settings());
        Progress silent = Progress.forCommand("gimvi-spark", true);
        List<SlideOutcome> results = new ArrayList<>();
        String current = null;
        List<float[]> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (rows.hasNext()) {
            Row r = rows.next();
            String slide = r.isNullAt(slideField) ? "" : r.getString(slideField); // "" fails as a name, alone
            if (current != null && !current.equals(slide)) {
                results.add(impute(imputation, current, values, names, silent));
                values.clear();
                names.clear();
            }
            current = slide;
            float[] v = new float[geneFields.length];
            for (int j = 0; j < v.length; j++) {
                Object o = r.get(geneFields[j]);
                v[j] = o == null ? Float.NaN : ((Number) o).floatValue(); // a missing value is refused below, named
            }
            values.add(v);
            names.add(cellField >= 0 ? String.valueOf(r.get(cellField)) : slide + "_" + names.size());
        }
        if (current != null) {
            results.add(impute(imputation, current, values, names, silent));
        }
        return results.iterator();
    }

    private SlideOutcome impute(SavedModelImputation imputation, String slide, List<float[]> values, List<String> names,
                                Progress progress) {
        long start = System.nanoTime();
        String source = table + "[slide=" + slide + "]";
        Slide s = new Slide(String.valueOf(slide), source);
        boolean parquet = format == OutputFormat.PARQUET;
        Path out = parquet ? Path.of(outTable) : Path.of(outDir).resolve(SlideTable.isName(slide) ? slide + ".h5ad"
                : "(none)");
        try {
            SlideTable.checkName(slide, table + ", column of slides");
            if (!parquet && Files.exists(out) && !force) {
                return SlideOutcome.of(SlideResult.failed(s, out.toString(), seconds(start), out + " already exists; "
                        + "pass --force to replace it"));
            }
            float[] data = new float[values.size() * genes.length];
            for (int i = 0; i < values.size(); i++) {
                System.arraycopy(values.get(i), 0, data, i * genes.length, genes.length);
            }
            CellDataset d = new CellDataset(slide, "parquet", new DenseCountMatrix(values.size(), genes.length, data),
                    genes.clone(), names.toArray(new String[0]), Map.of(), null);
            if (parquet) {
                return new SlideOutcome(SlideResult.ok(s, out.toString(), values.size(), seconds(start)),
                        ImputedTable.rows(slide, imputation.imputeCells(d, source, progress)));
            }
            int cells = imputation.imputeCells(d, source, out, progress);
            return SlideOutcome.of(SlideResult.ok(s, out.toString(), cells, seconds(start)));
        } catch (java.io.IOException | RuntimeException e) {
            return SlideOutcome.of(SlideResult.failed(s, out.toString(), seconds(start), e.getMessage() != null
                    ? e.getMessage() : e.toString()));
        } catch (OutOfMemoryError e) {
            return SlideOutcome.of(SlideResult.failed(s, out.toString(), seconds(start), source + ": out of memory "
                    + "imputing this slide; give executors more memory (--executor-memory)"));
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
