package org.gimvi.tools.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.metrics.imputation.Correlation;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.Scale;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.methods.GimviMethod;
import org.gimvi.model.methods.ImputationPipeline;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.methods.LatentNeighbours;

/**
 * A study, not a product path: how should a trained gimVI model produce its imputation? For every
 * seed and every split of a protocol it trains gimVI once and scores several readouts of the same
 * model on the split's held-out genes (decoder rates; the mean of the k nearest scRNA-seq cells in
 * the joint latent space; their average), so the readouts are compared on identical models. Used
 * with the 10-fold protocol to choose gimVI's readout without looking at the paper split alone.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "tools/target/gimvi-tools.jar:tools/target/lib/*" \
 *     org.gimvi.tools.benchmark.ReadoutStudy DATA_DIR kfold|paper SEEDS [ROUNDS [spec|paper2019]]
 * </pre>
 * Prints one line per seed and readout: the median over genes of spearman_norm (the score divided
 * by the spatial cell's training-gene total) and of spearman.
 */
public final class ReadoutStudy {
    private ReadoutStudy() {
    }

    public static void main(String[] args) throws Exception {
        PairedDataset d = PairedDataset.read(Path.of(args[0]));
        String protocol = args[1];
        long[] seeds = Arrays.stream(args[2].split(",")).mapToLong(Long::parseLong).toArray();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        boolean paper2019 = args.length > 4 && args[4].equals("paper2019");
        var panel = org.gimvi.model.data.SharedPanel.match(d.spatialGenes(), d.seqGenes(), "spatial", "scRNA-seq");
        List<GeneSplits.Split> splits = protocol.equals("paper") ? List.of(GeneSplits.paper(panel.genes()))
                : GeneSplits.kfold(panel.genes());
        ImputationPipeline.Prepared prepared = ImputationPipeline.prepare(d.name(), d.seqCounts(), d.seqGenes(),
                "scRNA-seq", d.spatialCounts(), d.spatialGenes(), d.spatialCells(), "spatial",
                splits.stream().map(GeneSplits.Split::training).toList());
        int[] ks = {10, 25, 50, 100};
        for (long seed : seeds) {
            Map<String, List<double[]>> scores = new LinkedHashMap<>(); // readout → per gene {spearman, norm}
            for (GeneSplits.Split s : splits) {
                ImputationTask task = prepared.task(s.training(), prepared.panel().genes(s.heldOut()));
                TrainingConfig cfg = new TrainingConfig();
                cfg.rounds = rounds;
                GimviMethod method = new GimviMethod("gimvi", cfg, org.gimvi.model.gimvi.GimviArchitecture.defaults(),
                        "simd", org.gimvi.model.gimvi.TrainingListener.NONE);
                if (paper2019) {
                    method = method.paper2019();
                }
                Gimvi model = method.fit(task.seqCounts(), task.seqGenes(), task.spatialCounts(), task.spatialGenes(),
                        seed * 1_000_003L + s.fold());
                int[] targets = task.targetColumns();
                double[] lib = task.spatialLibrary();
                FMatrixRMaj rates = model.imputedValues(1, Scale.EXPECTED_COUNTS);
                FMatrixRMaj decoder = new FMatrixRMaj(rates.numRows, targets.length);
                for (int i = 0; i < rates.numRows; i++) {
                    for (int t = 0; t < targets.length; t++) {
                        decoder.data[i * targets.length + t] = rates.get(i, targets[t]);
                    }
                }
                FMatrixRMaj zs = model.latent(0);
                FMatrixRMaj zp = model.latent(1);
                score(scores, "decoder", decoder, prepared, s, lib);
                FMatrixRMaj knn50 = null;
                for (int k : ks) {
                    FMatrixRMaj knn = LatentNeighbours.impute(zs, zp, task.seqDense(), task.sharedColumns(), targets,
                            lib, k);
                    score(scores, "latent-knn" + k, knn, prepared, s, lib);
                    if (k == 50) {
                        knn50 = knn;
                    }
                }
                FMatrixRMaj blend = new FMatrixRMaj(decoder.numRows, decoder.numCols);
                for (int e = 0; e < blend.data.length; e++) {
                    blend.data[e] = 0.5f * (decoder.data[e] + knn50.data[e]);
                }
                score(scores, "blend50", blend, prepared, s, lib);
            }
            for (Map.Entry<String, List<double[]>> e : scores.entrySet()) {
                double[] sp = e.getValue().stream().mapToDouble(v -> v[0]).toArray();
                double[] sn = e.getValue().stream().mapToDouble(v -> v[1]).toArray();
                System.out.printf(Locale.ROOT, "seed %d rounds %d %s %-14s spearman %.4f spearman_norm %.4f (%d genes)%n",
                        seed, rounds, paper2019 ? "paper2019" : "spec", e.getKey(), Correlation.median(sp), Correlation.median(sn), sp.length);
            }
        }
    }

    /** Per-gene spearman and spearman_norm of one readout on the split's held-out genes. */
    private static void score(Map<String, List<double[]>> scores, String readout, FMatrixRMaj pred,
                              ImputationPipeline.Prepared prepared, GeneSplits.Split s, double[] lib) {
        int n = pred.numRows;
        int g = pred.numCols;
        for (int t = 0; t < g; t++) {
            double[] truth = new double[n];
            double[] p = new double[n];
            double[] tn = new double[n];
            double[] pn = new double[n];
            for (int i = 0; i < n; i++) {
                truth[i] = prepared.spatialPanel().get(i, s.heldOut()[t]);
                p[i] = pred.data[i * g + t];
                tn[i] = truth[i] / lib[i];
                pn[i] = p[i] / lib[i];
            }
            scores.computeIfAbsent(readout, k -> new ArrayList<>())
                    .add(new double[]{Correlation.spearman(truth, p), Correlation.spearman(tn, pn)});
        }
    }
}
