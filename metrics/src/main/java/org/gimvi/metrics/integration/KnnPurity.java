package org.gimvi.metrics.integration;

import java.util.Arrays;
import org.gimvi.engine.knn.ExactKnn;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;

/**
 * k-NN purity (metrics.md §2): for cells of one dataset, compare each cell's k nearest neighbours
 * among that dataset's cells in the joint latent space (A) with its k nearest neighbours in a latent
 * space fit on that dataset alone (B). Two scores per cell: the authors' overlap fraction |A∩B|/k
 * (labelled "Jaccard index" in their plots; the paper-compatible one) and the true Jaccard index
 * |A∩B|/|A∪B|. A cell is not its own neighbour here. Medians over sampled cells per k.
 */
public final class KnnPurity {
    private KnnPurity() {
    }

    /** Both variants of the purity curve. */
    public record Result(Curve overlap, Curve jaccard) {
    }

    /**
     * @param joint  n × dJoint joint latent positions of this dataset's cells only
     * @param single n × dSingle positions of the same cells in the single-dataset latent space
     */
    public static Result compute(float[] joint, int dJoint, float[] single, int dSingle, int n, int[] kGrid,
                                 int samples, Rng rng) {
        int[] cells = EntropyOfMixing.sample(n, samples, rng);
        int kMax = Math.min(n - 1, kGrid[kGrid.length - 1]);
        KnnResult a = neighbours(joint, dJoint, n, cells, kMax);
        KnnResult b = neighbours(single, dSingle, n, cells, kMax);
        double[] ov = new double[kGrid.length];
        double[] jac = new double[kGrid.length];
        double[] perCellOv = new double[cells.length];
        double[] perCellJac = new double[cells.length];
        boolean[] inA = new boolean[n];
        double[] nan = new double[kGrid.length];
        Arrays.fill(nan, Double.NaN);
        for (int g = 0; g < kGrid.length; g++) {
            int k = Math.min(kGrid[g], kMax);
            for (int i = 0; i < cells.length; i++) {
                for (int r = 0; r < k; r++) {
                    inA[a.neighbour(i, r)] = true;
                }
                int common = 0;
                for (int r = 0; r < k; r++) {
                    common += inA[b.neighbour(i, r)] ? 1 : 0;
                }
                for (int r = 0; r < k; r++) {
                    inA[a.neighbour(i, r)] = false;
                }
                perCellOv[i] = common / (double) k;
                perCellJac[i] = common / (double) (2 * k - common);
            }
            double[] s1 = perCellOv.clone();
            double[] s2 = perCellJac.clone();
            Arrays.sort(s1);
            Arrays.sort(s2);
            ov[g] = Curve.quantile(s1, 0.5);
            jac[g] = Curve.quantile(s2, 0.5);
        }
        return new Result(new Curve(kGrid.clone(), ov, nan, nan, nan, nan, Curve.normalisedArea(kGrid, ov)),
                new Curve(kGrid.clone(), jac, nan, nan, nan, nan, Curve.normalisedArea(kGrid, jac)));
    }

    private static KnnResult neighbours(float[] x, int d, int n, int[] cells, int k) {
        float[] q = new float[cells.length * d];
        for (int i = 0; i < cells.length; i++) {
            System.arraycopy(x, cells[i] * d, q, i * d, d);
        }
        // excluding "self" needs the query's row index in the reference set; search k+1 and drop it
        KnnResult r = ExactKnn.search(q, cells.length, x, n, d, Math.min(n, k + 1), KnnMetric.EUCLIDEAN, false,
                WorkerPool.shared());
        int[] idx = new int[cells.length * k];
        float[] dist = new float[cells.length * k];
        for (int i = 0; i < cells.length; i++) {
            int w = 0;
            for (int t = 0; t < r.k() && w < k; t++) {
                int j = r.neighbour(i, t);
                if (j == cells[i]) {
                    continue;
                }
                idx[i * k + w] = j;
                dist[i * k + w] = r.distance(i, t);
                w++;
            }
        }
        return new KnnResult(cells.length, k, idx, dist);
    }
}
