package org.gimvi.engine.opencl;

import java.util.Collection;
import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Accumulation;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.GemmShape;
import org.gimvi.engine.backend.Posterior;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.backend.Transpose;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.matrix.NonZeroEntries;

/**
 * The compute backend on an OpenCL device through Aparapi. GEMM (tiled, local memory, the three
 * transposition forms), the elementwise families, row softmax/log-softmax and row sums, column sums,
 * BatchNorm, the fused NB/ZINB/Poisson likelihoods and Adam run as OpenCL kernels; the model's "exact
 * operations" (posterior sampling, KL terms, gathers and scatters, dropout masks, the classifier's
 * cross-entropy, whose contract is bit-identity with the scalar definition) and the Gaussian
 * likelihood run on the host through the SIMD backend.
 *
 * <p>Transfers: every kernel runs in Aparapi's explicit mode, and each call moves exactly its own
 * operands — inputs in before the launch, outputs back after it — so the host copy is always current
 * and {@link #upload}/{@link #download} have nothing left to do. Operands cannot stay resident
 * between two different kernels with Aparapi 3.0.2: a kernel object keeps one device buffer per
 * field (re-created whenever the field is bound to another array), two kernel objects never share a
 * buffer, and the {@code OpenCLDevice.bind} API's put/get are unimplemented (they print "put not
 * implemented"). Residency would need a different binding (e.g. JOCL) — see README, "Known gaps".
 *
 * <p>Never a silent fallback: after every launch the kernel class's Aparapi profile is checked for a
 * device that is not an OpenCL device (Aparapi runs a kernel it cannot compile on Java threads and
 * only logs a warning); if one appears the call fails with one line. {@link DeviceCheck} runs every
 * kernel once when the backend is created, so a kernel the driver cannot compile fails at start-up.
 *
 * <p>Calls are serialised on this object: Aparapi kernels are stateful, and the model may call one
 * backend from several threads (one per dataset). Results do not depend on the interleaving.
 */
public final class OpenClBackend implements ComputeBackend {
    private static final int BLOCK = 64;

    private final OpenCLDevice device;
    private final int index;
    private final SimdBackend host = new SimdBackend(null);

    private final TiledGemmKernel gemmKernel = explicit(new TiledGemmKernel());
    /** Non-null on CPU devices (pocl), where the tiled kernel's barriers cost more than its local memory saves. */
    private final DirectGemmKernel directGemm;
    private final ElementwiseKernel elementwise = explicit(new ElementwiseKernel());
    private final RowKernel rows = explicit(new RowKernel());
    private final ColumnSumKernel columnSums = explicit(new ColumnSumKernel());
    private final BatchNormKernel batchNorm = explicit(new BatchNormKernel());
    private final CountLikelihoodKernel likelihood = explicit(new CountLikelihoodKernel());
    private final AdamKernel adam = explicit(new AdamKernel());

    /** Stands in for an absent (null) array: Aparapi cannot bind null fields. */
    private final float[] none = new float[1];
    /** Copies of inputs that alias an output (Aparapi gives each field its own device buffer). */
    private float[] aliasCopy = new float[1];
    private float[] aliasCopy2 = new float[1];

    OpenClBackend(OpenCLDevice device, int index, GemmKind gemm) {
        this.device = device;
        this.index = index;
        this.directGemm = gemm == GemmKind.DIRECT ? explicit(new DirectGemmKernel()) : null;
    }

    /** Which GEMM kernel a backend launches; both compute the same bits. */
    enum GemmKind {
        /** Local-memory tiles: GPUs. */
        TILED,
        /** One work item per element, no local memory: CPU devices. */
        DIRECT;

        static GemmKind forDevice(OpenCLDevice d) {
            return d.getType() == Device.TYPE.CPU ? DIRECT : TILED;
        }
    }

