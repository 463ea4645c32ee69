package org.gimvi.model.baselines.tangram;

import java.util.Arrays;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;

/**
 * Lloyd's k-means with k-means++ seeding from an explicit {@link Rng}: the same data and seed give the
 * same labels for any thread count (assignments are independent per row; centroids are summed in row
 * order on one thread).
 */
final class SeededKMeans {
    private SeededKMeans() {
    }

    /**
     * @param x   n × d, row-major
     * @param k   clusters requested (at most n)
     * @return each row's cluster in [0, clusters) with every cluster non-empty (empty clusters are
     *         dropped and the labels renumbered in order of first appearance of the surviving ids)
     */
    static int[] fit(float[] x, int n, int d, int k, int maxIterations, Rng rng) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k-means: " + k + " clusters requested for " + n + " rows");
        }
        double[] centres = seedPlusPlus(x, n, d, k, rng);
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        double[] sums = new double[k * d];
        int[] counts = new int[k];
        for (int it = 0; it < maxIterations; it++) {
            int changed = 0;
            int[] next = assign(x, n, d, centres, k);
            for (int i = 0; i < n; i++) {
                if (next[i] != labels[i]) {
                    changed++;
                }
            }
            labels = next;
            if (changed == 0) {
                break;
            }
            Arrays.fill(sums, 0);
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                int c = labels[i];
                counts[c]++;
                for (int j = 0; j < d; j++) {
                    sums[c * d + j] += x[i * d + j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) { // an emptied cluster keeps its centre
                    for (int j = 0; j < d; j++) {
                        centres[c * d + j] = sums[c * d + j] / counts[c];
                    }
                }
            }
        }
        return compact(labels, k);
    }

    private static double[] seedPlusPlus(float[] x, int n, int d, int k, Rng rng) {
        double[] centres = new double[k * d];
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        int first = rng.nextInt(n);
        for (int j = 0; j < d; j++) {
            centres[j] = x[first * d + j];
        }
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                double dist = squaredDistance(x, i, d, centres, c - 1);
                if (dist < nearest[i]) {
                    nearest[i] = dist;
                }
                total += nearest[i];
            }
            int pick;
            if (total <= 0) { // every row coincides with a centre: take rows in order
                pick = c % n;
            } else {
                double u = rng.nextDouble() * total;
                pick = n - 1;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += nearest[i];
                    if (acc > u) {
                        pick = i;
                        break;
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                centres[c * d + j] = x[pick * d + j];
            }
        }
        return centres;
    }

    private static int[] assign(float[] x, int n, int d, double[] centres, int k) {
        int[] labels = new int[n];
        int block = 256;
        int tasks = (n + block - 1) / block;
        WorkerPool.shared().forEach(tasks, t -> {
            int r1 = Math.min(n, (t + 1) * block);
            for (int i = t * block; i < r1; i++) {
                int best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double dist = squaredDistance(x, i, d, centres, c);
                    if (dist < bestD) {
                        bestD = dist;
                        best = c;
                    }
                }
                labels[i] = best;
            }
        });
        return labels;
    }

    private static double squaredDistance(float[] x, int row, int d, double[] centres, int c) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double diff = x[row * d + j] - centres[c * d + j];
            s += diff * diff;
        }
        return s;
    }

    private static int[] compact(int[] labels, int k) {
        int[] renumber = new int[k];
        Arrays.fill(renumber, -1);
        int next = 0;
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            if (renumber[c] < 0) {
                renumber[c] = next++;
            }
            out[i] = renumber[c];
        }
        return out;
    }
}
