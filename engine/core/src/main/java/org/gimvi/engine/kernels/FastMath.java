package org.gimvi.engine.kernels;

/**
 * Float32 elementary and special functions built only from IEEE add, multiply, fused multiply-add,
 * divide and bit manipulation — the scalar twins of {@link VectorMath}.
 *
 * <p>Why not {@link Math#exp}: the Vector API's own transcendental operators may return a different
 * last bit in interpreted and in compiled code, which would make training results depend on JIT
 * timing. Every operation used here is exactly rounded by the Java language, so this class and its
 * vector twin give bit-identical results on every JVM, in every mode, for every lane. The SIMD backend
 * uses this class for loop tails, so a vector lane and a tail element never differ.
 *
 * <p>Accuracy against double precision (measured by {@code FastMathAccuracyTest}):
 * exp and log within 2 ulp; lgamma error below 4e-6 (absolute, or relative where |lgamma| &gt; 1) for x in (0, 8) and relative error
 * below 4e-7 for x ≥ 8; digamma absolute error below 1e-6 for x in (0, 10⁶].
 */
public final class FastMath {
    private FastMath() {
    }

    // exp: x = n·ln2 + r, |r| ≤ ln2/2, Cephes minimax polynomial for e^r.
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude &lt; 2^22 to an integer held in the low bits. */
    static final float ROUND_MAGIC = 12582912f;
    static final int ROUND_MAGIC_BITS = 0x4B400000;
    static final float EXP_HI = 88.7228317f;
    static final float EXP_LO = -87.3365448f;
    static final float EXP_P0 = 1.9875691500e-4f;
    static final float EXP_P1 = 1.3981999507e-3f;
    static final float EXP_P2 = 8.3334519073e-3f;
    static final float EXP_P3 = 4.1665795894e-2f;
    static final float EXP_P4 = 1.6666665459e-1f;
    static final float EXP_P5 = 5.0000001201e-1f;

    // log: x = m·2^e, m in [√½, √2), Cephes polynomial for log(1+f).
    static final float SQRT_HALF = 0.707106781186547524f;
    static final float LOG_P0 = 7.0376836292e-2f;
    static final float LOG_P1 = -1.1514610310e-1f;
    static final float LOG_P2 = 1.1676998740e-1f;
    static final float LOG_P3 = -1.2420140846e-1f;
    static final float LOG_P4 = 1.4249322787e-1f;
    static final float LOG_P5 = -1.6668057665e-1f;
    static final float LOG_P6 = 2.0000714765e-1f;
    static final float LOG_P7 = -2.4999993993e-1f;
    static final float LOG_P8 = 3.3333331174e-1f;
    static final float MIN_NORMAL = Float.MIN_NORMAL;
    static final float TWO_POW_23 = 8388608f;

    // lgamma: shift below 8, then Stirling; digamma: shift below 6, then the asymptotic series.
    static final float HALF_LOG_2PI = 0.918938533f;
    static final float LGAMMA_SHIFT_BELOW = 8f;
    static final float DIGAMMA_SHIFT_BELOW = 6f;

