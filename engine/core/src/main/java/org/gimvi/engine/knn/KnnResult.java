package org.gimvi.engine.knn;

/**
 * Neighbours of each query, nearest first: {@code index[q·k + r]} is the r-th nearest reference row
 * of query q and {@code distance[q·k + r]} its distance. Ties are broken by the smaller index.
 */
public record KnnResult(int queries, int k, int[] index, float[] distance) {
    public int neighbour(int query, int rank) {
        return index[query * k + rank];
    }

    public float distance(int query, int rank) {
        return distance[query * k + rank];
    }
}
