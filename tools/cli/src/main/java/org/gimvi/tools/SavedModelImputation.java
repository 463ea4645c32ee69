package org.gimvi.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Posterior;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.CellFilter;
import org.gimvi.model.data.CountValues;
import org.gimvi.model.data.GeneMatching;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.ModelFormat;
import org.gimvi.model.gimvi.ModelFormatException;
import org.gimvi.model.gimvi.Scale;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.ModelFile;

/**
 * {@code gimvi impute --model}'s work as one reusable step: a trained model encodes one spatial
 * slide of its panel and the slide is written back as AnnData ({@link ImputedOutput}). The impute
 * command and the Spark job ({@code tools/spark}) both go through here, so a slide imputed on a
 * cluster is the same file, byte for byte, as the one the command writes.
 */
public final class SavedModelImputation {

    /**
     * How slides are read and matched to the model's panel.
     *
     * @param spatialReading how a slide file is read (layer, gene column, text-table orientation)
     * @param caseRule       the gene-name rule between the slide and the model's genes
     * @param seed           the seed recorded with the output (imputation itself uses posterior means)
     * @param backend        the compute backend that encodes and decodes ({@code simd}, {@code opencl[:N]})
     */
    public record Settings(DatasetReaders.Options spatialReading, GeneMatching.CaseRule caseRule, long seed,
                           String backend) {
        /** On the CPU's SIMD backend. */
        public Settings(DatasetReaders.Options spatialReading, GeneMatching.CaseRule caseRule, long seed) {
            this(spatialReading, caseRule, seed, "simd");
        }

        /** The command's defaults: X of an h5ad, the var index, exact names first then unambiguous case. */
        public static Settings defaults() {
            return new Settings(DatasetReaders.Options.defaults(), GeneMatching.CaseRule.EXACT_THEN_UNAMBIGUOUS_CASE, 0);
        }
    }

    private final Gimvi model;
    private final String modelName;
    private final Settings settings;

    private SavedModelImputation(Gimvi model, String modelName, Settings settings) {
        if (!model.isTrained()) {
            throw new IllegalArgumentException(modelName + ": the model was saved before training; train it with "
                    + "'gimvi train' first");
        }
        this.model = model;
        this.modelName = modelName;
        this.settings = settings;
    }

    /** Reads a {@code .gimvi} file; {@code model.toString()} is recorded in each output's provenance. */
    public static SavedModelImputation load(Path model, Settings settings) throws IOException {
        return new SavedModelImputation(ModelFile.load(model, GimviOptions.defaults().withSeed(settings.seed())
                        .withBackend(settings.backend())),
                model.toString(), settings);
    }

    /**
     * A model from the bytes of a {@code .gimvi} file (how the Spark job ships one model to every
     * executor); {@code modelName} is the file it came from, for messages and provenance.
     */
    public static SavedModelImputation decode(byte[] modelBytes, String modelName, Settings settings)
            throws IOException {
        try {
            return new SavedModelImputation(ModelFormat.decode(modelBytes, GimviOptions.defaults()
                    .withSeed(settings.seed()).withBackend(settings.backend())), modelName, settings);
        } catch (ModelFormatException e) {
            throw new IllegalArgumentException(modelName + ": " + e.getMessage());
        }
    }

    /**
     * Imputes every reference gene for one slide file and writes it to {@code out} (atomically: a
     * failure leaves no partial file).
     *
     * @return the slide's cells (all are written; cells without counts on the panel are flagged)
     * @throws IllegalArgumentException naming the slide when it lacks panel genes or has no usable cell
     */
    public int imputeSlide(Path spatial, Path out, Progress progress) throws IOException {
        return write(imputeSlide(spatial, progress), out, progress);
    }

    /**
     * What the model made of one slide, before it is written: the slide as read, the model's output
     * genes, the rows it encoded and their imputed values and latent positions — the numbers the
     * slide's h5ad holds in {@code X} and {@code obsm['X_gimvi']} (rows not encoded are zeros there).
     */
    public static final class Imputed {
        private final CellDataset slide;
        private final Path spatial;
        private final String[] outputGenes;
        private final int[] usedRows;
        private final FMatrixRMaj values;
        private final FMatrixRMaj latent;
        private final ImputedOutput.Layout layout;

        Imputed(CellDataset slide, Path spatial, String[] outputGenes, int[] usedRows, FMatrixRMaj values,
                FMatrixRMaj latent, ImputedOutput.Layout layout) {
            this.slide = slide;
            this.spatial = spatial;
            this.outputGenes = outputGenes;
            this.usedRows = usedRows;
            this.values = values;
            this.latent = latent;
            this.layout = layout;
        }

        /** The slide as read: every input cell, in input order. */
        public CellDataset slide() {
            return slide;
        }

        /** The genes of {@link #values()}' columns (the model's reference genes). */
        public String[] outputGenes() {
            return outputGenes.clone();
        }

        /** Slide rows the model encoded, ascending; row r of values and latent is slide row usedRows[r]. */
        public int[] usedRows() {
            return usedRows.clone();
        }

