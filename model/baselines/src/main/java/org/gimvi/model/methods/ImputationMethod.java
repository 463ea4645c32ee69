package org.gimvi.model.methods;

/**
 * One interface for gimVI, its baselines and its peers: impute the task's target genes for every
 * spatial cell. Implementations must be deterministic for a given seed: the same task and seed give
 * bit-identical predictions.
 */
public interface ImputationMethod {
    /** Stable identifier used in benchmark outputs (e.g. {@code gimvi}, {@code knn}). */
    String name();

    ImputationResult impute(ImputationTask task, long seed);
}
