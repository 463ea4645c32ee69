package org.gimvi.model.methods;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.model.gimvi.TrainingHistory;

/**
 * A method's output.
 *
 * @param predictions     spatial cells × target genes, expected counts given the cell's training-gene total
 * @param latentSeq       joint latent positions of scRNA-seq cells (null for methods without one)
 * @param latentSpatial   joint latent positions of spatial cells (null for methods without one)
 * @param trainSeconds    fitting time
 * @param imputeSeconds   prediction time
 * @param notes           anything the method wants in the report (training summary, warnings)
 * @param uncertainty     per target gene, the mean over spatial cells of the standard deviation over
 *                        posterior draws (null for methods without a posterior)
 * @param history         per-epoch training record, for training-curve figures (null for methods that
 *                        do not train epochs)
 * @param purityReference the method's own single-dataset latent spaces for k-NN purity (null: none, so
 *                        purity is not computed for it)
 */
public record ImputationResult(FMatrixRMaj predictions, FMatrixRMaj latentSeq, FMatrixRMaj latentSpatial,
                               double trainSeconds, double imputeSeconds, String notes, double[] uncertainty,
                               TrainingHistory history, PurityReference purityReference) {

    /** A result without a training history or purity reference. */
    public ImputationResult(FMatrixRMaj predictions, FMatrixRMaj latentSeq, FMatrixRMaj latentSpatial,
                            double trainSeconds, double imputeSeconds, String notes, double[] uncertainty) {
        this(predictions, latentSeq, latentSpatial, trainSeconds, imputeSeconds, notes, uncertainty, null, null);
    }

    /** The same result carrying the training history that produced it. */
    public static ImputationResult withHistory(ImputationResult r, TrainingHistory history) {
        return new ImputationResult(r.predictions(), r.latentSeq(), r.latentSpatial(), r.trainSeconds(),
                r.imputeSeconds(), r.notes(), r.uncertainty(), history, r.purityReference());
    }

    /** The same result with the single-dataset latent spaces its purity is measured against. */
    public ImputationResult withPurityReference(PurityReference reference) {
        if (reference != null && (latentSeq == null || latentSpatial == null)) {
            throw new IllegalArgumentException("a purity reference needs a joint latent space to compare with");
        }
        return new ImputationResult(predictions, latentSeq, latentSpatial, trainSeconds, imputeSeconds, notes,
                uncertainty, history, reference);
    }

    /** A result without latent space or uncertainty. */
    public static ImputationResult predictionsOnly(FMatrixRMaj predictions, double trainSeconds, double imputeSeconds,
                                                   String notes) {
        return new ImputationResult(predictions, null, null, trainSeconds, imputeSeconds, notes, null);
    }
}
