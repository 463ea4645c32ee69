package org.gimvi.model.methods;

import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.engine.matrix.DenseCountMatrix;

/**
 * What every imputation method receives: scRNA-seq counts over all its genes, spatial counts over the
 * training genes only, and the genes to predict (all of them scRNA-seq genes).
 *
 * <p>Convention for predictions (shared by every method, so scores are comparable): the expected
 * count of the gene in the spatial cell given the cell's observed total over the training genes L. A
 * method that estimates relative expression multiplies it by L.
 */
public record ImputationTask(String dataset, CountMatrix seqCounts, String[] seqGenes,
                             DenseCountMatrix spatialCounts, String[] spatialGenes, String[] targetGenes) {

    /**
     * The reference as a dense matrix, for methods whose algebra is dense (PCA, CCA, NMF, Tangram's
     * mapping): the reference itself when it is dense, else a dense copy made now — call it once.
     * gimVI and the shared-gene kNN read {@link #seqCounts()} row by row and never densify it.
     */
    public DenseCountMatrix seqDense() {
        if (seqCounts instanceof DenseCountMatrix d) {
            return d;
        }
        if (seqCounts instanceof CsrMatrix c) {
            return c.toDense();
        }
        DenseCountMatrix d = DenseCountMatrix.zeros(seqCounts.rows(), seqCounts.cols());
        float[] row = new float[seqCounts.cols()];
        for (int i = 0; i < seqCounts.rows(); i++) {
            seqCounts.copyRow(i, row, 0);
            for (int j = 0; j < row.length; j++) {
                d.set(i, j, row[j]);
            }
        }
        return d;
    }

    /** L: each spatial cell's total over the training genes. */
    public double[] spatialLibrary() {
        double[] l = new double[spatialCounts.rows()];
        for (int i = 0; i < l.length; i++) {
            l[i] = spatialCounts.rowSum(i, null);
        }
        return l;
    }

    /** Index of each target gene among the scRNA-seq genes (case-insensitive). */
    public int[] targetColumns() {
        return GeneIndex.columns(targetGenes, seqGenes, "scRNA-seq", dataset);
    }

    /** Index of each spatial training gene among the scRNA-seq genes (case-insensitive). */
    public int[] sharedColumns() {
        return GeneIndex.columns(spatialGenes, seqGenes, "scRNA-seq", dataset);
    }
}
