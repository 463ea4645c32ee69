package org.gimvi.model.baselines.tangram;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.nn.Adam;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.random.Rng;

/**
 * Tangram's optimisation ({@code Mapper.train}): logits M initialised N(0, 1) from the seed, full-batch
 * Adam (PyTorch defaults: betas 0.9/0.999, eps 1e-8, no weight decay) on {@link TangramObjective}
 * for a fixed number of epochs. Returns the mapping P = softmax(M) of the last logits.
 */
final class TangramMapper {
    /** The outcome: the mapping and the loss terms at the final logits. */
    record Fit(FMatrixRMaj probabilities, double loss, double cosine, double kl, double firstLoss) {
    }

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
        FMatrixRMaj gradient = backend.allocate(n, spots);
        Parameter m = new Parameter("tangram.M", logits, gradient);
        Adam adam = new Adam(backend, List.of(m), learningRate, 0.9f, 0.999f, 1e-8f, 0f);
        double first = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double loss = objective.evaluate(logits, gradient);
            if (epoch == 0) {
                first = loss;
            }
            adam.step();
        }
        // the reported mapping is softmax of the final logits, as Tangram returns it
        double loss = objective.evaluate(logits, gradient);
        if (epochs == 0) {
            first = loss;
        }
        return new Fit(objective.probabilities, loss, objective.lastCosine(), objective.lastKl(), first);
    }
}
