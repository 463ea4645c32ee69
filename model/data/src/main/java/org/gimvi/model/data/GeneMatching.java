package org.gimvi.model.data;

import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.ObjectOpenHashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds each query gene's position among reference genes, exactly or ignoring case, and reports
 * what matched, what did not, and duplicate names.
 */
public final class GeneMatching {
    private GeneMatching() {
    }

    /** Outcome of matching a query panel against a reference gene list. */
    public record Result(int[] positions, List<String> missing, List<String> duplicatesInReference,
                         List<String> duplicatesInQuery) {
        /** Number of query genes found in the reference. */
        public int found() {
            int n = 0;
            for (int p : positions) {
                n += p >= 0 ? 1 : 0;
            }
            return n;
        }

        public String summary(String queryName, String referenceName) {
            StringBuilder sb = new StringBuilder();
            sb.append(found()).append(" of ").append(positions.length).append(" genes of ").append(queryName)
                    .append(" found in ").append(referenceName);
            if (!missing.isEmpty()) {
                sb.append("; missing: ").append(preview(missing));
            }
            if (!duplicatesInReference.isEmpty()) {
                sb.append("; duplicate names in ").append(referenceName).append(": ").append(preview(duplicatesInReference));
            }
            if (!duplicatesInQuery.isEmpty()) {
                sb.append("; duplicate names in ").append(queryName).append(": ").append(preview(duplicatesInQuery));
            }
            return sb.toString();
        }
    }

    static String preview(List<String> names) {
        int shown = Math.min(10, names.size());
        String head = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? head + ", … (" + names.size() + " in all)" : head;
    }

    public static Result match(String[] query, String[] reference, boolean ignoreCase) {
        // a whole-transcriptome reference has tens of thousands of genes: an unboxed name → index map
        Object2IntOpenHashMap<String> index = new Object2IntOpenHashMap<>(reference.length);
        index.defaultReturnValue(-1);
        List<String> dupRef = new ArrayList<>();
        for (int i = 0; i < reference.length; i++) {
            String key = key(reference[i], ignoreCase);
            if (index.putIfAbsent(key, i) != -1) {
                dupRef.add(reference[i]);
            }
        }
        int[] pos = new int[query.length];
        List<String> missing = new ArrayList<>();
        List<String> dupQuery = new ArrayList<>();
        ObjectOpenHashSet<String> seen = new ObjectOpenHashSet<>(query.length);
        for (int j = 0; j < query.length; j++) {
            String key = key(query[j], ignoreCase);
            if (!seen.add(key)) {
                dupQuery.add(query[j]);
            }
            pos[j] = index.getInt(key);
            if (pos[j] < 0) {
                missing.add(query[j]);
            }
        }
        return new Result(pos, missing, dupRef, dupQuery);
    }

    private static String key(String s, boolean ignoreCase) {
        return ignoreCase ? s.toUpperCase(Locale.ROOT) : s;
    }
}
