package org.gimvi.model.baselines.magan;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.random.Rng;

/**
 * Minibatches as MAGAN's {@code Loader(shuffle=True)} draws them: rows in a seeded random order, a new
 * permutation each time the rows are used up; a batch larger than the dataset wraps around.
 */
final class BatchSampler {
    private final int rows;
    private final Rng rng;
    private int[] order;
    private int position;

    BatchSampler(int rows, Rng rng) {
        this.rows = rows;
        this.rng = rng;
        this.order = rng.permutation(rows);
    }

    /** Copies the next {@code batch} rows of {@code data} (rows × width) into {@code out}. */
    void next(float[] data, int width, int batch, FMatrixRMaj out) {
        out.reshape(batch, width);
        for (int r = 0; r < batch; r++) {
            if (position == rows) {
                order = rng.permutation(rows);
                position = 0;
            }
            System.arraycopy(data, order[position++] * width, out.data, r * width, width);
        }
    }
}