        /** Encoded cells × output genes: expected counts. */
        public FMatrixRMaj values() {
            return values;
        }

        /** Encoded cells × latent dimensions: the posterior mean of z. */
        public FMatrixRMaj latent() {
            return latent;
        }

        Path spatial() {
            return spatial;
        }

        ImputedOutput.Layout layout() {
            return layout;
        }
    }

    /** The model's output (reference) genes: the imputed columns, in order. */
    public String[] outputGenes() {
        return model.outputGenes().clone();
    }

    /** Dimensions of the model's latent space. */
    public int latentDimensions() {
        return model.module().latent();
    }

    /** Reads and imputes one slide file without writing it (e.g. into the rows of a table). */
    public Imputed imputeSlide(Path spatial, Progress progress) {
        Likelihood likelihood = model.module().spec(1).likelihood();
        CellDataset slide = Inputs.read(spatial, settings.spatialReading(), likelihood, progress);
        return impute(slide, spatial, progress);
    }

    /**
     * Imputes a slide already in memory (e.g. one slide's rows of a table), checked as a file's
     * values are: finite, and ≥ 0 under a count likelihood.
     *
     * @param source how messages and the output's provenance name the slide
     */
    public int imputeCells(CellDataset slide, String source, Path out, Progress progress) throws IOException {
        return write(imputeCells(slide, source, progress), out, progress);
    }

    /** As {@link #imputeCells(CellDataset, String, Path, Progress)}, without writing. */
    public Imputed imputeCells(CellDataset slide, String source, Progress progress) {
        Likelihood likelihood = model.module().spec(1).likelihood();
        CountValues.check(slide.counts(), slide.genes(), slide.cells(), source,
                likelihood.countsOnly() ? CountValues.Sign.NON_NEGATIVE : CountValues.Sign.ANY);
        return impute(slide, Path.of(source), progress);
    }

    private Imputed impute(CellDataset slide, Path spatial, Progress progress) {
        Likelihood likelihood = model.module().spec(1).likelihood();
        String[] needed = model.datasetGenes(1);
        GeneMatching.Result r = GeneMatching.match(needed, slide.genes(), settings.caseRule());
        if (!r.missing().isEmpty()) {
            throw new IllegalArgumentException(spatial + ": the model needs the " + needed.length + " genes of its spatial "
                    + "panel; this slide lacks " + r.missing().size() + ": " + GeneMatching.preview(r.missing()));
        }
        int[] columns = r.positions();
        DenseCountMatrix panel = DenseCountMatrix.zeros(slide.counts().rows(), columns.length);
        float[] row = new float[slide.counts().cols()];
        for (int i = 0; i < panel.rows(); i++) {
            slide.counts().copyRow(i, row, 0);
            for (int j = 0; j < columns.length; j++) {
                panel.set(i, j, row[columns[j]]);
            }
        }
        int[] used = likelihood.countsOnly() ? CellFilter.nonEmptyRows(panel, null) : all(panel.rows());
        if (used.length == 0) {
            throw new IllegalArgumentException(spatial + ": no cell has counts on the model's panel genes");
        }
        if (used.length < panel.rows()) {
            progress.note(String.format(Locale.ROOT, "%d of %d cells have no counts on the panel genes; they are kept "
                    + "in the output with obs['gimvi_used'] = False", panel.rows() - used.length, panel.rows()));
        }
        DenseCountMatrix usedPanel = panel.selectRows(used);
        String[] usedNames = new String[used.length];
        for (int i = 0; i < used.length; i++) {
            usedNames[i] = slide.cells()[used[i]];
        }
        Inputs.checkModellable(usedPanel, needed, usedNames, spatial, likelihood);
        progress.step("imputing");
        FMatrixRMaj imputed = model.imputedValues(1, usedPanel, null, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN);
        FMatrixRMaj latent = model.latent(1, usedPanel, null, Posterior.MEAN);
        ImputedOutput.Layout layout = ImputedOutput.Layout.of(slide.genes(), model.outputGenes(), columns,
                settings.caseRule(), spatial.toString());
        return new Imputed(slide, spatial, model.outputGenes(), used, imputed, latent, layout);
    }

    /** Writes an imputed slide as the impute command's h5ad; returns its cells. */
    private int write(Imputed imp, Path out, Progress progress) throws IOException {
        CellDataset slide = imp.slide();
        Path spatial = imp.spatial();
        Likelihood likelihood = model.module().spec(1).likelihood();
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("method", "gimVI (gimvi-java)");
        provenance.put("spatial", spatial.toString());
        provenance.put("seed", settings.seed());
        provenance.put("model", modelName);
        provenance.put("spatial_likelihood", likelihood.id());
        progress.step("writing " + out.getFileName());
        ImputedOutput.write(out, slide, imp.outputGenes, imp.layout(), new ImputedOutput.Imputation(imp.usedRows,
                imp.values(), imp.latent()), provenance);
        return slide.counts().rows();
    }

    private static int[] all(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
