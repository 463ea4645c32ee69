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
 */
public record ImputationResult(FMatrixRMaj predictions, FMatrixRMaj latentSeq, FMatrixRMaj latentSpatial,
                               double trainSeconds, double imputeSeconds, String notes) {
}
