package org.gimvi.model.gimvi;

import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.random.Rng;

/**
 * Cells that the training plan pulls minibatch rows from, when they are not simply a matrix in
 * memory: the rows ({@link CountMatrix#copyRow}) and the order an epoch visits them in. A dataset
 * whose counts are a plain {@link CountMatrix} is shuffled uniformly, as always; a source backed by
 * a file on disk orders cells so that each minibatch reads rows that lie close together (e.g. a
 * block shuffle), keeping reads sequential. Either way the order comes from the plan's seeded
 * shuffle stream, so the same seed gives the same training.
 */
public interface CellSource extends CountMatrix {

    /**
     * Reorders this epoch's training cells in place: {@code cells} holds row indices of this source
     * (the training split) and must end as a permutation of them, drawn from {@code rng} only.
     */
    void orderForEpoch(int[] cells, Rng rng);
}
