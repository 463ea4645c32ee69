package org.gimvi.engine.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExactKnnTest {

    /** Brute force in double with the same tie rule. */
    private static int[] reference(float[] q, int qi, float[] r, int nr, int d, int k, KnnMetric metric, boolean excludeSelf) {
        Integer[] idx = new Integer[nr];
        double[] dist = new double[nr];
        for (int j = 0; j < nr; j++) {
            idx[j] = j;
            double dot = 0;
            double qq = 0;
            double rr = 0;
            for (int t = 0; t < d; t++) {
                double a = q[qi * d + t];
                double b = r[j * d + t];
                dot += a * b;
                qq += a * a;
                rr += b * b;
            }
            dist[j] = metric == KnnMetric.COSINE ? (qq == 0 || rr == 0 ? 1 : 1 - dot / Math.sqrt(qq * rr))
                    : qq + rr - 2 * dot;
        }
        Integer[] sorted = Arrays.stream(idx).filter(j -> !(excludeSelf && j == qi))
                .sorted(Comparator.<Integer>comparingDouble(j -> dist[j]).thenComparingInt(j -> j)).toArray(Integer[]::new);
        int[] out = new int[k];
        for (int t = 0; t < k; t++) {
            out[t] = sorted[t];
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(KnnMetric.class)
    void matchesBruteForceAndIsThreadIndependent(KnnMetric metric) {
        Rng rng = new Rng(3);
        int nq = 129;
        int nr = 2100; // crosses a reference block boundary
        int d = 7;
        int k = 11;
        float[] q = new float[nq * d];
        float[] r = new float[nr * d];
        // a coarse grid makes exact ties common
        for (int i = 0; i < q.length; i++) {
            q[i] = rng.nextInt(5);
        }
        for (int i = 0; i < r.length; i++) {
            r[i] = rng.nextInt(5);
        }
        KnnResult one = ExactKnn.search(q, nq, r, nr, d, k, metric, false, null);
        for (int qi = 0; qi < nq; qi += 7) {
            int[] want = reference(q, qi, r, nr, d, k, metric, false);
            int[] got = Arrays.copyOfRange(one.index(), qi * k, qi * k + k);
            // distances computed in float may swap near-ties; the sets of distances must agree
            for (int t = 0; t < k; t++) {
                assertEquals(distance(q, qi, r, want[t], d, metric), distance(q, qi, r, got[t], d, metric), 1e-4,
                        "query " + qi + " rank " + t);
            }
        }
        WorkerPool pool = new WorkerPool(3);
        try {
            KnnResult many = ExactKnn.search(q, nq, r, nr, d, k, metric, false, pool);
            assertArrayEquals(one.index(), many.index());
            assertArrayEquals(one.distance(), many.distance());
        } finally {
            pool.shutdown();
        }
        KnnResult self = ExactKnn.search(r, 50, r, nr, d, 3, metric, true, null);
        for (int i = 0; i < 50; i++) {
            for (int t = 0; t < 3; t++) {
                assertEquals(true, self.neighbour(i, t) != i);
            }
        }
    }

    private static double distance(float[] q, int qi, float[] r, int j, int d, KnnMetric metric) {
        double dot = 0;
        double qq = 0;
        double rr = 0;
        for (int t = 0; t < d; t++) {
            dot += q[qi * d + t] * r[j * d + t];
            qq += q[qi * d + t] * q[qi * d + t];
            rr += r[j * d + t] * r[j * d + t];
        }
        return metric == KnnMetric.COSINE ? (qq == 0 || rr == 0 ? 1 : 1 - dot / Math.sqrt(qq * rr)) : qq + rr - 2 * dot;
    }
}
