package org.gimvi.metrics.benchmark;

/**
 * The Li et al. 2022 per-gene metrics (Nature Methods 19:662, code in QuKunLab/SpatialBenchmarking),
 * computed over spatial cells between the true and the predicted column of one gene, with
 * population statistics (divide by n) throughout.
 *
 * <p>Edge cases: a constant column (all zeros included) has no correlation, z-score or SSIM scaling;
 * the reference code silently turns the resulting NaN into 0. Here the metric is NaN, and
 * {@link LiBenchmarkScores} counts and reports such genes before applying the reference's convention.
 */
public final class GeneMetrics {
    private GeneMetrics() {
    }

    /** Pearson correlation on the raw values; NaN for a constant column. */
    public static double pcc(double[] t, double[] p) {
        double mt = mean(t);
        double mp = mean(p);
        double st = 0;
        double sp = 0;
        double c = 0;
        for (int i = 0; i < t.length; i++) {
            double a = t[i] - mt;
            double b = p[i] - mp;
            st += a * a;
            sp += b * b;
            c += a * b;
        }
        if (st == 0 || sp == 0) {
            return Double.NaN;
        }
        return c / Math.sqrt(st * sp);
    }

    /**
     * Global (non-windowed) SSIM after dividing each column by its maximum: luminance × contrast ×
     * structure with C1 = (0.01·M)², C2 = (0.03·M)², C3 = C2/2 and M = the larger of the scaled
     * maxima (1). NaN when a column's maximum is not positive.
     */
    public static double ssim(double[] t, double[] p) {
        double maxT = max(t);
        double maxP = max(p);
        if (!(maxT > 0) || !(maxP > 0)) {
            return Double.NaN;
        }
        int n = t.length;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = t[i] / maxT;
            b[i] = p[i] / maxP;
        }
        double m = Math.max(max(a), max(b));
        double mu1 = mean(a);
        double mu2 = mean(b);
        double v1 = 0;
        double v2 = 0;
        double cov = 0;
        for (int i = 0; i < n; i++) {
            v1 += (a[i] - mu1) * (a[i] - mu1);
            v2 += (b[i] - mu2) * (b[i] - mu2);
            cov += (a[i] - mu1) * (b[i] - mu2);
        }
        double s1 = Math.sqrt(v1 / n);
        double s2 = Math.sqrt(v2 / n);
        cov /= n;
        double c1 = (0.01 * m) * (0.01 * m);
        double c2 = (0.03 * m) * (0.03 * m);
        double c3 = c2 / 2;
        double l = (2 * mu1 * mu2 + c1) / (mu1 * mu1 + mu2 * mu2 + c1);
        double c = (2 * s1 * s2 + c2) / (s1 * s1 + s2 * s2 + c2);
        double s = (cov + c3) / (s1 * s2 + c3);
        return l * c * s;
    }

    /** Root mean squared difference of the z-scored columns (= √(2(1 − PCC))); NaN for a constant column. */
    public static double rmse(double[] t, double[] p) {
        double[] a = zscore(t);
        double[] b = zscore(p);
        if (a == null || b == null) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }

    /**
     * Jensen–Shannon divergence (natural log) between the columns normalised to sum 1:
     * ½KL(P‖M) + ½KL(Q‖M), M = (P + Q)/2, with 0·log 0 = 0. NaN when a column sums to 0 or has a
     * negative value.
     */
    public static double js(double[] t, double[] p) {
        double st = 0;
        double sp = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] < 0 || p[i] < 0) {
                return Double.NaN;
            }
            st += t[i];
            sp += p[i];
        }
        if (!(st > 0) || !(sp > 0)) {
            return Double.NaN;
        }
        double js = 0;
        for (int i = 0; i < t.length; i++) {
            double a = t[i] / st;
            double b = p[i] / sp;
            double m = 0.5 * (a + b);
            if (a > 0) {
                js += 0.5 * a * Math.log(a / m);
            }
            if (b > 0) {
                js += 0.5 * b * Math.log(b / m);
            }
        }
        return js;
    }

    static double[] zscore(double[] x) {
        double m = mean(x);
        double v = 0;
        for (double d : x) {
            v += (d - m) * (d - m);
        }
        double sd = Math.sqrt(v / x.length);
        if (sd == 0) {
            return null;
        }
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = (x[i] - m) / sd;
        }
        return z;
    }

    static double mean(double[] x) {
        double s = 0;
        for (double d : x) {
            s += d;
        }
        return s / x.length;
    }

    static double max(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : x) {
            m = Math.max(m, d);
        }
        return m;
    }
}