    /** A backend on the device, after {@link DeviceCheck} has run every kernel there. */
    public static OpenClBackend open(OpenCLDevice device, int index) {
        return open(device, index, GemmKind.forDevice(device));
    }

    /** As {@link #open(OpenCLDevice, int)} with the GEMM kernel chosen by the caller (tests run both on any device). */
    static OpenClBackend open(OpenCLDevice device, int index, GemmKind gemm) {
        OpenClBackend b = new OpenClBackend(device, index, gemm);
        DeviceCheck.verify(b);
        return b;
    }

    private static <K extends Kernel> K explicit(K k) {
        k.setExplicit(true);
        return k;
    }

    public OpenCLDevice device() {
        return device;
    }

    @Override
    public String name() {
        return "opencl:" + index + " (" + device.getName().trim() + ")";
    }

    @Override
    public FMatrixRMaj allocate(int rows, int cols) {
        return new FMatrixRMaj(rows, cols);
    }

    // ------------------------------------------------------------------ launching

    private static int roundUp(int n, int block) {
        return (n + block - 1) / block * block;
    }

    /** Runs k on this device and fails if Aparapi ran it anywhere else. */
    void launch(Kernel k, Range range) {
        try {
            k.execute(range);
        } catch (AssertionError | RuntimeException e) {
            // Aparapi reports some failed fallbacks as an AssertionError ("user supplied Device incompatible …")
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalStateException("OpenCL kernel " + k.getClass().getSimpleName() + " did not run on " + name()
                    + " (" + why + "); use --device cpu or another driver");
        }
        Collection<Device> ran = KernelManager.instance().getProfile(k.getClass()).getDevices();
        for (Device d : ran) {
            if (!(d instanceof OpenCLDevice)) {
                throw new IllegalStateException("OpenCL kernel " + k.getClass().getSimpleName() + " ran on " + d.getShortDescription()
                        + " instead of " + name() + " (Aparapi fell back; its log says why); use --device cpu or another driver");
            }
        }
    }

    /**
     * Sends an output array to the device only when the kernel leaves some of it unwritten: the whole
     * array comes back after the launch, so its unwritten elements must hold the host's values.
     */
    private static void putOutput(Kernel k, float[] out, int written) {
        if (out.length != written) {
            k.put(out);
        }
    }

    private float[] orNone(float[] a) {
        return a == null ? none : a;
    }

    /** src itself, or a copy of its first n elements when it is the same array as out. */
    private float[] unaliased(float[] src, float[] out, int n, boolean second) {
        if (src != out) {
            return src;
        }
        float[] copy = second ? aliasCopy2 : aliasCopy;
        if (copy.length < n) {
            copy = new float[n];
            if (second) {
                aliasCopy2 = copy;
            } else {
                aliasCopy = copy;
            }
        }
        System.arraycopy(src, 0, copy, 0, n);
        return copy;
    }

    // ------------------------------------------------------------------ GEMM

    /**
     * Operands at an offset (views into a parameter arena) travel through host staging buffers: a
     * kernel field binds a whole array from index 0, so the viewed range is copied into a staging
     * array (inputs, and outputs that accumulate), the kernel runs on it, and outputs are copied back
     * into the range. Operands at offset 0 go as they are. A device binding with buffer offsets
     * (clCreateSubBuffer) would keep the arena resident instead; Aparapi 3.0.2 has none.
     */
    private final float[][] staging = {new float[1], new float[1], new float[1], new float[1]};

    /** Slot {@code slot}'s staging array holding src[off .. off+n) at index 0 (grown when needed, never per step once sized). */
    private float[] stage(int slot, float[] src, int off, int n) {
        float[] s = staging[slot];
        if (s.length < n) {
            s = new float[n];
            staging[slot] = s;
        }
        System.arraycopy(src, off, s, 0, n);
        return s;
    }

