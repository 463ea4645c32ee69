package org.gimvi.metrics.integration;

/**
 * A metric against the neighbourhood size k, with its scalar summary.
 *
 * @param k        neighbourhood sizes
 * @param median   per k, the median over sampled cells
 * @param q10      per k, 0.1 quantile (NaN where not computed)
 * @param q20      per k, 0.2 quantile
 * @param q80      per k, 0.8 quantile
 * @param q90      per k, 0.9 quantile
 * @param summary  trapezoid integral of the plotted curve over k, divided by the k range
 */
public record Curve(int[] k, double[] median, double[] q10, double[] q20, double[] q80, double[] q90, double summary) {

    /** Trapezoid integral of y over x, divided by the range of x. */
    public static double normalisedArea(int[] x, double[] y) {
        if (x.length < 2) {
            return y.length == 1 ? y[0] : Double.NaN;
        }
        double area = 0;
        for (int i = 1; i < x.length; i++) {
            area += 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]);
        }
        return area / (x[x.length - 1] - x[0]);
    }

    /** Linear-interpolation quantile (NumPy's default) of a sorted array. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The k grid 50, 100, …, max (capped by what the data allow). */
    public static int[] grid(int from, int to, int step, int cap) {
        int last = Math.min(to, cap);
        if (last < from) {
            return new int[]{Math.max(1, last)};
        }
        int n = (last - from) / step + 1;
        int[] k = new int[n];
        for (int i = 0; i < n; i++) {
            k[i] = from + i * step;
        }
        return k;
    }
}
