package org.gimvi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gimvi.engine.random.Rng;
import org.gimvi.metrics.benchmark.AccuracyScore;
import org.gimvi.metrics.benchmark.GeneMetrics;
import org.gimvi.metrics.benchmark.LiBenchmarkScores;
import org.gimvi.metrics.imputation.Correlation;
import org.gimvi.metrics.integration.Curve;
import org.gimvi.metrics.integration.EntropyOfMixing;
import org.gimvi.metrics.integration.KnnPurity;
import org.gimvi.metrics.uncertainty.Predictability;
import org.junit.jupiter.api.Test;

/** Hand-computed cases and identities. */
class MetricIdentitiesTest {

    @Test
    void rmseOfZScoresIsSqrtTwoOneMinusPcc() {
        Rng rng = new Rng(4);
        for (int rep = 0; rep < 20; rep++) {
            double[] t = new double[50];
            double[] p = new double[50];
            for (int i = 0; i < 50; i++) {
                t[i] = rng.nextGaussian();
                p[i] = 0.5 * t[i] + rng.nextGaussian();
            }
            assertEquals(Math.sqrt(2 * (1 - GeneMetrics.pcc(t, p))), GeneMetrics.rmse(t, p), 1e-12);
        }
    }

    @Test
    void perfectAndConstantPredictions() {
        double[] t = {0, 1, 2, 2, 5, 0, 3};
        assertEquals(1.0, Correlation.spearman(t, t), 1e-15);
        assertEquals(1.0, GeneMetrics.pcc(t, t), 1e-15);
        assertEquals(1.0, GeneMetrics.ssim(t, t), 1e-12);
        assertEquals(0.0, GeneMetrics.rmse(t, t), 1e-12);
        assertEquals(0.0, GeneMetrics.js(t, t), 1e-15);
        double[] c = {2, 2, 2, 2, 2, 2, 2};
        assertEquals(0.0, Correlation.spearman(t, c), "constant prediction scores 0, not NaN");
        assertTrue(Double.isNaN(GeneMetrics.pcc(t, c)), "Li et al. PCC of a constant column is undefined");
        double[] zeros = new double[7];
        LiBenchmarkScores s = LiBenchmarkScores.of(interleave(t, zeros), interleave(t, zeros.clone()), 7, 2);
        assertEquals(1, s.undefinedGenes(), "the all-zero gene is counted, not hidden");
    }

    private static double[] interleave(double[] a, double[] b) {
        double[] out = new double[a.length * 2];
        for (int i = 0; i < a.length; i++) {
            out[2 * i] = a[i];
            out[2 * i + 1] = b[i];
        }
        return out;
    }

    @Test
    void spearmanUsesAverageRanksForTies() {
        assertEquals(List.of(1.5, 1.5, 3.0, 4.5, 4.5).toString(),
                java.util.Arrays.toString(Correlation.ranks(new double[]{1, 1, 2, 3, 3})).replace("[", "[").replace("]", "]"));
    }

    @Test
    void deltaRhoAndErrors() {
        org.gimvi.metrics.imputation.ImputationErrors.DeltaRho d = org.gimvi.metrics.imputation.ImputationErrors.deltaRho(
                new double[]{0.3, 0.2, 0.5, 0.1}, new double[]{0.2, 0.4, 0.0, -0.1});
        // +50 %, −50 %, skipped, +200 % → median of {−50, 50, 200} = 50 %
        assertEquals(50.0, d.medianPercent(), 1e-9);
        assertEquals(1, d.skipped());
        double[] rel = org.gimvi.metrics.imputation.ImputationErrors.relativeError(new double[]{0, 4, 10}, new double[]{0.5, 2, 10});
        assertEquals((0.5 + 0.5 + 0) / 3, rel[0], 1e-12);
        assertEquals(0.5, rel[1], 1e-12);
        double[] mae = org.gimvi.metrics.imputation.ImputationErrors.medianAbsoluteErrorPerGene(
                new double[]{1, 10, 2, 20, 3, 30}, new double[]{1, 11, 3, 18, 6, 30}, 3, 2);
        assertEquals(1.0, mae[0], 1e-12);
        assertEquals(1.0, mae[1], 1e-12);
    }

