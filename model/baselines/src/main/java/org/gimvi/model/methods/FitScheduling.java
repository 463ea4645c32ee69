package org.gimvi.model.methods;

import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;
import org.gimvi.engine.backend.Backends;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * Where several independent model fits (an ensemble's members, a validation's folds) run. Side by
 * side puts a round of fits on the worker pool's threads, one fit per thread
 * ({@link WorkerPool#sideBySideRound}); one at a time gives each fit the whole pool, as a device
 * backend needs (one device, one fit). Both give the same bits: each fit writes only its own result,
 * and the results are folded in index order.
 */
public enum FitScheduling {
    SIDE_BY_SIDE, ONE_AT_A_TIME;

    /** Fits on the host's cores run side by side; fits on one device one at a time. */
    public static FitScheduling forBackend(String backend) {
        return Backends.runsOnHost(backend) ? SIDE_BY_SIDE : ONE_AT_A_TIME;
    }

    /**
     * Runs {@code fit} for 0 … n − 1 and hands every result to {@code fold} in index order, round by
     * round, so at most one round of results (as many as the pool has threads) is alive at once.
     * {@code bytesPerFit} estimates one fit's memory (its copies of the data, its model, its
     * results): side by side runs only as many fits at once as fit in half the heap (one at a time
     * when two do not), so a large task does not run out of memory where one fit at a time would not.
     */
    public <T> void run(int n, long bytesPerFit, IntFunction<T> fit, ObjIntConsumer<T> fold) {
        WorkerPool pool = WorkerPool.shared();
        Object[] results = new Object[n];
        int atOnce = this == SIDE_BY_SIDE ? fitsInMemory(pool.threads(), bytesPerFit, Runtime.getRuntime().maxMemory()) : 1;
        for (int first = 0; first < n; ) {
            int round = Math.min(pool.sideBySideRound(n - first), atOnce);
            int from = first;
            pool.forEach(round, r -> results[from + r] = fit.apply(from + r));
            for (int i = from; i < from + round; i++) {
                @SuppressWarnings("unchecked")
                T result = (T) results[i];
                results[i] = null;
                fold.accept(result, i);
            }
            first += round;
        }
    }

    /**
     * A rough size in bytes of one gimVI model over {@code genes} genes: its per-step workspaces (about 40
     * arrays of a 128-cell minibatch) and its parameters with their gradients and Adam moments. The
     * fits' own copies of their data come on top.
     */
    static long gimviModelBytes(long genes) {
        return 4L * (40 * 128 + 1_000) * genes;
    }

    /** How many of {@code threads} fits of {@code bytesPerFit} bytes fit in half of {@code maxHeap} (at least 1). */
    static int fitsInMemory(int threads, long bytesPerFit, long maxHeap) {
        long fits = maxHeap / 2 / Math.max(1, bytesPerFit);
        return (int) Math.max(1, Math.min(threads, fits));
    }
}
