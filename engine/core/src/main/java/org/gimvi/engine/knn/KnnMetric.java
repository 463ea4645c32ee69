package org.gimvi.engine.knn;

/** Distance used by {@link ExactKnn}. */
public enum KnnMetric {
    /** ‖a − b‖ (reported as the Euclidean distance, searched on its square). */
    EUCLIDEAN,
    /** 1 − cos(a, b); an all-zero vector is at distance 1 from everything. */
    COSINE
}
