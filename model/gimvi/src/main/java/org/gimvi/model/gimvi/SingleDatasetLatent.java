package org.gimvi.model.gimvi;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.matrix.CountMatrix;

/**
 * The reference latent space for k-NN purity: the same VAE fit on one dataset alone (metrics.md §2:
 * "gimVI and scVI: a VAE fit on the single dataset (same architecture, one dataset)"). With one dataset
 * there is no adversarial classifier.
 */
public final class SingleDatasetLatent {
    private SingleDatasetLatent() {
    }

    public static FMatrixRMaj fit(String name, CountMatrix counts, String[] genes, Likelihood likelihood,
                                  Library library, int epochs, long seed) {
        Gimvi model = Gimvi.create(List.of(Gimvi.DatasetInput.of(name, counts, genes, likelihood, library)),
                GimviOptions.defaults().withSeed(seed));
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = epochs;
        cfg.kappa = 0;
        model.train(cfg);
        return model.latent(0);
    }
}
