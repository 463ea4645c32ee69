package org.gimvi.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Grow-only scratch keeps slack, so lengths that vary with the data stop reallocating. */
class ScratchCapacityTest {

    @Test
    void growsToWhatIsNeededOrByHalfWhicheverIsMore() {
        assertEquals(5, ScratchCapacity.grown(0, 5));
        assertEquals(150, ScratchCapacity.grown(100, 101));
        assertEquals(400, ScratchCapacity.grown(100, 400));
        assertTrue(ScratchCapacity.grown(Integer.MAX_VALUE / 2 + 10, Integer.MAX_VALUE / 2 + 11) > 0, "no overflow");
    }

    /**
     * A minibatch's non-zero count sets a new record now and then (here: every request one more than
     * the last, the worst case); with exact growth each record reallocated the scratch.
     */
    @Test
    void risingRecordsReallocateTheVectorMathScratchRarely() {
        int[] reallocations = {0};
        Thread t = new Thread(() -> { // a fresh thread: its scratch starts empty whatever ran before
            float[] last = null;
            for (int n = 24_000; n <= 40_000; n++) {
                float[] s = VectorMath.scratch(n)[0];
                if (s != last) {
                    reallocations[0]++;
                    last = s;
                }
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(3, reallocations[0], "capacities 24,000, 36,000, 54,000: not one per record");
    }
}
