package org.gimvi.model.data;

import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.ObjectOpenHashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one rule by which a query's gene names are found among a reference's, used by every command
 * and by the model itself. By default a name matches its exact spelling first and, only where that
 * fails, the one reference gene that equals it ignoring case: a whole-transcriptome reference (the
 * Drosophila one has e.g. {@code CG1234} beside {@code cg1234}-like pairs) holds names that collide
 * ignoring case, and those must not make the reference unusable — an ambiguous query is reported,
 * never matched by chance.
 */
public final class GeneMatching {
    private GeneMatching() {
    }

    /** How names are compared. */
    public enum CaseRule {
        /** Names must be equal, case included. */
        CASE_SENSITIVE,
        /** Exact match first; otherwise a case-insensitive match when exactly one reference gene fits. */
        EXACT_THEN_UNAMBIGUOUS_CASE
    }

    /**
     * Outcome of matching a query panel against a reference gene list.
     *
     * @param ambiguous query genes with no exact match and several case-insensitive ones (also in missing)
     */
    public record Result(int[] positions, List<String> missing, List<String> duplicatesInReference,
                         List<String> duplicatesInQuery, List<String> ambiguous) {
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
            if (!ambiguous.isEmpty()) {
                sb.append("; matching several genes of ").append(referenceName).append(" ignoring case (give the exact "
                        + "spelling): ").append(preview(ambiguous));
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

    public static String preview(List<String> names) {
        int shown = Math.min(10, names.size());
        String head = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? head + ", … (" + names.size() + " in all)" : head;
    }

    /** Marks a case-insensitive key that several reference genes share. */
    private static final int AMBIGUOUS = -2;

    public static Result match(String[] query, String[] reference, CaseRule rule) {
        boolean foldCase = rule == CaseRule.EXACT_THEN_UNAMBIGUOUS_CASE;
        // a whole-transcriptome reference has tens of thousands of genes: unboxed name → index maps
        Object2IntOpenHashMap<String> exact = new Object2IntOpenHashMap<>(reference.length);
        exact.defaultReturnValue(-1);
        Object2IntOpenHashMap<String> folded = new Object2IntOpenHashMap<>(foldCase ? reference.length : 0);
        folded.defaultReturnValue(-1);
        List<String> dupRef = new ArrayList<>();
        for (int i = 0; i < reference.length; i++) {
            if (exact.putIfAbsent(reference[i], i) != -1) {
                dupRef.add(reference[i]);
                continue;
            }
            if (foldCase) {
                String key = fold(reference[i]);
                if (folded.putIfAbsent(key, i) != -1) {
                    folded.put(key, AMBIGUOUS);
                }
            }
        }
        int[] pos = new int[query.length];
        List<String> missing = new ArrayList<>();
        List<String> ambiguous = new ArrayList<>();
        List<String> dupQuery = new ArrayList<>();
        ObjectOpenHashSet<String> seenExact = new ObjectOpenHashSet<>(query.length);
        for (int j = 0; j < query.length; j++) {
            if (!seenExact.add(query[j])) {
                dupQuery.add(query[j]);
            }
            int p = exact.getInt(query[j]);
            if (p < 0 && foldCase) {
                p = folded.getInt(fold(query[j]));
                if (p == AMBIGUOUS) {
                    ambiguous.add(query[j]);
                    p = -1;
                }
            }
            pos[j] = p;
            if (p < 0) {
                missing.add(query[j]);
            }
        }
        // two query genes that differ only in case and land on one reference gene are duplicates too
        IntOpenHashSet taken = new IntOpenHashSet();
        for (int j = 0; j < query.length; j++) {
            if (pos[j] >= 0 && !taken.add(pos[j]) && !dupQuery.contains(query[j])) {
                dupQuery.add(query[j]);
            }
        }
        return new Result(pos, missing, dupRef, dupQuery, ambiguous);
    }

    private static String fold(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
