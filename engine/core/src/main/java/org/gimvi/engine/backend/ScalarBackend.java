package org.gimvi.engine.backend;

import org.ejml.data.FMatrixRMaj;
import java.util.Arrays;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.kernels.DropoutMasks;
import org.gimvi.engine.kernels.FastMath;
import org.gimvi.engine.kernels.Gemm;
import org.gimvi.engine.kernels.SparseGemm;
import org.gimvi.engine.kernels.SpecialFunctions;
import org.gimvi.engine.matrix.NonZeroEntries;

/**
 * The plain, single-threaded reference backend. Transcendental and special functions are evaluated
 * in double precision and rounded once, so this backend is the yardstick for the float kernels of
 * {@link SimdBackend}. GEMM, column sums and BatchNorm follow the same float operation order as the
 * SIMD backend, which makes those results bit-identical between the two.
 */
public class ScalarBackend implements ComputeBackend {
    private static final double EPS = 1e-8;

    /** Per-thread temporaries (see {@link BackendScratch}); the backend object itself is stateless. */
    private final ThreadLocal<BackendScratch> perThread = ThreadLocal.withInitial(BackendScratch::new);

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public FMatrixRMaj allocate(int rows, int cols) {
        return new FMatrixRMaj(rows, cols);
    }

    /** This thread's scratch space. */
    final BackendScratch local() {
        return perThread.get();
    }

    /** Grow-only scratch space of this thread; the training loop reaches its maximum in the first step. */
    protected final float[] scratch(int n) {
        return local().general(n);
    }

    protected final float[] colScratchA(int n) {
        return local().columnsA(n);
    }

