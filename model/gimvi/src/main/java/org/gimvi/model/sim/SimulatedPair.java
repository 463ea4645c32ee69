package org.gimvi.model.sim;

import org.gimvi.engine.matrix.DenseCountMatrix;

/**
 * A simulated scRNA-seq / spatial pair with the truth kept.
 *
 * @param seqCounts        scRNA-seq counts, cells × all genes
 * @param seqGenes         all gene names
 * @param seqCellTypes     cell type index of each scRNA-seq cell
 * @param spatialCounts    spatial counts of the training panel, cells × (panel − held-out) genes
 * @param spatialGenes     names of the training panel genes
 * @param heldOutGenes     names of the held-out panel genes
 * @param heldOutTruth     spatial counts of the held-out genes, cells × held-out genes
 * @param spatialCellTypes cell type index of each spatial cell
 * @param spatialLayer     layer index of each spatial cell
 * @param coordinates      spatial cells × 2 (x, y)
 * @param cellTypeNames    names of the cell types
 */
public record SimulatedPair(DenseCountMatrix seqCounts, String[] seqGenes, int[] seqCellTypes,
                            DenseCountMatrix spatialCounts, String[] spatialGenes, String[] heldOutGenes,
                            DenseCountMatrix heldOutTruth, int[] spatialCellTypes, int[] spatialLayer,
                            float[][] coordinates, String[] cellTypeNames) {
}
