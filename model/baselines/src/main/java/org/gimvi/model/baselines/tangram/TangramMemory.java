package org.gimvi.model.baselines.tangram;

import java.util.Locale;

/**
 * What Tangram's dense mapping costs, checked before anything is allocated. Training holds four
 * sources × spots float matrices: the logits M, the softmax P and Adam's two moments (the gradient is
 * never a matrix: each row is used by the fused step while in cache).
 */
final class TangramMemory {
    /** Dense sources × spots float matrices alive during training. */
    static final int DENSE_MATRICES = 4;
    /** Largest Java array (a few header words below Integer.MAX_VALUE). */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

    private TangramMemory() {
    }

    /** Bytes the mapping needs: the dense matrices plus the (small) gene-sized workspaces. */
    static long bytesNeeded(long sources, long spots, long genes) {
        return 4L * (DENSE_MATRICES * sources * spots + sources * genes + 3L * spots * genes + 2L * spots);
    }

    /** Heap still available to this JVM: the maximum minus what is in use now. */
    static long availableHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Throws when the mapping cannot fit: a dense matrix larger than a Java array, or more bytes than
     * the heap has left. The message names the sizes and the ways out.
     */
    static void check(TangramMode mode, long sources, long spots, long genes, long available) {
        long needed = bytesNeeded(sources, spots, genes);
        String what = mode == TangramMode.CELLS ? "cells" : "clusters";
        if (sources * spots > MAX_ARRAY) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tangram: the dense %s × spots mapping has %,d × %,d = %,d entries, more than a Java array holds; "
                            + "use mode 'clusters' (tangram-clusters) to map cluster averages instead of cells",
                    what, sources, spots, sources * spots));
        }
        if (needed > available) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tangram: mapping %,d %s onto %,d spots needs about %s (%d dense %s × spots float matrices) but "
                            + "the heap has %s left; use mode 'clusters' (tangram-clusters), which maps cluster averages "
                            + "instead of cells, or raise the heap (JAVA_OPTS=-Xmx…)",
                    sources, what, spots, human(needed), DENSE_MATRICES, what, human(available)));
        }
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