    @Override
    public synchronized void gemm(Transpose transA, Transpose transB, int m, int n, int k, float[] a, int aOff, float[] b,
                                  int bOff, float[] c, int cOff, float[] bias, int biasOff, Accumulation accumulation) {
        GemmShape.requireNoOverlap(m, n, k, a, aOff, b, bOff, c, cOff);
        if (m == 0 || n == 0) {
            return;
        }
        float[] aData = aOff == 0 ? a : stage(0, a, aOff, m * k);
        float[] bData = bOff == 0 ? b : stage(1, b, bOff, k * n);
        float[] biasData = bias == null || biasOff == 0 ? bias : stage(2, bias, biasOff, n);
        float[] cData = cOff == 0 ? c : stage(3, c, cOff, m * n);
        gemmLaunch(transA == Transpose.TRANSPOSED, transB == Transpose.TRANSPOSED, m, n, k, aData, bData, cData, biasData,
                accumulation == Accumulation.ADD);
        if (cData != c) {
            System.arraycopy(cData, 0, c, cOff, m * n);
        }
    }

    /** C (from index 0) = init + op(A)·op(B) with every operand starting at index 0. */
    private void gemmLaunch(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c,
                            float[] bias, boolean accumulate) {
        int aRow = transA ? 1 : k;
        int aCol = transA ? m : 1;
        int bRow = transB ? 1 : n;
        int bCol = transB ? k : 1;
        int init = accumulate ? 2 : bias != null ? 1 : 0;
        float[] biasOrNone = orNone(bias);
        int t = TiledGemmKernel.TILE;
        if (directGemm != null) {
            DirectGemmKernel g = directGemm;
            g.a = a;
            g.b = b;
            g.c = c;
            g.bias = biasOrNone;
            g.m = m;
            g.n = n;
            g.k = k;
            g.aRow = aRow;
            g.aCol = aCol;
            g.bRow = bRow;
            g.bCol = bCol;
            g.init = init;
            g.put(g.a).put(g.b).put(g.bias);
            putOutput(g, g.c, init == 2 ? -1 : m * n);
            launch(g, device.createRange2D(roundUp(n, t), roundUp(m, t), t, t));
            g.get(g.c);
            return;
        }
        TiledGemmKernel g = gemmKernel;
        g.a = a;
        g.b = b;
        g.c = c;
        g.bias = biasOrNone;
        g.m = m;
        g.n = n;
        g.k = k;
        g.aRow = aRow;
        g.aCol = aCol;
        g.bRow = bRow;
        g.bCol = bCol;
        g.init = init;
        g.put(g.a).put(g.b).put(g.bias);
        putOutput(g, g.c, init == 2 ? -1 : m * n);
        launch(g, device.createRange2D(roundUp(n, t), roundUp(m, t), t, t));
        g.get(g.c);
    }

    // ------------------------------------------------------------------ elementwise

    private void elementwise(int op, float[] x, float[] z, float alpha, int cols, float[] out, int n) {
        if (n == 0) {
            return;
        }
        ElementwiseKernel e = elementwise;
        e.x = unaliased(x, out, n, false);
        e.z = z == null ? none : unaliased(z, out, op == ElementwiseKernel.ADD_TO_ROWS ? z.length : n, true);
        e.out = out;
        e.alpha = alpha;
        e.n = n;
        e.cols = Math.max(cols, 1);
        e.op = op;
        e.put(e.x).put(e.z);
        putOutput(e, e.out, op == ElementwiseKernel.AXPY ? -1 : n);
        launch(e, device.createRange(roundUp(n, BLOCK), BLOCK));
        e.get(e.out);
    }

    @Override
    public synchronized void exp(float[] x, float[] y, int n) {
        elementwise(ElementwiseKernel.EXP, x, null, 0f, 0, y, n);
    }

    @Override
    public synchronized void log(float[] x, float[] y, int n) {
        elementwise(ElementwiseKernel.LOG, x, null, 0f, 0, y, n);
    }

