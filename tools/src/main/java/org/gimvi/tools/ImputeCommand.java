package org.gimvi.tools;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.model.data.CellDataset;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviArchitecture;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.Scale;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.H5adWriter;
import org.gimvi.model.io.ModelFile;
import org.gimvi.model.methods.GimviMethod;
import org.gimvi.model.methods.ImputationPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gimvi impute}: train gimVI on a user's scRNA-seq reference and spatial data and write the
 * spatial cells back as AnnData with every reference gene imputed ({@code X}: expected counts given
 * the cell's observed total; {@code obsm['X_gimvi']}: the joint latent space; coordinates kept;
 * run parameters in {@code uns}).
 */
@Command(name = "impute", mixinStandardHelpOptions = true,
        description = "Train gimVI on a scRNA-seq reference and a spatial dataset; write the spatial cells with all "
                + "reference genes imputed as .h5ad.")
public final class ImputeCommand implements Callable<Integer> {

    @Option(names = "--seq", required = true, description = "scRNA-seq reference: h5ad, loom, 10x folder or text table.")
    Path seq;

    @Option(names = "--spatial", required = true, description = "Spatial data: h5ad, loom, 10x folder or text table.")
    Path spatial;

    @Option(names = "--out", required = true, description = "Output .h5ad.")
    Path out;

    @Option(names = "--orientation", defaultValue = "AUTO",
            description = "For text tables: CELLS_BY_GENES, GENES_BY_CELLS or AUTO (default: ${DEFAULT-VALUE}).")
    DatasetReaders.Orientation orientation;

    @Option(names = "--epochs", defaultValue = "200", description = "Training epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--rounds", defaultValue = "1", description = "Warm-restart rounds of --epochs each: later rounds "
            + "restart the optimiser and classifier at full KL weight (3 imputes the osmFISH benchmark genes better, "
            + "at 3x the cost; see README). Default: ${DEFAULT-VALUE} (the gimVI paper's single run).")
    int rounds;

    @Option(names = "--kappa", defaultValue = "5", description = "Adversarial weight κ. Default: ${DEFAULT-VALUE}.")
    float kappa;

    @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--spatial-likelihood", defaultValue = "nb",
            description = "nb, poisson, zinb, or gaussian for continuous data. Default: ${DEFAULT-VALUE}.")
    String spatialLikelihood;

    @Option(names = "--seq-likelihood", defaultValue = "zinb",
            description = "zinb, nb, poisson, or gaussian for continuous data. Default: ${DEFAULT-VALUE}.")
    String seqLikelihood;

    @Option(names = "--save-model", description = "Also save the trained model (.gimvi file).")
    Path saveModel;

    @Option(names = "--gene-column", description = "Gene names from this h5ad var column / loom row attribute "
            + "(default: the var index / Gene).")
    String geneColumn;

    @Option(names = "--allow-non-counts", description = "Accept spatial values that are not raw integer counts "
            + "(normalised or continuous). The count likelihood will model them anyway: results are at your risk.")
    boolean allowNonCounts;

    @Override
    public Integer call() throws Exception {
        CellDataset s = DatasetReaders.read(seq, orientation, geneColumn);
        CellDataset p = DatasetReaders.read(spatial, orientation, geneColumn);
        ImputationPipeline.Prepared prepared = ImputationPipeline.prepare("imputation", s.counts(), s.genes(),
                "the reference (" + seq.getFileName() + ")", p.counts(), p.genes(), p.cells(),
                "the spatial panel (" + spatial.getFileName() + ")", null);
        System.out.println(prepared.panel().summary());
        if (prepared.cells().removedAny()) {
            System.out.println(prepared.cells().summary());
        }
        int[] keepSp = prepared.cells().spatialRows();
        DenseCountMatrix sp = prepared.spatialPanel();
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = epochs;
        cfg.kappa = kappa;
        cfg.rounds = rounds;
        GimviMethod method = new GimviMethod("gimvi", cfg, GimviArchitecture.defaults(), "simd", new Progress("gimVI"))
                .withLikelihoods(Likelihood.parse(seqLikelihood), Likelihood.parse(spatialLikelihood));
        if (allowNonCounts) {
            method = method.allowingNonIntegerSpatialValues();
        }
        Gimvi model = method.fit(prepared, seed);
        FMatrixRMaj imputed = model.imputedValues(1, Scale.EXPECTED_COUNTS);
        FMatrixRMaj latent = model.latent(1);
        int n = imputed.numRows;
        int g = imputed.numCols;
        float[][] x = new float[n][g];
        float[][] z = new float[n][latent.numCols];
        double[] total = new double[n];
        String[] cells = new String[n];
        float[][] coords = p.coordinates() == null ? null : new float[n][];
        for (int i = 0; i < n; i++) {
            System.arraycopy(imputed.data, i * g, x[i], 0, g);
            System.arraycopy(latent.data, i * latent.numCols, z[i], 0, latent.numCols);
            total[i] = sp.rowSum(i, null);
            cells[i] = p.cells()[keepSp[i]];
            if (coords != null) {
                coords[i] = p.coordinates()[keepSp[i]];
            }
        }
        double[] measured = new double[g];
        for (int idx : model.geneMapping(1)) {
            measured[idx] = 1;
        }
        H5adWriter.Content content = new H5adWriter.Content(x, cells, model.outputGenes())
                .obs("panel_total", total).var("measured_in_spatial", measured).obsm("X_gimvi", z)
                .uns("values", "gimVI imputation: expected counts given the cell's total over the measured panel")
                .uns("method", "gimVI (gimvi-java)").uns("epochs", Integer.toString(epochs)).uns("rounds", Integer.toString(rounds))
                .uns("kappa", Float.toString(kappa)).uns("seed", Long.toString(seed))
                .uns("reference", seq.toString()).uns("spatial", spatial.toString());
        if (coords != null) {
            content.obsm("spatial", coords);
        }
        H5adWriter.write(out, content);
        System.out.printf(Locale.ROOT, "wrote %s: %d spatial cells × %d genes (%d measured, %d imputed), latent in obsm['X_gimvi']%n",
                out, n, g, prepared.panel().size(), g - prepared.panel().size());
        if (saveModel != null) {
            ModelFile.save(model, saveModel);
            System.out.println("saved the model to " + saveModel);
        }
        return 0;
    }


}
