package org.gimvi.engine.opencl;

import com.aparapi.Kernel;

/**
 * Float special functions for kernels, written with the OpenCL built-ins that Aparapi maps
 * ({@code log}, {@code exp}, {@code log1p}, {@code fma}). The algorithms are those of the CPU float
 * kernels ({@link org.gimvi.engine.kernels.FastMath}): lgamma shifts its argument above 8 and applies
 * Stirling's series, digamma shifts above 6 and applies the asymptotic series. The built-ins are
 * accurate to a few ulp rather than bit-identical to FastMath, so results agree with the scalar
 * reference within the tolerances of the CPU float kernels.
 *
 * <p>A base class rather than a helper: Aparapi translates calls to the kernel's own (inherited)
 * methods into OpenCL functions.
 */
abstract class DeviceMath extends Kernel {
    static final float HALF_LOG_2PI = 0.918938533f;

    float lgammaF(float x) {
        float y = x;
        float prod = 1f;
        if (x < 8f) {
            prod = x * (x + 1f) * (x + 2f) * (x + 3f) * (x + 4f) * (x + 5f) * (x + 6f) * (x + 7f);
            y = x + 8f;
        }
        float inv = 1f / y;
        float inv2 = inv * inv;
        float series = inv * fma(inv2, fma(inv2, 1f / 1260f, -1f / 360f), 1f / 12f);
        return fma(y - 0.5f, log(y), HALF_LOG_2PI - y) + series - log(prod);
    }

    float digammaF(float x) {
        float y = x;
        float correction = 0f;
        if (x < 6f) {
            correction = 1f / x + 1f / (x + 1f) + 1f / (x + 2f) + 1f / (x + 3f) + 1f / (x + 4f) + 1f / (x + 5f);
            y = x + 6f;
        }
        float inv = 1f / y;
        float inv2 = inv * inv;
        float series = inv2 * fma(inv2, fma(inv2, fma(inv2, -1f / 240f, 1f / 252f), -1f / 120f), 1f / 12f);
        return log(y) - 0.5f * inv - series - correction;
    }

    float softplusF(float t) {
        return max(t, 0f) + log1p(exp(-abs(t)));
    }

    float sigmoidF(float t) {
        return 1f / (1f + exp(-t));
    }
}
