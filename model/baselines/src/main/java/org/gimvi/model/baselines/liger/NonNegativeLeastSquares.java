package org.gimvi.model.baselines.liger;

import org.gimvi.engine.parallel.WorkerPool;

/**
 * Non-negative least squares for many right-hand sides sharing one matrix, in Gram form: for each
 * right-hand side b, {@code minimise ½ xᵀ C x − bᵀ x subject to x ≥ 0}, which is
 * {@code min ‖A x − y‖², x ≥ 0} with C = AᵀA and b = Aᵀy. Solved exactly by the Lawson–Hanson active
 * set method in the Gram form of Bro and De Jong (1997): add the variable with the largest positive
 * gradient to the passive set, solve the unconstrained problem on the passive set (Cholesky of the
 * passive block of C), step back to feasibility when a passive variable would turn negative.
 *
 * <p>At the solution the KKT conditions hold: x ≥ 0, the gradient w = b − C x is ≤ tol where x = 0 and
 * |w| ≤ tol where x &gt; 0. One instance holds the workspaces of one solve (k is small in iNMF, so the
 * per-solve cost is a few k³); instances are not thread-safe — {@link #solveAll} gives each task its own.
 */
public final class NonNegativeLeastSquares {
    private final int k;
    private final boolean[] passive;
    private final int[] index;
    private final double[] chol;
    private final double[] s;
    private final double[] w;
    private final double[] sub;

    public NonNegativeLeastSquares(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("NNLS: at least one variable is needed, got " + k);
        }
        this.k = k;
        passive = new boolean[k];
        index = new int[k];
        chol = new double[k * k];
        s = new double[k];
        w = new double[k];
        sub = new double[k];
    }

    /**
     * Solves one problem. {@code gram} is k × k row-major (symmetric, positive semi-definite),
     * {@code rhs[rhsOff .. rhsOff+k)} is b; the solution goes to {@code x[xOff .. xOff+k)}.
     *
     * @return the number of passive-set changes (outer iterations)
     */
    public int solve(double[] gram, double[] rhs, int rhsOff, double[] x, int xOff) {
        double bScale = 0;
        for (int i = 0; i < k; i++) {
            bScale = Math.max(bScale, Math.abs(rhs[rhsOff + i]));
        }
        // a gradient this small relative to b is rounding, not a direction of descent
        double tol = 1e-10 * bScale;
        for (int i = 0; i < k; i++) {
            x[xOff + i] = 0;
            passive[i] = false;
            w[i] = rhs[rhsOff + i];
        }
        int maxOuter = 3 * k + 10;
        int outer = 0;
        while (outer < maxOuter) {
            int best = -1;
            double bestW = tol;
            for (int i = 0; i < k; i++) {
                if (!passive[i] && w[i] > bestW) {
                    bestW = w[i];
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            outer++;
            passive[best] = true;
            while (true) {
                solvePassive(gram, rhs, rhsOff);
                boolean feasible = true;
                for (int i = 0; i < k; i++) {
                    if (passive[i] && s[i] <= 0) {
                        feasible = false;
                        break;
                    }
                }
                if (feasible) {
                    break;
                }
                // step from x towards s as far as feasibility allows; the variable that limits the
                // step (and any other that reaches 0) leaves the passive set
                double alpha = Double.POSITIVE_INFINITY;
                int limit = -1;
                for (int i = 0; i < k; i++) {
                    if (passive[i] && s[i] <= 0) {
                        double xi = x[xOff + i];
                        double ai = xi / (xi - s[i]);
                        if (ai < alpha) {
                            alpha = ai;
                            limit = i;
                        }
                    }
                }
                for (int i = 0; i < k; i++) {
                    if (passive[i]) {
                        double xi = x[xOff + i] + alpha * (s[i] - x[xOff + i]);
                        if (i == limit || xi <= 0) {
                            xi = 0;
                            passive[i] = false;
                        }
                        x[xOff + i] = xi;
                    }
                }
            }
            for (int i = 0; i < k; i++) {
                x[xOff + i] = passive[i] ? s[i] : 0;
            }
            for (int i = 0; i < k; i++) {
                double g = rhs[rhsOff + i];
                for (int j = 0; j < k; j++) {
                    g -= gram[i * k + j] * x[xOff + j];
                }
                w[i] = g;
            }
        }
        return outer;
    }

    /**
     * s = C_PP⁻¹ b_P on the passive set (0 elsewhere), by Cholesky. A pivot that rounding (or an
     * exactly singular block: a factor that is zero everywhere) drives to ≤ 0 is floored at a tiny
     * fraction of the diagonal, which keeps the solve finite and leaves a regular block unchanged.
     */
    private void solvePassive(double[] gram, double[] rhs, int rhsOff) {
        int p = 0;
        for (int i = 0; i < k; i++) {
            s[i] = 0;
            if (passive[i]) {
                index[p++] = i;
            }
        }
        double diagMax = 0;
        for (int a = 0; a < p; a++) {
            diagMax = Math.max(diagMax, gram[index[a] * k + index[a]]);
        }
        double floor = Math.max(diagMax, 1e-300) * 1e-13;
        for (int a = 0; a < p; a++) {
            for (int b = 0; b <= a; b++) {
                double v = gram[index[a] * k + index[b]];
                for (int c = 0; c < b; c++) {
                    v -= chol[a * k + c] * chol[b * k + c];
                }
                if (a == b) {
                    chol[a * k + a] = Math.sqrt(Math.max(v, floor));
                } else {
                    chol[a * k + b] = v / chol[b * k + b];
                }
            }
        }
        for (int a = 0; a < p; a++) { // forward: L y = b_P
            double v = rhs[rhsOff + index[a]];
            for (int c = 0; c < a; c++) {
                v -= chol[a * k + c] * sub[c];
            }
            sub[a] = v / chol[a * k + a];
        }
        for (int a = p - 1; a >= 0; a--) { // back: Lᵀ s = y
            double v = sub[a];
            for (int c = a + 1; c < p; c++) {
                v -= chol[c * k + a] * sub[c];
            }
            sub[a] = v / chol[a * k + a];
        }
        for (int a = 0; a < p; a++) {
            s[index[a]] = sub[a];
        }
    }

    /**
     * Solves {@code count} problems with the same Gram matrix: right-hand side r is
     * {@code rhs[r·k .. r·k+k)}, its solution {@code x[r·k .. r·k+k)}. Problems are independent, so the
     * result is the same for any thread count.
     */
    public static void solveAll(double[] gram, int k, double[] rhs, int count, double[] x, WorkerPool pool) {
        int block = 64;
        int tasks = (count + block - 1) / block;
        pool.forEach(tasks, t -> {
            NonNegativeLeastSquares solver = new NonNegativeLeastSquares(k);
            int r1 = Math.min(count, (t + 1) * block);
            for (int r = t * block; r < r1; r++) {
                solver.solve(gram, rhs, r * k, x, r * k);
            }
        });
    }
}