    /** e^x, with +∞ above 88.72 and 0 below −87.34 (no subnormal results). */
    public static float exp(float x) {
        if (x != x) {
            return x;
        }
        if (x > EXP_HI) {
            return Float.POSITIVE_INFINITY;
        }
        if (x < EXP_LO) {
            return 0f;
        }
        float t = Math.fma(x, LOG2E, ROUND_MAGIC);
        int n = Float.floatToRawIntBits(t) - ROUND_MAGIC_BITS;
        float nf = t - ROUND_MAGIC;
        float r = Math.fma(nf, -LN2_HI, x);
        r = Math.fma(nf, -LN2_LO, r);
        float p = EXP_P0;
        p = Math.fma(p, r, EXP_P1);
        p = Math.fma(p, r, EXP_P2);
        p = Math.fma(p, r, EXP_P3);
        p = Math.fma(p, r, EXP_P4);
        p = Math.fma(p, r, EXP_P5);
        float y = Math.fma(p, r * r, r) + 1f;
        // 2^n split in two factors so that n = 128 (x just below EXP_HI) does not overflow the exponent.
        int n1 = n >> 1;
        return y * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n - n1 + 127) << 23);
    }

    /** Natural logarithm: −∞ at 0, NaN below 0, exact handling of subnormal inputs. */
    public static float log(float x) {
        if (!(x > 0f)) {
            return x == 0f ? Float.NEGATIVE_INFINITY : Float.NaN;
        }
        if (x == Float.POSITIVE_INFINITY) {
            return x;
        }
        float e = 0f;
        if (x < MIN_NORMAL) {
            x *= TWO_POW_23;
            e = -23f;
        }
        int bits = Float.floatToRawIntBits(x);
        e += ((bits >>> 23) & 0xFF) - 126;
        float m = Float.intBitsToFloat((bits & 0x807FFFFF) | 0x3F000000); // in [0.5, 1)
        if (m < SQRT_HALF) {
            e -= 1f;
            m = m + m - 1f;
        } else {
            m = m - 1f;
        }
        float z = m * m;
        float y = LOG_P0;
        y = Math.fma(y, m, LOG_P1);
        y = Math.fma(y, m, LOG_P2);
        y = Math.fma(y, m, LOG_P3);
        y = Math.fma(y, m, LOG_P4);
        y = Math.fma(y, m, LOG_P5);
        y = Math.fma(y, m, LOG_P6);
        y = Math.fma(y, m, LOG_P7);
        y = Math.fma(y, m, LOG_P8);
        y = y * m * z;
        y = Math.fma(e, LN2_LO, y);
        y = Math.fma(-0.5f, z, y);
        return Math.fma(e, LN2_HI, m + y);
    }

    /** log(1 + x), accurate for small x (Goldberg's trick: log(u)·x/(u−1) with u = 1 + x). */
    public static float log1p(float x) {
        float u = 1f + x;
        if (u == 1f) {
            return x;
        }
        if (u == Float.POSITIVE_INFINITY) {
            return u;
        }
        return log(u) * (x / (u - 1f));
    }

    /** log(1 + e^t) without overflow. */
    public static float softplus(float t) {
        return Math.max(t, 0f) + log1p(exp(-Math.abs(t)));
    }

    /** 1 / (1 + e^−t). */
    public static float sigmoid(float t) {
        return 1f / (1f + exp(-t));
    }

    /**
     * log Γ(x) for x &gt; 0. Below 8 the argument is shifted, log Γ(x) = log Γ(x+8) − log ∏(x+i),
     * so Stirling's series (4 terms, truncation error &lt; 3e-10 at 8) always applies.
     */
    public static float lgamma(float x) {
        float y = x;
        float prod = 1f;
        if (x < LGAMMA_SHIFT_BELOW) {
            prod = x * (x + 1f) * (x + 2f) * (x + 3f) * (x + 4f) * (x + 5f) * (x + 6f) * (x + 7f);
            y = x + 8f;
        }
        float inv = 1f / y;
        float inv2 = inv * inv;
        float series = inv * Math.fma(inv2, Math.fma(inv2, 1f / 1260f, -1f / 360f), 1f / 12f);
        float logY = log(y);
        float result = Math.fma(y - 0.5f, logY, HALF_LOG_2PI - y) + series;
        return result - log(prod);
    }

    /**
     * ψ(x) for x &gt; 0. Below 6 the argument is shifted, ψ(x) = ψ(x+6) − Σ 1/(x+i), then the
     * asymptotic series (truncation error &lt; 2e-10 at 6).
     */
    public static float digamma(float x) {
        float y = x;
        float correction = 0f;
        if (x < DIGAMMA_SHIFT_BELOW) {
            correction = 1f / x + 1f / (x + 1f) + 1f / (x + 2f) + 1f / (x + 3f) + 1f / (x + 4f) + 1f / (x + 5f);
            y = x + 6f;
        }
        float inv = 1f / y;
        float inv2 = inv * inv;
        float series = inv2 * Math.fma(inv2, Math.fma(inv2, Math.fma(inv2, -1f / 240f, 1f / 252f), -1f / 120f), 1f / 12f);
        return log(y) - 0.5f * inv - series - correction;
    }
}
