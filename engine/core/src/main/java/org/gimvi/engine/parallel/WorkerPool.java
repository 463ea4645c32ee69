package org.gimvi.engine.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent pool that runs "task 0..n−1" loops without allocating.
 *
 * <p>Determinism contract: callers split work into a number of tasks that depends only on the
 * problem (never on the thread count), and each task writes its own outputs in a fixed order. Which
 * thread runs which task is then irrelevant, so results are bit-identical for 1 thread or 64.
 *
 * <p>Tasks are handed out dynamically through an atomic counter, so they start in ascending index
 * order and each runs to its end on the thread that took it ({@link TaskFlags} relies on this to let a
 * task wait for lower ones). The calling thread works too. A
 * parallel loop started while the pool is busy (nested, or from another thread) runs serially in the
 * caller instead of waiting, which keeps the pool deadlock-free.
 */
public final class WorkerPool {
    /** Body of a parallel loop; must only write outputs that belong to {@code task}. */
    @FunctionalInterface
    public interface Task {
        void run(int task);
    }

    private static volatile WorkerPool shared;
    /**
     * How long an idle worker spins before it parks. A training step dispatches a few short loops
     * separated by tens of microseconds of serial work; waking a parked thread costs about as much,
     * so workers wait a little in a spin (with the pause hint) before sleeping.
     */
    private static final long SPIN_NANOS = 100_000L;

    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /**
     * High 32 bits: the loop's generation; low 32 bits: the next task index. Tagging the index with
     * the generation means a worker that lingers after one loop can never take a task of the next
     * one with the previous loop's body: its compare-and-set fails as soon as the generation moves.
     */
    private final AtomicLong ticket = new AtomicLong();
    private static final long CLOSED = Integer.MAX_VALUE;
    private final AtomicInteger finished = new AtomicInteger();
    private volatile Task body;
    private volatile int taskCount;
    private volatile boolean shutdown;
    private volatile Throwable failure;
    private int generation; // written only by the thread holding busy

    /** A pool in which {@code threads} threads (the caller included) run tasks. */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            Thread t = new Thread(this::workerLoop, "gimvi-worker-" + (w + 1));
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    /**
     * The process-wide pool. Size: system property {@code gimvi.threads}, else environment variable
     * {@code GIMVI_THREADS}, else the number of available processors.
     */
    public static WorkerPool shared() {
        WorkerPool p = shared;
        if (p == null) {
            synchronized (WorkerPool.class) {
                p = shared;
                if (p == null) {
                    p = new WorkerPool(defaultThreads());
                    shared = p;
                }
            }
        }
        return p;
    }

    /** Replaces the process-wide pool (tests use this to prove thread-count independence). */
    public static synchronized void setSharedThreads(int threads) {
        WorkerPool old = shared;
        shared = new WorkerPool(threads);
        if (old != null) {
            old.shutdown();
        }
    }

    static int defaultThreads() {
        String v = System.getProperty("gimvi.threads");
        if (v == null) {
            v = System.getenv("GIMVI_THREADS");
        }
        if (v != null && !v.isBlank()) {
            try {
                int t = Integer.parseInt(v.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the processor count
            }
            throw new IllegalArgumentException("gimvi.threads / GIMVI_THREADS must be a positive integer, got '" + v + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code body.run(t)} for every t in [0, tasks), in parallel where possible. */
    public void forEach(int tasks, Task task) {
        if (tasks <= 0) {
            return;
        }
        if (tasks == 1 || workers.length == 0 || !busy.compareAndSet(false, true)) {
            for (int t = 0; t < tasks; t++) {
                task.run(t);
            }
            return;
        }
        try {
            body = task;
            taskCount = tasks;
            finished.set(0);
            failure = null;
            generation++;
            long gen = generation & 0xFFFFFFFFL;
            ticket.set(gen << 32); // publishes body and taskCount (volatile writes before)
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            runTasks(gen, task, tasks);
            while (finished.get() < tasks) {
                Thread.onSpinWait();
            }
            // Close this generation before the body of the next loop is published: a worker that
            // read this ticket late must not pair it with the next loop's body and task count.
            ticket.set((gen << 32) | CLOSED);
            Throwable f = failure;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error err) {
                throw err;
            }
        } finally {
            body = null;
            busy.set(false);
        }
    }

    /**
     * How many of {@code remaining} independent, long tasks (whole model fits) to start next as one
     * {@link #forEach} round: as many as there are threads, or all that remain when fewer; a last
     * single task runs alone (which {@code forEach} runs in the caller with the whole pool free for the
     * task's own loops). Inside a round of several, every task's own parallel loops run serially on its
     * thread (the pool is busy), so each thread computes one task from start to end with no hand-offs:
     * that uses the cores better than splitting every small loop of one task (a narrow gimVI step gains
     * 1.3–1.5× from a second thread), and on many cores five fits at once beat five fits one after
     * another on all of them. The caller can fold each round's outputs in task order before the next
     * round, so at most {@link #threads()} tasks' outputs are alive at once. Results are those of
     * {@code forEach}: each task writes only its own outputs, so they do not depend on the thread count.
     */
    public int sideBySideRound(int remaining) {
        return Math.max(0, Math.min(remaining, threads()));
    }

    private void runTasks(long gen, Task task, int tasks) {
        while (true) {
            long t = ticket.get();
            if ((t >>> 32) != gen) {
                return;
            }
            int index = (int) t;
            if (index >= tasks) {
                return;
            }
            if (!ticket.compareAndSet(t, t + 1)) {
                continue;
            }
            try {
                task.run(index);
            } catch (RuntimeException | Error e) {
                recordFailure(e); // before counting the task finished, so the caller sees it
            } finally {
                finished.incrementAndGet();
            }
        }
    }

    private void workerLoop() {
        long seen = 0;
        while (!shutdown) {
            long gen = ticket.get() >>> 32;
            if (gen == seen) {
                // Spin briefly (loops come in bursts), then sleep until forEach unparks us. An unpark
                // that lands between the check and park() leaves a permit, so no wake-up is lost;
                // parked workers cost nothing (they used to wake every millisecond, which slowed
                // single-threaded work on a machine whose two vCPUs share a core).
                long spinStart = System.nanoTime();
                while ((ticket.get() >>> 32) == seen && !shutdown && System.nanoTime() - spinStart < SPIN_NANOS) {
                    Thread.onSpinWait();
                }
                if ((ticket.get() >>> 32) == seen && !shutdown) {
                    LockSupport.park(this);
                }
                continue;
            }
            seen = gen;
            Task task = body;
            int tasks = taskCount;
            if (task != null) {
                runTasks(gen, task, tasks);
            }
        }
    }

    private synchronized void recordFailure(Throwable e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** Stops the worker threads; further loops run in the caller. */
    public void shutdown() {
        shutdown = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
