package org.gimvi.engine.random;

import org.gimvi.engine.kernels.DropoutMasks;

/**
 * The project's one source of randomness: a seeded, splittable generator passed explicitly to
 * whatever needs it. There is no global random state anywhere in gimvi-java.
 *
 * <p>Algorithm: SplitMix64 (Steele, Lea and Flood 2014). Its output is fully specified by this class
 * (not by the JDK), so the same seed gives the same stream on every JDK. {@link #split()} derives an
 * independent child stream, which lets a caller hand each consumer (data shuffling, dropout, latent
 * sampling) its own generator, so adding draws to one consumer never shifts another's stream.
 *
 * <p>Normal variates use Marsaglia's polar method with {@link StrictMath}, again so that results do
 * not depend on the JDK's intrinsics. Not thread-safe: give each thread its own split.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final float INV_2_24 = 1.0f / (1 << 24);
    private static final double INV_2_53 = 1.0 / (1L << 53);

    private long state;
    private double spareNormal;
    private boolean hasSpare;

    public Rng(long seed) {
        this.state = mix64(seed);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Next 64 uniformly distributed bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** An independent generator whose stream is a pure function of this one's state. */
    public Rng split() {
        return new Rng(nextLong() ^ 0x5DEECE66DL);
    }

    /** Uniform int in [0, bound), without modulo bias (Lemire's method). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform double in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * INV_2_53;
    }

    /** Uniform float in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * INV_2_24;
    }

    /**
     * Standard normal variate by Marsaglia's polar method (pairs are cached). It needs only
     * {@link StrictMath#log} and an exact square root: no sin/cos, whose Java fdlibm ports allocate
     * a scratch array per call on recent JDKs (75 KB per training step on JDK 25).
     */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareNormal;
        }
        double u;
        double v;
        double s;
        do {
            u = 2.0 * nextDouble() - 1.0;
            v = 2.0 * nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double factor = StrictMath.sqrt(-2.0 * StrictMath.log(s) / s);
        spareNormal = v * factor;
        hasSpare = true;
        return u * factor;
    }

    /** Fills {@code out[0..n)} with standard normal floats. */
    public void fillGaussian(float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = (float) nextGaussian();
        }
    }

    /** Fills {@code out[0..n)} with uniform floats in [lo, hi). */
    public void fillUniform(float[] out, int n, float lo, float hi) {
        fillUniform(out, 0, n, lo, hi);
    }

    /** Fills {@code out[off..off+n)} with uniform floats in [lo, hi) (a tensor inside a parameter arena). */
    public void fillUniform(float[] out, int off, int n, float lo, float hi) {
        float width = hi - lo;
        for (int i = off; i < off + n; i++) {
            out[i] = lo + width * nextFloat();
        }
    }

    /**
     * Bernoulli keep-mask for inverted dropout: {@code mask[i] = 1/(1-p)} with probability 1-p, else 0.
     * One 64-bit draw keys the whole mask ({@link DropoutMasks}), which keeps the hottest random call
     * of training vectorised.
     */
    public void fillDropoutMask(float[] mask, int n, float p) {
        if (p <= 0f) {
            java.util.Arrays.fill(mask, 0, n, 1f);
            return;
        }
        DropoutMasks.fill(mask, n, p, nextLong());
    }

    /** In-place Fisher–Yates shuffle of {@code a[0..n)}. */
    public void shuffle(int[] a, int n) {
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A random permutation of 0..n-1. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, n);
        return p;
    }
}