    @Test
    void accuracyScoreRanksMethods() {
        Map<String, Double> as = AccuracyScore.compute(List.of(
                new AccuracyScore.MethodMeans("best", 0.5, 0.4, 0.9, 0.1),
                new AccuracyScore.MethodMeans("worst", 0.1, 0.1, 1.3, 0.4),
                new AccuracyScore.MethodMeans("none", null, null, null, null)));
        assertEquals(1.0, as.get("best"), 1e-12);
        assertEquals(2.0 / 3, as.get("worst"), 1e-12);
        assertEquals(1.0 / 3, as.get("none"), 1e-12);
    }

    @Test
    void mixingIsPerfectForInterleavedAndZeroForSeparatedDatasets() {
        int n = 400;
        float[] mixed = new float[n * 2];
        float[] separated = new float[n * 2];
        int[] ds = new int[n];
        Rng rng = new Rng(1);
        for (int i = 0; i < n; i++) {
            ds[i] = i % 2;
            mixed[2 * i] = (float) rng.nextGaussian();
            mixed[2 * i + 1] = (float) rng.nextGaussian();
            separated[2 * i] = (float) rng.nextGaussian() + (ds[i] == 1 ? 100 : 0);
            separated[2 * i + 1] = (float) rng.nextGaussian();
        }
        int[] k = Curve.grid(50, 150, 50, n);
        Curve good = EntropyOfMixing.compute(mixed, n, 2, ds, k, 200, new Rng(2));
        Curve bad = EntropyOfMixing.compute(separated, n, 2, ds, k, 200, new Rng(2));
        assertTrue(good.summary() > 0.97, "well mixed: " + good.summary());
        assertEquals(1 - Math.log(2), bad.summary(), 1e-9, "separated: KL of a pure neighbourhood is log 2 at q = ½");
    }

    @Test
    void purityIsOneForIdenticalSpacesAndOverlapBoundsJaccard() {
        int n = 300;
        float[] x = new float[n * 3];
        new Rng(5).fillGaussian(x, x.length);
        int[] k = Curve.grid(10, 50, 20, n);
        KnnPurity.Result same = KnnPurity.compute(x, 3, x, 3, n, k, 100, new Rng(1));
        assertEquals(1.0, same.overlap().summary(), 1e-12);
        assertEquals(1.0, same.jaccard().summary(), 1e-12);
        float[] y = new float[n * 3];
        new Rng(6).fillGaussian(y, y.length);
        KnnPurity.Result other = KnnPurity.compute(x, 3, y, 3, n, k, 100, new Rng(1));
        for (int g = 0; g < k.length; g++) {
            assertTrue(other.jaccard().median()[g] <= other.overlap().median()[g]);
        }
        assertTrue(other.overlap().summary() < 0.5);
    }

    @Test
    void predictabilityOfAnExactlyLinearGeneIsZero() {
        int cells = 50;
        int genes = 3;
        float[] counts = new float[cells * genes];
        double[] lib = new double[cells];
        Rng rng = new Rng(3);
        for (int i = 0; i < cells; i++) {
            counts[i * genes] = rng.nextInt(20);
            counts[i * genes + 1] = rng.nextInt(20);
            counts[i * genes + 2] = counts[i * genes]; // target equals the first gene
            lib[i] = 1e4;
        }
        assertEquals(0.0, Predictability.residualRmse(counts, cells, genes, lib, new int[]{0, 1}, 2), 1e-9);
        assertTrue(Predictability.residualRmse(counts, cells, genes, lib, new int[]{1}, 2) > 0.1);
    }
}
