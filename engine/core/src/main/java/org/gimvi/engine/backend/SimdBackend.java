package org.gimvi.engine.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.kernels.CountLikelihoodKernels;
import org.gimvi.engine.kernels.DropoutMasks;
import org.gimvi.engine.kernels.FastMath;
import org.gimvi.engine.kernels.Gemm;
import org.gimvi.engine.kernels.VectorMath;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * The CPU backend: Vector API kernels ({@code jdk.incubator.vector}, the preferred species — 16
 * float lanes on AVX-512), large GEMMs and likelihood blocks split over the shared {@link WorkerPool}. Deterministic for
 * any thread count; GEMM, column sums and BatchNorm are bit-identical to {@link ScalarBackend}.
 *
 * <p>Reductions across a row (softmax, row sums) keep per-lane partial sums and add the lanes in a
 * fixed order: {@code reduceLanes} is avoided because its order is unspecified.
 */
public class SimdBackend extends ScalarBackend {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private final WorkerPool pool;

    public SimdBackend() {
        this(WorkerPool.shared());
    }

    /** @param pool worker pool for large products; null means single-threaded */
    public SimdBackend(WorkerPool pool) {
        this.pool = pool;
    }

    /**
     * Compiles the vector kernels the normal way before first use ({@link SimdKernelWarmUp}); once per
     * JVM, later calls return at once, blocking the caller. Not done by default: it costs about a second
     * (1.05–1.3 s on a 2-core Zen 4) and a few hundred MB of transient heap, about what it saves in the
     * first epochs of a fit; a training plan starts a shorter run of it on a daemon thread instead
     * ({@link #prepareForTraining}), which does not block. For a long-lived process (a service, a test JVM) it removes the risk of a kernel compiled by
     * on-stack replacement staying boxed on JDK 17, which slows that kernel for the life of the JVM.
     */
    public static void warmUpKernels() {
        WarmedUp.ensure();
    }

    /** Runs the warm-up once, in a holder class: not in SimdBackend's own static initialiser (see SimdGemm). */
    private static final class WarmedUp {
        private static final boolean DONE = SimdKernelWarmUp.run();

        private WarmedUp() {
        }

        static void ensure() {
        }
    }

    /** Starts {@link SimdKernelWarmUp#startInBackground}: the kernels' warm-up on a daemon thread, once per JVM. */
    @Override
    public void prepareForTraining() {
        SimdKernelWarmUp.startInBackground();
    }

