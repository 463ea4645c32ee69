package org.gimvi.model.methods;

import org.gimvi.engine.random.Rng;

/**
 * One interface for gimVI, its baselines and its peers: impute the task's target genes for every
 * spatial cell. Implementations must be deterministic for a given generator.
 */
public interface ImputationMethod {
    /** Stable identifier used in benchmark outputs (e.g. {@code gimvi}, {@code knn}). */
    String name();

    ImputationResult impute(ImputationTask task, Rng rng);
}
