package org.gimvi.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gimvi.engine.matrix.NonZeroEntries;

/**
 * Float32 count log-likelihoods and their gradients (scVI's formulas, ε = 1e-8) over a row-major
 * cells×genes block, vectorised over the flattened block.
 *
 * <p>Structure: the per-gene θ terms are first broadcast to every element, then the likelihood is
 * computed in short passes (log ratios; lgamma; digamma; combination), each a small method. A single
 * fused loop calling a dozen inlined transcendental functions exceeds C2's inlining budget and then
 * runs part of the Vector API un-intrinsified; short passes compile fully. Flattening also leaves
 * only {@code n mod L} elements to the scalar tail instead of {@code cols mod L} per row.
 *
 * <p>Every pass has a scalar tail with the same operations in the same order (via {@link FastMath}),
 * so an element's result does not depend on its position.
 *
 * <p>Cache blocking: the passes run over chunks of about {@link #CHUNK_ELEMENTS} elements — whole
 * rows when a row is shorter, else segments of one row — all passes on one chunk before the next,
 * so that the dozen scratch
 * arrays and the operands of a chunk stay in the core's L2 cache instead of streaming a block of
 * 128 × 2,000 genes (13 MB of scratch) through memory twenty times. Because an element's result
 * does not depend on its position, the chunked results are the same bits as one pass over the
 * block, and scratch is proportional to the chunk, not to the block ({@link #scratchLength}).
 *
 * <p>Exact rewrites used against float cancellation:
 * <pre>
 *   log(θ+ε) − log(θ+μ+ε) = −log1p(μ/(θ+ε))
 *   log(μ+ε) − log(θ+μ+ε) = −log1p(θ/(μ+ε))
 *   μ·[x/(μ+ε) − (θ+x)/(θ+μ+ε)] = μθ(x − μ')/(μ'(θ+μ')),  μ' = μ + ε
 * </pre>
 * Gradient outputs are on the log scale of μ and θ (μ·∂/∂μ, θ·∂/∂θ) and ∂/∂π for the ZINB logit.
 */
public final class CountLikelihoodKernels {
    private CountLikelihoodKernels() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    static final float EPS = 1e-8f;

    /** Number of scratch arrays (each ≥ {@link #scratchLength} long) the kernels need. */
    public static final int SCRATCH = 14;

    /**
     * Share of non-zero counts in a chunk below which the terms only non-zero counts need (lgamma,
     * digamma, log(μ/(θ+μ))) are computed for those alone, gathered into scratch ({@link
     * #lgammaTerms}). Measured on the ZINB over 128 × 2,000, one thread: even at 50 % zeros, 18 %
     * faster at 80 %, 28 % at 90 % (the gather and scatter are scalar).
     */
    static final float COMPACT_BELOW = 0.35f;

    /** Elements per chunk of rows: 20-odd arrays of 8 KB stay well inside a 1 MB L2 cache. */
    static final int CHUNK_ELEMENTS = 2048;

    /** Rows per chunk for blocks {@code cols} wide (at least one). */
    static int chunkRows(int rows, int cols) {
        return Math.max(1, Math.min(rows, CHUNK_ELEMENTS / Math.max(1, cols)));
    }

    /** Columns per chunk: the whole row, or segments of {@link #CHUNK_ELEMENTS} for longer rows. */
    static int chunkCols(int cols) {
        return Math.min(cols, CHUNK_ELEMENTS);
    }

    /** Length each scratch array needs for a rows×cols block of the NB, ZINB and Gaussian kernels. */
    public static int scratchLength(int rows, int cols) {
        return cols <= CHUNK_ELEMENTS ? chunkRows(rows, cols) * cols : CHUNK_ELEMENTS;
    }

    // scratch slots
    private static final int THETA = 0;
    private static final int RATIO = 1;     // θ/(θ+ε)
    private static final int LG_THETA = 2;  // lgamma θ
    private static final int DG_THETA = 3;  // ψ(θ)
    private static final int LOG_RATIO = 4; // log(θ+ε) − log(θ+μ+ε)
    private static final int LOG_MU_RATIO = 5;
    private static final int LGAMMA = 6;    // lgamma(x+θ) − lgamma θ − lgamma(x+1)
    private static final int DIGAMMA = 7;   // ψ(x+θ) − ψ(θ)
    private static final int TMP = 8;       // temporaries of the passes
    private static final int TMP2 = 9;
    private static final int TMP3 = 10;
    private static final int TMP4 = 11;
    private static final int TMP5 = 12;
    private static final int POSITIONS = 13; // a chunk's non-zero positions (exact as floats: < 2^24)

