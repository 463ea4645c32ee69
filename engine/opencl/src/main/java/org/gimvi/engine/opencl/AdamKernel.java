package org.gimvi.engine.opencl;

import com.aparapi.Kernel;

/**
 * One Adam step over a parameter tensor, one work item per element: {@link
 * org.gimvi.engine.kernels.AdamUpdate}'s definition (L2 weight decay added to the gradient, moments
 * updated in place). OpenCL's float sqrt and division are only required to be within 3 and 2.5 ulp
 * (unless the driver rounds them correctly, as pocl does), and the compiler may contract products
 * into fma, so the device result agrees with the CPU's within a few ulp per step, not bit for bit.
 */
public final class AdamKernel extends Kernel {
    float[] w;
    float[] g;
    float[] m;
    float[] v;
    /** The group's first element: the kernel runs over [off, off + n) of all four arena buffers. */
    int off;
    int n;
    float beta1;
    float beta2;
    float oneMinusBeta1;
    float oneMinusBeta2;
    float stepSize;
    float bc2Sqrt;
    float eps;
    float weightDecay;

    @Override
    public void run() {
        int i = off + getGlobalId(0);
        if (i < off + n) {
            float grad = g[i];
            if (weightDecay != 0f) {
                grad = grad + weightDecay * w[i];
            }
            float mi = beta1 * m[i] + oneMinusBeta1 * grad;
            float vi = beta2 * v[i] + oneMinusBeta2 * grad * grad;
            m[i] = mi;
            v[i] = vi;
            float denom = sqrt(vi) / bc2Sqrt + eps;
            w[i] = w[i] - stepSize * mi / denom;
        }
    }
}
