package org.gimvi.model.baselines;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviArchitecture;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.gimvi.TrainingHistory;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.methods.MethodParameters;
import org.gimvi.model.methods.PurityReference;

/**
 * The gimVI paper's scVI + kNN baseline: one single-dataset scVI (gimVI's parts with one dataset,
 * {@link GimviArchitecture#scviDefaults()}, ZINB, latent library, no adversary) trained on the
 * concatenation of the scRNA-seq cells (restricted to the training genes) and the spatial cells, the
 * dataset as a batch covariate; then each spatial cell's target genes = the mean over its k nearest
 * scRNA-seq cells in the latent space (posterior means, Euclidean) of their relative expression
 * (count over training-gene total), times L.
 *
 * <p>k: the paper's 5% of the scRNA-seq cells (k = auto, k_fraction = 0.05, uniform weights) is the
 * default; the authors' harness used k = 10 with inverse-distance weights (k=10, weighting=distance).
 */
public final class ScviKnn implements ImputationMethod {
    public static final String K = "k";
    public static final String K_FRACTION = "k_fraction";
    public static final String WEIGHTING = "weighting";
    public static final String EPOCHS = "epochs";
    public static final String LIKELIHOOD = "likelihood";

    private final MethodParameters params;
    private final String backend;

    public ScviKnn(int epochs) {
        this(epochs, Map.of());
    }

    /** @param epochs the default number of epochs (the benchmark's --epochs); the epochs parameter overrides it */
    public ScviKnn(int epochs, Map<String, String> overrides) {
        this(MethodParameters.of("scvi-knn", defaults(epochs), overrides), "simd");
    }

    private ScviKnn(MethodParameters params, String backend) {
        this.params = params;
        this.backend = backend;
        if (!params.isAuto(K)) {
            params.intValue(K, 1);
        }
        params.doubleValue(K_FRACTION, Double.MIN_VALUE, 1);
        params.choice(WEIGHTING, "uniform", "distance");
        params.intValue(EPOCHS, 1);
        Likelihood.parse(params.string(LIKELIHOOD));
    }

    /** The paper's k = 5% of scRNA-seq cells, uniform; scVI's ZINB. */
    public static Map<String, String> defaults(int epochs) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(K, "auto");
        d.put(K_FRACTION, "0.05");
        d.put(WEIGHTING, "uniform");
        d.put(EPOCHS, Integer.toString(epochs));
        d.put(LIKELIHOOD, "zinb");
        return d;
    }

    @Override
    public String name() {
        return "scvi-knn";
    }

    /** The same method with its VAE on {@code newBackend} ({@code --device}); the kNN step stays on the CPU. */
    @Override
    public ImputationMethod onBackend(String newBackend) {
        return new ScviKnn(params, newBackend);
    }

    /** The compute backend the VAE trains on. */
    public String backend() {
        return backend;
    }

    @Override
    public Map<String, String> parameters() {
        return params.asMap();
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        TaskData data = new TaskData(task);
        int n1 = data.seqCells();
        int n2 = data.spatialCells();
        int f = data.shared.length;
        float[] combined = new float[(n1 + n2) * f];
        int[] batch = new int[n1 + n2];
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < f; j++) {
                combined[i * f + j] = task.seqCounts().get(i, data.shared[j]);
            }
        }
        for (int i = 0; i < n2; i++) {
            task.spatialCounts().copyRow(i, combined, (n1 + i) * f);
            batch[n1 + i] = 1;
        }
        Gimvi model = Gimvi.create(List.of(Gimvi.DatasetInput.of("scRNA-seq+spatial", new DenseCountMatrix(n1 + n2, f, combined),
                        task.spatialGenes(), Likelihood.parse(params.string(LIKELIHOOD)), Library.LATENT).withBatches(batch, 2)),
                GimviOptions.defaults().withArchitecture(GimviArchitecture.scviDefaults()).withBackend(backend).withSeed(seed));
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = params.intValue(EPOCHS, 1);
        cfg.kappa = 0; // one dataset: no adversarial classifier
        TrainingHistory history = model.train(cfg);
        FMatrixRMaj z = model.latent(0);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        int d = z.numCols;
        DMatrixRMaj seqZ = new DMatrixRMaj(n1, d);
        DMatrixRMaj spZ = new DMatrixRMaj(n2, d);
        for (int i = 0; i < n1 * d; i++) {
            seqZ.data[i] = z.data[i];
        }
        for (int i = 0; i < n2 * d; i++) {
            spZ.data[i] = z.data[n1 * d + i];
        }
        int k = params.isAuto(K)
                ? Math.max(1, (int) Math.round(params.doubleValue(K_FRACTION, Double.MIN_VALUE, 1) * n1))
                : params.intValue(K, 1);
        k = Math.min(k, n1);
        KnnResult nn = Neighbours.search(spZ, seqZ, k, KnnMetric.EUCLIDEAN);
        DMatrixRMaj values = data.seqTargetRelativeExpression();
        DMatrixRMaj relative = params.choice(WEIGHTING, "uniform", "distance").equals("distance")
                ? NeighbourAverage.inverseDistance(nn, k, values)
                : NeighbourAverage.uniform(nn, k, values);
        double imputeSeconds = (System.nanoTime() - t1) / 1e9;
        String notes = String.format(Locale.ROOT, "k = %d (%s), epochs %d", k, params.string(WEIGHTING),
                history.epochs().size());
        return new ImputationResult(data.timesSpatialTotal(relative), Neighbours.toFloatMatrix(seqZ),
                Neighbours.toFloatMatrix(spZ), trainSeconds, imputeSeconds, notes, null)
                .withPurityReference(PurityReference.singleDatasetVae());
    }
}