    @Override
    public synchronized void log1p(float[] x, float[] y, int n) {
        elementwise(ElementwiseKernel.LOG1P, x, null, 0f, 0, y, n);
    }

    @Override
    public synchronized void softplus(float[] x, float[] y, int n) {
        elementwise(ElementwiseKernel.SOFTPLUS, x, null, 0f, 0, y, n);
    }

    @Override
    public synchronized void sigmoid(float[] x, float[] y, int n) {
        elementwise(ElementwiseKernel.SIGMOID, x, null, 0f, 0, y, n);
    }

    @Override
    public synchronized void lgamma(float[] x, float[] y, int n) {
        elementwise(ElementwiseKernel.LGAMMA, x, null, 0f, 0, y, n);
    }

    @Override
    public synchronized void digamma(float[] x, float[] y, int n) {
        elementwise(ElementwiseKernel.DIGAMMA, x, null, 0f, 0, y, n);
    }

    @Override
    public synchronized void relu(float[] x, float[] y, int n) {
        elementwise(ElementwiseKernel.RELU, x, null, 0f, 0, y, n);
    }

    @Override
    public synchronized void reluBackward(float[] y, float[] dy, float[] dx, int n) {
        elementwise(ElementwiseKernel.RELU_BACKWARD, y, dy, 0f, 0, dx, n);
    }

    @Override
    public synchronized void addToRows(FMatrixRMaj x, float[] v, FMatrixRMaj y) {
        elementwise(ElementwiseKernel.ADD_TO_ROWS, x.data, v, 0f, x.numCols, y.data, x.numRows * x.numCols);
    }

    @Override
    public synchronized void mul(float[] a, float[] b, float[] out, int n) {
        elementwise(ElementwiseKernel.MUL, a, b, 0f, 0, out, n);
    }

    @Override
    public synchronized void axpy(float a, float[] x, float[] y, int n) {
        elementwise(ElementwiseKernel.AXPY, x, null, a, 0, y, n);
    }

