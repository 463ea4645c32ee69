package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.ToDoubleFunction;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * Central finite differences (in double, of the documented forward formulas) against the backward
 * operations of {@link ComputeBackend}, on both CPU backends.
 */
class ExactOperationsGradientTest {
    private static final ComputeBackend[] BACKENDS = {new ScalarBackend(), new SimdBackend(null)};

    private static double[] numeric(double[] at, ToDoubleFunction<double[]> loss) {
        double[] g = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            double h = 1e-5 * Math.max(1, Math.abs(at[i]));
            double keep = at[i];
            at[i] = keep + h;
            double up = loss.applyAsDouble(at);
            at[i] = keep - h;
            double down = loss.applyAsDouble(at);
            at[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    private static void assertGrad(double[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-3 * (1 + Math.abs(want[i])), what + " element " + i);
        }
    }

    private static double[] toDouble(float[] x, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static FMatrixRMaj matrix(int rows, int cols, float lo, float hi, long seed) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        new Rng(seed).fillUniform(m.data, rows * cols, lo, hi);
        return m;
    }

    /** loss = −scale·Σ f(μ), μ = exp(ℓ + log-softmax(logits)), f(μ) = c·log μ + d·μ, so μf'(μ) = c + dμ. */
    @Test
    void softmaxLibraryBackward() {
        int rows = 3;
        int cols = 5;
        float scale = 0.8f;
        FMatrixRMaj logits = matrix(rows, cols, -2f, 2f, 1);
        float[] ell = {1.5f, 2f, 0.5f};
        double[] c = toDouble(matrix(rows, cols, -1f, 1f, 2).data, rows * cols);
        double[] d = toDouble(matrix(rows, cols, -0.2f, 0.2f, 3).data, rows * cols);
        // parameters: logits then ℓ
        double[] at = new double[rows * cols + rows];
        for (int e = 0; e < rows * cols; e++) {
            at[e] = logits.data[e];
        }
        for (int i = 0; i < rows; i++) {
            at[rows * cols + i] = ell[i];
        }
        ToDoubleFunction<double[]> loss = v -> {
            double l = 0;
            for (int i = 0; i < rows; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    max = Math.max(max, v[i * cols + j]);
                }
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += Math.exp(v[i * cols + j] - max);
                }
                for (int j = 0; j < cols; j++) {
                    int e = i * cols + j;
                    double logMu = v[rows * cols + i] + v[e] - max - Math.log(s);
                    l += -scale * (c[e] * logMu + d[e] * Math.exp(logMu));
                }
            }
            return l;
        };
        double[] want = numeric(at, loss);
        for (ComputeBackend b : BACKENDS) {
            FMatrixRMaj p = new FMatrixRMaj(rows, cols);
            new ScalarBackend().rowSoftmax(logits, p);
            FMatrixRMaj g = new FMatrixRMaj(rows, cols);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    int e = i * cols + j;
                    g.data[e] = (float) (c[e] + d[e] * Math.exp(ell[i]) * p.data[e]);
                }
            }
            float[] dEll = new float[rows];
            FMatrixRMaj dLogits = new FMatrixRMaj(rows, cols);
            b.softmaxLibraryBackward(p, g, scale, dEll, dLogits);
            float[] got = new float[at.length];
            System.arraycopy(dLogits.data, 0, got, 0, rows * cols);
            System.arraycopy(dEll, 0, got, rows * cols, rows);
            assertGrad(want, got, b.name() + " softmax/library backward");
        }
    }

    /** loss = Σ dz·z + k·Σ KL(q ‖ N(0, I)), z = m + exp(½v)·ε. */
    @Test
    void reparameterizeBackward() {
        int rows = 2;
        int d = 3;
        float k = 0.6f;
        FMatrixRMaj params = matrix(rows, 2 * d, -1.5f, 1.5f, 4);
        FMatrixRMaj eps = matrix(rows, d, -2f, 2f, 5);
        FMatrixRMaj dz = matrix(rows, d, -1f, 1f, 6);
        ToDoubleFunction<double[]> loss = v -> {
            double l = 0;
            for (int i = 0; i < rows; i++) {
                for (int q = 0; q < d; q++) {
                    double m = v[i * 2 * d + q];
                    double lv = v[i * 2 * d + d + q];
                    l += dz.data[i * d + q] * (m + Math.exp(0.5 * lv) * eps.data[i * d + q]);
                    l += k * 0.5 * (Math.exp(lv) + m * m - 1 - lv);
                }
            }
            return l;
        };
        double[] want = numeric(toDouble(params.data, rows * 2 * d), loss);
        for (ComputeBackend b : BACKENDS) {
            FMatrixRMaj dp = new FMatrixRMaj(rows, 2 * d);
            b.reparameterizeBackward(params, eps, dz, k, dp);
            assertGrad(want, dp.data, b.name() + " reparameterize backward");
        }
    }

    /** loss = Σ dEll·ℓ + k·Σ KL(N(m, v) ‖ N(mp, vp)), ℓ = m + √v·ε, v = exp(raw) + floor. */
    @Test
    void libraryBackward() {
        int rows = 4;
        float k = 0.3f;
        float floor = 1e-4f;
        FMatrixRMaj params = matrix(rows, 2, -2f, 2f, 7);
        float[] eps = {0.3f, -1.2f, 2f, -0.1f};
        float[] dEll = {1f, -2f, 0.5f, 3f};
        float[] pm = {6f, 7f, 5.5f, 8f};
        float[] pv = {0.5f, 1.2f, 0.8f, 2f};
        ToDoubleFunction<double[]> loss = v -> {
            double l = 0;
            for (int i = 0; i < rows; i++) {
                double m = v[2 * i];
                double var = Math.exp(v[2 * i + 1]) + floor;
                l += dEll[i] * (m + Math.sqrt(var) * eps[i]);
                double dm = m - pm[i];
                l += k * (0.5 * Math.log(pv[i] / var) + (var + dm * dm) / (2 * pv[i]) - 0.5);
            }
            return l;
        };
        double[] want = numeric(toDouble(params.data, 2 * rows), loss);
        for (ComputeBackend b : BACKENDS) {
            FMatrixRMaj dp = new FMatrixRMaj(rows, 2);
            b.libraryBackward(params, eps, dEll, k, pm, pv, floor, dp);
            assertGrad(want, dp.data, b.name() + " library backward");
        }
    }

    /** loss = Σ w·θ with θ[i][j] = exp(r[map[j]][batch[i]]): the r gradient from g = θ·∂loss/∂θ. */
    @Test
    void dispersionGradient() {
        int genes = 6;
        int batches = 2;
        int[] map = {4, 0, 2, 5};
        int[] batch = {0, 1, 1};
        int rows = batch.length;
        FMatrixRMaj r = matrix(genes, batches, -1f, 1f, 8);
        FMatrixRMaj w = matrix(rows, map.length, -1f, 1f, 9);
        ToDoubleFunction<double[]> loss = v -> {
            double l = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < map.length; j++) {
                    l += w.data[i * map.length + j] * Math.exp(v[map[j] * batches + batch[i]]);
                }
            }
            return l;
        };
        double[] want = numeric(toDouble(r.data, genes * batches), loss);
        for (ComputeBackend b : BACKENDS) {
            float[] theta = new float[map.length];
            FMatrixRMaj g = new FMatrixRMaj(rows, map.length);
            for (int i = 0; i < rows; i++) {
                b.gatherExp(TensorView.of(r), batch[i], map, theta, map.length);
                for (int j = 0; j < map.length; j++) {
                    g.data[i * map.length + j] = w.data[i * map.length + j] * theta[j];
                }
            }
            FMatrixRMaj dr = new FMatrixRMaj(genes, batches);
            b.scatterAddScaledByGroup(1f, g, map, batch, TensorView.of(dr));
            assertGrad(want, dr.data, b.name() + " dispersion gradient");
        }
    }

    /** The scatters are the adjoints of their gathers: loss = Σ w ⊙ forward(table). */
    @Test
    void scattersAreGatherAdjoints() {
        int rows = 4;
        int cols = 5;
        int[] index = {2, 0, 2, 1};
        FMatrixRMaj table = matrix(3, cols, -1f, 1f, 10);
        FMatrixRMaj w = matrix(rows, cols, -1f, 1f, 11);
        ToDoubleFunction<double[]> rowsLoss = v -> {
            double l = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    l += w.data[i * cols + j] * v[index[i] * cols + j];
                }
            }
            return l;
        };
        double[] wantRows = numeric(toDouble(table.data, 3 * cols), rowsLoss);
        int[] columns = {3, 1};
        FMatrixRMaj src = matrix(rows, cols, -1f, 1f, 12);
        FMatrixRMaj wc = matrix(rows, columns.length, -1f, 1f, 13);
        ToDoubleFunction<double[]> columnsLoss = v -> {
            double l = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < columns.length; j++) {
                    l += wc.data[i * columns.length + j] * v[i * cols + columns[j]];
                }
            }
            return l;
        };
        double[] wantColumns = numeric(toDouble(src.data, rows * cols), columnsLoss);
        for (ComputeBackend b : BACKENDS) {
            FMatrixRMaj dt = new FMatrixRMaj(3, cols);
            b.scatterAddIndexedRows(w, index, TensorView.of(dt));
            assertGrad(wantRows, dt.data, b.name() + " covariate table gradient");
            FMatrixRMaj ds = new FMatrixRMaj(rows, cols);
            b.scatterAddColumns(wc, columns, TensorView.of(ds));
            assertGrad(wantColumns, ds.data, b.name() + " gathered columns gradient");
        }
    }
}
