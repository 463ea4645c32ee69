package org.gimvi.engine.kernels;

/**
 * Double-precision special functions: the reference that the float kernels are measured against,
 * and the implementation used by the scalar backend.
 *
 * <p>{@link #lgamma} uses the Lanczos approximation (g = 7, 9 coefficients) with the reflection
 * formula below 0.5, relative error around 1e-15 for positive arguments. {@link #digamma} shifts
 * the argument to at least 10 with ψ(x) = ψ(x+1) − 1/x and then sums the asymptotic series; error
 * below 1e-14 for positive arguments.
 */
public final class SpecialFunctions {
    private SpecialFunctions() {
    }

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7
    };
    private static final double HALF_LOG_2PI = 0.91893853320467274178;

    /** log Γ(x) for x &gt; 0 (and via reflection for non-integer x &lt; 0.5). */
    public static double lgamma(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x <= 0 && x == Math.rint(x)) {
            return Double.POSITIVE_INFINITY;
        }
        if (x < 0.5) {
            // Γ(x)Γ(1−x) = π / sin(πx)
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1.0 - x);
        }
        if (x > 1e7) {
            // Stirling is exact to double precision here and avoids the Lanczos sum's round-off.
            return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + 1.0 / (12.0 * x);
        }
        double xm1 = x - 1.0;
        double sum = LANCZOS[0];
        double t = xm1 + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (xm1 + i);
        }
        return HALF_LOG_2PI + (xm1 + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** ψ(x) = d/dx log Γ(x) for x &gt; 0. */
    public static double digamma(double x) {
        if (Double.isNaN(x) || x <= 0) {
            return x == 0 ? Double.NEGATIVE_INFINITY : Double.NaN;
        }
        double shift = 0.0;
        while (x < 10.0) {
            shift -= 1.0 / x;
            x += 1.0;
        }
        double inv = 1.0 / x;
        double inv2 = inv * inv;
        // ψ(x) ~ ln x − 1/(2x) − Σ B_2k / (2k x^2k)
        double series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 * (1.0 / 132)))));
        return shift + Math.log(x) - 0.5 * inv - series;
    }

    /** Numerically stable log(1 + e^t). */
    public static double softplus(double t) {
        return Math.max(t, 0.0) + Math.log1p(Math.exp(-Math.abs(t)));
    }

    /** Logistic sigmoid 1 / (1 + e^−t), stable for large |t|. */
    public static double sigmoid(double t) {
        if (t >= 0) {
            return 1.0 / (1.0 + Math.exp(-t));
        }
        double e = Math.exp(t);
        return e / (1.0 + e);
    }
}