    @Override
    public synchronized void scale(float a, float[] x, int n) {
        elementwise(ElementwiseKernel.SCALE, x, null, a, 0, x, n);
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public synchronized void sumCols(FMatrixRMaj x, float[] out, int outOff, Accumulation accumulation) {
        boolean accumulate = accumulation == Accumulation.ADD;
        if (x.numCols == 0) {
            return;
        }
        if (outOff != 0) {
            float[] staged = stage(0, out, outOff, x.numCols);
            sumCols(x, staged, 0, accumulation);
            System.arraycopy(staged, 0, out, outOff, x.numCols);
            return;
        }
        ColumnSumKernel s = columnSums;
        s.x = x.numRows == 0 ? none : x.data;
        s.out = out;
        s.rows = x.numRows;
        s.cols = x.numCols;
        s.accumulate = accumulate ? 1 : 0;
        s.put(s.x);
        putOutput(s, s.out, accumulate ? -1 : x.numCols);
        launch(s, device.createRange(roundUp(x.numCols, BLOCK), BLOCK));
        s.get(s.out);
    }

    private void rowOp(int op, FMatrixRMaj x, float[] out) {
        if (x.numRows == 0 || x.numCols == 0) {
            return;
        }
        RowKernel r = rows;
        r.x = unaliased(x.data, out, x.numRows * x.numCols, false);
        r.out = out;
        r.cols = x.numCols;
        r.op = op;
        r.put(r.x);
        putOutput(r, r.out, op == RowKernel.SUM ? x.numRows : x.numRows * x.numCols);
        launch(r, device.createRange(x.numRows * RowKernel.GROUP, RowKernel.GROUP));
        r.get(r.out);
    }

    @Override
    public synchronized void sumRows(FMatrixRMaj x, float[] out) {
        rowOp(RowKernel.SUM, x, out);
    }

    @Override
    public synchronized void rowSoftmax(FMatrixRMaj x, FMatrixRMaj y) {
        rowOp(RowKernel.SOFTMAX, x, y.data);
    }

    @Override
    public synchronized void rowLogSoftmax(FMatrixRMaj x, FMatrixRMaj y) {
        rowOp(RowKernel.LOG_SOFTMAX, x, y.data);
    }

    // ------------------------------------------------------------------ batch normalisation

    /** Launches k after sending its inputs; which fields are outputs depends on the op (written elements given, -1: read too). */
    private void batchNormLaunch(BatchNormKernel k, int cols, int yWritten, int xhatWritten, int betaWritten,
                                 int meanWritten, int invStdWritten) {
        k.put(k.x).put(k.gamma).put(k.runMean).put(k.runVar);
        putOutput(k, k.y, yWritten);
        putOutput(k, k.xhat, xhatWritten);
        putOutput(k, k.beta, betaWritten);
        putOutput(k, k.mean, meanWritten);
        putOutput(k, k.invStd, invStdWritten);
        launch(k, device.createRange(roundUp(cols, BLOCK), BLOCK));
    }

    @Override
    public synchronized void batchNormTrain(FMatrixRMaj x, float[] gamma, int gammaOff, float[] beta, int betaOff,
                                            float eps, float momentum, float[] runningMean, float[] runningVar,
                                            FMatrixRMaj xhat, float[] batchMean, float[] invStd, FMatrixRMaj y) {
        if (gammaOff != 0 || betaOff != 0) {
            batchNormTrain(x, stage(0, gamma, gammaOff, x.numCols), 0, stage(1, beta, betaOff, x.numCols), 0, eps,
                    momentum, runningMean, runningVar, xhat, batchMean, invStd, y);
            return;
        }
        if (x.numRows < 2) {
            throw new IllegalArgumentException("BatchNorm in training mode needs at least 2 rows in a minibatch, got "
                    + x.numRows + " (the batch variance of one row is undefined); use eval mode or a larger batch");
        }
        int n = x.numRows * x.numCols;
        BatchNormKernel k = batchNorm;
        k.op = BatchNormKernel.TRAIN;
        k.rows = x.numRows;
        k.cols = x.numCols;
        k.eps = eps;
        k.momentum = momentum;
        k.unbias = (float) x.numRows / (x.numRows - 1);
        k.x = unaliased(x.data, y.data, n, false);
        k.xhat = xhat.data;
        k.y = y.data;
        k.gamma = gamma;
        k.beta = beta;
        k.runMean = runningMean;
        k.runVar = runningVar;
        k.mean = batchMean;
        k.invStd = invStd;
        batchNormLaunch(k, x.numCols, n, n, -1, x.numCols, x.numCols);
        k.get(k.xhat).get(k.y).get(k.runMean).get(k.runVar).get(k.mean).get(k.invStd);
    }

    @Override
    public synchronized void batchNormEval(FMatrixRMaj x, float[] gamma, int gammaOff, float[] beta, int betaOff,
                                           float eps, float[] runningMean, float[] runningVar, FMatrixRMaj y) {
        if (gammaOff != 0 || betaOff != 0) {
            batchNormEval(x, stage(0, gamma, gammaOff, x.numCols), 0, stage(1, beta, betaOff, x.numCols), 0, eps,
                    runningMean, runningVar, y);
            return;
        }
        if (x.numRows == 0 || x.numCols == 0) {
            return;
        }
        BatchNormKernel k = batchNorm;
        k.op = BatchNormKernel.EVAL;
        k.rows = x.numRows;
        k.cols = x.numCols;
        k.eps = eps;
        k.x = unaliased(x.data, y.data, x.numRows * x.numCols, false);
        k.xhat = none;
        k.y = y.data;
        k.gamma = gamma;
        k.beta = beta;
        k.runMean = runningMean;
        k.runVar = runningVar;
        k.mean = none;
        k.invStd = none;
        batchNormLaunch(k, x.numCols, x.numRows * x.numCols, -1, -1, -1, -1);
        k.get(k.y);
    }

    @Override
    public synchronized void batchNormBackward(FMatrixRMaj xhat, float[] invStd, float[] gamma, int gammaOff,
                                               FMatrixRMaj dy, float[] dGamma, int dGammaOff, float[] dBeta,
                                               int dBetaOff, FMatrixRMaj dx) {
        if (gammaOff != 0 || dGammaOff != 0 || dBetaOff != 0) {
            int cols = xhat.numCols;
            float[] dg = stage(2, dGamma, dGammaOff, cols);
            float[] db = stage(3, dBeta, dBetaOff, cols);
            batchNormBackward(xhat, invStd, stage(0, gamma, gammaOff, cols), 0, dy, dg, 0, db, 0, dx);
            System.arraycopy(dg, 0, dGamma, dGammaOff, cols);
            System.arraycopy(db, 0, dBeta, dBetaOff, cols);
            return;
        }
        if (xhat.numRows == 0 || xhat.numCols == 0) {
            return;
        }
        BatchNormKernel k = batchNorm;
        k.op = BatchNormKernel.BACKWARD;
        k.rows = xhat.numRows;
        k.cols = xhat.numCols;
        k.x = unaliased(dy.data, dx.data, xhat.numRows * xhat.numCols, false);
        k.xhat = xhat.data;
        k.y = dx.data;
        k.gamma = gamma;
        k.beta = dBeta;
        k.runMean = none;
        k.runVar = none;
        k.mean = dGamma;
        k.invStd = invStd;
        batchNormLaunch(k, xhat.numCols, xhat.numRows * xhat.numCols, -1, -1, -1, -1); // dγ, dβ accumulate
        k.get(k.y).get(k.beta).get(k.mean);
    }

    // ------------------------------------------------------------------ count likelihoods

    private void likelihood(int op, int rows, int cols, int off, float[] x, float[] mu, float[] theta, float[] pi,
                            float[] logp, float[] muGrad, float[] thetaGrad, float[] piGrad) {
        int count = rows * cols;
        if (count == 0) {
            return;
        }
        CountLikelihoodKernel k = likelihood;
        k.op = op;
        k.count = count;
        k.cols = cols;
        k.off = off;
        k.x = x;
        k.mu = mu;
        k.theta = orNone(theta);
        k.pi = orNone(pi);
        k.logp = logp;
        k.muGrad = orNone(muGrad);
        k.thetaGrad = orNone(thetaGrad);
        k.piGrad = orNone(piGrad);
        k.wantMu = muGrad != null ? 1 : 0;
        k.wantTheta = thetaGrad != null ? 1 : 0;
        k.wantPi = piGrad != null ? 1 : 0;
        k.put(k.x).put(k.mu).put(k.theta).put(k.pi);
        int written = off == 0 ? count : -1;
        putOutput(k, k.logp, written);
        putOutput(k, k.muGrad, muGrad == null ? -1 : written);
        putOutput(k, k.thetaGrad, thetaGrad == null ? -1 : written);
        putOutput(k, k.piGrad, piGrad == null ? -1 : written);
        launch(k, device.createRange(roundUp(count, BLOCK), BLOCK));
        k.get(k.logp);
        if (muGrad != null) {
            k.get(muGrad);
        }
        if (thetaGrad != null) {
            k.get(thetaGrad);
        }
        if (piGrad != null) {
            k.get(piGrad);
        }
    }

    @Override
    public synchronized void negBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta,
                                         float[] logp, float[] muGrad, float[] thetaGrad) {
        likelihood(CountLikelihoodKernel.NB, rows, cols, off, x, mu, theta, null, logp, muGrad, thetaGrad, null);
    }

