package org.gimvi.model.gimvi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A mostly-zero reference reaches the encoders by its non-zero entries (log1p of those alone, first
 * layers that skip the zeros): the model trained that way is the model the dense path trains
 * ({@code simd-dense}), bit for bit. (The kernels themselves are checked against the dense GEMM on
 * both CPU backends in engine/core's {@code SparseGemmTest}.)
 */
class SparseInputTest {

    private static float[] trainedParameters(List<Gimvi.DatasetInput> data, String backend) {
        Gimvi model = Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 4).withBackend(backend));
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = 3;
        cfg.batchSize = 64;
        model.train(cfg);
        float[] values = model.module().parameterArena().values();
        return Arrays.copyOf(values, model.module().parameterArena().size());
    }

    @Test
    void sparseAndDenseFirstLayersTrainTheSameModel() {
        List<Gimvi.DatasetInput> data = TestData.sparsePair(300, 260, 45, 12, 6);
        double density = data.get(0).counts().nonZeroShare();
        assertTrue(density < JointVae.SPARSE_INPUT_DENSITY - 0.05,
                "the reference must take the sparse path; its density is " + density);
        float[] sparse = trainedParameters(data, "simd");
        float[] dense = trainedParameters(data, "simd-dense");
        assertArrayEquals(dense, sparse, "SIMD, sparse first layers = SIMD, dense first layers");
    }
}
