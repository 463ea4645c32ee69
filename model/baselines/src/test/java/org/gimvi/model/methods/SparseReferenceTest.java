package org.gimvi.model.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.matrix.CsrMatrix;
import org.junit.jupiter.api.Test;

/** A sparse reference is a first-class input: every method imputes the same bits from CSR as from dense. */
class SparseReferenceTest {

    private static CsrMatrix toCsr(CountMatrix dense) {
        int nnz = 0;
        for (int i = 0; i < dense.rows(); i++) {
            for (int j = 0; j < dense.cols(); j++) {
                if (dense.get(i, j) != 0) {
                    nnz++;
                }
            }
        }
        int[] indptr = new int[dense.rows() + 1];
        int[] indices = new int[nnz];
        float[] values = new float[nnz];
        int e = 0;
        for (int i = 0; i < dense.rows(); i++) {
            for (int j = 0; j < dense.cols(); j++) {
                float v = dense.get(i, j);
                if (v != 0) {
                    indices[e] = j;
                    values[e++] = v;
                }
            }
            indptr[i + 1] = e;
        }
        return new CsrMatrix(dense.rows(), dense.cols(), indptr, indices, values);
    }

    @Test
    void everyMethodGivesTheSameBitsFromACsrReference() {
        ImputationTask dense = TrainingGeneValidationTest.task(120);
        ImputationTask sparse = new ImputationTask(dense.dataset(), toCsr(dense.seqCounts()), dense.seqGenes(),
                dense.spatialCounts(), dense.spatialGenes(), dense.targetGenes());
        assertEquals(dense.seqDense().rows(), sparse.seqDense().rows());
        for (String name : List.of("knn", "libsize", "spage", "seurat", "coral", "liger", "tangram-clusters",
                "gimvi-spec", "gimvi")) {
            ImputationMethod m = MethodRegistry.create(name, 3, Map.of());
            assertArrayEquals(m.impute(dense, 4).predictions().data, m.impute(sparse, 4).predictions().data, name);
        }
    }
}
