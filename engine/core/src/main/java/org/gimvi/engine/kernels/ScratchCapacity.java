package org.gimvi.engine.kernels;

/**
 * How far a grow-only scratch buffer grows when it is too short.
 *
 * <p>Some scratch lengths depend on the data, not on the shapes: the non-zero counts of a sparse
 * minibatch (the log1p of its entries, the compacted likelihood terms) differ from one minibatch to
 * the next, so a buffer grown to exactly the length asked for is reallocated at every new record —
 * measured on a 2,150-gene, 9 %-non-zero reference as ~300 KB reallocated every few dozen epochs,
 * long after the JIT had settled (11 KB per epoch on average over epochs 60–120). Growing by at
 * least half the current capacity makes a record that small fluctuations set fit in the slack, so
 * such buffers stop growing after their first few steps, at most 1.5× the largest length needed.
 */
public final class ScratchCapacity {
    private ScratchCapacity() {
    }

    /** The new capacity for a buffer of {@code have} elements that must hold {@code need} ({@code need > have}). */
    public static int grown(int have, int need) {
        long withSlack = (long) have + (have >> 1);
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, withSlack));
    }
}
