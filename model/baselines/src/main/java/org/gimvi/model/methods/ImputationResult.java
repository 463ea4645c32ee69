package org.gimvi.model.methods;

import org.ejml.data.FMatrixRMaj;

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
 */
public record ImputationResult(FMatrixRMaj predictions, FMatrixRMaj latentSeq, FMatrixRMaj latentSpatial,
                               double trainSeconds, double imputeSeconds, String notes, double[] uncertainty) {

    /** A result without latent space or uncertainty. */
    public static ImputationResult predictionsOnly(FMatrixRMaj predictions, double trainSeconds, double imputeSeconds,
                                                   String notes) {
        return new ImputationResult(predictions, null, null, trainSeconds, imputeSeconds, notes, null);
    }
}