    protected final float[] colScratchB(int n) {
        return local().columnsB(n);
    }

    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                     float[] c, int cOff, float[] bias, int biasOff, Accumulation accumulation) {
        boolean at = transA == Transpose.TRANSPOSED;
        boolean accumulate = accumulation == Accumulation.ADD;
        GemmShape.requireNoOverlap(m, n, k, a, aOff, b, bOff, c, cOff);
        float[] bData = b;
        int bStart = bOff;
        if (transB == Transpose.TRANSPOSED) { // B's rows packed into a k×n copy: the kernels read B row-major
            bData = scratch(n * k);
            Gemm.transpose(b, bOff, n, k, bData);
            bStart = 0;
        }
        Gemm.scalar(m, n, k, a, aOff, at ? 1 : k, at ? m : 1, bData, bStart, n, c, cOff, n, bias, biasOff,
                accumulate);
    }

    @Override
    public void multBiasSparse(NonZeroEntries a, TensorView w, TensorView bias, FMatrixRMaj c) {
        GemmShape.require(Transpose.NONE, Transpose.NONE, a.rows(), a.cols(), w.rows(), w.cols(), c.numRows, c.numCols, bias.size());
        SparseGemm.rowsScalar(0, a.rows(), a, w.array(), w.offset(), c.numCols, c.data, bias.array(), bias.offset());
    }

    @Override
    public void multAddTransASparse(NonZeroEntries a, FMatrixRMaj b, TensorView c) {
        GemmShape.require(Transpose.TRANSPOSED, Transpose.NONE, a.rows(), a.cols(), b.numRows, b.numCols, c.rows(), c.cols(), -1);
        SparseGemm.transposedScalar(0, a.cols(), a, b.data, c.cols(), c.array(), c.offset());
    }

    @Override
    public boolean prefersSparseInput() {
        return true;
    }

    @Override
    public void exp(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) Math.exp(x[i]);
        }
    }

    @Override
    public void log(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) Math.log(x[i]);
        }
    }

    @Override
    public void log1p(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) Math.log1p(x[i]);
        }
    }

    @Override
    public void softplus(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) SpecialFunctions.softplus(x[i]);
        }
    }

    @Override
    public void sigmoid(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) SpecialFunctions.sigmoid(x[i]);
        }
    }

    @Override
    public void lgamma(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) SpecialFunctions.lgamma(x[i]);
        }
    }

    @Override
    public void digamma(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) SpecialFunctions.digamma(x[i]);
        }
    }

    @Override
    public void relu(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    @Override
    public void addToRows(FMatrixRMaj x, float[] v, FMatrixRMaj y) {
        int cols = x.numCols;
        for (int i = 0; i < x.numRows; i++) {
            float vi = v[i];
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                y.data[off + j] = x.data[off + j] + vi;
            }
        }
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = a[i] * b[i];
        }
    }

    @Override
    public void axpy(float a, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.fma(a, x[i], y[i]);
        }
    }

    @Override
    public void scale(float a, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] *= a;
        }
    }

    @Override
    public void sumCols(FMatrixRMaj x, float[] out, int outOff, Accumulation accumulation) {
        boolean accumulate = accumulation == Accumulation.ADD;
        int rows = x.numRows;
        int cols = x.numCols;
        float[] d = x.data;
        for (int j = 0; j < cols; j++) {
            float s = accumulate ? out[outOff + j] : 0f;
            for (int i = 0; i < rows; i++) {
                s += d[i * cols + j];
            }
            out[outOff + j] = s;
        }
    }

    @Override
    public void sumRows(FMatrixRMaj x, float[] out) {
        int cols = x.numCols;
        for (int i = 0; i < x.numRows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += x.data[i * cols + j];
            }
            out[i] = (float) s;
        }
    }

    @Override
    public void rowSoftmax(FMatrixRMaj x, FMatrixRMaj y) {
        softmaxRows(x, y, false);
    }

    @Override
    public void rowLogSoftmax(FMatrixRMaj x, FMatrixRMaj y) {
        softmaxRows(x, y, true);
    }

    private static void softmaxRows(FMatrixRMaj x, FMatrixRMaj y, boolean log) {
        int cols = x.numCols;
        for (int i = 0; i < x.numRows; i++) {
            int off = i * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x.data[off + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x.data[off + j] - max);
            }
            double logSum = Math.log(sum);
            for (int j = 0; j < cols; j++) {
                double v = x.data[off + j] - max;
                y.data[off + j] = (float) (log ? v - logSum : Math.exp(v) / sum);
            }
        }
    }

    @Override
    public void batchNormTrain(FMatrixRMaj x, float[] gamma, int gammaOff, float[] beta, int betaOff, float eps,
                               float momentum, float[] runningMean, float[] runningVar,
                               FMatrixRMaj xhat, float[] batchMean, float[] invStd, FMatrixRMaj y) {
        int rows = BatchNormChecks.trainingRows(x);
        int cols = x.numCols;
        float[] var = colScratchA(cols);
        BatchNormChecks.columnStats(x, batchMean, var); // shared float order with the SIMD backend
        for (int j = 0; j < cols; j++) {
            invStd[j] = (float) (1.0 / Math.sqrt(var[j] + eps));
        }
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                float xh = (x.data[off + j] - batchMean[j]) * invStd[j];
                xhat.data[off + j] = xh;
                y.data[off + j] = gamma[gammaOff + j] * xh + beta[betaOff + j];
            }
        }
        BatchNormChecks.updateRunning(rows, cols, momentum, batchMean, var, runningMean, runningVar);
    }

    @Override
    public void batchNormEval(FMatrixRMaj x, float[] gamma, int gammaOff, float[] beta, int betaOff, float eps,
                              float[] runningMean, float[] runningVar, FMatrixRMaj y) {
        int cols = x.numCols;
        float[] scale = colScratchA(cols);
        float[] shift = colScratchB(cols);
        BatchNormChecks.evalAffine(gamma, gammaOff, beta, betaOff, eps, runningMean, runningVar, cols, scale, shift);
        for (int i = 0; i < x.numRows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                y.data[off + j] = x.data[off + j] * scale[j] + shift[j];
            }
        }
    }

    @Override
    public void batchNormBackward(FMatrixRMaj xhat, float[] invStd, float[] gamma, int gammaOff, FMatrixRMaj dy,
                                  float[] dGamma, int dGammaOff, float[] dBeta, int dBetaOff, FMatrixRMaj dx) {
        int rows = xhat.numRows;
        int cols = xhat.numCols;
        float[] s1 = colScratchA(cols);
        float[] s2 = colScratchB(cols);
        for (int j = 0; j < cols; j++) {
            float a = 0f;
            float b = 0f;
            for (int i = 0; i < rows; i++) {
                float g = dy.data[i * cols + j];
                a += g;
                b += g * xhat.data[i * cols + j];
            }
            s1[j] = a;
            s2[j] = b;
            dBeta[dBetaOff + j] += a;
            dGamma[dGammaOff + j] += b;
        }
        float fr = rows;
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                float k = gamma[gammaOff + j] * invStd[j] / fr;
                float t = dy.data[off + j] * fr - s1[j] - xhat.data[off + j] * s2[j];
                dx.data[off + j] = k * t;
            }
        }
    }

    /** μ·∂logp/∂μ of the NB term in a cancellation-free form (see CountLikelihoodKernels). */
    private static double nbMuGradient(double x, double mu, double th) {
        double mp = mu + EPS;
        return mu * th * (x - mp) / (mp * (th + mp));
    }

    @Override
    public void negBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta,
                            float[] logp, float[] muGrad, float[] thetaGrad) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int e = off + i * cols + j;
                double xv = x[e];
                double m = mu[e];
                double th = theta[j];
                double logThEps = Math.log(th + EPS);
                double logThMu = Math.log(th + m + EPS);
                logp[e] = (float) (th * (logThEps - logThMu) + xv * (Math.log(m + EPS) - logThMu)
                        + SpecialFunctions.lgamma(xv + th) - SpecialFunctions.lgamma(th)
                        - SpecialFunctions.lgamma(xv + 1));
                if (muGrad != null) {
                    muGrad[e] = (float) nbMuGradient(xv, m, th);
                }
                if (thetaGrad != null) {
                    thetaGrad[e] = (float) (th * (logThEps - logThMu + th / (th + EPS) - (th + xv) / (th + m + EPS)
                            + SpecialFunctions.digamma(xv + th) - SpecialFunctions.digamma(th)));
                }
            }
        }
    }

    @Override
    public void zeroInflatedNegBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta, float[] pi,
                                        float[] logp, float[] muGrad, float[] thetaGrad, float[] piGrad) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int e = off + i * cols + j;
                double xv = x[e];
                double m = mu[e];
                double th = theta[j];
                double p = pi[e];
                double logThEps = Math.log(th + EPS);
                double logThMu = Math.log(th + m + EPS);
                double c = SpecialFunctions.softplus(-p);
                double t1 = th * (logThEps - logThMu);
                double a = -p + t1;
                double dT1dMu = -th / (th + m + EPS);
                double dT1dTh = logThEps - logThMu + th / (th + EPS) - th / (th + m + EPS);
                if (xv < EPS) {
                    double s = SpecialFunctions.sigmoid(a);
                    logp[e] = (float) (SpecialFunctions.softplus(a) - c);
                    if (muGrad != null) {
                        muGrad[e] = (float) (m * s * dT1dMu);
                    }
                    if (thetaGrad != null) {
                        thetaGrad[e] = (float) (th * s * dT1dTh);
                    }
                    if (piGrad != null) {
                        piGrad[e] = (float) (-s + SpecialFunctions.sigmoid(-p));
                    }
                } else {
                    logp[e] = (float) (-c + a + xv * (Math.log(m + EPS) - logThMu)
                            + SpecialFunctions.lgamma(xv + th) - SpecialFunctions.lgamma(th)
                            - SpecialFunctions.lgamma(xv + 1));
                    if (muGrad != null) {
                        muGrad[e] = (float) nbMuGradient(xv, m, th);
                    }
                    if (thetaGrad != null) {
                        thetaGrad[e] = (float) (th * (logThEps - logThMu + th / (th + EPS) - (th + xv) / (th + m + EPS)
                                + SpecialFunctions.digamma(xv + th) - SpecialFunctions.digamma(th)));
                    }
                    if (piGrad != null) {
                        piGrad[e] = (float) (SpecialFunctions.sigmoid(-p) - 1.0);
                    }
                }
            }
        }
    }

    @Override
    public void gaussian(int rows, int cols, int off, float[] x, float[] mu, float[] variance, float[] logp,
                         float[] muGrad, float[] varianceGrad) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int e = off + i * cols + j;
                double v = variance[j];
                double d = x[e] - mu[e];
                logp[e] = (float) (-0.5 * Math.log(2 * Math.PI * v) - d * d / (2 * v));
                if (muGrad != null) {
                    muGrad[e] = (float) (mu[e] * d / v);
                }
                if (varianceGrad != null) {
                    varianceGrad[e] = (float) (-0.5 + d * d / (2 * v));
                }
            }
        }
    }

    @Override
    public void poisson(int rows, int cols, float[] x, float[] mu, float[] logp, float[] muGrad) {
        int n = rows * cols;
        for (int e = 0; e < n; e++) {
            double xv = x[e];
            double m = mu[e];
            double xlogm = xv == 0 ? 0.0 : xv * Math.log(m);
            logp[e] = (float) (xlogm - m - SpecialFunctions.lgamma(xv + 1));
            if (muGrad != null) {
                muGrad[e] = (float) (xv - m);
            }
        }
    }

    // ================================================================== exact operations
    // The definitions below are the model loops they replaced, operation for operation.

    @Override
    public void fastExp(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = FastMath.exp(x[i]);
        }
    }

    @Override
    public void fastLog(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = FastMath.log(x[i]);
        }
    }

    @Override
    public void scale(float a, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = a * x[i];
        }
    }

    @Override
    public void decayAdd(float keep, float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = keep * y[i] + x[i];
        }
    }

    @Override
    public void copy(float[] x, float[] y, int n) {
        if (x != y) {
            System.arraycopy(x, 0, y, 0, n);
        }
    }

    @Override
    public void scaleRows(FMatrixRMaj x, float[] v, FMatrixRMaj y) {
        int cols = x.numCols;
        for (int i = 0; i < x.numRows; i++) {
            float vi = v[i];
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                y.data[off + j] = x.data[off + j] * vi;
            }
        }
    }

    /** 1/s for row i of {@link #renormaliseRows}: the double sum over the columns, in their order. */
    static float inverseColumnSum(float[] d, int off, int[] columns) {
        double s = 0;
        for (int c : columns) {
            s += d[off + c];
        }
        return (float) (1.0 / s);
    }

    @Override
    public void renormaliseRows(FMatrixRMaj x, int[] columns) {
        int cols = x.numCols;
        for (int i = 0; i < x.numRows; i++) {
            int off = i * cols;
            float inv = inverseColumnSum(x.data, off, columns);
            for (int j = 0; j < cols; j++) {
                x.data[off + j] *= inv;
            }
        }
    }

    @Override
    public void addIndexedRows(TensorView table, int[] index, FMatrixRMaj y) {
        int cols = ViewChecks.columns(table, y.numCols, "addIndexedRows");
        float[] t = table.array();
        for (int i = 0; i < y.numRows; i++) {
            int src = table.offset() + ViewChecks.row(table, index[i]) * cols;
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                y.data[off + j] += t[src + j];
            }
        }
    }

    @Override
    public void scatterAddIndexedRows(FMatrixRMaj dy, int[] index, TensorView table) {
        int cols = ViewChecks.columns(table, dy.numCols, "scatterAddIndexedRows");
        float[] t = table.array();
        for (int i = 0; i < dy.numRows; i++) {
            int dst = table.offset() + ViewChecks.row(table, index[i]) * cols;
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                t[dst + j] += dy.data[off + j];
            }
        }
    }

    @Override
    public void gatherColumns(TensorView src, int[] columns, FMatrixRMaj dst) {
        int g = src.cols();
        int c = columns.length;
        float[] s = src.array();
        int off = src.offset();
        for (int r = 0; r < src.rows(); r++) {
            for (int j = 0; j < c; j++) {
                dst.data[r * c + j] = s[off + r * g + columns[j]];
            }
        }
    }

    @Override
    public void scatterAddColumns(FMatrixRMaj src, int[] columns, TensorView dst) {
        int g = dst.cols();
        int c = columns.length;
        float[] d = dst.array();
        int off = dst.offset();
        for (int r = 0; r < src.numRows; r++) {
            for (int j = 0; j < c; j++) {
                d[off + r * g + columns[j]] += src.data[r * c + j];
            }
        }
    }

    @Override
    public void gatherExp(TensorView table, int column, int[] rows, float[] out, int n) {
        float[] src = table.array();
        int off = table.offset() + column;
        int stride = table.cols();
        for (int j = 0; j < n; j++) {
            out[j] = FastMath.exp(src[off + rows[j] * stride]);
        }
    }

    @Override
    public void scatterAddScaledByGroup(float a, FMatrixRMaj g, int[] columns, int[] group, TensorView target) {
        int dc = target.cols();
        int cols = g.numCols;
        float[] gd = g.data;
        float[] t = target.array();
        int tOff = target.offset();
        for (int i = 0; i < g.numRows; i++) {
            int col = group == null ? 0 : group[i];
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                t[tOff + columns[j] * dc + col] += a * gd[off + j];
            }
        }
    }

    /** Σ_j g[off + j] in float, j ascending (the library gradient's order). */
    static float sequentialSum(float[] g, int off, int cols) {
        float sum = 0f;
        for (int j = 0; j < cols; j++) {
            sum += g[off + j];
        }
        return sum;
    }

    @Override
    public void softmaxLibraryBackward(FMatrixRMaj p, FMatrixRMaj g, float scale, float[] dEll, FMatrixRMaj dLogits) {
        int rows = g.numRows;
        int cols = g.numCols;
        float[] gd = g.data;
        float[] pd = p.data;
        float[] out = dLogits.data;
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            float d = -scale * sequentialSum(gd, off, cols);
            dEll[i] = d;
            for (int j = 0; j < cols; j++) {
                out[off + j] = -scale * gd[off + j] - pd[off + j] * d;
            }
        }
    }

    @Override
    public void reparameterize(FMatrixRMaj params, FMatrixRMaj eps, Posterior posterior, FMatrixRMaj z) {
        boolean sample = posterior == Posterior.SAMPLE;
        int rows = z.numRows;
        int d = z.numCols;
        float[] p = params.data;
        float[] e = eps.data;
        for (int i = 0; i < rows; i++) {
            int pr = i * 2 * d;
            int zr = i * d;
            for (int k = 0; k < d; k++) {
                float mean = p[pr + k];
                z.data[zr + k] = sample ? mean + FastMath.exp(0.5f * p[pr + d + k]) * e[zr + k] : mean;
            }
        }
    }

    @Override
    public void reparameterizeBackward(FMatrixRMaj params, FMatrixRMaj eps, FMatrixRMaj dz, float klScale,
                                       FMatrixRMaj dParams) {
        int rows = dz.numRows;
        int d = dz.numCols;
        float[] p = params.data;
        float[] e = eps.data;
        float[] g = dz.data;
        float[] dp = dParams.data;
        for (int i = 0; i < rows; i++) {
            int pr = i * 2 * d;
            int zr = i * d;
            for (int k = 0; k < d; k++) {
                float logVar = p[pr + d + k];
                dp[pr + k] = reparameterMeanGrad(g[zr + k], klScale, p[pr + k]);
                dp[pr + d + k] = reparameterLogVarGrad(g[zr + k], klScale, FastMath.exp(0.5f * logVar),
                        FastMath.exp(logVar), e[zr + k]);
            }
        }
    }

    // z = m + std·ε ; KL = ½(σ² + m² − 1 − log σ²)
    static float reparameterMeanGrad(float g, float klScale, float mean) {
        return g + klScale * mean;
    }

    static float reparameterLogVarGrad(float g, float klScale, float std, float var, float eps) {
        return g * 0.5f * std * eps + klScale * 0.5f * (var - 1f);
    }

    @Override
    public void normalKl(FMatrixRMaj params, float[] out) {
        int rows = params.numRows;
        int d = params.numCols / 2;
        float[] p = params.data;
        for (int i = 0; i < rows; i++) {
            int pr = i * 2 * d;
            double kl = 0;
            for (int k = 0; k < d; k++) {
                float logVar = p[pr + d + k];
                kl = normalKlTerm(kl, p[pr + k], logVar, FastMath.exp(logVar));
            }
            out[i] = (float) kl;
        }
    }

    static double normalKlTerm(double kl, double mean, float logVar, float var) {
        return kl + 0.5 * ((double) var + mean * mean - 1 - logVar);
    }

    @Override
    public void libraryReparameterize(FMatrixRMaj params, float[] eps, float varianceFloor, Posterior posterior, float[] ell) {
        boolean sample = posterior == Posterior.SAMPLE;
        float[] p = params.data;
        for (int i = 0; i < params.numRows; i++) {
            float mean = p[2 * i];
            ell[i] = sample ? mean + (float) Math.sqrt(FastMath.exp(p[2 * i + 1]) + varianceFloor) * eps[i] : mean;
        }
    }

    @Override
    public void libraryBackward(FMatrixRMaj params, float[] eps, float[] dEll, float klScale, float[] priorMean,
                                float[] priorVar, float varianceFloor, FMatrixRMaj dParams) {
        float[] p = params.data;
        float[] dp = dParams.data;
        for (int i = 0; i < params.numRows; i++) {
            float mean = p[2 * i];
            float expRaw = FastMath.exp(p[2 * i + 1]);
            float var = expRaw + varianceFloor;
            float std = (float) Math.sqrt(var);
            // ℓ = m + √v·ε ; KL = ½log σp² − ½log v + (v + (m − mp)²)/(2σp²) − ½
            float dMean = dEll[i] + klScale * (mean - priorMean[i]) / priorVar[i];
            float dVar = dEll[i] * eps[i] / (2f * std) + klScale * (-0.5f / var + 0.5f / priorVar[i]);
            dp[2 * i] = dMean;
            dp[2 * i + 1] = dVar * expRaw;
        }
    }

    @Override
    public void libraryKl(FMatrixRMaj params, float[] priorMean, float[] priorVar, float varianceFloor, float[] out) {
        float[] p = params.data;
        for (int i = 0; i < params.numRows; i++) {
            double mq = p[2 * i];
            double vq = FastMath.exp(p[2 * i + 1]) + varianceFloor;
            double vp = priorVar[i];
            double d = mq - priorMean[i];
            out[i] = (float) (0.5 * FastMath.log((float) (vp / vq)) + (vq + d * d) / (2 * vp) - 0.5);
        }
    }

    @Override
    public void negativeElboSums(float[] rec, float[] klZ, float[] klL, int n, double[] sums) {
        double recSum = 0;
        for (int i = 0; i < n; i++) {
            rec[i] = -rec[i];
            recSum += rec[i];
        }
        double klSum = 0;
        for (int i = 0; i < n; i++) {
            klSum += klZ[i] + klL[i];
        }
        sums[0] = recSum;
        sums[1] = klSum;
    }

    @Override
    public void fill(float value, float[] x, int off, int n) {
        Arrays.fill(x, off, off + n, value);
    }

    @Override
    public void copy(float[] x, int xOff, float[] y, int yOff, int n) {
        if (x != y || xOff != yOff) {
            System.arraycopy(x, xOff, y, yOff, n);
        }
    }

    @Override
    public void addAndZero(float[] lane, float[] sum, int n) {
        for (int i = 0; i < n; i++) {
            sum[i] = sum[i] + lane[i];
        }
        Arrays.fill(lane, 0, n, 0f);
    }

    @Override
    public void adamUpdate(float[] w, float[] g, float[] m, float[] v, int off, int n, AdamUpdate.Coefficients c) {
        AdamUpdate.scalar(w, g, m, v, off, n, c);
    }

    @Override
    public void accumulateMoments(float[] x, double[] sum, double[] sumSq, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            sum[i] += v;
            sumSq[i] += v * v;
        }
    }

    @Override
    public void momentsToMeanStd(double[] sum, double[] sumSq, int samples, float[] mean, float[] std, int n) {
        for (int i = 0; i < n; i++) {
            double mu = sum[i] / samples;
            double var = Math.max(0, sumSq[i] / samples - mu * mu);
            mean[i] = (float) mu;
            std[i] = (float) Math.sqrt(var);
        }
    }

    @Override
    public void expDouble(float[] x, int xOff, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.exp(x[xOff + i]);
        }
    }

    @Override
    public void dropoutMask(long key, float p, float[] mask, int n) {
        DropoutMasks.fillScalar(mask, n, p, key);
    }

    @Override
    public void crossEntropyBackward(FMatrixRMaj logProb, int[] labels, float onLabel, float offLabel, float scale,
                                     FMatrixRMaj dLogits, double[] loss) {
        int rows = logProb.numRows;
        int classes = logProb.numCols;
        float[] lp = logProb.data;
        float[] d = dLogits.data;
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < classes; j++) {
                float target = j == labels[i] ? onLabel : offLabel;
                float l = lp[i * classes + j];
                sum -= target * l;
                d[i * classes + j] = scale * (FastMath.exp(l) - target);
            }
        }
        loss[0] = sum;
    }

    @Override
    public void rowArgmax(FMatrixRMaj x, int[] out) {
        int cols = x.numCols;
        float[] a = x.data;
        for (int i = 0; i < x.numRows; i++) {
            int best = 0;
            for (int j = 1; j < cols; j++) {
                if (a[i * cols + j] > a[i * cols + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
    }
}
