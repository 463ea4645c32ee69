package org.gimvi.engine.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskFlagsTest {

    /**
     * A chain where every task reads what the tasks before it wrote (task t waits for t − 1 and t − 2):
     * on several threads it must see the values, in every round, and compute what one thread computes.
     */
    @Test
    void aTaskWaitingForLowerTasksSeesTheirResultsOnAnyThreadCount() {
        int tasks = 12;
        long[] want = chain(new WorkerPool(1), tasks, 1);
        for (int threads : new int[]{2, 3, 5}) {
            WorkerPool pool = new WorkerPool(threads);
            try {
                for (int round = 0; round < 300; round++) {
                    assertArrayEquals(want, chain(pool, tasks, 1), threads + " threads, round " + round);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    private static long[] chain(WorkerPool pool, int tasks, int rounds) {
        TaskFlags flags = new TaskFlags(tasks);
        long[] value = new long[tasks];
        for (int r = 0; r < rounds; r++) {
            flags.nextRound();
            pool.forEach(tasks, t -> {
                long v = t + 1;
                if (t >= 1) {
                    flags.await(t - 1);
                    v += 3 * value[t - 1];
                }
                if (t >= 2) {
                    flags.await(t - 2);
                    v += value[t - 2];
                }
                value[t] = v;
                flags.set(t);
            });
        }
        return value;
    }

    @Test
    void aNewRoundUnsetsEveryFlag() {
        TaskFlags flags = new TaskFlags(3);
        flags.nextRound();
        flags.set(1);
        assertTrue(flags.isSet(1));
        assertFalse(flags.isSet(0));
        flags.nextRound();
        assertFalse(flags.isSet(1), "set in the previous round only");
    }

    /** A failed task must release the tasks waiting on it, and the failure reported must be its own. */
    @Test
    void aFailedTaskStopsItsWaitersInsteadOfHangingThem() {
        WorkerPool pool = new WorkerPool(3);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int rep = 0; rep < 50; rep++) {
                    TaskFlags flags = new TaskFlags(4);
                    flags.nextRound();
                    IllegalArgumentException cause = new IllegalArgumentException("task 0 failed");
                    RuntimeException thrown = assertThrows(RuntimeException.class, () -> pool.forEach(4, t -> {
                        try {
                            if (t == 0) {
                                throw cause;
                            }
                            flags.await(t - 1);
                            flags.set(t);
                        } catch (RuntimeException e) {
                            flags.fail(e);
                            throw e;
                        }
                    }));
                    assertSame(cause, flags.failure(), "the first failure is the task's own");
                    assertTrue(thrown == cause || thrown.getCause() == cause, "a waiter's error names the cause");
                    assertFalse(flags.isSet(3));
                }
            });
            // and the pool still runs loops
            int[] hits = new int[6];
            pool.forEach(6, t -> hits[t]++);
            assertEquals(6, java.util.Arrays.stream(hits).sum());
        } finally {
            pool.shutdown();
        }
    }
}
