package org.gimvi.model.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gimvi.engine.parallel.WorkerPool;
import org.junit.jupiter.api.Test;

class FitSchedulingTest {

    @Test
    void sideBySideRunsOnlyAsManyFitsAsFitInHalfTheHeap() {
        assertEquals(2, FitScheduling.fitsInMemory(2, 100, 1_000));
        assertEquals(1, FitScheduling.fitsInMemory(2, 400, 1_000));
        assertEquals(2, FitScheduling.fitsInMemory(4, 200, 1_000));
        assertEquals(1, FitScheduling.fitsInMemory(4, 2_000, 1_000));
        assertEquals(3, FitScheduling.fitsInMemory(3, 0, 1_000));
    }

    @Test
    void fitsTooLargeToShareTheHeapRunOneAtATimeAndResultsArriveInOrder() {
        int before = WorkerPool.shared().threads();
        try {
            WorkerPool.setSharedThreads(2);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Integer> folded = new ArrayList<>();
            FitScheduling.SIDE_BY_SIDE.run(5, Runtime.getRuntime().maxMemory(), i -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                running.decrementAndGet();
                return i * 10;
            }, (r, i) -> folded.add(r));
            assertEquals(1, most.get(), "fits of half the heap each must not run side by side");
            assertEquals(List.of(0, 10, 20, 30, 40), folded);
        } finally {
            WorkerPool.setSharedThreads(before);
        }
    }
}
