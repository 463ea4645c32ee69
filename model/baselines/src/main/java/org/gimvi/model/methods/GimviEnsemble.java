package org.gimvi.model.methods;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gimvi.model.baselines.SharedGeneKnn;
import org.gimvi.model.gimvi.TrainingScheme;

/**
 * gimVI as a {@link CrossFittedEnsemble}: K gimVI fits, each without one fold of the spatial training
 * genes, averaged, and blended with shared-gene kNN by the weight that scores best on those genes.
 * Parameters ({@code --param NAME=VALUE}): {@code members} (K), {@code mean} (arithmetic|geometric),
 * {@code companion} (knn|none) and {@code member}, the fit each member runs: {@code spec} (one run of
 * the spec's step), {@code paper2019} (one run of the authors' 2019 scheme) or {@code rounds} (the
 * spec's step in {@link GimviMethod#DEFAULT_ROUNDS} warm-restart rounds).
 */
public final class GimviEnsemble {
    private GimviEnsemble() {
    }

    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("members", "5");
        d.put("mean", "arithmetic");
        d.put("companion", "knn");
        d.put("member", "spec");
        return d;
    }

    public static CrossFittedEnsemble create(String name, int epochs, Map<String, String> overrides) {
        MethodParameters p = MethodParameters.of(name, defaults(), overrides);
        int members = p.intValue("members", 1);
        CrossFittedEnsemble.Mean mean = p.choice("mean", "arithmetic", "geometric").equals("geometric")
                ? CrossFittedEnsemble.Mean.GEOMETRIC : CrossFittedEnsemble.Mean.ARITHMETIC;
        String memberKind = p.choice("member", "spec", "paper2019", "rounds");
        GimviMethod member = switch (memberKind) {
            case "paper2019" -> new GimviMethod("paper2019", 5f, epochs).paper2019();
            case "rounds" -> GimviMethod.defaults("rounds", epochs);
            default -> new GimviMethod("spec", 5f, epochs).withScheme(TrainingScheme.SPEC);
        };
        ImputationMethod companion = p.choice("companion", "knn", "none").equals("knn") ? new SharedGeneKnn() : null;
        return new CrossFittedEnsemble(name, member, companion, members, mean);
    }
}
