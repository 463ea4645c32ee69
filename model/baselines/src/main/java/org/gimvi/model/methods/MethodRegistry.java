package org.gimvi.model.methods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.gimvi.model.baselines.LibrarySizeControl;
import org.gimvi.model.baselines.SharedGeneKnn;
import org.gimvi.model.baselines.liger.LigerMethod;
import org.gimvi.model.baselines.magan.MaganMethod;
import org.gimvi.model.baselines.tangram.TangramMethod;
import org.gimvi.model.baselines.tangram.TangramMode;

/** Every imputation method by its stable name (the benchmark's method names). */
public final class MethodRegistry {
    private MethodRegistry() {
    }

    /** name → factory taking the number of epochs (ignored by methods that do not train). */
    private static Map<String, IntFunction<ImputationMethod>> registry() {
        Map<String, IntFunction<ImputationMethod>> m = new LinkedHashMap<>();
        m.put("gimvi", epochs -> new GimviMethod("gimvi", 5f, epochs));
        m.put("gimvi-k0", epochs -> new GimviMethod("gimvi-k0", 0f, epochs));
        m.put("gimvi-k1", epochs -> new GimviMethod("gimvi-k1", 1f, epochs));
        // not the spec's protocol: three rounds of `epochs`, the later two with a fresh optimiser and
        // classifier at full KL weight (TrainingConfig.rounds); three times the training cost
        m.put("gimvi-restarts", epochs -> new GimviMethod("gimvi-restarts", 5f, epochs).withRounds(3));
        m.put("knn", epochs -> new SharedGeneKnn());
        m.put("libsize", epochs -> new LibrarySizeControl());
        m.put("liger", epochs -> new LigerMethod());
        m.put("tangram", epochs -> TangramMethod.inMode(TangramMode.CELLS));
        m.put("magan", epochs -> new MaganMethod());
        m.put("tangram-clusters", epochs -> TangramMethod.inMode(TangramMode.CLUSTERS));
        return m;
    }

    public static List<String> names() {
        return new ArrayList<>(registry().keySet());
    }

    public static List<ImputationMethod> parse(String list, int epochs) {
        Map<String, IntFunction<ImputationMethod>> reg = registry();
        List<ImputationMethod> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            IntFunction<ImputationMethod> f = reg.get(name);
            if (f == null) {
                throw new IllegalArgumentException("unknown method '" + name + "'; available: " + String.join(", ", reg.keySet()));
            }
            out.add(f.apply(epochs));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--methods names no method; available: " + String.join(", ", reg.keySet()));
        }
        return out;
    }
}
