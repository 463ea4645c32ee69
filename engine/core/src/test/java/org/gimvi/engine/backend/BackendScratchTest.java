package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The backend's grow-only buffers keep slack (see ScratchCapacity): requests that creep upwards, as
 * sizes set by a minibatch's non-zero count do, reallocate a few times, not once per new record.
 */
class BackendScratchTest {

    @Test
    void risingRequestsReallocateRarely() {
        BackendScratch s = new BackendScratch();
        assertEquals(3, reallocations(s::general));
        assertEquals(3, reallocations(s::columnsA));
        assertEquals(3, reallocations(s::columnsB));
        assertEquals(3, reallocations(n -> s.likelihood(n)[0]));
    }

    /** Requests 1,000 … 2,000 one by one: new arrays at 1,000, 1,001 and 1,501 (capacities 1,000, 1,500, 2,250). */
    private static int reallocations(IntFunction<float[]> request) {
        int count = 0;
        float[] last = null;
        for (int n = 1_000; n <= 2_000; n++) {
            float[] a = request.apply(n);
            if (a != last) {
                count++;
                last = a;
            }
        }
        return count;
    }
}
