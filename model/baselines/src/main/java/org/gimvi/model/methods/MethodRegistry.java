package org.gimvi.model.methods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gimvi.model.baselines.CoralKnn;
import org.gimvi.model.baselines.LibrarySizeControl;
import org.gimvi.model.baselines.ScviKnn;
import org.gimvi.model.baselines.SeuratAnchors;
import org.gimvi.model.baselines.SharedGeneKnn;
import org.gimvi.model.baselines.SpaGE;
import org.gimvi.model.baselines.liger.LigerMethod;
import org.gimvi.model.baselines.magan.MaganMethod;
import org.gimvi.model.baselines.tangram.TangramMethod;
import org.gimvi.model.baselines.tangram.TangramMode;
import org.gimvi.model.gimvi.TrainingScheme;

/** Every imputation method by its stable name (the benchmark's method names). */
public final class MethodRegistry {
    private MethodRegistry() {
    }

    /** Builds a method from the number of epochs (ignored by methods that do not train) and parameter overrides. */
    @FunctionalInterface
    private interface Factory {
        ImputationMethod create(int epochs, Map<String, String> overrides);
    }

    /** name → factory; a factory that ignores the overrides belongs to a method without parameters. */
    private static Map<String, Factory> registry() {
        Map<String, Factory> m = new LinkedHashMap<>();
        // the default: five gimVI fits of `epochs`, each without one fold of the panel genes, read at
        // three checkpoints, averaged and blended with shared-gene kNN and SpaGE by weights chosen on
        // the out-of-fold genes (README, "The default")
        m.put("gimvi", (epochs, p) -> GimviEnsemble.create("gimvi", epochs, p));
        // κ variants of the default, for δρ against κ = 0 (Table 1)
        m.put("gimvi-k0", (epochs, p) -> GimviEnsemble.create("gimvi-k0", epochs, withDefault(p, "kappa", "0")));
        m.put("gimvi-k1", (epochs, p) -> GimviEnsemble.create("gimvi-k1", epochs, withDefault(p, "kappa", "1")));
        // the previous default, one model: the spec's step in three warm-restart rounds of `epochs`
        // (the later two with a fresh optimiser and classifier at full KL weight); what `gimvi train` saves
        m.put("gimvi-rounds", (epochs, p) -> GimviMethod.defaults("gimvi-rounds", epochs));
        // scvi-tools' current training as the gimVI spec gives it: one run of `epochs`, KL warm-up 400
        m.put("gimvi-spec", (epochs, p) -> new GimviMethod("gimvi-spec", 5f, epochs).withScheme(TrainingScheme.SPEC));
        // the authors' 2019 trainer and notebook settings: three-step scheme, n_latent 8, 95 % split
        m.put("gimvi-paper2019", (epochs, p) -> new GimviMethod("gimvi-paper2019", 5f, epochs).paper2019());
        // κ chosen per task on its own training genes (TrainingGeneValidation) around gimvi-spec's
        // single run: 4 candidates × 3 folds + the refit = 13 single runs
        m.put("gimvi-kbest", (epochs, p) -> new GimviKappaSearch("gimvi-kbest", new GimviMethod("gimvi-kbest", 5f, epochs)));
        m.put("knn", (epochs, p) -> new SharedGeneKnn());
        m.put("libsize", (epochs, p) -> new LibrarySizeControl());
        m.put("spage", (epochs, p) -> new SpaGE(p));
        m.put("seurat", (epochs, p) -> new SeuratAnchors(p));
        m.put("coral", (epochs, p) -> new CoralKnn(p));
        m.put("scvi-knn", (epochs, p) -> new ScviKnn(epochs, p));
        m.put("liger", (epochs, p) -> LigerMethod.fromParameters(p));
        m.put("tangram", (epochs, p) -> TangramMethod.fromParameters(TangramMode.CELLS, p));
        m.put("tangram-clusters", (epochs, p) -> TangramMethod.fromParameters(TangramMode.CLUSTERS, p));
        m.put("magan", (epochs, p) -> MaganMethod.fromParameters(p));
        return m;
    }

    /**
     * One method with {@code name=value} overrides of its parameters ({@link ImputationMethod#parameters()});
     * an override the method does not have fails with the valid names.
     */
    public static ImputationMethod create(String name, int epochs, Map<String, String> overrides) {
        Factory f = registry().get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown method '" + name + "'; available: " + String.join(", ", names()));
        }
        ImputationMethod method = f.create(epochs, overrides);
        // methods without parameters ignore the map; refuse what they would silently drop
        MethodParameters.of(name, method.parameters(), overrides);
        return method;
    }

    /** The overrides with {@code name=value} added unless the user set it. */
    private static Map<String, String> withDefault(Map<String, String> overrides, String name, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(name, value);
        m.putAll(overrides);
        return m;
    }

    public static List<String> names() {
        return new ArrayList<>(registry().keySet());
    }

    public static List<ImputationMethod> parse(String list, int epochs) {
        return parse(list, epochs, Map.of());
    }

    /**
     * The methods of a comma-separated list, each with its overrides from {@code overrides}
     * (method name → parameter overrides); overrides of a method not in the list are refused.
     */
    public static List<ImputationMethod> parse(String list, int epochs, Map<String, Map<String, String>> overrides) {
        List<String> listed = new ArrayList<>();
        for (String raw : list.split(",")) {
            if (!raw.trim().isEmpty()) {
                listed.add(raw.trim());
            }
        }
        for (String m : overrides.keySet()) {
            if (!listed.contains(m)) {
                throw new IllegalArgumentException("--param names method '" + m + "', which --methods does not list");
            }
        }
        List<ImputationMethod> out = new ArrayList<>();
        for (String name : listed) {
            out.add(create(name, epochs, overrides.getOrDefault(name, Map.of())));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--methods names no method; available: " + String.join(", ", names()));
        }
        return out;
    }
}