    @Override
    public String name() {
        return "simd(" + F.vectorBitSize() + "-bit, " + (pool == null ? 1 : pool.threads()) + " threads)";
    }

    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                     float[] c, int cOff, float[] bias, int biasOff, Accumulation accumulation) {
        boolean at = transA == Transpose.TRANSPOSED;
        boolean accumulate = accumulation == Accumulation.ADD;
        GemmShape.requireNoOverlap(m, n, k, a, aOff, b, bOff, c, cOff);
        BackendScratch local = local();
        float[] bData = b;
        int bStart = bOff;
        if (transB == Transpose.TRANSPOSED) { // B's rows packed into a k×n copy: the kernels read B row-major
            bData = scratch(n * k);
            Gemm.transpose(b, bOff, n, k, bData);
            bStart = 0;
        }
        local.gemmJob.run(m, n, k, a, aOff, at ? 1 : k, at ? m : 1, bData, bStart, n, c, cOff, n, bias, biasOff,
                accumulate, pool);
    }

    @Override
    public int countNonZeros(float[] x, int n) {
        return VectorMath.countNonZeros(x, 0, n);
    }

    @Override
    public void multBiasSparse(NonZeroEntries a, TensorView w, TensorView bias, FMatrixRMaj c) {
        GemmShape.require(Transpose.NONE, Transpose.NONE, a.rows(), a.cols(), w.rows(), w.cols(), c.numRows, c.numCols, bias.size());
        local().sparseJob.rows(a, w.array(), w.offset(), c.numCols, c.data, bias.array(), bias.offset(), pool);
    }

    @Override
    public void multAddTransASparse(NonZeroEntries a, FMatrixRMaj b, TensorView c) {
        GemmShape.require(Transpose.TRANSPOSED, Transpose.NONE, a.rows(), a.cols(), b.numRows, b.numCols, c.rows(), c.cols(), -1);
        local().sparseJob.transposed(a, b.data, c.cols(), c.array(), c.offset(), pool);
    }

    @Override
    public void exp(float[] x, float[] y, int n) {
        if (ParallelRowPasses.worthSplitting(pool, n)) {
            local().rowPasses(this).exp(pool, x, y, n);
        } else {
            VectorMath.exp(x, y, n);
        }
    }

    @Override
    public void log(float[] x, float[] y, int n) {
        VectorMath.log(x, y, n);
    }

    @Override
    public void log1p(float[] x, float[] y, int n) {
        VectorMath.log1p(x, y, n);
    }

    @Override
    public void softplus(float[] x, float[] y, int n) {
        VectorMath.softplus(x, y, n);
    }

    @Override
    public void sigmoid(float[] x, float[] y, int n) {
        VectorMath.sigmoid(x, y, n);
    }

    @Override
    public void lgamma(float[] x, float[] y, int n) {
        VectorMath.lgamma(x, y, n);
    }

    @Override
    public void digamma(float[] x, float[] y, int n) {
        VectorMath.digamma(x, y, n);
    }

    @Override
    public void relu(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, i).lanewise(VectorOperators.MAX, 0f).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(F, y, i);
            FloatVector.fromArray(F, dy, i).blend(0f, yv.compare(VectorOperators.LE, 0f)).intoArray(dx, i);
        }
        for (; i < n; i++) {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    @Override
    public void reluDropout(float[] x, float[] mask, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector r = FloatVector.fromArray(F, x, i).lanewise(VectorOperators.MAX, 0f);
            r.intoArray(x, i);
            r.mul(FloatVector.fromArray(F, mask, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            float r = Math.max(x[i], 0f);
            x[i] = r;
            y[i] = r * mask[i];
        }
    }

    @Override
    public void dropoutReluBackward(float[] mask, float[] y, float[] dy, float[] dx, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(F, dy, i).mul(FloatVector.fromArray(F, mask, i));
            g.blend(0f, FloatVector.fromArray(F, y, i).compare(VectorOperators.LE, 0f)).intoArray(dx, i);
        }
        for (; i < n; i++) {
            float g = dy[i] * mask[i];
            dx[i] = y[i] > 0f ? g : 0f;
        }
    }

    @Override
    public void mul(float[] a, float[] b, float[] out, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, a, i).mul(FloatVector.fromArray(F, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = a[i] * b[i];
        }
    }

    @Override
    public void axpy(float a, float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.broadcast(F, a).fma(FloatVector.fromArray(F, x, i), FloatVector.fromArray(F, y, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = Math.fma(a, x[i], y[i]);
        }
    }

    @Override
    public void scale(float a, float[] x, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, i).mul(a).intoArray(x, i);
        }
        for (; i < n; i++) {
            x[i] *= a;
        }
    }

    @Override
    public void sumCols(FMatrixRMaj x, float[] out, int outOff, Accumulation accumulation) {
        boolean accumulate = accumulation == Accumulation.ADD;
        int rows = x.numRows;
        int cols = x.numCols;
        float[] d = x.data;
        int j = 0;
        for (; j + COLUMN_BLOCK * L <= cols; j += COLUMN_BLOCK * L) {
            columnSums4(d, rows, cols, j, out, outOff + j, accumulation);
        }
        for (int bound = F.loopBound(cols); j < bound; j += L) {
            FloatVector s = accumulate ? FloatVector.fromArray(F, out, outOff + j) : FloatVector.zero(F);
            for (int i = 0; i < rows; i++) {
                s = s.add(FloatVector.fromArray(F, d, i * cols + j));
            }
            s.intoArray(out, outOff + j);
        }
        for (; j < cols; j++) {
            float s = accumulate ? out[outOff + j] : 0f;
            for (int i = 0; i < rows; i++) {
                s += d[i * cols + j];
            }
            out[outOff + j] = s;
        }
    }

    /** Column sums of columns [j, j + 4L) into out[o ..], four chains per pass (see {@link #COLUMN_BLOCK}). */
    private static void columnSums4(float[] d, int rows, int cols, int j, float[] out, int o,
                                    Accumulation accumulation) {
        FloatVector s0;
        FloatVector s1;
        FloatVector s2;
        FloatVector s3;
        if (accumulation == Accumulation.ADD) {
            s0 = FloatVector.fromArray(F, out, o);
            s1 = FloatVector.fromArray(F, out, o + L);
            s2 = FloatVector.fromArray(F, out, o + 2 * L);
            s3 = FloatVector.fromArray(F, out, o + 3 * L);
        } else {
            s0 = FloatVector.zero(F);
            s1 = FloatVector.zero(F);
            s2 = FloatVector.zero(F);
            s3 = FloatVector.zero(F);
        }
        for (int i = 0; i < rows; i++) {
            int r = i * cols + j;
            s0 = s0.add(FloatVector.fromArray(F, d, r));
            s1 = s1.add(FloatVector.fromArray(F, d, r + L));
            s2 = s2.add(FloatVector.fromArray(F, d, r + 2 * L));
            s3 = s3.add(FloatVector.fromArray(F, d, r + 3 * L));
        }
        s0.intoArray(out, o);
        s1.intoArray(out, o + L);
        s2.intoArray(out, o + 2 * L);
        s3.intoArray(out, o + 3 * L);
    }

    @Override
    public void sumRows(FMatrixRMaj x, float[] out) {
        int cols = x.numCols;
        float[] lanes = local().lanes(L);
        for (int i = 0; i < x.numRows; i++) {
            out[i] = rowSum(x.data, i * cols, cols, lanes);
        }
    }

    /** Σ of d[off..off+n) with per-lane partial sums, lanes then tail added in a fixed order. */
    private static float rowSum(float[] d, int off, int n, float[] lanes) {
        int j = 0;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = F.loopBound(n); j < bound; j += L) {
            acc = acc.add(FloatVector.fromArray(F, d, off + j));
        }
        acc.intoArray(lanes, 0);
        float s = 0f;
        for (int l = 0; l < L; l++) {
            s += lanes[l];
        }
        for (; j < n; j++) {
            s += d[off + j];
        }
        return s;
    }

    private static float rowMax(float[] d, int off, int n, float[] lanes) {
        int j = 0;
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int bound = F.loopBound(n); j < bound; j += L) {
            acc = acc.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, d, off + j));
        }
        acc.intoArray(lanes, 0);
        float m = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < L; l++) {
            m = Math.max(m, lanes[l]);
        }
        for (; j < n; j++) {
            m = Math.max(m, d[off + j]);
        }
        return m;
    }

    @Override
    public void rowSoftmax(FMatrixRMaj x, FMatrixRMaj y) {
        softmaxRows(x, y, SoftmaxForm.PROBABILITIES);
    }

    @Override
    public void rowLogSoftmax(FMatrixRMaj x, FMatrixRMaj y) {
        softmaxRows(x, y, SoftmaxForm.LOG_PROBABILITIES);
    }

    /**
     * Passes over a range of rows: shift each row by its max; one vectorised exp of the range; per-row
     * sums (per-lane partials, lanes added in a fixed order); then divide or subtract the log. Wide
     * blocks run as row ranges on the pool (the same bits: each element's exp and each row's sum are
     * position-independent).
     */
    private void softmaxRows(FMatrixRMaj x, FMatrixRMaj y, SoftmaxForm form) {
        if (ParallelRowPasses.worthSplitting(pool, x.numRows, x.numRows * x.numCols)) {
            local().rowPasses(this).softmax(pool, x, y, form);
        } else {
            softmaxRows(x, y, form, 0, x.numRows);
        }
    }

    /** {@link #softmaxRows} over rows [r0, r1) (their exps in this thread's scratch). */
    void softmaxRows(FMatrixRMaj x, FMatrixRMaj y, SoftmaxForm form, int r0, int r1) {
        boolean log = form == SoftmaxForm.LOG_PROBABILITIES;
        int cols = x.numCols;
        int n = (r1 - r0) * cols;
        float[] xd = x.data;
        float[] yd = y.data;
        float[] lanes = local().lanes(L);
        for (int i = r0; i < r1; i++) {
            int off = i * cols;
            float max = rowMax(xd, off, cols, lanes);
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(F, xd, off + j).sub(max).intoArray(yd, off + j);
            }
            for (; j < cols; j++) {
                yd[off + j] = xd[off + j] - max;
            }
        }
        float[] e = log ? scratch(n) : yd;
        int eOff = log ? -r0 * cols : 0; // e holds the range from its start, or is y itself
        VectorMath.exp(yd, r0 * cols, e, r0 * cols + eOff, n);
        for (int i = r0; i < r1; i++) {
            int off = i * cols;
            float s = rowSum(e, off + eOff, cols, lanes);
            int j = 0;
            if (log) {
                float logSum = FastMath.log(s);
                for (int bound = F.loopBound(cols); j < bound; j += L) {
                    FloatVector.fromArray(F, yd, off + j).sub(logSum).intoArray(yd, off + j);
                }
                for (; j < cols; j++) {
                    yd[off + j] -= logSum;
                }
            } else {
                for (int bound = F.loopBound(cols); j < bound; j += L) {
                    FloatVector.fromArray(F, yd, off + j).div(s).intoArray(yd, off + j);
                }
                for (; j < cols; j++) {
                    yd[off + j] /= s;
                }
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
        float[] d = x.data;
        float fr = rows;
        int j = 0;
        for (; j + COLUMN_BLOCK * L <= cols; j += COLUMN_BLOCK * L) {
            columnMeanAndVariance4(d, rows, cols, j, fr, batchMean, var);
        }
        for (int bound = F.loopBound(cols); j < bound; j += L) {
            FloatVector s = FloatVector.zero(F);
            for (int i = 0; i < rows; i++) {
                s = s.add(FloatVector.fromArray(F, d, i * cols + j));
            }
            FloatVector m = s.div(fr);
            FloatVector v = FloatVector.zero(F);
            for (int i = 0; i < rows; i++) {
                FloatVector dev = FloatVector.fromArray(F, d, i * cols + j).sub(m);
                v = v.add(dev.mul(dev));
            }
            m.intoArray(batchMean, j);
            v.div(fr).intoArray(var, j);
        }
        BatchNormChecks.columnStats(x, j, batchMean, var);
        for (j = 0; j < cols; j++) {
            invStd[j] = (float) (1.0 / Math.sqrt(var[j] + eps));
        }
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector xh = FloatVector.fromArray(F, d, off + j).sub(FloatVector.fromArray(F, batchMean, j))
                        .mul(FloatVector.fromArray(F, invStd, j));
                xh.intoArray(xhat.data, off + j);
                FloatVector.fromArray(F, gamma, gammaOff + j).mul(xh).add(FloatVector.fromArray(F, beta, betaOff + j))
                        .intoArray(y.data, off + j);
            }
            for (; j < cols; j++) {
                float xh = (d[off + j] - batchMean[j]) * invStd[j];
                xhat.data[off + j] = xh;
                y.data[off + j] = gamma[gammaOff + j] * xh + beta[betaOff + j];
            }
        }
        BatchNormChecks.updateRunning(rows, cols, momentum, batchMean, var, runningMean, runningVar);
    }

    /**
     * Column reductions over rows are one chain of dependent adds per column (ascending rows, the
     * scalar definition's order), so a single vector accumulator waits on the add latency at every
     * row. Four column vectors side by side give four independent chains: the same additions in the
     * same order per column, so the same bits, at up to four times the throughput.
     */
    static final int COLUMN_BLOCK = 4;

    /** Batch mean and (biased) variance of columns [j, j + 4L): four chains per pass over the rows. */
    private static void columnMeanAndVariance4(float[] d, int rows, int cols, int j, float fr, float[] mean,
                                               float[] var) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        for (int i = 0; i < rows; i++) {
            int o = i * cols + j;
            s0 = s0.add(FloatVector.fromArray(F, d, o));
            s1 = s1.add(FloatVector.fromArray(F, d, o + L));
            s2 = s2.add(FloatVector.fromArray(F, d, o + 2 * L));
            s3 = s3.add(FloatVector.fromArray(F, d, o + 3 * L));
        }
        FloatVector m0 = s0.div(fr);
        FloatVector m1 = s1.div(fr);
        FloatVector m2 = s2.div(fr);
        FloatVector m3 = s3.div(fr);
        FloatVector v0 = FloatVector.zero(F);
        FloatVector v1 = FloatVector.zero(F);
        FloatVector v2 = FloatVector.zero(F);
        FloatVector v3 = FloatVector.zero(F);
        for (int i = 0; i < rows; i++) {
            int o = i * cols + j;
            FloatVector e0 = FloatVector.fromArray(F, d, o).sub(m0);
            FloatVector e1 = FloatVector.fromArray(F, d, o + L).sub(m1);
            FloatVector e2 = FloatVector.fromArray(F, d, o + 2 * L).sub(m2);
            FloatVector e3 = FloatVector.fromArray(F, d, o + 3 * L).sub(m3);
            v0 = v0.add(e0.mul(e0));
            v1 = v1.add(e1.mul(e1));
            v2 = v2.add(e2.mul(e2));
            v3 = v3.add(e3.mul(e3));
        }
        m0.intoArray(mean, j);
        m1.intoArray(mean, j + L);
        m2.intoArray(mean, j + 2 * L);
        m3.intoArray(mean, j + 3 * L);
        v0.div(fr).intoArray(var, j);
        v1.div(fr).intoArray(var, j + L);
        v2.div(fr).intoArray(var, j + 2 * L);
        v3.div(fr).intoArray(var, j + 3 * L);
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
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(F, x.data, off + j).mul(FloatVector.fromArray(F, scale, j))
                        .add(FloatVector.fromArray(F, shift, j)).intoArray(y.data, off + j);
            }
            for (; j < cols; j++) {
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
        float[] g = dy.data;
        float[] xh = xhat.data;
        int j = 0;
        for (; j + COLUMN_BLOCK * L <= cols; j += COLUMN_BLOCK * L) {
            gradientColumnSums4(g, xh, rows, cols, j, s1, s2);
        }
        for (int bound = F.loopBound(cols); j < bound; j += L) {
            FloatVector a = FloatVector.zero(F);
            FloatVector b = FloatVector.zero(F);
            for (int i = 0; i < rows; i++) {
                FloatVector gv = FloatVector.fromArray(F, g, i * cols + j);
                a = a.add(gv);
                b = b.add(gv.mul(FloatVector.fromArray(F, xh, i * cols + j)));
            }
            a.intoArray(s1, j);
            b.intoArray(s2, j);
        }
        for (; j < cols; j++) {
            float a = 0f;
            float b = 0f;
            for (int i = 0; i < rows; i++) {
                float gv = g[i * cols + j];
                a += gv;
                b += gv * xh[i * cols + j];
            }
            s1[j] = a;
            s2[j] = b;
        }
        for (j = 0; j < cols; j++) {
            dBeta[dBetaOff + j] += s1[j];
            dGamma[dGammaOff + j] += s2[j];
        }
        float fr = rows;
        // k = γ·invStd/rows per column, once instead of once per row (a division per vector)
        float[] kc = local().columnsC(cols);
        j = 0;
        for (int bound = F.loopBound(cols); j < bound; j += L) {
            FloatVector.fromArray(F, gamma, gammaOff + j).mul(FloatVector.fromArray(F, invStd, j)).div(fr)
                    .intoArray(kc, j);
        }
        for (; j < cols; j++) {
            kc[j] = gamma[gammaOff + j] * invStd[j] / fr;
        }
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector t = FloatVector.fromArray(F, g, off + j).mul(fr).sub(FloatVector.fromArray(F, s1, j))
                        .sub(FloatVector.fromArray(F, xh, off + j).mul(FloatVector.fromArray(F, s2, j)));
                FloatVector.fromArray(F, kc, j).mul(t).intoArray(dx.data, off + j);
            }
            for (; j < cols; j++) {
                float t = g[off + j] * fr - s1[j] - xh[off + j] * s2[j];
                dx.data[off + j] = kc[j] * t;
            }
        }
    }

    /** Σ dy and Σ dy·x̂ of columns [j, j + 4L): eight chains per pass over the rows. */
    private static void gradientColumnSums4(float[] g, float[] xh, int rows, int cols, int j, float[] sumDy,
                                            float[] sumDyXhat) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        FloatVector b2 = FloatVector.zero(F);
        FloatVector b3 = FloatVector.zero(F);
        for (int i = 0; i < rows; i++) {
            int o = i * cols + j;
            FloatVector g0 = FloatVector.fromArray(F, g, o);
            FloatVector g1 = FloatVector.fromArray(F, g, o + L);
            FloatVector g2 = FloatVector.fromArray(F, g, o + 2 * L);
            FloatVector g3 = FloatVector.fromArray(F, g, o + 3 * L);
            a0 = a0.add(g0);
            a1 = a1.add(g1);
            a2 = a2.add(g2);
            a3 = a3.add(g3);
            b0 = b0.add(g0.mul(FloatVector.fromArray(F, xh, o)));
            b1 = b1.add(g1.mul(FloatVector.fromArray(F, xh, o + L)));
            b2 = b2.add(g2.mul(FloatVector.fromArray(F, xh, o + 2 * L)));
            b3 = b3.add(g3.mul(FloatVector.fromArray(F, xh, o + 3 * L)));
        }
        a0.intoArray(sumDy, j);
        a1.intoArray(sumDy, j + L);
        a2.intoArray(sumDy, j + 2 * L);
        a3.intoArray(sumDy, j + 3 * L);
        b0.intoArray(sumDyXhat, j);
        b1.intoArray(sumDyXhat, j + L);
        b2.intoArray(sumDyXhat, j + 2 * L);
        b3.intoArray(sumDyXhat, j + 3 * L);
    }

    /** Scratch for the cache-blocked NB, ZINB and Gaussian kernels: one chunk of rows, not the block. */
    private float[][] likelihoodScratch(int rows, int cols) {
        return local().likelihood(CountLikelihoodKernels.scratchLength(rows, cols));
    }

    @Override
    public void negBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta,
                            float[] logp, float[] muGrad, float[] thetaGrad) {
        if (ParallelLikelihood.worthSplitting(pool, rows, cols)) {
            local().likelihoodJob(this).run(pool, ParallelLikelihood.Kind.NB, rows, cols, off, x, mu, theta, null, logp,
                    muGrad, thetaGrad, null);
            return;
        }
        CountLikelihoodKernels.negBinomial(rows, cols, off, x, mu, theta, likelihoodScratch(rows, cols),
                logp, muGrad, thetaGrad);
    }

    @Override
    public void zeroInflatedNegBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta, float[] pi,
                                        float[] logp, float[] muGrad, float[] thetaGrad, float[] piGrad) {
        if (ParallelLikelihood.worthSplitting(pool, rows, cols)) {
            local().likelihoodJob(this).run(pool, ParallelLikelihood.Kind.ZINB, rows, cols, off, x, mu, theta, pi, logp,
                    muGrad, thetaGrad, piGrad);
            return;
        }
        CountLikelihoodKernels.zeroInflatedNegBinomial(rows, cols, off, x, mu, theta, pi,
                likelihoodScratch(rows, cols), logp, muGrad, thetaGrad, piGrad);
    }

    @Override
    public void gaussian(int rows, int cols, int off, float[] x, float[] mu, float[] variance, float[] logp,
                         float[] muGrad, float[] varianceGrad) {
        if (ParallelLikelihood.worthSplitting(pool, rows, cols)) {
            local().likelihoodJob(this).run(pool, ParallelLikelihood.Kind.GAUSSIAN, rows, cols, off, x, mu, variance, null,
                    logp, muGrad, varianceGrad, null);
            return;
        }
        CountLikelihoodKernels.gaussian(rows, cols, off, x, mu, variance, likelihoodScratch(rows, cols), logp, muGrad,
                varianceGrad);
    }

    @Override
    public void poisson(int rows, int cols, float[] x, float[] mu, float[] logp, float[] muGrad) {
        CountLikelihoodKernels.poisson(rows * cols, x, mu, local().likelihood(rows * cols), logp, muGrad);
    }

    // ================================================================== exact operations
    // Same float operations as ScalarBackend's definitions, vectorised across independent elements
    // only. Sequential sums (a row's float sum, double sums), gathers and scatters through index
    // arrays, and the per-cell (B-long) library and KL terms stay the inherited scalar definition:
    // vectorising those would change the order of additions or not pay for itself.

    @Override
    public void fastExp(float[] x, float[] y, int n) {
        VectorMath.exp(x, y, n);
    }

    @Override
    public void fastLog(float[] x, float[] y, int n) {
        VectorMath.log(x, y, n);
    }

    @Override
    public void scale(float a, float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, i).mul(a).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = a * x[i];
        }
    }

    @Override
    public void decayAdd(float keep, float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, y, i).mul(keep).add(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = keep * y[i] + x[i];
        }
    }

    @Override
    public void scaleRows(FMatrixRMaj x, float[] v, FMatrixRMaj y) {
        int cols = x.numCols;
        float[] xd = x.data;
        float[] yd = y.data;
        for (int r = 0; r < x.numRows; r++) {
            float vi = v[r];
            int off = r * cols;
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(F, xd, off + j).mul(vi).intoArray(yd, off + j);
            }
            for (; j < cols; j++) {
                yd[off + j] = xd[off + j] * vi;
            }
        }
    }

    @Override
    public void renormaliseRows(FMatrixRMaj x, int[] columns) {
        int cols = x.numCols;
        float[] d = x.data;
        for (int r = 0; r < x.numRows; r++) {
            int off = r * cols;
            float inv = inverseColumnSum(d, off, columns);
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(F, d, off + j).mul(inv).intoArray(d, off + j);
            }
            for (; j < cols; j++) {
                d[off + j] *= inv;
            }
        }
    }

    @Override
    public void addIndexedRows(TensorView table, int[] index, FMatrixRMaj y) {
        int cols = ViewChecks.columns(table, y.numCols, "addIndexedRows");
        float[] t = table.array();
        float[] yd = y.data;
        for (int r = 0; r < y.numRows; r++) {
            int src = table.offset() + ViewChecks.row(table, index[r]) * cols;
            int off = r * cols;
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(F, yd, off + j).add(FloatVector.fromArray(F, t, src + j)).intoArray(yd, off + j);
            }
            for (; j < cols; j++) {
                yd[off + j] += t[src + j];
            }
        }
    }

    @Override
    public void scatterAddIndexedRows(FMatrixRMaj dy, int[] index, TensorView table) {
        int cols = ViewChecks.columns(table, dy.numCols, "scatterAddIndexedRows");
        float[] t = table.array();
        float[] g = dy.data;
        for (int r = 0; r < dy.numRows; r++) {
            int dst = table.offset() + ViewChecks.row(table, index[r]) * cols;
            int off = r * cols;
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(F, t, dst + j).add(FloatVector.fromArray(F, g, off + j)).intoArray(t, dst + j);
            }
            for (; j < cols; j++) {
                t[dst + j] += g[off + j];
            }
        }
    }

    @Override
    public void gatherExp(TensorView table, int column, int[] rows, float[] out, int n) {
        float[] src = table.array();
        int off = table.offset() + column;
        int stride = table.cols();
        for (int j = 0; j < n; j++) {
            out[j] = src[off + rows[j] * stride];
        }
        VectorMath.exp(out, out, n);
    }

    @Override
    public void softmaxLibraryBackward(FMatrixRMaj p, FMatrixRMaj g, float scale, float[] dEll, FMatrixRMaj dLogits) {
        if (ParallelRowPasses.worthSplitting(pool, g.numRows, g.numRows * g.numCols)) {
            local().rowPasses(this).softmaxLibraryBackward(pool, p, g, scale, dEll, dLogits);
        } else {
            softmaxLibraryBackward(p, g, scale, dEll, dLogits, 0, g.numRows);
        }
    }

    /** {@link #softmaxLibraryBackward} over rows [r0, r1). */
    static void softmaxLibraryBackward(FMatrixRMaj p, FMatrixRMaj g, float scale, float[] dEll, FMatrixRMaj dLogits,
                                       int r0, int r1) {
        int cols = g.numCols;
        float[] gd = g.data;
        float[] pd = p.data;
        float[] out = dLogits.data;
        float negScale = -scale;
        // the row sums first, eight rows' sequential chains side by side (same order per row, so
        // the scalar definition's bits; one chain at a time waited on every add's latency, ~4
        // cycles per gene); dEll holds the sums until each row's pass below scales it
        sequentialRowSums(gd, r0, r1, cols, dEll);
        for (int r = r0; r < r1; r++) {
            int off = r * cols;
            float d = negScale * dEll[r];
            dEll[r] = d;
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector gv = FloatVector.fromArray(F, gd, off + j).mul(negScale);
                gv.sub(FloatVector.fromArray(F, pd, off + j).mul(d)).intoArray(out, off + j);
            }
            for (; j < cols; j++) {
                out[off + j] = negScale * gd[off + j] - pd[off + j] * d;
            }
        }
    }

    /**
     * Wide blocks by row ranges on the pool: the rows' non-zero counts (one mask count per vector),
     * the layout from them, then the ranges filled in parallel — the same entries as the one-pass
     * scalar index, which smaller blocks keep.
     */
    @Override
    public void indexNonZeros(FMatrixRMaj x, NonZeroEntries out) {
        int rows = x.numRows;
        int cols = x.numCols;
        if (!ParallelRowPasses.worthSplitting(pool, rows, rows * cols)) {
            out.index(x);
            return;
        }
        int[] counts = local().ints(rows);
        for (int r = 0; r < rows; r++) {
            counts[r] = VectorMath.countNonZeros(x.data, r * cols, cols);
        }
        out.beginIndex(x, counts);
        local().rowPasses(this).indexRows(pool, x, out);
    }

    /**
     * Row by row: x's row plus v[r] into y's row, then that row's exponential while it is in the L1
     * cache, so a wide block passes through memory once instead of three times (the interface's
     * bits: the same float add and the same exp per element).
     */
    @Override
    public void addToRowsExp(FMatrixRMaj x, float[] v, FMatrixRMaj y) {
        if (ParallelRowPasses.worthSplitting(pool, x.numRows, x.numRows * x.numCols)) {
            local().rowPasses(this).addToRowsExp(pool, x, v, y);
        } else {
            addToRowsExp(x, v, y, 0, x.numRows);
        }
    }

    /** {@link #addToRowsExp} over rows [r0, r1). */
    static void addToRowsExp(FMatrixRMaj x, float[] v, FMatrixRMaj y, int r0, int r1) {
        int cols = x.numCols;
        float[] xd = x.data;
        float[] yd = y.data;
        for (int r = r0; r < r1; r++) {
            int off = r * cols;
            float vr = v[r];
            int j = 0;
            for (int bound = F.loopBound(cols); j < bound; j += L) {
                FloatVector.fromArray(F, xd, off + j).add(vr).intoArray(yd, off + j);
            }
            for (; j < cols; j++) {
                yd[off + j] = xd[off + j] + vr;
            }
            VectorMath.exp(yd, off, yd, off, cols);
        }
    }

    /**
     * out[r] = Σ_j g[r·cols + j] in float, j ascending, for rows [r0, r1): {@link ScalarBackend#sequentialSum}
     * for every row, eight rows at a time so that eight independent add chains fill the pipeline.
     */
    static void sequentialRowSums(float[] g, int r0, int r1, int cols, float[] out) {
        int r = r0;
        for (; r + 8 <= r1; r += 8) {
            int o0 = r * cols;
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
            for (int j = 0; j < cols; j++) {
                int o = o0 + j;
                s0 += g[o];
                s1 += g[o + cols];
                s2 += g[o + 2 * cols];
                s3 += g[o + 3 * cols];
                s4 += g[o + 4 * cols];
                s5 += g[o + 5 * cols];
                s6 += g[o + 6 * cols];
                s7 += g[o + 7 * cols];
            }
            out[r] = s0;
            out[r + 1] = s1;
            out[r + 2] = s2;
            out[r + 3] = s3;
            out[r + 4] = s4;
            out[r + 5] = s5;
            out[r + 6] = s6;
            out[r + 7] = s7;
        }
        for (; r < r1; r++) {
            out[r] = sequentialSum(g, r * cols, cols);
        }
    }

    /**
     * The scalar definition, vectorised over genes. Rows come in runs of one group (a dataset's rows
     * are ordered by batch); for each run the run's target entries are gathered once into a
     * contiguous accumulator, every row of the run adds its a·g to it as a vector, and the
     * accumulator is scattered back. Each target entry therefore receives its rows' terms in row
     * order with the scalar loop's roundings — given distinct columns, which the interface requires
     * (a dataset's gene mapping is one-to-one): then no two terms of a row meet in one entry. The
     * scalar loop gathered and scattered through the gene map at every row.
     */
    @Override
    public void scatterAddScaledByGroup(float a, FMatrixRMaj g, int[] columns, int[] group, TensorView target) {
        int rows = g.numRows;
        int cols = g.numCols;
        int dc = target.cols();
        float[] gd = g.data;
        float[] t = target.array();
        int tOff = target.offset();
        float[] acc = scratch(cols);
        int start = 0;
        while (start < rows) {
            int col = group == null ? 0 : group[start];
            int end = start + 1;
            while (end < rows && (group == null || group[end] == col)) {
                end++;
            }
            for (int j = 0; j < cols; j++) {
                acc[j] = t[tOff + columns[j] * dc + col];
            }
            for (int i = start; i < end; i++) {
                int off = i * cols;
                int j = 0;
                for (int bound = F.loopBound(cols); j < bound; j += L) {
                    FloatVector.fromArray(F, gd, off + j).mul(a).add(FloatVector.fromArray(F, acc, j)).intoArray(acc, j);
                }
                for (; j < cols; j++) {
                    acc[j] += a * gd[off + j];
                }
            }
            for (int j = 0; j < cols; j++) {
                t[tOff + columns[j] * dc + col] = acc[j];
            }
            start = end;
        }
    }

    /**
     * The log-variance half of params (B × 2d) as a flat B × d array, times {@code factor}: the
     * latent width is below a vector's lanes, so the exponentials run over the flat block instead.
     */
    private static void logVarianceBlock(FMatrixRMaj params, int rows, int d, float factor, float[] out) {
        float[] p = params.data;
        for (int r = 0; r < rows; r++) {
            int pr = r * 2 * d + d;
            int zr = r * d;
            for (int k = 0; k < d; k++) {
                out[zr + k] = factor * p[pr + k];
            }
        }
    }

    @Override
    public void reparameterize(FMatrixRMaj params, FMatrixRMaj eps, Posterior posterior, FMatrixRMaj z) {
        int rows = z.numRows;
        int d = z.numCols;
        float[] p = params.data;
        float[] zd = z.data;
        if (posterior == Posterior.MEAN) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(p, r * 2 * d, zd, r * d, d);
            }
            return;
        }
        int n = rows * d;
        float[] std = scratch(n);
        logVarianceBlock(params, rows, d, 0.5f, std);
        VectorMath.exp(std, std, n);
        float[] e = eps.data;
        for (int r = 0; r < rows; r++) {
            int pr = r * 2 * d;
            int zr = r * d;
            for (int k = 0; k < d; k++) {
                zd[zr + k] = p[pr + k] + std[zr + k] * e[zr + k];
            }
        }
    }

    @Override
    public void reparameterizeBackward(FMatrixRMaj params, FMatrixRMaj eps, FMatrixRMaj dz, float klScale,
                                       FMatrixRMaj dParams) {
        int rows = dz.numRows;
        int d = dz.numCols;
        int n = rows * d;
        float[] std = colScratchA(n);
        float[] var = colScratchB(n);
        logVarianceBlock(params, rows, d, 0.5f, std);
        logVarianceBlock(params, rows, d, 1f, var);
        VectorMath.exp(std, std, n);
        VectorMath.exp(var, var, n);
        float[] p = params.data;
        float[] e = eps.data;
        float[] g = dz.data;
        float[] dp = dParams.data;
        for (int r = 0; r < rows; r++) {
            int pr = r * 2 * d;
            int zr = r * d;
            for (int k = 0; k < d; k++) {
                dp[pr + k] = reparameterMeanGrad(g[zr + k], klScale, p[pr + k]);
                dp[pr + d + k] = reparameterLogVarGrad(g[zr + k], klScale, std[zr + k], var[zr + k], e[zr + k]);
            }
        }
    }

    @Override
    public void normalKl(FMatrixRMaj params, float[] out) {
        int rows = params.numRows;
        int d = params.numCols / 2;
        int n = rows * d;
        float[] var = colScratchA(n);
        logVarianceBlock(params, rows, d, 1f, var);
        VectorMath.exp(var, var, n);
        float[] p = params.data;
        for (int r = 0; r < rows; r++) {
            int pr = r * 2 * d;
            double kl = 0;
            for (int k = 0; k < d; k++) {
                kl = normalKlTerm(kl, p[pr + k], p[pr + d + k], var[r * d + k]);
            }
            out[r] = (float) kl;
        }
    }

    /** Large ranges (a wide model's gradient arena, zeroed every step) in blocks over the pool. */
    @Override
    public void fill(float value, float[] x, int off, int n) {
        if (ArenaUpdateJob.worthSplitting(pool, n)) {
            local().arenaJob.fill(value, x, off, n, pool);
        } else {
            super.fill(value, x, off, n);
        }
    }

    @Override
    public void addAndZero(float[] lane, float[] sum, int n) {
        local().arenaJob.addAndZero(lane, sum, n, pool);
    }

    @Override
    public void adamUpdate(float[] w, float[] g, float[] m, float[] v, int off, int n, AdamUpdate.Coefficients c) {
        local().arenaJob.adam(w, g, m, v, off, n, c, pool);
    }

    @Override
    public void dropoutMask(long key, float p, float[] mask, int n) {
        DropoutMasks.fill(mask, n, p, key);
    }
}
