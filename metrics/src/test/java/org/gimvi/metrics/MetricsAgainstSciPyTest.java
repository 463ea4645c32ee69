package org.gimvi.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.gimvi.metrics.benchmark.GeneMetrics;
import org.gimvi.metrics.imputation.Correlation;
import org.junit.jupiter.api.Test;

/**
 * Agreement with SciPy/NumPy to 1e-6 on the fixtures made by
 * {@code src/test/resources/fixtures/make_fixtures.py} (ties, zeros, a perfect and a constant
 * prediction).
 */
class MetricsAgainstSciPyTest {

    private static List<double[][]> fixtures() throws IOException {
        List<double[][]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                MetricsAgainstSciPyTest.class.getResourceAsStream("/fixtures/scipy_fixtures.csv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                int n = Integer.parseInt(f[1]);
                double[] x = new double[n];
                double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = Double.parseDouble(f[2 + i]);
                    y[i] = Double.parseDouble(f[2 + n + i]);
                }
                double[] expected = new double[5];
                for (int k = 0; k < 5; k++) {
                    String v = f[2 + 2 * n + k];
                    expected[k] = v.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(v); // Python writes "nan"
                }
                out.add(new double[][]{x, y, expected});
            }
        }
        return out;
    }

    @Test
    void correlationsAndLiMetricsMatchSciPy() throws IOException {
        List<double[][]> cases = fixtures();
        assertEquals(10, cases.size());
        for (int c = 0; c < cases.size(); c++) {
            double[] x = cases.get(c)[0];
            double[] y = cases.get(c)[1];
            double[] e = cases.get(c)[2];
            assertEquals(e[0], Correlation.spearman(x, y), 1e-6, "spearman case " + c);
            assertEquals(e[1], Correlation.pearson(x, y), 1e-6, "pearson case " + c);
            if (Double.isNaN(e[2])) {
                assertTrue(Double.isNaN(GeneMetrics.ssim(x, y)) || Double.isNaN(GeneMetrics.rmse(x, y)),
                        "an undefined metric must be reported as NaN, case " + c);
            } else {
                assertEquals(e[2], GeneMetrics.ssim(x, y), 1e-6, "ssim case " + c);
                assertEquals(e[3], GeneMetrics.rmse(x, y), 1e-6, "rmse case " + c);
                assertEquals(e[1], GeneMetrics.pcc(x, y), 1e-6, "pcc case " + c);
            }
            assertEquals(e[4], GeneMetrics.js(x, y), 1e-6, "js case " + c);
        }
    }
}
