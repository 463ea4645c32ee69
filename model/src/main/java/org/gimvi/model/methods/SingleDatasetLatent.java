package org.gimvi.model.methods;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Backends;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.data.CountMatrix;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviArchitecture;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.gimvi.TrainingListener;

/**
 * The reference latent space for k-NN purity: the same VAE fit on one dataset alone (metrics.md §2:
 * "gimVI and scVI: a VAE fit on the single dataset (same architecture, one dataset)"). With one dataset
 * there is no adversarial classifier.
 */
public final class SingleDatasetLatent {
    private SingleDatasetLatent() {
    }

    public static FMatrixRMaj fit(String name, CountMatrix counts, String[] genes, Likelihood likelihood,
                                  boolean modelLibrary, int epochs, Rng rng) {
        Gimvi model = Gimvi.create(List.of(Gimvi.DatasetInput.of(name, counts, genes, likelihood, modelLibrary)),
                GimviArchitecture.defaults(), true, rng.split(), Backends.defaultBackend());
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = epochs;
        cfg.kappa = 0;
        model.train(cfg, rng.split(), TrainingListener.NONE);
        return model.latent(0, false, null);
    }
}
