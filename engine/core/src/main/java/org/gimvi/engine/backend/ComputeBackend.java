package org.gimvi.engine.backend;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.matrix.NonZeroEntries;

/**
 * Every numerical operation that a training step performs, behind one interface, so that layers and
 * models never contain arithmetic loops of their own and a device backend can take over by
 * implementing this interface alone.
 *
 * <p>Buffers: matrices are EJML {@link FMatrixRMaj} (row-major float32, {@code data} starts at
 * index 0) and are created through {@link #allocate}, so that a device backend can mirror each one in
 * device memory and keep a whole step's tensors resident. Parameters, their gradient lanes and Adam's
 * moments are not matrices of their own but {@link TensorView}s (buffer, offset, shape) into the flat
 * buffers of a {@link org.gimvi.engine.nn.ParameterArena}: every operation a parameter reaches has a
 * form that takes the view or an explicit offset (the GEMM primitive, {@code sumCols}, BatchNorm,
 * the gathers and scatters, Adam), so a device backend can keep each arena buffer resident and
 * address tensors by offset. Only {@link #upload} (minibatch in) and
 * {@link #download} (results out) move data between host and device; both are no-ops on the CPU.
 * A matrix's shape may shrink and grow within its allocated capacity with {@code reshape}, which is
 * how workspaces sized once serve minibatches of any size. Per-cell and per-feature vectors are
 * plain {@code float[]}s from {@link #allocateVector}, which a device backend mirrors the same way
 * (keyed by the array); host data reaches the backend through the {@code upload} overloads.
 * {@code double[]} and {@code int[]} outputs (loss sums, predicted classes) are host results: a
 * device backend copies them back before returning.
 *
 * <p>The memory contract callers keep, so that a device backend may keep every buffer resident:
 * every array an operation receives was created by {@link #allocate} or {@link #allocateVector} or
 * handed over by {@code upload} (constant index maps included); a host write into a buffer is
 * uploaded before an operation reads it; a result is downloaded before the host reads it. The gimVI
 * model is held to it on a simulated device (model/gimvi's {@code DeviceMemoryContractTest}).
 *
 * <p>Conventions (EJML style): outputs are caller-provided and come last; {@code n} counts elements
 * from index 0; inputs and outputs of elementwise operations may be the same array. A backend
 * instance is not thread-safe: use one per training loop.
 *
 * <p>Numerical contract: GEMM results are bit-identical across backends (see
 * {@link org.gimvi.engine.kernels.Gemm}), and so are the "exact operations" at the end of this
 * interface (the model's own arithmetic: posterior sampling, KL terms, the softmax and dispersion
 * gradients, gathers and scatters); other kernels agree within the tolerances documented on each
 * method, and every backend is deterministic for any thread count.
 */
public interface ComputeBackend {

    String name();

    /**
     * Starts getting this backend's code ready for a training run — its kernels compiled, say —
     * without blocking the caller; what a run computes never depends on it. A training plan calls it
     * when it is made; the CPU reference backend has nothing to prepare.
     */
    default void prepareForTraining() {
    }

    // ------------------------------------------------------------------ buffers

    /** A zero-filled rows×cols matrix owned by this backend. */
    FMatrixRMaj allocate(int rows, int cols);

    /** A zero-filled vector of n floats owned by this backend (a per-cell or per-feature buffer). */
    default float[] allocateVector(int n) {
        return allocate(1, n).data;
    }

    /** Makes the host contents of {@code m} visible to the backend (no-op on CPU backends). */
    default void upload(FMatrixRMaj m) {
    }

    /** Makes the backend's contents of {@code m} visible on the host (no-op on CPU backends). */
    default void download(FMatrixRMaj m) {
    }

    /**
     * Makes the first {@code n} host elements of {@code x} visible to the backend: per-cell values of
     * a minibatch filled on the host (library priors, noise drawn by the host's generator). No-op on
     * CPU backends.
     */
    default void upload(float[] x, int n) {
    }

