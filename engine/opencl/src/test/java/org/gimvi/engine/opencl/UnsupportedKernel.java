package org.gimvi.engine.opencl;

import com.aparapi.Kernel;

/** A kernel Aparapi cannot translate (it allocates in run()), so Aparapi quietly runs it on Java threads. */
public final class UnsupportedKernel extends Kernel {
    float[] out = new float[4];

    @Override
    public void run() {
        int i = getGlobalId(0);
        float[] scratch = new float[]{i, 1f};
        out[i] = scratch[0] + scratch[1];
    }
}
