package org.gimvi.engine.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void everyTaskRunsExactlyOnceAcrossManyLoops() {
        WorkerPool pool = new WorkerPool(4);
        try {
            for (int loop = 0; loop < 2000; loop++) {
                int tasks = 1 + loop % 37;
                AtomicIntegerArray hits = new AtomicIntegerArray(tasks);
                pool.forEach(tasks, hits::incrementAndGet);
                for (int t = 0; t < tasks; t++) {
                    assertEquals(1, hits.get(t), "loop " + loop + " task " + t);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aFailingTaskIsRethrownAndThePoolKeepsWorking() {
        WorkerPool pool = new WorkerPool(3);
        try {
            for (int rep = 0; rep < 50; rep++) {
                int bad = rep % 8;
                org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> pool.forEach(8, t -> {
                    if (t == bad) {
                        throw new IllegalStateException("task " + t);
                    }
                }));
                AtomicIntegerArray hits = new AtomicIntegerArray(8);
                pool.forEach(8, hits::incrementAndGet);
                for (int t = 0; t < 8; t++) {
                    assertEquals(1, hits.get(t));
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void nestedLoopsRunSeriallyInsteadOfDeadlocking() {
        WorkerPool pool = new WorkerPool(2);
        try {
            AtomicIntegerArray hits = new AtomicIntegerArray(16);
            pool.forEach(4, outer -> pool.forEach(4, inner -> hits.incrementAndGet(outer * 4 + inner)));
            for (int i = 0; i < 16; i++) {
                assertEquals(1, hits.get(i));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void sideBySideRoundsHoldOneTaskPerThreadThenWhatRemains() {
        for (int threads : new int[]{1, 2, 3}) {
            WorkerPool pool = new WorkerPool(threads);
            try {
                StringBuilder rounds = new StringBuilder();
                for (int left = 5; left > 0; left -= pool.sideBySideRound(left)) {
                    rounds.append(pool.sideBySideRound(left));
                }
                assertEquals(switch (threads) {
                    case 1 -> "11111";
                    case 2 -> "221";
                    default -> "32";
                }, rounds.toString(), threads + " threads");
                assertEquals(0, pool.sideBySideRound(0));
            } finally {
                pool.shutdown();
            }
        }
    }
}