    /** Makes the first {@code n} host elements of an index array visible to the backend (batch codes, labels, gene maps). */
    default void upload(int[] x, int n) {
    }

    /** Makes the backend's first {@code n} elements of {@code x} visible on the host (no-op on CPU backends). */
    default void download(float[] x, int n) {
    }

    /** Launches and host↔device transfers so far ({@link DeviceTraffic#NONE} on CPU backends). */
    default DeviceTraffic traffic() {
        return DeviceTraffic.NONE;
    }

    // ------------------------------------------------------------------ GEMM

    /**
     * The GEMM primitive that every other product form reaches: C (m×n, row-major at {@code c[cOff ..]})
     * = init + op(A)·op(B), where A is stored row-major at {@code a[aOff ..]} as m×k (k×m when
     * transposed), B at {@code b[bOff ..]} as k×n (n×k when transposed); init is C
     * ({@link Accumulation#ADD}), the n entries at {@code bias[biasOff ..]} (bias may be null), or
     * zero. The offsets let operands be views into a parameter arena ({@link TensorView}); C must
     * not overlap A or B. Callers use the shape-checked forms below.
     */
    void gemm(Transpose transA, Transpose transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
              float[] c, int cOff, float[] bias, int biasOff, Accumulation accumulation);

    /**
     * General product {@code c = init + op(a)·op(b)}; init is c ({@link Accumulation#ADD}), the row
     * vector bias (length = c's columns, may be null), or zero.
     */
    default void gemm(Transpose transA, Transpose transB, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c,
                      float[] bias, Accumulation accumulation) {
        GemmShape.require(transA, transB, a.numRows, a.numCols, b.numRows, b.numCols, c.numRows, c.numCols,
                bias == null ? -1 : bias.length);
        boolean at = transA == Transpose.TRANSPOSED;
        gemm(transA, transB, at ? a.numCols : a.numRows, c.numCols, at ? a.numRows : a.numCols,
                a.data, 0, b.data, 0, c.data, 0, bias, 0, accumulation);
    }

    /** c = a·w + 1·biasᵀ with the weight and bias views in an arena (a Linear layer's forward pass). */
    default void multBias(FMatrixRMaj a, TensorView w, TensorView bias, FMatrixRMaj c) {
        GemmShape.require(Transpose.NONE, Transpose.NONE, a.numRows, a.numCols, w.rows(), w.cols(),
                c.numRows, c.numCols, bias.size());
        gemm(Transpose.NONE, Transpose.NONE, a.numRows, c.numCols, a.numCols, a.data, 0, w.array(), w.offset(),
                c.data, 0, bias.array(), bias.offset(), Accumulation.OVERWRITE);
    }

    /** c += aᵀ·b into a view (a weight gradient in the gradient arena). */
    default void multAddTransA(FMatrixRMaj a, FMatrixRMaj b, TensorView c) {
        GemmShape.require(Transpose.TRANSPOSED, Transpose.NONE, a.numRows, a.numCols, b.numRows, b.numCols,
                c.rows(), c.cols(), -1);
        gemm(Transpose.TRANSPOSED, Transpose.NONE, a.numCols, c.cols(), a.numRows, a.data, 0, b.data, 0,
                c.array(), c.offset(), null, 0, Accumulation.ADD);
    }

    /** c = a·wᵀ with the weight a view (a layer's input gradient). */
    default void multTransB(FMatrixRMaj a, TensorView w, FMatrixRMaj c) {
        GemmShape.require(Transpose.NONE, Transpose.TRANSPOSED, a.numRows, a.numCols, w.rows(), w.cols(),
                c.numRows, c.numCols, -1);
        gemm(Transpose.NONE, Transpose.TRANSPOSED, a.numRows, c.numCols, a.numCols, a.data, 0, w.array(), w.offset(),
                c.data, 0, null, 0, Accumulation.OVERWRITE);
    }

