package org.gimvi.engine.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Accumulation;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.DeviceTraffic;
import org.gimvi.engine.backend.GemmShape;
import org.gimvi.engine.backend.Posterior;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.backend.Transpose;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.matrix.NonZeroEntries;

/**
 * The compute backend on an OpenCL device through Aparapi, with every buffer resident on the device.
 *
 * <p>Memory: every array the backend allocates, and every array the model uploads, is placed once in
 * one device arena ({@link ArenaLayout}, {@link ArenaKernel#mem}); the host array stays as the
 * model's handle and its host copy. Operations run on the device copy only: a training step's
 * products, BatchNorm, likelihoods, the model's sampling, KL terms, gathers and scatters, dropout
 * masks and the Adam update read and write the arena, and nothing crosses between host and device
 * except through {@link #upload} (a minibatch, the host's random draws) and {@link #download} (a
 * result the host reads). The operations whose results are host values by the interface's contract
 * (the classifier's cross-entropy and the ELBO sums in double, the uncertainty's moment
 * accumulators, argmax) download their inputs and run on the host: the losses that come out of a
 * step. So do the sparse-input products, which the model never chooses on this backend.
 *
 * <p>An operand the backend never allocated and was never given by {@code upload} is an error, not
 * a silent copy: the device would compute on data the host never sent. The model's side of that
 * contract is tested on a simulated device (model/gimvi's {@code DeviceMemoryContractTest}).
 *
 * <p>Never a silent fallback: after every launch the kernel's Aparapi profile is checked for a device
 * that is not an OpenCL device (Aparapi runs a kernel it cannot compile on Java threads and only logs
 * a warning); if one appears the call fails with one line. {@link DeviceCheck} runs the kernel when
 * the backend is created, so a driver that cannot compile it fails at start-up.
 *
 * <p>Calls are serialised on this object (one kernel object, stateful operand slots); the model may
 * call one backend from several threads. Results do not depend on the interleaving.
 */
public final class OpenClBackend implements ComputeBackend {
    private final OpenCLDevice device;
    private final int index;
    private final GemmKind gemm;
    private final SimdBackend host = new SimdBackend(null);
    private final DeviceArena arena;
    /** The arena's kernel, whose operand slots each operation fills before its launch. */
    private final ArenaKernel kernel;

    /** Which GEMM form the backend launches; both compute the same bits. */
    enum GemmKind {
        /** Local-memory tiles: GPUs. */
        TILED,
        /** One work item per element, no local memory: CPU devices, where barriers cost more than tiles save. */
        DIRECT;

        static GemmKind forDevice(OpenCLDevice d) {
            return d.getType() == Device.TYPE.CPU ? DIRECT : TILED;
        }
    }

    OpenClBackend(OpenCLDevice device, int index, GemmKind gemm) {
        this.device = device;
        this.index = index;
        this.gemm = gemm;
        this.arena = new DeviceArena(device, name());
        this.kernel = arena.kernel();
    }

    /** A backend on the device, after {@link DeviceCheck} has run its kernel there. */
    public static OpenClBackend open(OpenCLDevice device, int index) {
        return open(device, index, GemmKind.forDevice(device));
    }

    /** As {@link #open(OpenCLDevice, int)} with the GEMM form chosen by the caller (tests run both on any device). */
    static OpenClBackend open(OpenCLDevice device, int index, GemmKind gemm) {
        OpenClBackend b = new OpenClBackend(device, index, gemm);
        DeviceCheck.verify(b);
        return b;
    }

    public OpenCLDevice device() {
        return device;
    }

    /** Host↔device traffic so far (a live view, for tests). */
    synchronized DeviceArena.TransferCounts transfers() {
        return arena.transfers();
    }

    @Override
    public synchronized DeviceTraffic traffic() {
        return arena.traffic();
    }

    @Override
    public String name() {
        return "opencl:" + index + " (" + device.getName().trim() + ")";
    }

    // ================================================================== memory (the arena's)

