package org.gimvi.engine.kernels;

import static org.gimvi.engine.kernels.FastMath.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.gimvi.engine.matrix.NonZeroEntries;

/**
 * Vector API versions of {@link FastMath} over arrays, operation for operation, so that every lane
 * equals the scalar function bit for bit. Outputs may alias inputs.
 *
 * <p>Design rule, learned the hard way on JDK 17: <b>no vector value crosses a method call.</b>
 * A helper taking or returning a {@code FloatVector} is inlined or not depending on its bytecode size
 * (C2's FreqInlineSize is 325; {@code log} alone is 327) and on whether it was already compiled
 * elsewhere (InlineSmallCode); when it is not, every call boxes its vectors — measured at 44 KB per
 * gimVI training step. So each function below is one loop with its math written in the body, and the
 * composite functions (log1p, softplus, sigmoid, lgamma, digamma) are chains of such passes through
 * per-thread scratch arrays. Special lanes (overflow, zero, NaN, …) are recomputed afterwards from the
 * arrays by the scalar twin.
 */
public final class VectorMath {
    private VectorMath() {
    }

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int L = F.length();

    /** Largest x whose result needs only one power-of-two factor (n ≤ 127). */
    static final float EXP_HI_ONE_FACTOR = 88.3762626647949f;
    private static final int SQRT_HALF_BITS = 0x3F3504F3;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    /** Grow-only per-thread scratch (allocation-free once grown; lengths vary with non-zero counts, see {@link ScratchCapacity}). */
    static float[][] scratch(int n) {
        float[][] s = SCRATCH.get();
        if (s[0].length < n) {
            int capacity = ScratchCapacity.grown(s[0].length, n);
            for (int k = 0; k < s.length; k++) {
                s[k] = new float[capacity];
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ exp

    /** y = e^x. */
    public static void exp(float[] x, float[] y, int n) {
        exp(x, 0, y, 0, n);
    }

    /** y[yOff + i] = e^x[xOff + i] (one row of a block, say). */
    public static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            FloatVector xc = xv.lanewise(VectorOperators.MAX, EXP_LO).lanewise(VectorOperators.MIN, EXP_HI_ONE_FACTOR);
            FloatVector t = xc.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUND_MAGIC));
            IntVector nInt = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
            FloatVector nf = t.sub(ROUND_MAGIC);
            FloatVector r = nf.fma(FloatVector.broadcast(F, -LN2_HI), xc);
            r = nf.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector p = FloatVector.broadcast(F, EXP_P0);
            p = p.fma(r, FloatVector.broadcast(F, EXP_P1));
            p = p.fma(r, FloatVector.broadcast(F, EXP_P2));
            p = p.fma(r, FloatVector.broadcast(F, EXP_P3));
            p = p.fma(r, FloatVector.broadcast(F, EXP_P4));
            p = p.fma(r, FloatVector.broadcast(F, EXP_P5));
            FloatVector yv = p.fma(r.mul(r), r).add(1f);
            // 2^n as one factor: exact, and equal to the scalar twin's two factors for every result
            FloatVector scale = nInt.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            boolean special = xv.compare(VectorOperators.NE, xc).anyTrue();
            if (special) {
                xv.intoArray(scratchLanes(), 0); // saved before y (which may alias x) is written
            }
            yv.mul(scale).intoArray(y, yOff + i);
            if (special) {
                float[] saved = scratchLanes();
                for (int l = 0; l < L; l++) {
                    float v = saved[l];
                    if (!(v >= EXP_LO && v <= EXP_HI_ONE_FACTOR)) {
                        y[yOff + i + l] = FastMath.exp(v);
                    }
                }
            }
        }
        for (; i < n; i++) {
            y[yOff + i] = FastMath.exp(x[xOff + i]);
        }
    }

    // ------------------------------------------------------------------ log

    /**
     * y = ln x. The reduction adds an offset to the bits so that the mantissa lands in [√½, √2) without
     * a comparison; it yields exactly the scalar twin's reduced argument g − 1 (exact by Sterbenz) and
     * exponent, so the two agree bit for bit.
     */
    public static void log(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            IntVector bits = xv.reinterpretAsInts().add(0x3F800000 - SQRT_HALF_BITS);
            IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).sub(127);
            // int → float without a conversion instruction: (e + 1.5·2^23 bits) − 1.5·2^23, exact for |e| < 2^22
            FloatVector e = exponent.add(ROUND_MAGIC_BITS).reinterpretAsFloats().sub(ROUND_MAGIC);
            FloatVector m = bits.and(0x007FFFFF).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
            FloatVector z = m.mul(m);
            FloatVector p = FloatVector.broadcast(F, LOG_P0);
            p = p.fma(m, FloatVector.broadcast(F, LOG_P1));
            p = p.fma(m, FloatVector.broadcast(F, LOG_P2));
            p = p.fma(m, FloatVector.broadcast(F, LOG_P3));
            p = p.fma(m, FloatVector.broadcast(F, LOG_P4));
            p = p.fma(m, FloatVector.broadcast(F, LOG_P5));
            p = p.fma(m, FloatVector.broadcast(F, LOG_P6));
            p = p.fma(m, FloatVector.broadcast(F, LOG_P7));
            p = p.fma(m, FloatVector.broadcast(F, LOG_P8));
            p = p.mul(m).mul(z);
            p = e.fma(FloatVector.broadcast(F, LN2_LO), p);
            p = z.fma(FloatVector.broadcast(F, -0.5f), p);
            // normal, finite, positive ⇔ MIN_NORMAL ≤ x < ∞ (false for NaN)
            VectorMask<Float> ok = xv.compare(VectorOperators.GE, MIN_NORMAL)
                    .and(xv.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
            boolean special = !ok.allTrue();
            if (special) {
                xv.intoArray(scratchLanes(), 0);
            }
            e.fma(FloatVector.broadcast(F, LN2_HI), m.add(p)).intoArray(y, i);
            if (special) {
                float[] saved = scratchLanes();
                for (int l = 0; l < L; l++) {
                    float v = saved[l];
                    if (!(v >= MIN_NORMAL && v < Float.POSITIVE_INFINITY)) {
                        y[i + l] = FastMath.log(v);
                    }
                }
            }
        }
        for (; i < n; i++) {
            y[i] = FastMath.log(x[i]);
        }
    }

    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);

    private static float[] scratchLanes() {
        return LANES.get();
    }

    // ------------------------------------------------------------------ composites (passes)

    /** y = log(1 + x): u = 1 + x; log u; then log(u)·x/(u − 1) (Goldberg), with the exact cases. */
    public static void log1p(float[] x, float[] y, int n) {
        float[] u = scratch(n)[0];
        float[] logU = scratch(n)[1];
        addConstant(x, 1f, u, n);
        log(u, logU, n);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            FloatVector uv = FloatVector.fromArray(F, u, i);
            VectorMask<Float> exact = uv.compare(VectorOperators.EQ, 1f);
            VectorMask<Float> inf = uv.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY);
            FloatVector denom = uv.sub(1f).blend(1f, exact);
            FloatVector result = FloatVector.fromArray(F, logU, i).mul(xv.div(denom));
            result.blend(xv, exact).blend(uv, inf).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = FastMath.log1p(x[i]);
        }
    }

    /** softplus(x) = max(x, 0) + log1p(exp(−|x|)). */
    public static void softplus(float[] x, float[] y, int n) {
        float[] e = scratch(n)[2];
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, i).lanewise(VectorOperators.ABS).neg().intoArray(e, i);
        }
        for (; i < n; i++) {
            e[i] = -Math.abs(x[i]);
        }
        exp(e, e, n);
        log1p(e, e, n);
        i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, i).lanewise(VectorOperators.MAX, 0f).add(FloatVector.fromArray(F, e, i))
                    .intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = Math.max(x[i], 0f) + e[i];
        }
    }

    /** sigmoid(x) = 1 / (1 + exp(−x)). */
    public static void sigmoid(float[] x, float[] y, int n) {
        float[] e = scratch(n)[2];
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, i).neg().intoArray(e, i);
        }
        for (; i < n; i++) {
            e[i] = -x[i];
        }
        exp(e, e, n);
        i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.broadcast(F, 1f).div(FloatVector.fromArray(F, e, i).add(1f)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = 1f / (1f + e[i]);
        }
    }

    /** lgamma: shift below 8 with the product of the shifts; log of both; Stirling. */
    public static void lgamma(float[] x, float[] y, int n) {
        float[][] s = scratch(n);
        float[] shifted = s[0];
        float[] logProd = s[1];
        float[] logShifted = s[2];
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            VectorMask<Float> shift = xv.compare(VectorOperators.LT, LGAMMA_SHIFT_BELOW);
            FloatVector prod = xv.mul(xv.add(1f)).mul(xv.add(2f)).mul(xv.add(3f)).mul(xv.add(4f))
                    .mul(xv.add(5f)).mul(xv.add(6f)).mul(xv.add(7f));
            FloatVector.broadcast(F, 1f).blend(prod, shift).intoArray(logProd, i);
            xv.blend(xv.add(8f), shift).intoArray(shifted, i);
        }
        for (; i < n; i++) {
            float v = x[i];
            boolean shift = v < LGAMMA_SHIFT_BELOW;
            logProd[i] = shift ? v * (v + 1f) * (v + 2f) * (v + 3f) * (v + 4f) * (v + 5f) * (v + 6f) * (v + 7f) : 1f;
            shifted[i] = shift ? v + 8f : v;
        }
        log(logProd, logProd, n);
        log(shifted, logShifted, n);
        i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(F, shifted, i);
            FloatVector inv = FloatVector.broadcast(F, 1f).div(yv);
            FloatVector inv2 = inv.mul(inv);
            FloatVector inner = inv2.fma(FloatVector.broadcast(F, 1f / 1260f), FloatVector.broadcast(F, -1f / 360f));
            FloatVector series = inv.mul(inv2.fma(inner, FloatVector.broadcast(F, 1f / 12f)));
            yv.sub(0.5f).fma(FloatVector.fromArray(F, logShifted, i), FloatVector.broadcast(F, HALF_LOG_2PI).sub(yv))
                    .add(series).sub(FloatVector.fromArray(F, logProd, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            float yv = shifted[i];
            float inv = 1f / yv;
            float inv2 = inv * inv;
            float series = inv * Math.fma(inv2, Math.fma(inv2, 1f / 1260f, -1f / 360f), 1f / 12f);
            y[i] = Math.fma(yv - 0.5f, logShifted[i], HALF_LOG_2PI - yv) + series - logProd[i];
        }
    }

    /** ψ: shift below 6 with the sum of reciprocals; log; asymptotic series. */
    public static void digamma(float[] x, float[] y, int n) {
        float[][] s = scratch(n);
        float[] shifted = s[0];
        float[] correction = s[1];
        float[] logShifted = s[2];
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            VectorMask<Float> shift = xv.compare(VectorOperators.LT, DIGAMMA_SHIFT_BELOW);
            FloatVector one = FloatVector.broadcast(F, 1f);
            FloatVector corr = one.div(xv).add(one.div(xv.add(1f))).add(one.div(xv.add(2f)))
                    .add(one.div(xv.add(3f))).add(one.div(xv.add(4f))).add(one.div(xv.add(5f)));
            FloatVector.zero(F).blend(corr, shift).intoArray(correction, i);
            xv.blend(xv.add(6f), shift).intoArray(shifted, i);
        }
        for (; i < n; i++) {
            float v = x[i];
            boolean shift = v < DIGAMMA_SHIFT_BELOW;
            correction[i] = shift
                    ? 1f / v + 1f / (v + 1f) + 1f / (v + 2f) + 1f / (v + 3f) + 1f / (v + 4f) + 1f / (v + 5f) : 0f;
            shifted[i] = shift ? v + 6f : v;
        }
        log(shifted, logShifted, n);
        i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(F, shifted, i);
            FloatVector inv = FloatVector.broadcast(F, 1f).div(yv);
            FloatVector inv2 = inv.mul(inv);
            FloatVector a = inv2.fma(FloatVector.broadcast(F, -1f / 240f), FloatVector.broadcast(F, 1f / 252f));
            FloatVector b = inv2.fma(a, FloatVector.broadcast(F, -1f / 120f));
            FloatVector series = inv2.mul(inv2.fma(b, FloatVector.broadcast(F, 1f / 12f)));
            FloatVector.fromArray(F, logShifted, i).sub(inv.mul(0.5f)).sub(series)
                    .sub(FloatVector.fromArray(F, correction, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            float yv = shifted[i];
            float inv = 1f / yv;
            float inv2 = inv * inv;
            float series = inv2 * Math.fma(inv2, Math.fma(inv2, Math.fma(inv2, -1f / 240f, 1f / 252f), -1f / 120f), 1f / 12f);
            y[i] = logShifted[i] - 0.5f * inv - series - correction[i];
        }
    }

    private static void addConstant(float[] x, float c, float[] out, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, x, i).add(c).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = x[i] + c;
        }
    }

    /** Entries of x[off, off + n) that are not ±0: one mask population count per vector. */
    public static int countNonZeros(float[] x, int off, int n) {
        int k = 0;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            k += FloatVector.fromArray(F, x, off + i).compare(VectorOperators.NE, 0f).trueCount();
        }
        for (; i < n; i++) {
            k += NonZeroEntries.nonZero(x[off + i]);
        }
        return k;
    }
}
