package org.gimvi.model.baselines;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.baselines.preprocess.LibrarySizeNormalisation;
import org.gimvi.model.methods.ImputationTask;

/**
 * What most baselines read from a task, as double matrices: scRNA-seq counts over all genes, over the
 * shared (training) genes in the spatial panel's order and over the target genes; spatial counts; and
 * the library totals the prediction convention refers to (L = each spatial cell's training-gene total).
 */
final class TaskData {
    final int[] shared;
    final int[] targets;
    final DMatrixRMaj seqAll;
    final DMatrixRMaj seqShared;
    final DMatrixRMaj spatial;
    /** Each scRNA-seq cell's total over the shared genes (the denominator of its relative expression). */
    final double[] seqSharedTotal;
    /** Each scRNA-seq cell's total over all its genes. */
    final double[] seqAllTotal;
    /** L: each spatial cell's total over the training genes. */
    final double[] spatialTotal;

    TaskData(ImputationTask task) {
        shared = task.sharedColumns();
        targets = task.targetColumns();
        DenseCountMatrix seq = task.seqDense(); // the decompositions below are dense
        seqAll = LibrarySizeNormalisation.columns(seq, null);
        seqShared = LibrarySizeNormalisation.columns(seq, shared);
        spatial = LibrarySizeNormalisation.columns(task.spatialCounts(), null);
        seqSharedTotal = LibrarySizeNormalisation.rowTotals(seqShared, new double[seqShared.numRows]);
        seqAllTotal = LibrarySizeNormalisation.rowTotals(seqAll, new double[seqAll.numRows]);
        spatialTotal = task.spatialLibrary();
    }

    int seqCells() {
        return seqAll.numRows;
    }

    int spatialCells() {
        return spatial.numRows;
    }

    /**
     * scRNA-seq cells × targets: each target gene's count over the cell's shared-gene total — the
     * relative expression that, times L, is the expected count in a spatial cell (cells with no
     * shared-gene counts contribute zeros).
     */
    DMatrixRMaj seqTargetRelativeExpression() {
        int g = targets.length;
        DMatrixRMaj out = new DMatrixRMaj(seqCells(), g);
        for (int i = 0; i < seqCells(); i++) {
            double f = seqSharedTotal[i] > 0 ? 1 / seqSharedTotal[i] : 0;
            for (int t = 0; t < g; t++) {
                out.data[i * g + t] = seqAll.get(i, targets[t]) * f;
            }
        }
        return out;
    }

    /** Columns {@code cols} of a cells × genes matrix. */
    static DMatrixRMaj columns(DMatrixRMaj x, int[] cols) {
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, cols.length);
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < cols.length; j++) {
                out.data[i * cols.length + j] = x.get(i, cols[j]);
            }
        }
        return out;
    }

    /** predictions[i, t] = L_i · relative[i, t], as float (the result's type). */
    FMatrixRMaj timesSpatialTotal(DMatrixRMaj relative) {
        FMatrixRMaj out = new FMatrixRMaj(relative.numRows, relative.numCols);
        int g = relative.numCols;
        for (int i = 0; i < relative.numRows; i++) {
            for (int t = 0; t < g; t++) {
                out.data[i * g + t] = (float) (spatialTotal[i] * relative.data[i * g + t]);
            }
        }
        return out;
    }
}