    /** c += a·wᵀ with the weight a view. */
    default void multAddTransB(FMatrixRMaj a, TensorView w, FMatrixRMaj c) {
        GemmShape.require(Transpose.NONE, Transpose.TRANSPOSED, a.numRows, a.numCols, w.rows(), w.cols(),
                c.numRows, c.numCols, -1);
        gemm(Transpose.NONE, Transpose.TRANSPOSED, a.numRows, c.numCols, a.numCols, a.data, 0, w.array(), w.offset(),
                c.data, 0, null, 0, Accumulation.ADD);
    }

    /**
     * c = a·w + 1·biasᵀ for an input given by its non-zero entries (a layer's forward product on a
     * mostly-zero expression minibatch): the dense product's chains with their zero terms left out,
     * equal to it whenever the weights are finite and no partial sum is exactly −0
     * ({@code kernels.SparseGemm}).
     */
    void multBiasSparse(NonZeroEntries a, TensorView w, TensorView bias, FMatrixRMaj c);

    /** c += aᵀ·b into a view for an input given by its non-zero entries (that layer's weight gradient). */
    void multAddTransASparse(NonZeroEntries a, FMatrixRMaj b, TensorView c);

    /** Number of entries of x[0, n) that are not ±0 (how sparse a minibatch is, before indexing it). */
    default int countNonZeros(float[] x, int n) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            k += NonZeroEntries.nonZero(x[i]);
        }
        return k;
    }

    /**
     * Indexes x's non-zero entries by row into {@code out} ({@link NonZeroEntries#index}; the
     * by-column order is left to {@link NonZeroEntries#indexColumns}).
     */
    default void indexNonZeros(FMatrixRMaj x, NonZeroEntries out) {
        out.index(x);
    }

    /**
     * Whether this backend's sparse-input products beat its dense ones on a mostly-zero minibatch
     * (true for the CPU backends, whose crossover is measured at 30–40 % non-zero; a device backend
     * runs the dense products, whose result is the same).
     */
    default boolean prefersSparseInput() {
        return false;
    }

    /** c = a·b */
    default void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(Transpose.NONE, Transpose.NONE, a, b, c, null, Accumulation.OVERWRITE);
    }

    /** c = a·b + 1·biasᵀ (a Linear layer's forward pass). */
    default void multBias(FMatrixRMaj a, FMatrixRMaj b, float[] bias, FMatrixRMaj c) {
        gemm(Transpose.NONE, Transpose.NONE, a, b, c, bias, Accumulation.OVERWRITE);
    }

    /** c += a·b */
    default void multAdd(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(Transpose.NONE, Transpose.NONE, a, b, c, null, Accumulation.ADD);
    }

    /** c = aᵀ·b */
    default void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(Transpose.TRANSPOSED, Transpose.NONE, a, b, c, null, Accumulation.OVERWRITE);
    }

    /** c += aᵀ·b (weight gradients). */
    default void multAddTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(Transpose.TRANSPOSED, Transpose.NONE, a, b, c, null, Accumulation.ADD);
    }

    /** c = a·bᵀ (input gradients). */
    default void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(Transpose.NONE, Transpose.TRANSPOSED, a, b, c, null, Accumulation.OVERWRITE);
    }

    /** c += a·bᵀ */
    default void multAddTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(Transpose.NONE, Transpose.TRANSPOSED, a, b, c, null, Accumulation.ADD);
    }

    // ------------------------------------------------------------------ elementwise (y may alias x)

    /** y = e^x. Float kernels: within 2 ulp of the double result. */
    void exp(float[] x, float[] y, int n);

    /** y = ln x. */
    void log(float[] x, float[] y, int n);

    /** y = ln(1 + x). */
    void log1p(float[] x, float[] y, int n);

    /** y = ln(1 + e^x). */
    void softplus(float[] x, float[] y, int n);

    /** y = 1 / (1 + e^−x); also the derivative of softplus. */
    void sigmoid(float[] x, float[] y, int n);

    /** y = log Γ(x), x &gt; 0. */
    void lgamma(float[] x, float[] y, int n);

    /** y = ψ(x), x &gt; 0. */
    void digamma(float[] x, float[] y, int n);

    /** y = max(x, 0). */
    void relu(float[] x, float[] y, int n);

    /** dx = dy where the ReLU output y &gt; 0, else 0 (dx may alias dy). */
    void reluBackward(float[] y, float[] dy, float[] dx, int n);

    /**
     * A ReLU and inverted dropout in one pass: x = max(x, 0) in place (the backward reads it), then
     * y = x ⊙ mask. Defined as {@code relu(x, x, n)} then {@code mul(x, mask, y, n)}, whose bits a
     * backend's own version must give.
     */
    default void reluDropout(float[] x, float[] mask, float[] y, int n) {
        relu(x, x, n);
        mul(x, mask, y, n);
    }

    /**
     * The backward of {@link #reluDropout} in one pass: dx = dy ⊙ mask where the ReLU output y &gt; 0,
     * else 0 (dx may alias dy). Defined as {@code mul(dy, mask, dx, n)} then
     * {@code reluBackward(y, dx, dx, n)}.
     */
    default void dropoutReluBackward(float[] mask, float[] y, float[] dy, float[] dx, int n) {
        mul(dy, mask, dx, n);
        reluBackward(y, dx, dx, n);
    }

    /** y[i][j] = x[i][j] + v[i]: adds one value to each row (y may alias x). */
    void addToRows(FMatrixRMaj x, float[] v, FMatrixRMaj y);

    /**
     * y[i][j] = exp(x[i][j] + v[i]) in one pass (y may alias x): a decoder's mean from its
     * log-softmax and the log library. Defined as {@code addToRows(x, v, y)} then {@code exp} over
     * y, whose bits a backend's own version must give.
     */
    default void addToRowsExp(FMatrixRMaj x, float[] v, FMatrixRMaj y) {
        addToRows(x, v, y);
        exp(y.data, y.data, y.numRows * y.numCols);
    }

    /** out = a ⊙ b. */
    void mul(float[] a, float[] b, float[] out, int n);

    /** y = a·x + y. */
    void axpy(float a, float[] x, float[] y, int n);

    /** x = a·x. */
    void scale(float a, float[] x, int n);

    // ------------------------------------------------------------------ reductions

    /** out[j] = Σ_i x[i][j], summed over i in ascending order. */
    default void sumCols(FMatrixRMaj x, float[] out) {
        sumCols(x, out, 0, Accumulation.OVERWRITE);
    }

    /**
     * out[outOff + j] (+)= Σ_i x[i][j] at an offset (a view such as a bias gradient in the gradient
     * arena): the sum starts from out's value ({@link Accumulation#ADD}) or from zero and adds the
     * rows in ascending order.
     */
    void sumCols(FMatrixRMaj x, float[] out, int outOff, Accumulation accumulation);

    /** out[i] = Σ_j x[i][j]. */
    void sumRows(FMatrixRMaj x, float[] out);

    /** Row-wise softmax: y[i] = softmax(x[i]) (y may alias x). */
    void rowSoftmax(FMatrixRMaj x, FMatrixRMaj y);

    /** Row-wise log-softmax (y may alias x). */
    void rowLogSoftmax(FMatrixRMaj x, FMatrixRMaj y);

    // ------------------------------------------------------------------ batch normalisation

    /**
     * Training-mode BatchNorm1d forward over the rows of x (B×C): per column, batch mean and biased
     * variance; writes xhat, y = gamma·xhat + beta, the batch mean and 1/sqrt(var + eps), and updates
     * the running estimates with the unbiased variance: r ← (1 − momentum)·r + momentum·batch.
     */
    default void batchNormTrain(FMatrixRMaj x, float[] gamma, float[] beta, float eps, float momentum,
                                float[] runningMean, float[] runningVar,
                                FMatrixRMaj xhat, float[] batchMean, float[] invStd, FMatrixRMaj y) {
        batchNormTrain(x, gamma, 0, beta, 0, eps, momentum, runningMean, runningVar, xhat, batchMean, invStd, y);
    }

    /** {@link #batchNormTrain} with the scale and shift at {@code gamma[gammaOff ..]}, {@code beta[betaOff ..]} (arena views). */
    void batchNormTrain(FMatrixRMaj x, float[] gamma, int gammaOff, float[] beta, int betaOff, float eps, float momentum,
                        float[] runningMean, float[] runningVar,
                        FMatrixRMaj xhat, float[] batchMean, float[] invStd, FMatrixRMaj y);

    /** Eval-mode BatchNorm1d: y = gamma·(x − runningMean)/sqrt(runningVar + eps) + beta. */
    default void batchNormEval(FMatrixRMaj x, float[] gamma, float[] beta, float eps,
                               float[] runningMean, float[] runningVar, FMatrixRMaj y) {
        batchNormEval(x, gamma, 0, beta, 0, eps, runningMean, runningVar, y);
    }

    /** {@link #batchNormEval} with offsets into the scale and shift buffers. */
    void batchNormEval(FMatrixRMaj x, float[] gamma, int gammaOff, float[] beta, int betaOff, float eps,
                       float[] runningMean, float[] runningVar, FMatrixRMaj y);

    /**
     * Training-mode BatchNorm1d backward: accumulates dGamma, dBeta and writes dx (dx may alias dy).
     */
    default void batchNormBackward(FMatrixRMaj xhat, float[] invStd, float[] gamma, FMatrixRMaj dy,
                                   float[] dGamma, float[] dBeta, FMatrixRMaj dx) {
        batchNormBackward(xhat, invStd, gamma, 0, dy, dGamma, 0, dBeta, 0, dx);
    }

    /** {@link #batchNormBackward} with offsets into the scale and its two gradient buffers (arena views). */
    void batchNormBackward(FMatrixRMaj xhat, float[] invStd, float[] gamma, int gammaOff, FMatrixRMaj dy,
                           float[] dGamma, int dGammaOff, float[] dBeta, int dBetaOff, FMatrixRMaj dx);

    // ------------------------------------------------------------------ count likelihoods

    /**
     * Negative binomial log-likelihood (mean μ, inverse dispersion θ) over a rows×cols block, θ per
     * column, with ε = 1e-8 inside the logarithms as in scVI:
     * {@code θ(log(θ+ε) − log(θ+μ+ε)) + x(log(μ+ε) − log(θ+μ+ε)) + lgamma(x+θ) − lgamma(θ) − lgamma(x+1)}.
     * Outputs per element: logp, μ·∂logp/∂μ and θ·∂logp/∂θ (gradients on the log scale, which is
     * how both parameters are produced upstream). Gradient outputs may be null.
     */
    default void negBinomial(int rows, int cols, float[] x, float[] mu, float[] theta,
                             float[] logp, float[] muGrad, float[] thetaGrad) {
        negBinomial(rows, cols, 0, x, mu, theta, logp, muGrad, thetaGrad);
    }

    /**
     * {@link #negBinomial} over the rows×cols block that starts at element {@code off} of every
     * per-element array (x, μ, logp and the gradients; θ stays per column from index 0): one batch's
     * run of rows inside a minibatch, without copying it out. An element's result does not depend
     * on its position.
     */
    void negBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta,
                     float[] logp, float[] muGrad, float[] thetaGrad);

    /**
     * Zero-inflated negative binomial (π = logit of the dropout probability), scVI's formula; as
     * {@link #negBinomial} plus ∂logp/∂π.
     */
    default void zeroInflatedNegBinomial(int rows, int cols, float[] x, float[] mu, float[] theta, float[] pi,
                                         float[] logp, float[] muGrad, float[] thetaGrad, float[] piGrad) {
        zeroInflatedNegBinomial(rows, cols, 0, x, mu, theta, pi, logp, muGrad, thetaGrad, piGrad);
    }

    /** {@link #zeroInflatedNegBinomial} at element offset {@code off} (π included), as {@link #negBinomial(int, int, int, float[], float[], float[], float[], float[], float[])}. */
    void zeroInflatedNegBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta, float[] pi,
                                 float[] logp, float[] muGrad, float[] thetaGrad, float[] piGrad);

    /** Poisson: {@code x·log μ − μ − lgamma(x+1)}; muGrad = x − μ. */
    void poisson(int rows, int cols, float[] x, float[] mu, float[] logp, float[] muGrad);

    /**
     * Gaussian for continuous data (normalised or in-situ intensities): mean μ, variance σ² per column,
     * {@code −½ log(2πσ²) − (x − μ)²/(2σ²)}. Outputs μ·∂logp/∂μ = μ(x − μ)/σ² and σ²·∂logp/∂σ²
     * = −½ + (x − μ)²/(2σ²) (the variance is exp of a free parameter upstream). Gradient outputs may
     * be null.
     */
    default void gaussian(int rows, int cols, float[] x, float[] mu, float[] variance, float[] logp, float[] muGrad,
                          float[] varianceGrad) {
        gaussian(rows, cols, 0, x, mu, variance, logp, muGrad, varianceGrad);
    }

    /** {@link #gaussian} at element offset {@code off}, as {@link #negBinomial(int, int, int, float[], float[], float[], float[], float[], float[])}. */
    void gaussian(int rows, int cols, int off, float[] x, float[] mu, float[] variance, float[] logp, float[] muGrad,
                  float[] varianceGrad);

    // ================================================================== exact operations
    //
    // Everything below is defined by ScalarBackend with float arithmetic whose every step is exactly
    // rounded (+ − × ÷ √, no fused multiply-add unless stated) or is a FastMath float kernel, which
    // VectorMath reproduces lane for lane. So each CPU backend returns the same bits as the scalar
    // definition, and training on them gives the same bits as the model loops these operations
    // replaced. Sums run in the order the definition states; a backend may vectorise only across
    // independent elements.

    /** y = FastMath.exp(x), the float kernel (unlike {@link #exp}, bit-identical on every backend). */
    void fastExp(float[] x, float[] y, int n);

    /** y = FastMath.log(x), the float kernel (unlike {@link #log}, bit-identical on every backend). */
    void fastLog(float[] x, float[] y, int n);

    /** y = a·x (y may alias x). */
    void scale(float a, float[] x, float[] y, int n);

    /** y = keep·y + x, not fused: the running-average step of a BatchNorm commit. */
    void decayAdd(float keep, float[] x, float[] y, int n);

    /** y = x (n elements from index 0; the arrays may be the same). */
    void copy(float[] x, float[] y, int n);

    /** y[i][j] = x[i][j]·v[i] (y may alias x). */
    void scaleRows(FMatrixRMaj x, float[] v, FMatrixRMaj y);

    /**
     * Renormalises each row to the given columns: s = Σ_{c ∈ columns} x[i][c] in double, in the
     * order of {@code columns}; x[i][j] ·= (float) (1/s) for every column j.
     */
    void renormaliseRows(FMatrixRMaj x, int[] columns);

    /**
     * y[i][j] += table[index[i]][j]: a one-hot covariate's input block times its weight table (a view:
     * the table lives in the parameter arena; its columns are y's).
     */
    void addIndexedRows(TensorView table, int[] index, FMatrixRMaj y);

    /** table[index[i]][j] += dy[i][j], rows i in ascending order (the covariate table's gradient, a view). */
    void scatterAddIndexedRows(FMatrixRMaj dy, int[] index, TensorView table);

    /** dst[i][j] = src[i][columns[j]] for the rows of src (a view); dst has columns.length columns. */
    void gatherColumns(TensorView src, int[] columns, FMatrixRMaj dst);

    /** dst[i][columns[j]] += src[i][j], i then j ascending (the adjoint of {@link #gatherColumns}; dst a view). */
    void scatterAddColumns(FMatrixRMaj src, int[] columns, TensorView dst);

    /**
     * out[j] = FastMath.exp(table[rows[j]][column]) for j &lt; n: one column of a table (a view) at
     * some of its rows, exponentiated (θ = exp(r) at a dataset's genes for one batch).
     */
    void gatherExp(TensorView table, int column, int[] rows, float[] out, int n);

    /**
     * target[columns[j]][group[i]] += a·g[i][j] (group null: column 0), i then j ascending: the
     * gradient of {@link #gatherExp}'s table (a view) from log-scale gradients, each row i to its
     * group's column. The columns are distinct (a dataset's gene mapping), so each target entry
     * receives its terms in row order.
     */
    void scatterAddScaledByGroup(float a, FMatrixRMaj g, int[] columns, int[] group, TensorView target);

    /**
     * Posterior-sample moments, accumulated in double: sum[i] += x[i], sumSq[i] += x[i]·x[i] for
     * i &lt; n (one sample of a chunk of imputations; the sums are host results).
     */
    void accumulateMoments(float[] x, double[] sum, double[] sumSq, int n);

    /**
     * From {@link #accumulateMoments}' sums over {@code samples} samples: μ = sum/samples,
     * var = max(0, sumSq/samples − μ²) in double; mean[i] = (float) μ, std[i] = (float) √var.
     */
    void momentsToMeanStd(double[] sum, double[] sumSq, int samples, float[] mean, float[] std, int n);

    /**
     * out[i] = (float) Math.exp(x[xOff + i]) in double, for i &lt; n: a model output computed once per model
     * (the inverse dispersion θ = exp(r) handed to the user), not on the training path.
     */
    void expDouble(float[] x, int xOff, float[] out, int n);

    /**
     * Backward of μ = exp(ℓ + log-softmax(logits)) for a loss −scale·logp, given the softmax
     * probabilities p and the log-scale gradients g = μ·∂logp/∂μ. Per row, with s = Σ_j g[i][j]
     * (float, j ascending): dEll[i] = −scale·s and dLogits[i][j] = −scale·g[i][j] − p[i][j]·dEll[i].
     * dLogits may alias p.
     */
    void softmaxLibraryBackward(FMatrixRMaj p, FMatrixRMaj g, float scale, float[] dEll, FMatrixRMaj dLogits);

    /**
     * Reparameterised Gaussian sample from params = [mean | log-variance] (B × 2d):
     * z = mean + FastMath.exp(½·logVar)·ε for {@link Posterior#SAMPLE}, z = mean for {@link Posterior#MEAN}
     * (eps is not read).
     */
    void reparameterize(FMatrixRMaj params, FMatrixRMaj eps, Posterior posterior, FMatrixRMaj z);

    /**
     * Backward of {@link #reparameterize} (sampled) plus klScale·∂KL(q‖N(0, I))/∂params:
     * dMean = dz + klScale·mean; dLogVar = dz·½·std·ε + klScale·½·(var − 1), var = exp(logVar),
     * std = exp(½·logVar), products left to right.
     */
    void reparameterizeBackward(FMatrixRMaj params, FMatrixRMaj eps, FMatrixRMaj dz, float klScale, FMatrixRMaj dParams);

    /** out[i] = (float) Σ_k ½(exp(logVar) + mean² − 1 − logVar), summed in double: KL(q(z|x) ‖ N(0, I)) per row. */
    void normalKl(FMatrixRMaj params, float[] out);

    /**
     * The library posterior from params = [mean | raw] (B × 2), variance v = FastMath.exp(raw) + floor:
     * ℓ = mean + (float) √v·ε for {@link Posterior#SAMPLE}, ℓ = mean for {@link Posterior#MEAN}.
     */
    void libraryReparameterize(FMatrixRMaj params, float[] eps, float varianceFloor, Posterior posterior, float[] ell);

    /**
     * Backward of {@link #libraryReparameterize} (sampled) plus klScale·∂KL(q(ℓ)‖N(priorMean, priorVar)):
     * dMean = dEll + klScale·(mean − mp)/vp; dRaw = (dEll·ε/(2√v) + klScale·(−½/v + ½/vp))·exp(raw).
     */
    void libraryBackward(FMatrixRMaj params, float[] eps, float[] dEll, float klScale, float[] priorMean,
                         float[] priorVar, float varianceFloor, FMatrixRMaj dParams);

    /** out[i] = KL(N(mean, v) ‖ N(priorMean, priorVar)) = ½log(vp/v) + (v + (m − mp)²)/(2vp) − ½, in double, log by FastMath. */
    void libraryKl(FMatrixRMaj params, float[] priorMean, float[] priorVar, float varianceFloor, float[] out);

    /** x[off .. off+n) = value (zeroing gradients, staged statistics, an absent KL term). */
    void fill(float value, float[] x, int off, int n);

    /**
     * y[yOff + i] = x[xOff + i] for i &lt; n: a block of rows moved between buffers without
     * arithmetic (a dataset's z into the classifier's pooled input, its gradient back out). The
     * ranges must not overlap unless they are the same range.
     */
    void copy(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * sum[i] = sum[i] + lane[i], then lane[i] = 0, for i &lt; n: folds one gradient lane into lane 0
     * (see {@link org.gimvi.engine.nn.Parameter}); callers fold lanes 1, 2, … in that order.
     */
    void addAndZero(float[] lane, float[] sum, int n);

    /**
     * One Adam step of the n elements from {@code off} of all four buffers (a group of an arena:
     * values, gradients and both moments share one layout); otherwise as {@link #adamUpdate(float[], float[], float[], float[], int, AdamUpdate.Coefficients)}.
     */
    void adamUpdate(float[] w, float[] g, float[] m, float[] v, int off, int n, AdamUpdate.Coefficients c);

    /**
     * One Adam step of n elements, {@link AdamUpdate#scalar}'s definition (PyTorch semantics, L2
     * weight decay added to the gradient, exactly rounded square root): per element
     * g' = g + wd·w (when wd ≠ 0), m = β1·m + (1−β1)·g', v = β2·v + (1−β2)·g'·g',
     * w = w − stepSize·m / (√v / bc2Sqrt + eps). Updates w, m and v in place; g is read only.
     */
    default void adamUpdate(float[] w, float[] g, float[] m, float[] v, int n, AdamUpdate.Coefficients c) {
        adamUpdate(w, g, m, v, 0, n, c);
    }

    /**
     * An inverted-dropout mask, {@link org.gimvi.engine.kernels.DropoutMasks#fill}'s definition:
     * mask[i] = 1/(1 − p) or 0, a pure function of (key, i, p), for i &lt; n and 0 &lt; p &lt; 1. The key is
     * one draw from the caller's generator, so a device backend can build the mask where it is used.
     */
    void dropoutMask(long key, float p, float[] mask, int n);

    /**
     * Cross-entropy of row-wise log-probabilities (B × K) against targets that are {@code onLabel} at
     * column labels[i] and {@code offLabel} elsewhere, and its gradient at the logits:
     * dLogits[i][j] = scale·(FastMath.exp(lp) − target). loss[0] = Σ_i Σ_j −target·lp, the float
     * product subtracted in double, i then j ascending (host output). The classifier's own loss is
     * (1, 0); the adversarial fool loss is (0, 1/(K−1)).
     */
    void crossEntropyBackward(FMatrixRMaj logProb, int[] labels, float onLabel, float offLabel, float scale,
                              FMatrixRMaj dLogits, double[] loss);

    /** out[i] = the first column of row i holding the row's maximum (strict &gt;; host output). */
    void rowArgmax(FMatrixRMaj x, int[] out);

    /**
     * The ELBO's sums over n cells: negates the per-cell log-likelihoods in place (rec ← −rec) and
     * writes sums[0] = Σ rec and sums[1] = Σ (klZ[i] + klL[i]), accumulated in double, i ascending.
     */
    void negativeElboSums(float[] rec, float[] klZ, float[] klL, int n, double[] sums);
}