    @Override
    public synchronized void zeroInflatedNegBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta,
                                                     float[] pi, float[] logp, float[] muGrad, float[] thetaGrad,
                                                     float[] piGrad) {
        likelihood(CountLikelihoodKernel.ZINB, rows, cols, off, x, mu, theta, pi, logp, muGrad, thetaGrad, piGrad);
    }

    @Override
    public synchronized void poisson(int rows, int cols, float[] x, float[] mu, float[] logp, float[] muGrad) {
        likelihood(CountLikelihoodKernel.POISSON, rows, cols, 0, x, mu, null, null, logp, muGrad, null, null);
    }

    // ------------------------------------------------------------------ Adam

    @Override
    public synchronized void adamUpdate(float[] w, float[] g, float[] m, float[] v, int off, int n,
                                        AdamUpdate.Coefficients c) {
        if (n == 0) {
            return;
        }
        AdamKernel k = adam;
        k.w = w;
        k.g = g;
        k.m = m;
        k.v = v;
        k.off = off; // the kernel addresses the group inside the whole arena buffers
        k.n = n;
        k.beta1 = c.beta1();
        k.beta2 = c.beta2();
        k.oneMinusBeta1 = c.oneMinusBeta1();
        k.oneMinusBeta2 = c.oneMinusBeta2();
        k.stepSize = c.stepSize();
        k.bc2Sqrt = c.bc2Sqrt();
        k.eps = c.eps();
        k.weightDecay = c.weightDecay();
        k.put(w).put(g).put(m).put(v);
        launch(k, device.createRange(roundUp(n, BLOCK), BLOCK));
        k.get(w).get(m).get(v);
    }

    /** On the host: the Gaussian is the continuous-data option, not part of a count model's step. */
    @Override
    public void gaussian(int rows, int cols, int off, float[] x, float[] mu, float[] variance, float[] logp,
                         float[] muGrad, float[] varianceGrad) {
        host.gaussian(rows, cols, off, x, mu, variance, logp, muGrad, varianceGrad);
    }

    // ================================================================== exact operations (host)

    /**
     * On the host: the training plan does not choose the sparse-input products on this backend
     * ({@link #prefersSparseInput} is false, so the device runs the dense ones); they are here so
     * that every backend computes every operation.
     */
    @Override
    public void multBiasSparse(NonZeroEntries a, TensorView w, TensorView bias, FMatrixRMaj c) {
        host.multBiasSparse(a, w, bias, c);
    }

    @Override
    public void multAddTransASparse(NonZeroEntries a, FMatrixRMaj b, TensorView c) {
        host.multAddTransASparse(a, b, c);
    }
    // Their contract is the scalar definition's bits; OpenCL built-ins and contraction would break it.

    @Override
    public void fastExp(float[] x, float[] y, int n) {
        host.fastExp(x, y, n);
    }

    @Override
    public void fastLog(float[] x, float[] y, int n) {
        host.fastLog(x, y, n);
    }

    @Override
    public void scale(float a, float[] x, float[] y, int n) {
        host.scale(a, x, y, n);
    }

    @Override
    public void decayAdd(float keep, float[] x, float[] y, int n) {
        host.decayAdd(keep, x, y, n);
    }

    @Override
    public void copy(float[] x, float[] y, int n) {
        host.copy(x, y, n);
    }

    @Override
    public void scaleRows(FMatrixRMaj x, float[] v, FMatrixRMaj y) {
        host.scaleRows(x, v, y);
    }

    @Override
    public void renormaliseRows(FMatrixRMaj x, int[] columns) {
        host.renormaliseRows(x, columns);
    }

    @Override
    public void addIndexedRows(TensorView table, int[] index, FMatrixRMaj y) {
        host.addIndexedRows(table, index, y);
    }

    @Override
    public void scatterAddIndexedRows(FMatrixRMaj dy, int[] index, TensorView table) {
        host.scatterAddIndexedRows(dy, index, table);
    }

    @Override
    public void gatherColumns(TensorView src, int[] columns, FMatrixRMaj dst) {
        host.gatherColumns(src, columns, dst);
    }

    @Override
    public void scatterAddColumns(FMatrixRMaj src, int[] columns, TensorView dst) {
        host.scatterAddColumns(src, columns, dst);
    }

    @Override
    public void gatherExp(TensorView table, int column, int[] rows, float[] out, int n) {
        host.gatherExp(table, column, rows, out, n);
    }

    @Override
    public void scatterAddScaledByGroup(float a, FMatrixRMaj g, int[] columns, int[] group, TensorView target) {
        host.scatterAddScaledByGroup(a, g, columns, group, target);
    }

    @Override
    public void accumulateMoments(float[] x, double[] sum, double[] sumSq, int n) {
        host.accumulateMoments(x, sum, sumSq, n);
    }

    @Override
    public void momentsToMeanStd(double[] sum, double[] sumSq, int samples, float[] mean, float[] std, int n) {
        host.momentsToMeanStd(sum, sumSq, samples, mean, std, n);
    }

    @Override
    public void expDouble(float[] x, int xOff, float[] out, int n) {
        host.expDouble(x, xOff, out, n);
    }

    @Override
    public void softmaxLibraryBackward(FMatrixRMaj p, FMatrixRMaj g, float scale, float[] dEll, FMatrixRMaj dLogits) {
        host.softmaxLibraryBackward(p, g, scale, dEll, dLogits);
    }

    @Override
    public void reparameterize(FMatrixRMaj params, FMatrixRMaj eps, Posterior posterior, FMatrixRMaj z) {
        host.reparameterize(params, eps, posterior, z);
    }

    @Override
    public void reparameterizeBackward(FMatrixRMaj params, FMatrixRMaj eps, FMatrixRMaj dz, float klScale,
                                       FMatrixRMaj dParams) {
        host.reparameterizeBackward(params, eps, dz, klScale, dParams);
    }

    @Override
    public void normalKl(FMatrixRMaj params, float[] out) {
        host.normalKl(params, out);
    }

    @Override
    public void libraryReparameterize(FMatrixRMaj params, float[] eps, float varianceFloor, Posterior posterior, float[] ell) {
        host.libraryReparameterize(params, eps, varianceFloor, posterior, ell);
    }

    @Override
    public void libraryBackward(FMatrixRMaj params, float[] eps, float[] dEll, float klScale, float[] priorMean,
                                float[] priorVar, float varianceFloor, FMatrixRMaj dParams) {
        host.libraryBackward(params, eps, dEll, klScale, priorMean, priorVar, varianceFloor, dParams);
    }

    @Override
    public void libraryKl(FMatrixRMaj params, float[] priorMean, float[] priorVar, float varianceFloor, float[] out) {
        host.libraryKl(params, priorMean, priorVar, varianceFloor, out);
    }

    @Override
    public void negativeElboSums(float[] rec, float[] klZ, float[] klL, int n, double[] sums) {
        host.negativeElboSums(rec, klZ, klL, n, sums);
    }

    @Override
    public void fill(float value, float[] x, int off, int n) {
        host.fill(value, x, off, n);
    }

    @Override
    public void copy(float[] x, int xOff, float[] y, int yOff, int n) {
        host.copy(x, xOff, y, yOff, n);
    }

    @Override
    public void addAndZero(float[] lane, float[] sum, int n) {
        host.addAndZero(lane, sum, n);
    }

    @Override
    public void dropoutMask(long key, float p, float[] mask, int n) {
        host.dropoutMask(key, p, mask, n);
    }

    @Override
    public void crossEntropyBackward(FMatrixRMaj logProb, int[] labels, float onLabel, float offLabel, float scale,
                                     FMatrixRMaj dLogits, double[] loss) {
        host.crossEntropyBackward(logProb, labels, onLabel, offLabel, scale, dLogits, loss);
    }

    @Override
    public void rowArgmax(FMatrixRMaj x, int[] out) {
        host.rowArgmax(x, out);
    }
}
