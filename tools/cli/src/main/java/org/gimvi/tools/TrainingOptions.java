package org.gimvi.tools;

import org.gimvi.model.gimvi.GimviArchitecture;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.methods.GimviMethod;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How gimVI is trained (shared by train and the one-shot impute). */
final class TrainingOptions {

    @Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--epochs", defaultValue = "200", description = "Training epochs (at least 1). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--rounds", defaultValue = "3", description = "Warm-restart rounds of --epochs each: later rounds "
            + "restart the optimiser and classifier at full KL weight (1 is the gimVI paper's single run; 3 imputes "
            + "held-out genes better at 3x the cost, see README). Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--kappa", defaultValue = "5", description = "Adversarial weight κ ≥ 0, or 'auto': choose it from "
            + "{0, 0.5, 1, 5} on the spatial panel's own genes (folds of the panel predicted from the rest with single "
            + "runs; 12 extra fits), never on genes the panel lacks. Default: ${DEFAULT-VALUE}.")
    String kappa;

    /** --kappa auto: κ is chosen on the panel's genes before training. */
    boolean kappaAuto() {
        return kappa.trim().equalsIgnoreCase("auto");
    }

    private float kappaValue() {
        if (kappaAuto()) {
            return 5f; // the search replaces it; the rest of the configuration is validated with the default
        }
        try {
            return Float.parseFloat(kappa.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--kappa must be a number ≥ 0 or 'auto', not '" + kappa + "'");
        }
    }

    @Option(names = "--spatial-likelihood", defaultValue = "nb",
            description = "nb, poisson, zinb, or gaussian for continuous data. Default: ${DEFAULT-VALUE}.")
    String spatialLikelihood;

    @Option(names = "--seq-likelihood", defaultValue = "zinb",
            description = "zinb, nb, poisson, or gaussian for continuous data. Default: ${DEFAULT-VALUE}.")
    String seqLikelihood;

    @Option(names = "--allow-non-counts", description = "Accept spatial values that are not raw integer counts "
            + "(normalised or continuous). The count likelihood will model them anyway: results are at your risk.")
    boolean allowNonCounts;

    /** Checks the settings before any input is read. */
    void validate() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1 (got " + epochs + "): 0 would train nothing");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1 (got " + rounds + ")");
        }
        seq();
        spatial();
        config().validate();
        device.check();
    }

    Likelihood seq() {
        return Likelihood.parse(seqLikelihood);
    }

    Likelihood spatial() {
        return Likelihood.parse(spatialLikelihood);
    }

    TrainingConfig config() {
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = epochs;
        cfg.kappa = kappaValue();
        cfg.rounds = rounds;
        return cfg;
    }

    GimviMethod method(Progress progress, ReadingOptions reading) {
        GimviMethod m = new GimviMethod("gimvi", config(), GimviArchitecture.defaults(), device.backend(), progress)
                .withLikelihoods(seq(), spatial()).withGeneNames(reading.geneNames());
        return allowNonCounts ? m.allowingNonIntegerSpatialValues() : m;
    }
}
