package org.gimvi.model.baselines.tangram;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.random.Rng;

/**
 * Tangram's optimisation ({@code Mapper.train}): logits M initialised N(0, 1) from the seed, full-batch
 * Adam (PyTorch defaults: betas 0.9/0.999, eps 1e-8, no weight decay) on {@link TangramObjective}
 * for a fixed number of epochs. Returns the mapping P = softmax(M) of the last logits. Each epoch is two
 * passes over the cells × spots matrices: the forward product, then gradient, Adam step and the new
 * softmax fused row by row ({@link TangramObjective#stepAndRemap}); the result equals evaluating the
 * objective and calling the engine's {@code Adam} bit for bit (tested).
 */
final class TangramMapper {
    /** The outcome: the mapping and the loss terms at the final logits. */
    record Fit(FMatrixRMaj probabilities, double loss, double cosine, double kl, double firstLoss) {
    }

    /** PyTorch's Adam defaults. */
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private TangramMapper() {
    }

    static Fit fit(ComputeBackend backend, FMatrixRMaj source, FMatrixRMaj target, float[] sourceWeight,
                   float[] density, float lambdaG1, float lambdaD, int epochs, float learningRate, long seed) {
        TangramObjective objective = new TangramObjective(backend, source, target, sourceWeight, density,
                lambdaG1, lambdaD);
        int n = source.numRows;
        int spots = target.numRows;
        FMatrixRMaj logits = backend.allocate(n, spots);
        new Rng(seed).fillGaussian(logits.data, n * spots);
        float[] adamM = new float[n * spots];
        float[] adamV = new float[n * spots];
        AdamUpdate.Coefficients adam = new AdamUpdate.Coefficients();
        objective.setLogits(logits);
        double first = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double loss = objective.forward();
            if (epoch == 0) {
                first = loss;
            }
            objective.stepAndRemap(logits, adamM, adamV, adam.forStep(learningRate, BETA1, BETA2, EPS, 0f, epoch + 1L));
        }
        // the reported mapping is softmax of the final logits, as Tangram returns it (the last step left P so)
        double loss = objective.forward();
        if (epochs == 0) {
            first = loss;
        }
        return new Fit(objective.probabilities, loss, objective.lastCosine(), objective.lastKl(), first);
    }
}
