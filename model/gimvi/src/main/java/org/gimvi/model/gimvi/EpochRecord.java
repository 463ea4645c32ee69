package org.gimvi.model.gimvi;

/**
 * One epoch of training, as the history keeps it. Per-dataset values are means per cell over the
 * epoch's minibatches: reconstruction = −log p(x|z, ℓ), kl = KL_z + KL_ℓ (unweighted), elbo =
 * reconstruction + kl.
 *
 * @param classifierConfusion counts over the epoch: rows the true dataset, columns the prediction
 * @param validationElbo      NaN when validation was not evaluated this epoch
 */
public record EpochRecord(int epoch, float klWeight, double[] reconstruction, double[] kl, double foolLoss,
                          double classifierLoss, double classifierAccuracy, long[][] classifierConfusion,
                          double validationElbo, double seconds) {

    public double elbo(int dataset) {
        return reconstruction[dataset] + kl[dataset];
    }

    /** The same record numbered {@code epoch} (later warm-restart rounds continue the numbering). */
    public EpochRecord withEpoch(int epoch) {
        return epoch == this.epoch ? this : new EpochRecord(epoch, klWeight, reconstruction, kl, foolLoss,
                classifierLoss, classifierAccuracy, classifierConfusion, validationElbo, seconds);
    }
}
