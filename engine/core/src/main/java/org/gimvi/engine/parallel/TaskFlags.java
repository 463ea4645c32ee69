package org.gimvi.engine.parallel;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Completion flags between the tasks of one {@link WorkerPool#forEach} loop, so that a loop can be a
 * small task graph instead of a sequence of loops separated by barriers: a task sets a flag when a
 * result is ready, and a later task waits for it.
 *
 * <p><b>Rule: a task waits only for flags set by tasks with a lower index.</b> The pool hands out
 * tasks in ascending index order and every task taken runs to its end, and the serial fallback runs
 * them in index order too; so whatever a task waits for is being computed by a thread that waits
 * only on still lower indices — no cycle, no deadlock, on any number of threads. On one thread every
 * wait is already satisfied.
 *
 * <p>Determinism is the caller's part as for any loop: a flag orders a read after a write, so a task
 * reads the same values whichever thread produced them, when.
 *
 * <p>Flags are stamped with a round number instead of being cleared: {@link #nextRound} (called by
 * the dispatching thread before the loop) unsets them all at once. A flag's set and wait are a volatile
 * write and read, so everything the setter wrote before is visible to the waiter. Nothing allocates
 * unless a task fails: {@link #fail} records the first failure and makes every waiter throw instead
 * of spinning forever.
 */
public final class TaskFlags {
    private final AtomicIntegerArray stamps;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private int round; // written by the dispatching thread before the loop; the pool's dispatch publishes it

    public TaskFlags(int flags) {
        stamps = new AtomicIntegerArray(flags);
    }

    /** Unsets every flag and forgets a previous failure; the dispatching thread calls it before the loop. */
    public void nextRound() {
        round++;
        failure.set(null);
    }

    /** Marks {@code flag} set for this round (after the results it announces are written). */
    public void set(int flag) {
        stamps.set(flag, round);
    }

    /** Whether {@code flag} has been set in this round. */
    public boolean isSet(int flag) {
        return stamps.get(flag) == round;
    }

    /**
     * Waits until {@code flag} is set in this round (spinning: the tasks of a training step are tens of
     * microseconds apart). Throws if another task of the round failed.
     */
    public void await(int flag) {
        while (stamps.get(flag) != round) {
            if (failure.get() != null) {
                throw new IllegalStateException("a task this one waits for failed", failure.get());
            }
            Thread.onSpinWait();
        }
    }

    /** Records a task's failure (the first one wins) so that the tasks waiting on it stop waiting. */
    public void fail(Throwable t) {
        failure.compareAndSet(null, t);
    }

    /** The first failure recorded this round, or null: the error to report rather than a waiter's. */
    public Throwable failure() {
        return failure.get();
    }
}
