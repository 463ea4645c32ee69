package org.gimvi.engine.kernels;

import static org.gimvi.engine.kernels.FastMath.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of {@link FastMath}, operation for operation, so that every lane equals the
 * scalar function bit for bit. The array methods process whole vectors and hand the tail to
 * {@link FastMath}. Inputs and outputs may be the same array.
 *
 * <p>The species is a {@code static final} constant: passing a species around defeats C2's
 * intrinsification (measured 27× slower, see java-stack.md).
 */
public final class VectorMath {
    private VectorMath() {
    }

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int L = F.length();

    // ---------------------------------------------------------------- vector-level functions

    /** Largest x whose result needs only one power-of-two factor (n ≤ 127). */
    static final float EXP_HI_ONE_FACTOR = 88.3762626647949f;
    private static final int SQRT_HALF_BITS = 0x3F3504F3;
    /** Rare-path scratch: special lanes are recomputed with the scalar twin. */
    private static final ThreadLocal<float[][]> LANES = ThreadLocal.withInitial(() -> new float[2][L]);

    /**
     * e^x. The main path has no masks or blends (JDK 17 runs those un-intrinsified inside long
     * expressions); lanes outside [−87.34, 88.38] or NaN take a rare path through the scalar twin.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.lanewise(VectorOperators.MAX, EXP_LO).lanewise(VectorOperators.MIN, EXP_HI_ONE_FACTOR);
        FloatVector t = xc.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUND_MAGIC));
        IntVector n = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        FloatVector nf = t.sub(ROUND_MAGIC);
        FloatVector r = nf.fma(FloatVector.broadcast(F, -LN2_HI), xc);
        r = nf.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, EXP_P0);
        p = p.fma(r, FloatVector.broadcast(F, EXP_P1));
        p = p.fma(r, FloatVector.broadcast(F, EXP_P2));
        p = p.fma(r, FloatVector.broadcast(F, EXP_P3));
        p = p.fma(r, FloatVector.broadcast(F, EXP_P4));
        p = p.fma(r, FloatVector.broadcast(F, EXP_P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // 2^n in one factor: exact, and equal to the scalar twin's two factors for every result
        FloatVector scale = n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector result = y.mul(scale);
        if (x.compare(VectorOperators.NE, xc).anyTrue()) {
            return scalarLanes(x, result, true);
        }
        return result;
    }

    /**
     * ln x. The reduction adds an offset to the bits so that the mantissa lands in [√½, √2) without a
     * comparison; it yields exactly the scalar twin's reduced argument g − 1 (exact by Sterbenz) and
     * exponent, so the two agree bit for bit. Zero, negative, subnormal, infinite and NaN inputs take
     * the rare path.
     */
    public static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts().add(0x3F800000 - SQRT_HALF_BITS);
        IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).sub(127);
        // int → float without a conversion instruction: (e + 1.5·2^23 bits) − 1.5·2^23, exact for |e| < 2^22
        FloatVector e = exponent.add(ROUND_MAGIC_BITS).reinterpretAsFloats().sub(ROUND_MAGIC);
        FloatVector m = bits.and(0x007FFFFF).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
        FloatVector z = m.mul(m);
        FloatVector y = FloatVector.broadcast(F, LOG_P0);
        y = y.fma(m, FloatVector.broadcast(F, LOG_P1));
        y = y.fma(m, FloatVector.broadcast(F, LOG_P2));
        y = y.fma(m, FloatVector.broadcast(F, LOG_P3));
        y = y.fma(m, FloatVector.broadcast(F, LOG_P4));
        y = y.fma(m, FloatVector.broadcast(F, LOG_P5));
        y = y.fma(m, FloatVector.broadcast(F, LOG_P6));
        y = y.fma(m, FloatVector.broadcast(F, LOG_P7));
        y = y.fma(m, FloatVector.broadcast(F, LOG_P8));
        y = y.mul(m).mul(z);
        y = e.fma(FloatVector.broadcast(F, LN2_LO), y);
        y = z.fma(FloatVector.broadcast(F, -0.5f), y);
        FloatVector result = e.fma(FloatVector.broadcast(F, LN2_HI), m.add(y));
        // normal, finite, positive ⇔ MIN_NORMAL ≤ x < ∞ (false for NaN)
        VectorMask<Float> ok = x.compare(VectorOperators.GE, MIN_NORMAL)
                .and(x.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
        if (!ok.allTrue()) {
            return scalarLanes(x, result, false);
        }
        return result;
    }

    /** Rare path: recompute the special lanes with the scalar twin (no allocation). */
    private static FloatVector scalarLanes(FloatVector x, FloatVector result, boolean exp) {
        float[][] lanes = LANES.get();
        x.intoArray(lanes[0], 0);
        result.intoArray(lanes[1], 0);
        for (int l = 0; l < L; l++) {
            float v = lanes[0][l];
            if (exp) {
                if (!(v >= EXP_LO && v <= EXP_HI_ONE_FACTOR)) {
                    lanes[1][l] = FastMath.exp(v);
                }
            } else if (!(v >= MIN_NORMAL && v < Float.POSITIVE_INFINITY)) {
                lanes[1][l] = FastMath.log(v);
            }
        }
        return FloatVector.fromArray(F, lanes[1], 0);
    }

    public static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f);
        VectorMask<Float> exact = u.compare(VectorOperators.EQ, 1f);
        VectorMask<Float> inf = u.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY);
        FloatVector denom = u.sub(1f).blend(1f, exact);
        FloatVector result = log(u).mul(x.div(denom));
        result = result.blend(x, exact);
        return result.blend(u, inf);
    }

    public static FloatVector softplus(FloatVector t) {
        FloatVector negAbs = t.lanewise(VectorOperators.ABS).neg();
        return t.lanewise(VectorOperators.MAX, 0f).add(log1p(exp(negAbs)));
    }

    public static FloatVector sigmoid(FloatVector t) {
        return FloatVector.broadcast(F, 1f).div(exp(t.neg()).add(1f));
    }

    public static FloatVector lgamma(FloatVector x) {
        VectorMask<Float> shift = x.compare(VectorOperators.LT, LGAMMA_SHIFT_BELOW);
        FloatVector prod = x.mul(x.add(1f)).mul(x.add(2f)).mul(x.add(3f)).mul(x.add(4f))
                .mul(x.add(5f)).mul(x.add(6f)).mul(x.add(7f));
        prod = FloatVector.broadcast(F, 1f).blend(prod, shift);
        FloatVector y = x.blend(x.add(8f), shift);
        FloatVector inv = FloatVector.broadcast(F, 1f).div(y);
        FloatVector inv2 = inv.mul(inv);
        FloatVector series = inv.mul(inv2.fma(inv2.fma(1f / 1260f, -1f / 360f), FloatVector.broadcast(F, 1f / 12f)));
        FloatVector logY = log(y);
        FloatVector result = y.sub(0.5f).fma(logY, FloatVector.broadcast(F, HALF_LOG_2PI).sub(y)).add(series);
        return result.sub(log(prod));
    }

    public static FloatVector digamma(FloatVector x) {
        VectorMask<Float> shift = x.compare(VectorOperators.LT, DIGAMMA_SHIFT_BELOW);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector correction = one.div(x).add(one.div(x.add(1f))).add(one.div(x.add(2f)))
                .add(one.div(x.add(3f))).add(one.div(x.add(4f))).add(one.div(x.add(5f)));
        correction = FloatVector.zero(F).blend(correction, shift);
        FloatVector y = x.blend(x.add(6f), shift);
        FloatVector inv = one.div(y);
        FloatVector inv2 = inv.mul(inv);
        FloatVector series = inv2.mul(inv2.fma(inv2.fma(inv2.fma(-1f / 240f, 1f / 252f), FloatVector.broadcast(F, -1f / 120f)),
                FloatVector.broadcast(F, 1f / 12f)));
        return log(y).sub(inv.mul(0.5f)).sub(series).sub(correction);
    }

    // ---------------------------------------------------------------- array-level functions

    public static void exp(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            exp(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = FastMath.exp(x[i]);
        }
    }

    public static void log(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            log(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = FastMath.log(x[i]);
        }
    }

    public static void log1p(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            log1p(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = FastMath.log1p(x[i]);
        }
    }

    public static void softplus(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            softplus(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = FastMath.softplus(x[i]);
        }
    }

    public static void sigmoid(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            sigmoid(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = FastMath.sigmoid(x[i]);
        }
    }

    public static void lgamma(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            lgamma(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = FastMath.lgamma(x[i]);
        }
    }

    public static void digamma(float[] x, float[] y, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            digamma(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = FastMath.digamma(x[i]);
        }
    }
}