    /**
     * Broadcasts θ and its per-gene terms of columns [c0, c0 + cols) to every element of a
     * rows×cols chunk.
     */
    static void expandTheta(float[] theta, int c0, int rows, int cols, float[][] s) {
        for (int j = 0; j < cols; j++) {
            float th = theta[c0 + j];
            s[THETA][j] = th;
            s[RATIO][j] = th / (th + EPS);
            s[LG_THETA][j] = FastMath.lgamma(th);
            s[DG_THETA][j] = FastMath.digamma(th);
        }
        for (int k = THETA; k <= DG_THETA; k++) {
            for (int i = 1; i < rows; i++) {
                System.arraycopy(s[k], 0, s[k], i * cols, cols);
            }
        }
    }

    /*
     * The passes below call at most one transcendental helper per loop body: nesting several makes
     * C2 on JDK 17 stop inlining and box vectors at the calls (see VectorMath's scratch note).
     */

    /**
     * LOG_RATIO = −log1p(μ/(θ+ε)) and LOG_MU_RATIO = −log1p(θ/(μ+ε)). With {@code nonZeros ≥ 0}
     * LOG_MU_RATIO, which only multiplies x, is computed for the
     * non-zero counts alone (see {@link #lgammaTerms}) and is −0 at x = 0: θ/(μ+ε) ≥ 0 makes it ≤ −0
     * there too, so 0·LOG_MU_RATIO is −0 either way and every later sum keeps the dense pass's bits.
     */
    static void logRatios(int n, int off, float[] mu, float[][] s, int nonZeros) {
        float[] th = s[THETA];
        float[] lr = s[LOG_RATIO];
        float[] lmr = s[LOG_MU_RATIO];
        int i = 0;
        if (nonZeros >= 0) {
            for (int bound = F.loopBound(n); i < bound; i += L) {
                FloatVector m = FloatVector.fromArray(F, mu, off + i);
                m.div(FloatVector.fromArray(F, th, i).add(EPS)).intoArray(lr, i);
            }
            for (; i < n; i++) {
                lr[i] = mu[off + i] / (th[i] + EPS);
            }
            float[] pos = s[POSITIONS];
            float[] compact = s[TMP];
            for (int k = 0; k < nonZeros; k++) {
                int e = (int) pos[k];
                compact[k] = th[e] / (mu[off + e] + EPS);
            }
            VectorMath.log1p(lr, lr, n);
            VectorMath.log1p(compact, compact, nonZeros);
            negate(lr, n);
            negate(compact, nonZeros);
            Arrays.fill(lmr, 0, n, -0f);
            for (int k = 0; k < nonZeros; k++) {
                lmr[(int) pos[k]] = compact[k];
            }
            return;
        }
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector m = FloatVector.fromArray(F, mu, off + i);
            FloatVector t = FloatVector.fromArray(F, th, i);
            m.div(t.add(EPS)).intoArray(lr, i);
            t.div(m.add(EPS)).intoArray(lmr, i);
        }
        for (; i < n; i++) {
            lr[i] = mu[off + i] / (th[i] + EPS);
            lmr[i] = th[i] / (mu[off + i] + EPS);
        }
        VectorMath.log1p(lr, lr, n);
        VectorMath.log1p(lmr, lmr, n);
        negate(lr, n);
        negate(lmr, n);
    }

    private static void negate(float[] v, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, v, i).neg().intoArray(v, i);
        }
        for (; i < n; i++) {
            v[i] = -v[i];
        }
    }

    /** out[i] = a[aOff + i] + b[i] (+ the constant when b is null). */
    private static void add(float[] a, int aOff, float[] b, float constant, float[] out, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, a, aOff + i);
            (b == null ? v.add(constant) : v.add(FloatVector.fromArray(F, b, i))).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = b == null ? a[aOff + i] + constant : a[aOff + i] + b[i];
        }
    }

    /**
     * Writes the positions i in [0, n) with x[off + i] ≠ 0 (ascending) to POSITIONS; returns their
     * count. Branch-free (a data-dependent branch would mispredict at every density).
     */
    static int nonZeroPositions(int n, int off, float[] x, float[][] s) {
        float[] pos = s[POSITIONS];
        int k = 0;
        for (int i = 0; i < n; i++) {
            pos[k] = i;
            k += NonZeroEntries.nonZero(x[off + i]);
        }
        return k;
    }

    /**
     * LGAMMA = lgamma(x+θ) − lgamma θ − lgamma(x+1). With {@code nonZeros ≥ 0} (the count
     * {@link #nonZeroPositions} left in POSITIONS) the transcendental part runs over the non-zero
     * counts alone, gathered into scratch: at x = 0 the term is exactly (lgamma θ − lgamma θ) −
     * lgamma 1 = 0 − lgamma 1 (x + θ = θ, and the vector lgamma equals the scalar one θ's term was
     * computed with), so every element gets the bits of the dense pass. {@code nonZeros < 0}: the
     * dense pass.
     */
    static void lgammaTerms(int n, int off, float[] x, float[][] s, int nonZeros) {
        float[] xth = s[TMP];
        float[] x1 = s[TMP2];
        float[] lgt = s[LG_THETA];
        float[] out = s[LGAMMA];
        if (nonZeros >= 0) {
            float[] th = s[THETA];
            float[] pos = s[POSITIONS];
            for (int k = 0; k < nonZeros; k++) {
                int i = (int) pos[k];
                float xi = x[off + i];
                xth[k] = xi + th[i];
                x1[k] = xi + 1f;
            }
            VectorMath.lgamma(xth, xth, nonZeros);
            VectorMath.lgamma(x1, x1, nonZeros);
            Arrays.fill(out, 0, n, 0f - FastMath.lgamma(1f));
            for (int k = 0; k < nonZeros; k++) {
                int i = (int) pos[k];
                out[i] = xth[k] - lgt[i] - x1[k];
            }
            return;
        }
        add(x, off, s[THETA], 0f, xth, n);
        add(x, off, null, 1f, x1, n);
        VectorMath.lgamma(xth, xth, n);
        VectorMath.lgamma(x1, x1, n);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, xth, i).sub(FloatVector.fromArray(F, lgt, i)).sub(FloatVector.fromArray(F, x1, i))
                    .intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = xth[i] - lgt[i] - x1[i];
        }
    }

    /** DIGAMMA = ψ(x+θ) − ψ(θ); over the non-zero counts alone as {@link #lgammaTerms} (at x = 0 it is exactly 0). */
    static void digammaTerms(int n, int off, float[] x, float[][] s, int nonZeros) {
        float[] out = s[DIGAMMA];
        float[] dgt = s[DG_THETA];
        if (nonZeros >= 0) {
            float[] th = s[THETA];
            float[] pos = s[POSITIONS];
            float[] xth = s[TMP];
            for (int k = 0; k < nonZeros; k++) {
                int i = (int) pos[k];
                xth[k] = x[off + i] + th[i];
            }
            VectorMath.digamma(xth, xth, nonZeros);
            Arrays.fill(out, 0, n, 0f);
            for (int k = 0; k < nonZeros; k++) {
                int i = (int) pos[k];
                out[i] = xth[k] - dgt[i];
            }
            return;
        }
        add(x, off, s[THETA], 0f, out, n);
        VectorMath.digamma(out, out, n);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, out, i).sub(FloatVector.fromArray(F, dgt, i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = out[i] - dgt[i];
        }
    }

    // ------------------------------------------------------------------ negative binomial

    /**
     * @param off     first element of the block in x, μ, logp and the gradients (scratch and θ
     *                start at 0); results do not depend on it
     * @param theta   per gene (length cols)
     * @param scratch {@link #SCRATCH} arrays of length ≥ {@link #scratchLength}(rows, cols)
     */
    public static void negBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta,
                                   float[][] scratch, float[] logp, float[] muGrad, float[] thetaGrad) {
        negBinomial(rows, cols, off, x, mu, theta, scratch, logp, muGrad, thetaGrad, COMPACT_BELOW);
    }

    /** As above, computing a chunk's lgamma/digamma terms over its non-zero counts below {@code compactBelow} of them. */
    static void negBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta, float[][] scratch,
                            float[] logp, float[] muGrad, float[] thetaGrad, float compactBelow) {
        int chunk = chunkRows(rows, cols);
        int width = chunkCols(cols);
        for (int c0 = 0; c0 < cols; c0 += width) {
            int w = Math.min(width, cols - c0);
            expandTheta(theta, c0, chunk, w, scratch); // the same for every chunk of these columns: read-only below
            for (int r0 = 0; r0 < rows; r0 += chunk) {
                int r = Math.min(chunk, rows - r0);
                // whole rows (w = cols) are contiguous; a segment (chunk = 1) is one row's run
                negBinomialChunk(r * w, off + r0 * cols + c0, x, mu, scratch, logp, muGrad, thetaGrad, compactBelow);
            }
        }
    }

    /** The NB passes over n elements from {@code off}, θ's terms already expanded in the scratch. */
    private static void negBinomialChunk(int n, int off, float[] x, float[] mu, float[][] scratch, float[] logp,
                                         float[] muGrad, float[] thetaGrad, float compactBelow) {
        // a vector count first: the positions (a scalar pass) only where the compacted terms will pay
        int nonZeros = VectorMath.countNonZeros(x, off, n) < compactBelow * n ? nonZeroPositions(n, off, x, scratch) : -1;
        logRatios(n, off, mu, scratch, nonZeros);
        lgammaTerms(n, off, x, scratch, nonZeros);
        if (thetaGrad != null) {
            digammaTerms(n, off, x, scratch, nonZeros);
        }
        nbCombine(n, off, x, mu, scratch, logp, muGrad, thetaGrad);
    }

    private static void nbCombine(int n, int off, float[] x, float[] mu, float[][] s, float[] logp, float[] muGrad,
                                  float[] thetaGrad) {
        float[] th = s[THETA];
        float[] ratio = s[RATIO];
        float[] lr = s[LOG_RATIO];
        float[] lmr = s[LOG_MU_RATIO];
        float[] lg = s[LGAMMA];
        float[] dg = s[DIGAMMA];
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, off + i);
            FloatVector m = FloatVector.fromArray(F, mu, off + i);
            FloatVector t = FloatVector.fromArray(F, th, i);
            FloatVector logRatio = FloatVector.fromArray(F, lr, i);
            t.mul(logRatio).add(xv.mul(FloatVector.fromArray(F, lmr, i))).add(FloatVector.fromArray(F, lg, i))
                    .intoArray(logp, off + i);
            if (muGrad != null) {
                // μθ(x − μ')/(μ'(θ + μ')), μ' = μ + ε (written out: no vector crosses a call)
                FloatVector mp = m.add(EPS);
                m.mul(t).mul(xv.sub(mp)).div(mp.mul(t.add(mp))).intoArray(muGrad, off + i);
            }
            if (thetaGrad != null) {
                FloatVector xthOverThMu = xv.add(t).div(t.add(m).add(EPS));
                FloatVector u = logRatio.add(FloatVector.fromArray(F, ratio, i)).sub(xthOverThMu)
                        .add(FloatVector.fromArray(F, dg, i));
                t.mul(u).intoArray(thetaGrad, off + i);
            }
        }
        for (; i < n; i++) {
            float t = th[i];
            float xi = x[off + i];
            float mi = mu[off + i];
            logp[off + i] = t * lr[i] + xi * lmr[i] + lg[i];
            if (muGrad != null) {
                muGrad[off + i] = muGradient(xi, mi, t);
            }
            if (thetaGrad != null) {
                float xthOverThMu = (xi + t) / (t + mi + EPS);
                thetaGrad[off + i] = t * (lr[i] + ratio[i] - xthOverThMu + dg[i]);
            }
        }
    }

    static float muGradient(float x, float mu, float theta) {
        float mp = mu + EPS;
        return mu * theta * (x - mp) / (mp * (theta + mp));
    }

    // ------------------------------------------------------------------ zero-inflated negative binomial

    /** As {@link #negBinomial}; π is read at the same offset. */
    public static void zeroInflatedNegBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta,
                                               float[] pi, float[][] scratch, float[] logp, float[] muGrad,
                                               float[] thetaGrad, float[] piGrad) {
        zeroInflatedNegBinomial(rows, cols, off, x, mu, theta, pi, scratch, logp, muGrad, thetaGrad, piGrad,
                COMPACT_BELOW);
    }

    /** As above with the compaction threshold of {@link #negBinomial(int, int, int, float[], float[], float[], float[][], float[], float[], float[], float)}. */
    static void zeroInflatedNegBinomial(int rows, int cols, int off, float[] x, float[] mu, float[] theta, float[] pi,
                                        float[][] scratch, float[] logp, float[] muGrad, float[] thetaGrad,
                                        float[] piGrad, float compactBelow) {
        int chunk = chunkRows(rows, cols);
        int width = chunkCols(cols);
        for (int c0 = 0; c0 < cols; c0 += width) {
            int w = Math.min(width, cols - c0);
            expandTheta(theta, c0, chunk, w, scratch);
            for (int r0 = 0; r0 < rows; r0 += chunk) {
                int n = Math.min(chunk, rows - r0) * w;
                int o = off + r0 * cols + c0;
                // the NB terms first (logp of the non-zero branch without −softplus(−π) − π, gradients)
                negBinomialChunk(n, o, x, mu, scratch, logp, muGrad, thetaGrad, compactBelow);
                zinbCombine(n, o, x, mu, pi, scratch, logp, muGrad, thetaGrad, piGrad);
            }
        }
    }

    /**
     * Turns the NB results into ZINB ones. With c = softplus(−π) and a = −π + θ·logRatio:
     * zero counts: logp = softplus(a) − c, gradients scaled by sigmoid(a) through a;
     * non-zero counts: logp = NB − c − π (the −π and θ·logRatio of a), ∂/∂π = sigmoid(−π) − 1.
     */
    private static void zinbCombine(int n, int off, float[] x, float[] mu, float[] pi, float[][] s, float[] logp,
                                     float[] muGrad, float[] thetaGrad, float[] piGrad) {
        float[] th = s[THETA];
        float[] ratio = s[RATIO];
        float[] lr = s[LOG_RATIO];
        // transcendental inputs and outputs, one helper per pass
        float[] negP = s[TMP];
        float[] a = s[TMP2];
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector p = FloatVector.fromArray(F, pi, off + i).neg();
            p.intoArray(negP, i);
            p.add(FloatVector.fromArray(F, th, i).mul(FloatVector.fromArray(F, lr, i))).intoArray(a, i);
        }
        for (; i < n; i++) {
            negP[i] = -pi[off + i];
            a[i] = -pi[off + i] + th[i] * lr[i];
        }
        float[] c = s[TMP3];
        float[] spA = s[TMP4];
        float[] sA = s[TMP5];
        float[] sNegP = s[LGAMMA]; // the lgamma terms are already folded into logp
        VectorMath.softplus(negP, c, n);
        VectorMath.softplus(a, spA, n);
        VectorMath.sigmoid(a, sA, n);
        VectorMath.sigmoid(negP, sNegP, n);
        i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, off + i);
            FloatVector p = FloatVector.fromArray(F, pi, off + i);
            FloatVector cv = FloatVector.fromArray(F, c, i);
            FloatVector sAv = FloatVector.fromArray(F, sA, i);
            FloatVector sNegPv = FloatVector.fromArray(F, sNegP, i);
            var zero = xv.compare(VectorOperators.LT, EPS);
            FloatVector logpZero = FloatVector.fromArray(F, spA, i).sub(cv);
            FloatVector logpNonZero = FloatVector.fromArray(F, logp, off + i).sub(cv).sub(p);
            logpNonZero.blend(logpZero, zero).intoArray(logp, off + i);
            // zero-count gradients computed for every lane and blended in: a branch here would keep
            // vectors alive across an uncommon trap, which JDK 17 pays for by boxing them
            FloatVector t = FloatVector.fromArray(F, th, i);
            FloatVector m = FloatVector.fromArray(F, mu, off + i);
            FloatVector thOverThMu = t.div(t.add(m).add(EPS));
            if (muGrad != null) {
                FloatVector g = FloatVector.fromArray(F, muGrad, off + i);
                g.blend(m.mul(sAv.mul(thOverThMu.neg())), zero).intoArray(muGrad, off + i);
            }
            if (thetaGrad != null) {
                FloatVector g = FloatVector.fromArray(F, thetaGrad, off + i);
                FloatVector gZero = t.mul(sAv.mul(FloatVector.fromArray(F, lr, i)
                        .add(FloatVector.fromArray(F, ratio, i)).sub(thOverThMu)));
                g.blend(gZero, zero).intoArray(thetaGrad, off + i);
            }
            if (piGrad != null) {
                sNegPv.sub(1f).blend(sNegPv.sub(sAv), zero).intoArray(piGrad, off + i);
            }
        }
        for (; i < n; i++) {
            int e = off + i;
            float p = pi[e];
            float t = th[i];
            boolean zero = x[e] < EPS;
            if (zero) {
                logp[e] = spA[i] - c[i];
                float thOverThMu = t / (t + mu[e] + EPS);
                if (muGrad != null) {
                    muGrad[e] = mu[e] * (sA[i] * -thOverThMu);
                }
                if (thetaGrad != null) {
                    thetaGrad[e] = t * (sA[i] * (lr[i] + ratio[i] - thOverThMu));
                }
            } else {
                logp[e] = logp[e] - c[i] - p;
            }
            if (piGrad != null) {
                piGrad[e] = zero ? sNegP[i] - sA[i] : sNegP[i] - 1f;
            }
        }
    }

    // ------------------------------------------------------------------ Poisson

    /**
     * Gaussian: per column the log-normaliser −½log(2πσ²) (one log per column), then arithmetic only.
     * Scratch: THETA holds σ² broadcast, RATIO the per-element normaliser.
     */
    public static void gaussian(int rows, int cols, int off, float[] x, float[] mu, float[] variance, float[][] s,
                                float[] logp, float[] muGrad, float[] varianceGrad) {
        int chunk = chunkRows(rows, cols);
        int width = chunkCols(cols);
        float[] var = s[THETA];
        float[] norm = s[RATIO];
        for (int c0 = 0; c0 < cols; c0 += width) {
            int w = Math.min(width, cols - c0);
            for (int j = 0; j < w; j++) {
                var[j] = variance[c0 + j];
                norm[j] = -0.5f * FastMath.log(TWO_PI * variance[c0 + j]);
            }
            for (int i = 1; i < chunk; i++) {
                System.arraycopy(var, 0, var, i * w, w);
                System.arraycopy(norm, 0, norm, i * w, w);
            }
            for (int r0 = 0; r0 < rows; r0 += chunk) {
                gaussianChunk(Math.min(chunk, rows - r0) * w, off + r0 * cols + c0, x, mu, var, norm, logp, muGrad,
                        varianceGrad);
            }
        }
    }

    private static void gaussianChunk(int n, int off, float[] x, float[] mu, float[] var, float[] norm, float[] logp,
                                      float[] muGrad, float[] varianceGrad) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, var, i);
            FloatVector m = FloatVector.fromArray(F, mu, off + i);
            FloatVector d = FloatVector.fromArray(F, x, off + i).sub(m);
            FloatVector halfSq = d.mul(d).div(v.add(v));
            FloatVector.fromArray(F, norm, i).sub(halfSq).intoArray(logp, off + i);
            if (muGrad != null) {
                m.mul(d).div(v).intoArray(muGrad, off + i);
            }
            if (varianceGrad != null) {
                halfSq.sub(0.5f).intoArray(varianceGrad, off + i);
            }
        }
        for (; i < n; i++) {
            int e = off + i;
            float v = var[i];
            float d = x[e] - mu[e];
            float halfSq = d * d / (v + v);
            logp[e] = norm[i] - halfSq;
            if (muGrad != null) {
                muGrad[e] = mu[e] * d / v;
            }
            if (varianceGrad != null) {
                varianceGrad[e] = halfSq - 0.5f;
            }
        }
    }

    private static final float TWO_PI = (float) (2 * Math.PI);

    /** Poisson in passes: log μ; lgamma(x + 1); combination (x·log μ is 0 where x = 0). */
    public static void poisson(int n, float[] x, float[] mu, float[][] scratch, float[] logp, float[] muGrad) {
        float[] logMu = scratch[TMP];
        float[] lgx = scratch[TMP2];
        VectorMath.log(mu, logMu, n);
        add(x, 0, null, 1f, lgx, n);
        VectorMath.lgamma(lgx, lgx, n);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            FloatVector m = FloatVector.fromArray(F, mu, i);
            FloatVector xlogm = xv.mul(FloatVector.fromArray(F, logMu, i)).blend(0f, xv.compare(VectorOperators.EQ, 0f));
            xlogm.sub(m).sub(FloatVector.fromArray(F, lgx, i)).intoArray(logp, i);
            if (muGrad != null) {
                xv.sub(m).intoArray(muGrad, i);
            }
        }
        for (; i < n; i++) {
            float xv = x[i];
            float m = mu[i];
            float xlogm = xv == 0f ? 0f : xv * logMu[i];
            logp[i] = xlogm - m - lgx[i];
            if (muGrad != null) {
                muGrad[i] = xv - m;
            }
        }
    }
}
