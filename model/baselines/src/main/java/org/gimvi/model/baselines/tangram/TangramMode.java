package org.gimvi.model.baselines.tangram;

/** What Tangram maps onto the spots. */
public enum TangramMode {
    /** Every scRNA-seq cell (Tangram's default {@code mode="cells"}): a dense cells × spots matrix. */
    CELLS,
    /**
     * Averages of k-means clusters of the scRNA-seq cells (Tangram's {@code mode="clusters"} with the
     * clusters computed here): a clusters × spots matrix, so memory no longer grows with the cells.
     */
    CLUSTERS
}
