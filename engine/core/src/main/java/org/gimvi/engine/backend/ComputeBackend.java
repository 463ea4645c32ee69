package org.gimvi.engine.backend;

import org.ejml.data.FMatrixRMaj;

/**
 * Every numerical operation that a training step performs, behind one interface, so that layers and
 * models never contain arithmetic loops of their own and a device backend can take over by
 * implementing this interface alone.
 *
 * <p>Buffers: matrices are EJML {@link FMatrixRMaj} (row-major float32, {@code data} starts at
 * index 0) and are created through {@link #allocate}, so that a device backend can mirror each one in
 * device memory and keep a whole step's tensors resident. Only {@link #upload} (minibatch in) and
 * {@link #download} (results out) move data between host and device; both are no-ops on the CPU.
 * A matrix's shape may shrink and grow within its allocated capacity with {@code reshape}, which is
 * how workspaces sized once serve minibatches of any size.
 *
 * <p>Conventions (EJML style): outputs are caller-provided and come last; {@code n} counts elements
 * from index 0; inputs and outputs of elementwise operations may be the same array. A backend
 * instance is not thread-safe: use one per training loop.
 *
 * <p>Numerical contract: GEMM results are bit-identical across backends (see
 * {@link org.gimvi.engine.kernels.Gemm}); other kernels agree within the tolerances documented on
 * each method, and every backend is deterministic for any thread count.
 */
public interface ComputeBackend {

    String name();

    // ------------------------------------------------------------------ buffers

    /** A zero-filled rows×cols matrix owned by this backend. */
    FMatrixRMaj allocate(int rows, int cols);

    /** Makes the host contents of {@code m} visible to the backend (no-op on CPU backends). */
    default void upload(FMatrixRMaj m) {
    }

    /** Makes the backend's contents of {@code m} visible on the host (no-op on CPU backends). */
    default void download(FMatrixRMaj m) {
    }

    // ------------------------------------------------------------------ GEMM

    /**
     * General product {@code c = init + op(a)·op(b)}: op transposes when the flag is set; init is c
     * (accumulate), the row vector bias (length = c's columns, may be null), or zero.
     */
    void gemm(boolean transA, boolean transB, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c,
              float[] bias, boolean accumulate);

    /** c = a·b */
    default void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(false, false, a, b, c, null, false);
    }

    /** c = a·b + 1·biasᵀ (a Linear layer's forward pass). */
    default void multBias(FMatrixRMaj a, FMatrixRMaj b, float[] bias, FMatrixRMaj c) {
        gemm(false, false, a, b, c, bias, false);
    }

    /** c += a·b */
    default void multAdd(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(false, false, a, b, c, null, true);
    }

    /** c = aᵀ·b */
    default void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(true, false, a, b, c, null, false);
    }

    /** c += aᵀ·b (weight gradients). */
    default void multAddTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(true, false, a, b, c, null, true);
    }

    /** c = a·bᵀ (input gradients). */
    default void multTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(false, true, a, b, c, null, false);
    }

    /** c += a·bᵀ */
    default void multAddTransB(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        gemm(false, true, a, b, c, null, true);
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

    /** y[i][j] = x[i][j] + v[i]: adds one value to each row (y may alias x). */
    void addToRows(FMatrixRMaj x, float[] v, FMatrixRMaj y);

    /** out = a ⊙ b. */
    void mul(float[] a, float[] b, float[] out, int n);

    /** y = a·x + y. */
    void axpy(float a, float[] x, float[] y, int n);

    /** x = a·x. */
    void scale(float a, float[] x, int n);

    // ------------------------------------------------------------------ reductions

    /** out[j] (+)= Σ_i x[i][j], summed over i in ascending order. */
    void sumCols(FMatrixRMaj x, float[] out, boolean accumulate);

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
    void batchNormTrain(FMatrixRMaj x, float[] gamma, float[] beta, float eps, float momentum,
                        float[] runningMean, float[] runningVar,
                        FMatrixRMaj xhat, float[] batchMean, float[] invStd, FMatrixRMaj y);

    /** Eval-mode BatchNorm1d: y = gamma·(x − runningMean)/sqrt(runningVar + eps) + beta. */
    void batchNormEval(FMatrixRMaj x, float[] gamma, float[] beta, float eps,
                       float[] runningMean, float[] runningVar, FMatrixRMaj y);

    /**
     * Training-mode BatchNorm1d backward: accumulates dGamma, dBeta and writes dx (dx may alias dy).
     */
    void batchNormBackward(FMatrixRMaj xhat, float[] invStd, float[] gamma, FMatrixRMaj dy,
                           float[] dGamma, float[] dBeta, FMatrixRMaj dx);

    // ------------------------------------------------------------------ count likelihoods

    /**
     * Negative binomial log-likelihood (mean μ, inverse dispersion θ) over a rows×cols block, θ per
     * column, with ε = 1e-8 inside the logarithms as in scVI:
     * {@code θ(log(θ+ε) − log(θ+μ+ε)) + x(log(μ+ε) − log(θ+μ+ε)) + lgamma(x+θ) − lgamma(θ) − lgamma(x+1)}.
     * Outputs per element: logp, μ·∂logp/∂μ and θ·∂logp/∂θ (gradients on the log scale, which is
     * how both parameters are produced upstream). Gradient outputs may be null.
     */
    void negBinomial(int rows, int cols, float[] x, float[] mu, float[] theta,
                     float[] logp, float[] muGrad, float[] thetaGrad);

    /**
     * Zero-inflated negative binomial (π = logit of the dropout probability), scVI's formula; as
     * {@link #negBinomial} plus ∂logp/∂π.
     */
    void zeroInflatedNegBinomial(int rows, int cols, float[] x, float[] mu, float[] theta, float[] pi,
                                 float[] logp, float[] muGrad, float[] thetaGrad, float[] piGrad);

    /** Poisson: {@code x·log μ − μ − lgamma(x+1)}; muGrad = x − μ. */
    void poisson(int rows, int cols, float[] x, float[] mu, float[] logp, float[] muGrad);

    /**
     * Gaussian for continuous data (normalised or in-situ intensities): mean μ, variance σ² per column,
     * {@code −½ log(2πσ²) − (x − μ)²/(2σ²)}. Outputs μ·∂logp/∂μ = μ(x − μ)/σ² and σ²·∂logp/∂σ²
     * = −½ + (x − μ)²/(2σ²) (the variance is exp of a free parameter upstream). Gradient outputs may
     * be null.
     */
    void gaussian(int rows, int cols, float[] x, float[] mu, float[] variance, float[] logp, float[] muGrad,
                  float[] varianceGrad);
}
