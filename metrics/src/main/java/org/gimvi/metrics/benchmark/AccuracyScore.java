package org.gimvi.metrics.benchmark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Li et al.'s accuracy score (AS) of N methods on one dataset: each of the four metrics' gene means
 * is ranked across methods so that the best method scores N and the worst 1 (ties share the average
 * rank), divided by N; AS is the mean of the four. PCC and SSIM: higher is better; RMSE and JS: lower
 * is better. A method that produced no output enters with PCC = SSIM = −2 and RMSE = JS = 10.
 */
public final class AccuracyScore {
    private AccuracyScore() {
    }

    /** Gene means of one method's metrics; null values mark a method without output. */
    public record MethodMeans(String method, Double pcc, Double ssim, Double rmse, Double js) {
    }

    public static Map<String, Double> compute(List<MethodMeans> methods) {
        int n = methods.size();
        double[] pcc = new double[n];
        double[] ssim = new double[n];
        double[] rmse = new double[n];
        double[] js = new double[n];
        for (int i = 0; i < n; i++) {
            MethodMeans m = methods.get(i);
            pcc[i] = orElse(m.pcc(), -2);
            ssim[i] = orElse(m.ssim(), -2);
            rmse[i] = -orElse(m.rmse(), 10); // negated so that "higher is better" throughout
            js[i] = -orElse(m.js(), 10);
        }
        double[] r1 = ranks(pcc);
        double[] r2 = ranks(ssim);
        double[] r3 = ranks(rmse);
        double[] r4 = ranks(js);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put(methods.get(i).method(), (r1[i] + r2[i] + r3[i] + r4[i]) / (4.0 * n));
        }
        return out;
    }

    private static double orElse(Double v, double fallback) {
        return v == null || v.isNaN() ? fallback : v;
    }

    /** Ascending ranks 1..n (the largest value gets n), ties averaged. */
    static double[] ranks(double[] x) {
        int n = x.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && x[idx[j + 1]] == x[idx[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[idx[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return r;
    }
}
