package org.gimvi.model.baselines.liger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;

class NonNegativeLeastSquaresTest {

    /** C = AᵀA and b = Aᵀy for a rows × k matrix A. */
    private static double[][] normalEquations(double[] a, double[] y, int rows, int k) {
        double[] c = new double[k * k];
        double[] b = new double[k];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < k; i++) {
                b[i] += a[r * k + i] * y[r];
                for (int j = 0; j < k; j++) {
                    c[i * k + j] += a[r * k + i] * a[r * k + j];
                }
            }
        }
        return new double[][] {c, b};
    }

    private static double objective(double[] c, double[] b, double[] x, int k) {
        double o = 0;
        for (int i = 0; i < k; i++) {
            o -= b[i] * x[i];
            for (int j = 0; j < k; j++) {
                o += 0.5 * x[i] * c[i * k + j] * x[j];
            }
        }
        return o;
    }

    @Test
    void recoversAnInteriorSolutionExactly() {
        // y = A·(1, 2, 3): the unconstrained optimum is positive, so NNLS returns it
        double[] a = {1, 0, 2, 0, 1, 1, 3, 1, 0, 1, 1, 1, 2, 0, 1};
        double[] truth = {1, 2, 3};
        double[] y = new double[5];
        for (int r = 0; r < 5; r++) {
            for (int j = 0; j < 3; j++) {
                y[r] += a[r * 3 + j] * truth[j];
            }
        }
        double[][] cb = normalEquations(a, y, 5, 3);
        double[] x = new double[3];
        new NonNegativeLeastSquares(3).solve(cb[0], cb[1], 0, x, 0);
        assertArrayEquals(truth, x, 1e-10);
    }

    @Test
    void clampsAVariableWhoseUnconstrainedValueIsNegative() {
        // C = I: the solution is max(b, 0) coordinate-wise
        double[] c = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        double[] b = {2, -1, 0.5};
        double[] x = new double[3];
        new NonNegativeLeastSquares(3).solve(c, b, 0, x, 0);
        assertArrayEquals(new double[] {2, 0, 0.5}, x, 1e-14);
        // a coupled case worked by hand: C = [[2,1],[1,2]], b = (1, −1): unconstrained (1, −1); x2 = 0 → x1 = 1/2
        double[] x2 = new double[2];
        new NonNegativeLeastSquares(2).solve(new double[] {2, 1, 1, 2}, new double[] {1, -1}, 0, x2, 0);
        assertArrayEquals(new double[] {0.5, 0}, x2, 1e-14);
        // every gradient negative at 0: the solution is 0
        double[] x3 = new double[2];
        new NonNegativeLeastSquares(2).solve(new double[] {2, 1, 1, 2}, new double[] {-1, -1}, 0, x3, 0);
        assertArrayEquals(new double[] {0, 0}, x3, 0);
    }

    @Test
    void satisfiesKktAndBeatsEveryFeasibleSupportOnRandomProblems() {
        Rng rng = new Rng(42);
        int k = 6;
        int rows = 15;
        NonNegativeLeastSquares solver = new NonNegativeLeastSquares(k);
        for (int trial = 0; trial < 200; trial++) {
            double[] a = new double[rows * k];
            double[] y = new double[rows];
            for (int i = 0; i < a.length; i++) {
                a[i] = rng.nextGaussian();
            }
            for (int i = 0; i < rows; i++) {
                y[i] = rng.nextGaussian();
            }
            double[][] cb = normalEquations(a, y, rows, k);
            double[] c = cb[0];
            double[] b = cb[1];
            double[] x = new double[k];
            solver.solve(c, b, 0, x, 0);
            double scale = 0;
            for (double v : b) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < k; i++) {
                double w = b[i];
                for (int j = 0; j < k; j++) {
                    w -= c[i * k + j] * x[j];
                }
                assertTrue(x[i] >= 0, "x ≥ 0");
                assertTrue(w <= 1e-8 * scale, "gradient ≤ 0 at the optimum, trial " + trial + ": " + w);
                if (x[i] > 0) {
                    assertEquals(0, w, 1e-8 * scale, "complementary slackness, trial " + trial);
                }
            }
            // brute force: the best unconstrained solution over every support that is feasible
            double best = Double.POSITIVE_INFINITY;
            for (int mask = 0; mask < (1 << k); mask++) {
                double[] cand = solveOnSupport(c, b, k, mask);
                if (cand != null) {
                    best = Math.min(best, objective(c, b, cand, k));
                }
            }
            assertTrue(objective(c, b, x, k) <= best + 1e-9 * Math.max(1, Math.abs(best)), "optimal, trial " + trial);
        }
    }

    /** Unconstrained minimiser on the support, or null when it has a negative entry. */
    private static double[] solveOnSupport(double[] c, double[] b, int k, int mask) {
        int p = Integer.bitCount(mask);
        int[] idx = new int[p];
        int q = 0;
        for (int i = 0; i < k; i++) {
            if ((mask & (1 << i)) != 0) {
                idx[q++] = i;
            }
        }
        double[][] m = new double[p][p + 1];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                m[i][j] = c[idx[i] * k + idx[j]];
            }
            m[i][p] = b[idx[i]];
        }
        for (int col = 0; col < p; col++) { // Gauss–Jordan with partial pivoting
            int piv = col;
            for (int r = col + 1; r < p; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) {
                    piv = r;
                }
            }
            double[] t = m[col];
            m[col] = m[piv];
            m[piv] = t;
            for (int r = 0; r < p; r++) {
                if (r != col) {
                    double f = m[r][col] / m[col][col];
                    for (int j = col; j <= p; j++) {
                        m[r][j] -= f * m[col][j];
                    }
                }
            }
        }
        double[] x = new double[k];
        for (int i = 0; i < p; i++) {
            x[idx[i]] = m[i][p] / m[i][i];
            if (x[idx[i]] < 0) {
                return null;
            }
        }
        return x;
    }

    @Test
    void manyRightHandSidesGiveTheSameAnswerOnAnyThreadCount() {
        Rng rng = new Rng(1);
        int k = 5;
        double[] c = new double[k * k];
        double[] a = new double[20 * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs(rng.nextGaussian());
        }
        for (int r = 0; r < 20; r++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    c[i * k + j] += a[r * k + i] * a[r * k + j];
                }
            }
        }
        int count = 500;
        double[] rhs = new double[count * k];
        for (int i = 0; i < rhs.length; i++) {
            rhs[i] = rng.nextGaussian();
        }
        double[] x1 = new double[count * k];
        double[] x2 = new double[count * k];
        NonNegativeLeastSquares.solveAll(c, k, rhs, count, x1, new WorkerPool(3));
        NonNegativeLeastSquares.solveAll(c, k, rhs, count, x2, new WorkerPool(1));
        assertArrayEquals(x1, x2, 0);
        double[] single = new double[k];
        new NonNegativeLeastSquares(k).solve(c, rhs, 7 * k, single, 0);
        for (int i = 0; i < k; i++) {
            assertEquals(single[i], x1[7 * k + i], 0);
        }
    }

    @Test
    void aZeroColumnGivesAFiniteSolution() {
        // the second variable never appears in A (a factor whose loadings are all zero)
        double[] c = {4, 0, 0, 0};
        double[] b = {2, 0};
        double[] x = new double[2];
        new NonNegativeLeastSquares(2).solve(c, b, 0, x, 0);
        assertArrayEquals(new double[] {0.5, 0}, x, 1e-14);
    }
}