    @Override
    public synchronized FMatrixRMaj allocate(int rows, int cols) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        arena.placeZeroed(m.data);
        return m;
    }

    @Override
    public synchronized float[] allocateVector(int n) {
        float[] v = new float[n];
        arena.placeZeroed(v);
        return v;
    }

    @Override
    public synchronized void upload(FMatrixRMaj m) {
        arena.upload(m.data, m.numRows * m.numCols);
    }

    @Override
    public synchronized void download(FMatrixRMaj m) {
        arena.download(m.data, m.numRows * m.numCols);
    }

    @Override
    public synchronized void upload(float[] x, int n) {
        arena.upload(x, n);
    }

    @Override
    public synchronized void upload(int[] x, int n) {
        arena.upload(x, n);
    }

    @Override
    public synchronized void download(float[] x, int n) {
        arena.download(x, n);
    }

    /** Runs k on this device and fails if Aparapi ran it anywhere else (tests launch their own kernels). */
    void launch(Kernel k, Range range) {
        arena.launch(k, range);
    }

    // ================================================================== GEMM

    @Override
    public synchronized void gemm(Transpose transA, Transpose transB, int m, int n, int k, float[] a, int aOff, float[] b,
                                  int bOff, float[] c, int cOff, float[] bias, int biasOff, Accumulation accumulation) {
        GemmShape.requireNoOverlap(m, n, k, a, aOff, b, bOff, c, cOff);
        if (m == 0 || n == 0) {
            return;
        }
        boolean ta = transA == Transpose.TRANSPOSED;
        boolean tb = transB == Transpose.TRANSPOSED;
        ArenaKernel g = kernel;
        int init = accumulation == Accumulation.ADD ? 2 : bias != null ? 1 : 0;
        int biasAt = init == 1 ? arena.at(bias, "gemm") + biasOff : 0;
        arena.set(gemm == GemmKind.TILED ? ArenaKernel.GEMM_TILED : ArenaKernel.GEMM_DIRECT, init, 0);
        g.rows = m;
        g.cols = n;
        g.k = k;
        g.o0 = arena.at(a, "gemm") + aOff;
        g.o1 = arena.at(b, "gemm") + bOff;
        g.o2 = arena.at(c, "gemm") + cOff;
        g.o3 = biasAt;
        g.i0 = ta ? 1 : k;
        g.i1 = ta ? m : 1;
        g.i2 = tb ? 1 : n;
        g.i3 = tb ? k : 1;
        arena.launchTiles(n, m);
    }

    /** On the host, through transfers: the training plan does not choose the sparse-input products here. */
    @Override
    public synchronized void multBiasSparse(NonZeroEntries a, TensorView w, TensorView bias, FMatrixRMaj c) {
        TensorView hw = pulledView(w, "multBiasSparse");
        TensorView hb = bias == null ? null : pulledView(bias, "multBiasSparse");
        host.multBiasSparse(a, hw, hb, c);
        arena.push(c.data, 0, arena.at(c, "multBiasSparse"), c.numRows * c.numCols);
    }

    @Override
    public synchronized void multAddTransASparse(NonZeroEntries a, FMatrixRMaj b, TensorView c) {
        arena.pull(b.data, 0, arena.at(b, "multAddTransASparse"), b.numRows * b.numCols);
        TensorView hc = pulledView(c, "multAddTransASparse");
        host.multAddTransASparse(a, b, hc);
        arena.push(hc.array(), 0, arena.at(c, "multAddTransASparse"), hc.size());
    }

    /** A host copy of a view's current device contents, at offset 0. */
    private TensorView pulledView(TensorView v, String op) {
        float[] copy = new float[v.size()];
        arena.pull(copy, 0, arena.at(v, op), v.size());
        return new TensorView(copy, 0, v.rows(), v.cols());
    }

    // ================================================================== elementwise

    private void map(int fn, float[] x, float[] z, float alpha, int cols, float[] out, int n, String op) {
        map(fn, x, z, alpha, cols, out, n, 0, op);
    }

    private void map(int fn, float[] x, float[] z, float alpha, int cols, float[] out, int n, int third, String op) {
        if (n == 0) {
            return;
        }
        ArenaKernel e = kernel;
        int xAt = arena.at(x, op);
        int zAt = z == null ? 0 : arena.at(z, op);
        int outAt = arena.at(out, op);
        arena.set(ArenaKernel.MAP, fn, n);
        e.o0 = xAt;
        e.o1 = zAt;
        e.o2 = outAt;
        e.o3 = third;
        e.s0 = alpha;
        e.cols = Math.max(cols, 1);
        arena.launch1d(n);
    }

    @Override
    public synchronized void exp(float[] x, float[] y, int n) {
        map(ArenaKernel.EXP, x, null, 0f, 0, y, n, "exp");
    }

    @Override
    public synchronized void log(float[] x, float[] y, int n) {
        map(ArenaKernel.LOG, x, null, 0f, 0, y, n, "log");
    }

    @Override
    public synchronized void log1p(float[] x, float[] y, int n) {
        map(ArenaKernel.LOG1P, x, null, 0f, 0, y, n, "log1p");
    }

    @Override
    public synchronized void softplus(float[] x, float[] y, int n) {
        map(ArenaKernel.SOFTPLUS, x, null, 0f, 0, y, n, "softplus");
    }

    @Override
    public synchronized void sigmoid(float[] x, float[] y, int n) {
        map(ArenaKernel.SIGMOID, x, null, 0f, 0, y, n, "sigmoid");
    }

    @Override
    public synchronized void lgamma(float[] x, float[] y, int n) {
        map(ArenaKernel.LGAMMA, x, null, 0f, 0, y, n, "lgamma");
    }

    @Override
    public synchronized void digamma(float[] x, float[] y, int n) {
        map(ArenaKernel.DIGAMMA, x, null, 0f, 0, y, n, "digamma");
    }

    @Override
    public synchronized void relu(float[] x, float[] y, int n) {
        map(ArenaKernel.RELU, x, null, 0f, 0, y, n, "relu");
    }

    @Override
    public synchronized void reluBackward(float[] y, float[] dy, float[] dx, int n) {
        map(ArenaKernel.RELU_BACKWARD, y, dy, 0f, 0, dx, n, "reluBackward");
    }

    /** relu(x, x) then mul(x, mask, y) in one launch (a layer's ReLU and dropout), the same bits. */
    @Override
    public synchronized void reluDropout(float[] x, float[] mask, float[] y, int n) {
        map(ArenaKernel.RELU_DROPOUT, x, mask, 0f, 0, y, n, "reluDropout");
    }

    /** mul(dy, mask, dx) then reluBackward(y, dx, dx) in one launch, the same bits. */
    @Override
    public synchronized void dropoutReluBackward(float[] mask, float[] y, float[] dy, float[] dx, int n) {
        if (n == 0) {
            return;
        }
        int maskAt = arena.at(mask, "dropoutReluBackward");
        map(ArenaKernel.DROPOUT_RELU_BACKWARD, y, dy, 0f, 0, dx, n, maskAt, "dropoutReluBackward");
    }

    @Override
    public synchronized void addToRows(FMatrixRMaj x, float[] v, FMatrixRMaj y) {
        map(ArenaKernel.ADD_TO_ROWS, x.data, v, 0f, x.numCols, y.data, x.numRows * x.numCols, "addToRows");
    }

    @Override
    public synchronized void mul(float[] a, float[] b, float[] out, int n) {
        map(ArenaKernel.MUL, a, b, 0f, 0, out, n, "mul");
    }

    @Override
    public synchronized void axpy(float a, float[] x, float[] y, int n) {
        map(ArenaKernel.AXPY, x, null, a, 0, y, n, "axpy");
    }

    @Override
    public synchronized void scale(float a, float[] x, int n) {
        map(ArenaKernel.SCALE, x, null, a, 0, x, n, "scale");
    }

    @Override
    public synchronized void scale(float a, float[] x, float[] y, int n) {
        map(ArenaKernel.SCALE, x, null, a, 0, y, n, "scale");
    }

    @Override
    public synchronized void decayAdd(float keep, float[] x, float[] y, int n) {
        map(ArenaKernel.DECAY_ADD, x, null, keep, 0, y, n, "decayAdd");
    }

    @Override
    public synchronized void scaleRows(FMatrixRMaj x, float[] v, FMatrixRMaj y) {
        map(ArenaKernel.SCALE_ROWS, x.data, v, 0f, x.numCols, y.data, x.numRows * x.numCols, "scaleRows");
    }

    @Override
    public synchronized void fastExp(float[] x, float[] y, int n) {
        map(ArenaKernel.EXP, x, null, 0f, 0, y, n, "fastExp");
    }

    @Override
    public synchronized void fastLog(float[] x, float[] y, int n) {
        map(ArenaKernel.LOG, x, null, 0f, 0, y, n, "fastLog");
    }

    @Override
    public synchronized void expDouble(float[] x, int xOff, float[] out, int n) {
        if (n == 0) {
            return;
        }
        int xAt = arena.at(x, "expDouble") + xOff;
        int outAt = arena.at(out, "expDouble");
        arena.set(ArenaKernel.MAP, ArenaKernel.EXP_DOUBLE, n);
        kernel.o0 = xAt;
        kernel.o2 = outAt;
        arena.launch1d(n);
    }

    @Override
    public synchronized void addAndZero(float[] lane, float[] sum, int n) {
        map(ArenaKernel.ADD_AND_ZERO, lane, null, 0f, 0, sum, n, "addAndZero");
    }

    @Override
    public synchronized void fill(float value, float[] x, int off, int n) {
        arena.fill(value, arena.at(x, "fill") + off, n);
    }

    @Override
    public synchronized void copy(float[] x, float[] y, int n) {
        copy(x, 0, y, 0, n);
    }

    @Override
    public synchronized void copy(float[] x, int xOff, float[] y, int yOff, int n) {
        int from = arena.at(x, "copy") + xOff;
        int to = arena.at(y, "copy") + yOff;
        if (from == to || n == 0) {
            return;
        }
        if (from < to + n && to < from + n) {
            throw new IllegalArgumentException("copy: overlapping ranges [" + from + ", +" + n + ") and [" + to + ", +" + n + ")");
        }
        arena.set(ArenaKernel.COPY, 0, n);
        kernel.o0 = from;
        kernel.o1 = to;
        arena.launch1d(n);
    }

    // ================================================================== rows and columns

    private void rowOp(int fn, FMatrixRMaj x, float[] out, String op) {
        if (x.numRows == 0 || x.numCols == 0) {
            return;
        }
        int xAt = arena.at(x, op);
        int outAt = arena.at(out, op);
        arena.set(ArenaKernel.ROWS, fn, 0);
        kernel.cols = x.numCols;
        kernel.o0 = xAt;
        kernel.o1 = outAt;
        arena.launchRows(x.numRows);
    }

    @Override
    public synchronized void sumRows(FMatrixRMaj x, float[] out) {
        rowOp(ArenaKernel.SUM, x, out, "sumRows");
    }

    @Override
    public synchronized void rowSoftmax(FMatrixRMaj x, FMatrixRMaj y) {
        rowOp(ArenaKernel.SOFTMAX, x, y.data, "rowSoftmax");
    }

    @Override
    public synchronized void rowLogSoftmax(FMatrixRMaj x, FMatrixRMaj y) {
        rowOp(ArenaKernel.LOG_SOFTMAX, x, y.data, "rowLogSoftmax");
    }

    @Override
    public synchronized void sumCols(FMatrixRMaj x, float[] out, int outOff, Accumulation accumulation) {
        if (x.numCols == 0) {
            return;
        }
        int outAt = arena.at(out, "sumCols") + outOff;
        int xAt = x.numRows == 0 ? 0 : arena.at(x, "sumCols");
        arena.set(ArenaKernel.SUM_COLS, accumulation == Accumulation.ADD ? 1 : 0, x.numCols);
        kernel.rows = x.numRows;
        kernel.o0 = xAt;
        kernel.o1 = outAt;
        arena.launch1d(x.numCols);
    }

    @Override
    public synchronized void renormaliseRows(FMatrixRMaj x, int[] columns) {
        if (x.numRows == 0 || x.numCols == 0) {
            return;
        }
        requireIndices(columns, columns.length, x.numCols, "renormaliseRows", "column");
        int xAt = arena.at(x, "renormaliseRows");
        int cAt = arena.atInt(columns, "renormaliseRows");
        arena.set(ArenaKernel.ROWS, ArenaKernel.RENORMALISE, 0);
        kernel.cols = x.numCols;
        kernel.k = columns.length;
        arena.operands(xAt, cAt);
        arena.launchRows(x.numRows);
    }

    @Override
    public synchronized void softmaxLibraryBackward(FMatrixRMaj p, FMatrixRMaj g, float scale, float[] dEll,
                                                    FMatrixRMaj dLogits) {
        if (g.numRows == 0 || g.numCols == 0) {
            return;
        }
        String op = "softmaxLibraryBackward";
        arena.operands(arena.at(p, op), arena.at(g, op), arena.at(dEll, op), arena.at(dLogits, op));
        arena.set(ArenaKernel.ROWS, ArenaKernel.LIBRARY_BACKWARD_ROWS, 0);
        kernel.cols = g.numCols;
        kernel.s0 = scale;
        arena.launchRows(g.numRows);
    }

    // ================================================================== batch normalisation

    @Override
    public synchronized void batchNormTrain(FMatrixRMaj x, float[] gamma, int gammaOff, float[] beta, int betaOff,
                                            float eps, float momentum, float[] runningMean, float[] runningVar,
                                            FMatrixRMaj xhat, float[] batchMean, float[] invStd, FMatrixRMaj y) {
        if (x.numRows < 2) {
            throw new IllegalArgumentException("BatchNorm in training mode needs at least 2 rows in a minibatch, got "
                    + x.numRows + " (the batch variance of one row is undefined); use eval mode or a larger batch");
        }
        String op = "batchNormTrain";
        ArenaKernel k = kernel;
        arena.operands(arena.at(x, op), arena.at(xhat, op), arena.at(y, op), arena.at(gamma, op) + gammaOff, arena.at(beta, op) + betaOff,
            arena.at(runningMean, op), arena.at(runningVar, op), arena.at(batchMean, op), arena.at(invStd, op));
        arena.set(ArenaKernel.BN_TRAIN, 0, x.numCols);
        k.rows = x.numRows;
        k.cols = x.numCols;
        k.s0 = eps;
        k.s1 = momentum;
        k.s2 = (float) x.numRows / (x.numRows - 1);
        arena.launch1d(x.numCols);
    }

    @Override
    public synchronized void batchNormEval(FMatrixRMaj x, float[] gamma, int gammaOff, float[] beta, int betaOff,
                                           float eps, float[] runningMean, float[] runningVar, FMatrixRMaj y) {
        if (x.numRows == 0 || x.numCols == 0) {
            return;
        }
        String op = "batchNormEval";
        arena.operands(arena.at(x, op), 0, arena.at(y, op), arena.at(gamma, op) + gammaOff, arena.at(beta, op) + betaOff, arena.at(runningMean, op),
            arena.at(runningVar, op), 0, 0);
        arena.set(ArenaKernel.BN_EVAL, 0, x.numCols);
        kernel.rows = x.numRows;
        kernel.cols = x.numCols;
        kernel.s0 = eps;
        arena.launch1d(x.numCols);
    }

    @Override
    public synchronized void batchNormBackward(FMatrixRMaj xhat, float[] invStd, float[] gamma, int gammaOff,
                                               FMatrixRMaj dy, float[] dGamma, int dGammaOff, float[] dBeta,
                                               int dBetaOff, FMatrixRMaj dx) {
        if (xhat.numRows == 0 || xhat.numCols == 0) {
            return;
        }
        String op = "batchNormBackward";
        arena.operands(arena.at(dy, op), arena.at(xhat, op), arena.at(dx, op), arena.at(gamma, op) + gammaOff, arena.at(dBeta, op) + dBetaOff, 0, 0,
            arena.at(dGamma, op) + dGammaOff, arena.at(invStd, op));
        arena.set(ArenaKernel.BN_BACKWARD, 0, xhat.numCols);
        kernel.rows = xhat.numRows;
        kernel.cols = xhat.numCols;
        arena.launch1d(xhat.numCols);
    }

    // ================================================================== likelihoods

    private void likelihood(int op, int fn, int rows, int cols, int off, float[] x, float[] mu, float[] perColumn,
                            float[] pi, float[] logp, float[] muGrad, float[] secondGrad, float[] piGrad, String name) {
        int count = rows * cols;
        if (count == 0) {
            return;
        }
        ArenaKernel k = kernel;
        arena.operands(arena.at(x, name), arena.at(mu, name), arena.atOrAbsent(perColumn, name), arena.atOrAbsent(pi, name), arena.at(logp, name),
            arena.atOrAbsent(muGrad, name), arena.atOrAbsent(secondGrad, name), arena.atOrAbsent(piGrad, name));
        arena.set(op, fn, count);
        k.cols = cols;
        k.i0 = off;
        arena.launch1d(count);
    }

    @Override
    public synchronized void negBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta,
                                         float[] logp, float[] muGrad, float[] thetaGrad) {
        likelihood(ArenaKernel.COUNT_LIKELIHOOD, ArenaKernel.NB, rows, cols, off, x, mu, theta, null, logp, muGrad,
                thetaGrad, null, "negBinomial");
    }

    @Override
    public synchronized void zeroInflatedNegBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta,
                                                     float[] pi, float[] logp, float[] muGrad, float[] thetaGrad,
                                                     float[] piGrad) {
        likelihood(ArenaKernel.COUNT_LIKELIHOOD, ArenaKernel.ZINB, rows, cols, off, x, mu, theta, pi, logp, muGrad,
                thetaGrad, piGrad, "zeroInflatedNegBinomial");
    }

    @Override
    public synchronized void poisson(int rows, int cols, float[] x, float[] mu, float[] logp, float[] muGrad) {
        likelihood(ArenaKernel.COUNT_LIKELIHOOD, ArenaKernel.POISSON, rows, cols, 0, x, mu, null, null, logp, muGrad,
                null, null, "poisson");
    }

    @Override
    public synchronized void gaussian(int rows, int cols, int off, float[] x, float[] mu, float[] variance, float[] logp,
                                      float[] muGrad, float[] varianceGrad) {
        likelihood(ArenaKernel.GAUSSIAN, 0, rows, cols, off, x, mu, variance, null, logp, muGrad, varianceGrad, null,
                "gaussian");
    }

    // ================================================================== Adam

    @Override
    public synchronized void adamUpdate(float[] w, float[] g, float[] m, float[] v, int off, int n,
                                        AdamUpdate.Coefficients c) {
        if (n == 0) {
            return;
        }
        ArenaKernel k = kernel;
        arena.operands(arena.at(w, "adamUpdate") + off, arena.at(g, "adamUpdate") + off, arena.at(m, "adamUpdate") + off,
            arena.at(v, "adamUpdate") + off);
        arena.set(ArenaKernel.ADAM, 0, n);
        k.s0 = c.beta1();
        k.s1 = c.beta2();
        k.s2 = c.oneMinusBeta1();
        k.s3 = c.oneMinusBeta2();
        k.s4 = c.stepSize();
        k.s5 = c.bc2Sqrt();
        k.s6 = c.eps();
        k.s7 = c.weightDecay();
        arena.launch1d(n);
    }

    // ================================================================== gathers and scatters

    @Override
    public synchronized void addIndexedRows(TensorView table, int[] index, FMatrixRMaj y) {
        int cols = y.numCols;
        if (table.cols() != cols) {
            throw new IllegalArgumentException("addIndexedRows: the table has " + table.cols() + " columns, y " + cols);
        }
        int n = y.numRows * cols;
        if (n == 0) {
            return;
        }
        requireIndices(index, y.numRows, table.rows(), "addIndexedRows", "row");
        indexed(ArenaKernel.ADD_INDEXED_ROWS, n, y.numRows, cols, 0, arena.at(table, "addIndexedRows"),
                arena.atInt(index, "addIndexedRows"), arena.at(y, "addIndexedRows"));
    }

    @Override
    public synchronized void scatterAddIndexedRows(FMatrixRMaj dy, int[] index, TensorView table) {
        int cols = dy.numCols;
        if (table.cols() != cols) {
            throw new IllegalArgumentException("scatterAddIndexedRows: the table has " + table.cols() + " columns, dy " + cols);
        }
        if (dy.numRows == 0 || cols == 0) {
            return;
        }
        requireIndices(index, dy.numRows, table.rows(), "scatterAddIndexedRows", "row");
        indexed(ArenaKernel.SCATTER_ADD_INDEXED_ROWS, cols, dy.numRows, cols, 0, arena.at(dy, "scatterAddIndexedRows"),
                arena.atInt(index, "scatterAddIndexedRows"), arena.at(table, "scatterAddIndexedRows"));
    }

    @Override
    public synchronized void gatherColumns(TensorView src, int[] columns, FMatrixRMaj dst) {
        int n = src.rows() * columns.length;
        if (n == 0) {
            return;
        }
        requireIndices(columns, columns.length, src.cols(), "gatherColumns", "column");
        indexed(ArenaKernel.GATHER_COLUMNS, n, src.rows(), columns.length, src.cols(), arena.at(src, "gatherColumns"),
                arena.atInt(columns, "gatherColumns"), arena.at(dst, "gatherColumns"));
    }

    @Override
    public synchronized void scatterAddColumns(FMatrixRMaj src, int[] columns, TensorView dst) {
        int n = src.numRows * columns.length;
        if (n == 0) {
            return;
        }
        requireIndices(columns, columns.length, dst.cols(), "scatterAddColumns", "column");
        indexed(ArenaKernel.SCATTER_ADD_COLUMNS, n, src.numRows, columns.length, dst.cols(),
                arena.at(src, "scatterAddColumns"), arena.atInt(columns, "scatterAddColumns"), arena.at(dst, "scatterAddColumns"));
    }

    @Override
    public synchronized void gatherExp(TensorView table, int column, int[] rows, float[] out, int n) {
        if (n == 0) {
            return;
        }
        requireIndices(rows, n, table.rows(), "gatherExp", "row");
        if (column < 0 || column >= table.cols()) {
            throw new IndexOutOfBoundsException("gatherExp: column " + column + " is outside 0.." + (table.cols() - 1));
        }
        kernel.i0 = column;
        indexed(ArenaKernel.GATHER_EXP, n, 0, 0, table.cols(), arena.at(table, "gatherExp"), arena.atInt(rows, "gatherExp"),
                arena.at(out, "gatherExp"));
    }

    @Override
    public synchronized void scatterAddScaledByGroup(float a, FMatrixRMaj g, int[] columns, int[] group, TensorView target) {
        if (g.numRows == 0 || columns.length == 0) {
            return;
        }
        String op = "scatterAddScaledByGroup";
        requireIndices(columns, columns.length, target.rows(), op, "target row");
        if (group != null) {
            requireIndices(group, g.numRows, target.cols(), op, "group");
        }
        int groupAt = group == null ? -1 : arena.atInt(group, op);
        int targetAt = arena.at(target, op);
        kernel.o3 = targetAt;
        kernel.s0 = a;
        indexed(ArenaKernel.SCATTER_ADD_SCALED_BY_GROUP, g.numCols, g.numRows, g.numCols, target.cols(), arena.at(g, op),
                arena.atInt(columns, op), groupAt);
    }

    /**
     * The device reads whatever an index points at, so indices are checked on the host first, as the
     * CPU backends check them: index arrays are written on the host and only uploaded, never
     * written by the device, so the host copy is the device's.
     */
    private static void requireIndices(int[] index, int count, int bound, String op, String what) {
        for (int i = 0; i < count; i++) {
            if (index[i] < 0 || index[i] >= bound) {
                throw new IndexOutOfBoundsException(op + ": " + what + " " + index[i] + " at position " + i
                        + " is outside 0.." + (bound - 1));
            }
        }
    }

    private void indexed(int op, int items, int rows, int cols, int k, int o0, int o1, int o2) {
        arena.set(op, 0, items);
        kernel.rows = rows;
        kernel.cols = Math.max(cols, 1);
        kernel.k = k;
        kernel.o0 = o0;
        kernel.o1 = o1;
        kernel.o2 = o2;
        arena.launch1d(items);
    }

    // ================================================================== posterior sampling and KL terms

    @Override
    public synchronized void reparameterize(FMatrixRMaj params, FMatrixRMaj eps, Posterior posterior, FMatrixRMaj z) {
        int n = z.numRows * z.numCols;
        if (n == 0) {
            return;
        }
        String op = "reparameterize";
        boolean sample = posterior == Posterior.SAMPLE;
        int epsAt = sample ? arena.at(eps, op) : 0;
        arena.operands(arena.at(params, op), epsAt, arena.at(z, op));
        arena.set(ArenaKernel.REPARAMETERIZE, 0, n);
        kernel.cols = z.numCols;
        kernel.i0 = sample ? 1 : 0;
        arena.launch1d(n);
    }

    @Override
    public synchronized void reparameterizeBackward(FMatrixRMaj params, FMatrixRMaj eps, FMatrixRMaj dz, float klScale,
                                                    FMatrixRMaj dParams) {
        int n = dz.numRows * dz.numCols;
        if (n == 0) {
            return;
        }
        String op = "reparameterizeBackward";
        arena.operands(arena.at(params, op), arena.at(eps, op), arena.at(dz, op), arena.at(dParams, op));
        arena.set(ArenaKernel.REPARAMETERIZE_BACKWARD, 0, n);
        kernel.cols = dz.numCols;
        kernel.s0 = klScale;
        arena.launch1d(n);
    }

    @Override
    public synchronized void normalKl(FMatrixRMaj params, float[] out) {
        if (params.numRows == 0) {
            return;
        }
        arena.operands(arena.at(params, "normalKl"), arena.at(out, "normalKl"));
        arena.set(ArenaKernel.NORMAL_KL, 0, params.numRows);
        kernel.cols = params.numCols / 2;
        arena.launch1d(params.numRows);
    }

    @Override
    public synchronized void libraryReparameterize(FMatrixRMaj params, float[] eps, float varianceFloor, Posterior posterior,
                                                   float[] ell) {
        if (params.numRows == 0) {
            return;
        }
        String op = "libraryReparameterize";
        boolean sample = posterior == Posterior.SAMPLE;
        arena.operands(arena.at(params, op), sample ? arena.at(eps, op) : 0, arena.at(ell, op));
        arena.set(ArenaKernel.LIBRARY_REPARAMETERIZE, 0, params.numRows);
        kernel.i0 = sample ? 1 : 0;
        kernel.s0 = varianceFloor;
        arena.launch1d(params.numRows);
    }

    @Override
    public synchronized void libraryBackward(FMatrixRMaj params, float[] eps, float[] dEll, float klScale,
                                             float[] priorMean, float[] priorVar, float varianceFloor, FMatrixRMaj dParams) {
        if (params.numRows == 0) {
            return;
        }
        String op = "libraryBackward";
        arena.operands(arena.at(params, op), arena.at(eps, op), arena.at(dEll, op), arena.at(priorMean, op), arena.at(priorVar, op), arena.at(dParams, op));
        arena.set(ArenaKernel.LIBRARY_BACKWARD, 0, params.numRows);
        kernel.s0 = klScale;
        kernel.s1 = varianceFloor;
        arena.launch1d(params.numRows);
    }

    @Override
    public synchronized void libraryKl(FMatrixRMaj params, float[] priorMean, float[] priorVar, float varianceFloor,
                                       float[] out) {
        if (params.numRows == 0) {
            return;
        }
        String op = "libraryKl";
        arena.operands(arena.at(params, op), arena.at(priorMean, op), arena.at(priorVar, op), arena.at(out, op));
        arena.set(ArenaKernel.LIBRARY_KL, 0, params.numRows);
        kernel.s0 = varianceFloor;
        arena.launch1d(params.numRows);
    }

    @Override
    public synchronized void dropoutMask(long key, float p, float[] mask, int n) {
        if (n == 0) {
            return;
        }
        int maskAt = arena.at(mask, "dropoutMask");
        arena.set(ArenaKernel.DROPOUT_MASK, 0, n);
        kernel.i0 = (int) key;
        kernel.i1 = (int) (key >>> 32);
        kernel.i2 = (int) Math.floor(p * 2147483648.0);
        kernel.s0 = 1f / (1f - p);
        kernel.o0 = maskAt;
        arena.launch1d(n);
    }

    // ================================================================== host results (the losses that come out)

    @Override
    public synchronized void crossEntropyBackward(FMatrixRMaj logProb, int[] labels, float onLabel, float offLabel,
                                                  float scale, FMatrixRMaj dLogits, double[] loss) {
        int n = logProb.numRows * logProb.numCols;
        arena.pull(logProb.data, 0, arena.at(logProb, "crossEntropyBackward"), n);
        host.crossEntropyBackward(logProb, labels, onLabel, offLabel, scale, dLogits, loss);
        arena.push(dLogits.data, 0, arena.at(dLogits, "crossEntropyBackward"), n);
    }

    @Override
    public synchronized void negativeElboSums(float[] rec, float[] klZ, float[] klL, int n, double[] sums) {
        arena.pull(rec, 0, arena.at(rec, "negativeElboSums"), n);
        arena.pull(klZ, 0, arena.at(klZ, "negativeElboSums"), n);
        arena.pull(klL, 0, arena.at(klL, "negativeElboSums"), n);
        host.negativeElboSums(rec, klZ, klL, n, sums);
        arena.push(rec, 0, arena.at(rec, "negativeElboSums"), n);
    }

    @Override
    public synchronized void accumulateMoments(float[] x, double[] sum, double[] sumSq, int n) {
        arena.pull(x, 0, arena.at(x, "accumulateMoments"), n);
        host.accumulateMoments(x, sum, sumSq, n);
    }

    @Override
    public synchronized void momentsToMeanStd(double[] sum, double[] sumSq, int samples, float[] mean, float[] std, int n) {
        host.momentsToMeanStd(sum, sumSq, samples, mean, std, n);
        arena.push(mean, 0, arena.at(mean, "momentsToMeanStd"), n);
        arena.push(std, 0, arena.at(std, "momentsToMeanStd"), n);
    }

    @Override
    public synchronized void rowArgmax(FMatrixRMaj x, int[] out) {
        arena.pull(x.data, 0, arena.at(x, "rowArgmax"), x.numRows * x.numCols);
        host.rowArgmax(x, out);
    }
}
