package org.gimvi.metrics.imputation;

import java.util.Arrays;

/**
 * Pearson and Spearman correlation in double precision. Spearman uses average ranks for ties; a
 * constant vector (all zeros, or all equal) has no defined correlation and scores 0, never NaN —
 * the gimVI paper's convention for an imputation that predicts nothing.
 */
public final class Correlation {
    private Correlation() {
    }

    public static double pearson(double[] a, double[] b) {
        check(a, b);
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        if (saa == 0 || sbb == 0) {
            return 0;
        }
        double r = sab / Math.sqrt(saa * sbb);
        return Math.max(-1, Math.min(1, r));
    }

    public static double spearman(double[] a, double[] b) {
        check(a, b);
        return pearson(ranks(a), ranks(b));
    }

    /** Ranks 1..n with ties sharing their average rank. */
    public static double[] ranks(double[] x) {
        int n = x.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (p, q) -> Double.compare(x[p], x[q]));
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && Double.compare(x[idx[j + 1]], x[idx[i]]) == 0) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = avg;
            }
            i = j + 1;
        }
        return r;
    }

    private static void check(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("correlation of vectors of different lengths: " + a.length + " vs " + b.length);
        }
        if (a.length < 2) {
            throw new IllegalArgumentException("correlation needs at least 2 values, got " + a.length);
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) || Double.isNaN(b[i])) {
                throw new IllegalArgumentException("correlation input has NaN at position " + i);
            }
        }
    }

    /** Median of the finite values (NaN when there are none). */
    public static double median(double[] v) {
        double[] s = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : 0.5 * (s[h - 1] + s[h]);
    }

    public static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
