package org.gimvi.model.gimvi;

import java.util.Arrays;
import org.gimvi.engine.random.Rng;

/**
 * The seeded train/validation split of one dataset (scvi-tools' DataSplitter): a random permutation,
 * the first n_val cells for validation, the next n_train = ⌈fraction·n⌉ for training. When
 * n_train mod batch ∈ {1, 2}, those one or two cells move to validation, so no minibatch is too small
 * for BatchNorm.
 */
public record DataSplit(int[] train, int[] validation) {

    public static DataSplit of(String dataset, int n, double trainFraction, int batchSize, Rng rng) {
        int nTrain = (int) Math.ceil(trainFraction * n);
        nTrain = Math.min(nTrain, n);
        int nVal = n - nTrain;
        int remainder = nTrain % batchSize;
        int moved = (remainder == 1 || remainder == 2) && nTrain > batchSize ? remainder : 0;
        if (nTrain - moved < 3) {
            throw new IllegalArgumentException("dataset '" + dataset + "' has " + n + " cells, which leaves "
                    + (nTrain - moved) + " for training; at least 3 are needed (BatchNorm needs 2 per minibatch)");
        }
        int[] perm = rng.permutation(n);
        int[] val = Arrays.copyOfRange(perm, 0, nVal);
        int[] train = Arrays.copyOfRange(perm, nVal, nVal + nTrain - moved);
        if (moved > 0) {
            int[] more = Arrays.copyOf(val, nVal + moved);
            System.arraycopy(perm, nVal + nTrain - moved, more, nVal, moved);
            val = more;
        }
        return new DataSplit(train, val);
    }
}
