package org.gimvi.model.methods;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.engine.random.Rng;
import org.gimvi.metrics.imputation.Correlation;
import org.gimvi.model.data.CellFilter;

/**
 * Scores a method on genes it is never evaluated on: the task's own spatial training genes. They are
 * split into folds; for each fold the method is fitted without those genes and predicts them, and
 * every training gene is scored once by {@code spearman_norm} (Spearman correlation after dividing
 * truth and prediction by the cell's total over the genes the fit saw). Choices made on this score
 * (κ, a readout, a budget) never look at the genes a benchmark holds out.
 */
public final class TrainingGeneValidation {
    private TrainingGeneValidation() {
    }

    /** Per-gene scores over the task's training genes and their median. */
    public record Score(String[] genes, double[] spearmanNorm, double median) {
    }

    /** The fewest training genes worth validating on: every fold must keep enough to link the datasets. */
    public static final int MIN_GENES = 6;

    /**
     * @param folds number of folds (each fold's genes are predicted from the others)
     * @param seed  which genes fall into which fold, and the method's seeds
     */
    public static Score score(ImputationMethod method, ImputationTask task, int folds, long seed) {
        return scoreAll(List.of(method), task, folds, seed, FitScheduling.ONE_AT_A_TIME).get(0);
    }

    /**
     * {@link #score} of every method, on the same folds and seeds: their methods × folds fits are
     * independent, so they run as {@code scheduling} says (side by side on the host's cores), with the
     * same scores either way.
     */
    public static List<Score> scoreAll(List<? extends ImputationMethod> methods, ImputationTask task, int folds,
                                       long seed, FitScheduling scheduling) {
        String[] genes = task.spatialGenes();
        int g = genes.length;
        if (g < MIN_GENES || folds < 2 || folds > g / 2) {
            throw new IllegalArgumentException("validation on training genes needs at least " + MIN_GENES
                    + " training genes and 2 ≤ folds ≤ genes/2; got " + g + " genes and " + folds + " folds");
        }
        int[] order = new int[g];
        for (int j = 0; j < g; j++) {
            order[j] = j;
        }
        new Rng(seed).shuffle(order, g);
        double[][] perGene = new double[methods.size()][g];
        long n = task.spatialCounts().rows();
        // per fit: its copies of the spatial panel and a gimVI model over the reference genes
        long bytesPerFit = 4L * 2 * n * g + FitScheduling.gimviModelBytes(task.seqGenes().length);
        scheduling.run(methods.size() * folds, bytesPerFit, i -> foldScores(methods.get(i / folds), task, order, i % folds, folds, seed),
                (scores, i) -> {
                    int[] heldOut = foldMembers(order, i % folds, folds, true);
                    for (int t = 0; t < heldOut.length; t++) {
                        perGene[i / folds][heldOut[t]] = scores[t];
                    }
                });
        List<Score> out = new ArrayList<>();
        for (double[] p : perGene) {
            out.add(new Score(genes.clone(), p, Correlation.median(p)));
        }
        return out;
    }

    /** Fold f's genes predicted by {@code method} fitted without them: one {@code spearman_norm} per gene. */
    private static double[] foldScores(ImputationMethod method, ImputationTask task, int[] order, int f, int folds,
                                       long seed) {
        String[] genes = task.spatialGenes();
        int[] heldOut = foldMembers(order, f, folds, true);
        int[] kept = foldMembers(order, f, folds, false);
        // cells with no counts on the kept genes cannot be fitted (the same rule as CellSelection)
        int[] cells = CellFilter.nonEmptyRows(task.spatialCounts(), kept);
        DenseCountMatrix spatial = task.spatialCounts().selectRows(cells);
        ImputationTask inner = new ImputationTask(task.dataset(), task.seqCounts(), task.seqGenes(),
                spatial.selectColumns(kept), pick(genes, kept), pick(genes, heldOut));
        double[] lib = inner.spatialLibrary();
        ImputationResult r = method.impute(inner, seed * 31 + f);
        int n = cells.length;
        double[] scores = new double[heldOut.length];
        for (int t = 0; t < heldOut.length; t++) {
            double[] truth = new double[n];
            double[] pred = new double[n];
            for (int i = 0; i < n; i++) {
                truth[i] = spatial.get(i, heldOut[t]) / lib[i];
                pred[i] = r.predictions().data[i * heldOut.length + t] / lib[i];
            }
            scores[t] = Correlation.spearman(truth, pred);
        }
        return scores;
    }

    /** Genes of fold f (round-robin over the shuffled order), or all the others. */
    private static int[] foldMembers(int[] order, int f, int folds, boolean inFold) {
        return Arrays.stream(indicesWhere(order.length, f, folds, inFold)).map(i -> order[i]).sorted().toArray();
    }

    private static int[] indicesWhere(int n, int f, int folds, boolean inFold) {
        return java.util.stream.IntStream.range(0, n).filter(i -> (i % folds == f) == inFold).toArray();
    }

    private static String[] pick(String[] from, int[] idx) {
        String[] out = new String[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = from[idx[i]];
        }
        return out;
    }
}
