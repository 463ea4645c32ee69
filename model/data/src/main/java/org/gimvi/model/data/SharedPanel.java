package org.gimvi.model.data;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;

/**
 * The genes a spatial panel shares with a reference: the one place where a spatial dataset's genes
 * are matched to the reference's ({@link GeneMatching}'s rule: exact first, then ignoring case where
 * unambiguous, unless the user asks for case-sensitive names) and where too small an
 * overlap is refused. Shared genes keep the spatial panel's order.
 *
 * @param genes            the shared genes, spelled as in the spatial data
 * @param spatialColumns   each shared gene's column in the spatial data
 * @param referenceColumns each shared gene's column in the reference
 * @param spatialOnly      spatial genes the reference lacks (not used by any method)
 * @param summary          one line for the user: how many matched, what is missing or duplicated
 */
public record SharedPanel(String[] genes, int[] spatialColumns, int[] referenceColumns, List<String> spatialOnly,
                          String summary) {

    /** Fewer shared genes than this cannot link the datasets (and leave nothing to hold out). */
    public static final int MIN_SHARED_GENES = 3;

    /**
     * Matches the spatial genes against the reference's.
     *
     * @param spatialName   how to call the spatial data in messages (e.g. its file name)
     * @param referenceName how to call the reference in messages
     * @throws IllegalArgumentException when fewer than {@link #MIN_SHARED_GENES} genes are shared
     */
    public static SharedPanel match(String[] spatialGenes, String[] referenceGenes, String spatialName,
                                    String referenceName) {
        return match(spatialGenes, referenceGenes, spatialName, referenceName,
                GeneMatching.CaseRule.EXACT_THEN_UNAMBIGUOUS_CASE);
    }

    /** As {@link #match(String[], String[], String, String)}, with the given case rule. */
    public static SharedPanel match(String[] spatialGenes, String[] referenceGenes, String spatialName,
                                    String referenceName, GeneMatching.CaseRule caseRule) {
        GeneMatching.Result r = GeneMatching.match(spatialGenes, referenceGenes, caseRule);
        String summary = r.summary(spatialName, referenceName);
        IntArrayList shared = new IntArrayList();
        List<String> only = new ArrayList<>();
        for (int j = 0; j < spatialGenes.length; j++) {
            if (r.positions()[j] >= 0) {
                shared.add(j);
            } else {
                only.add(spatialGenes[j]);
            }
        }
        if (shared.size() < MIN_SHARED_GENES) {
            throw new IllegalArgumentException("only " + shared.size() + " genes of " + spatialName + " are genes of "
                    + referenceName + " (" + summary + "); imputation needs at least " + MIN_SHARED_GENES
                    + " shared genes — check the gene names, and for text tables their orientation");
        }
        String[] genes = new String[shared.size()];
        int[] sp = new int[genes.length];
        int[] ref = new int[genes.length];
        for (int q = 0; q < genes.length; q++) {
            sp[q] = shared.getInt(q);
            ref[q] = r.positions()[sp[q]];
            genes[q] = spatialGenes[sp[q]];
        }
        return new SharedPanel(genes, sp, ref, List.copyOf(only), summary);
    }

    public int size() {
        return genes.length;
    }

    /** The shared genes at the given panel positions. */
    public String[] genes(int[] panelPositions) {
        String[] out = new String[panelPositions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = genes[panelPositions[i]];
        }
        return out;
    }

    /** The spatial columns of the given panel positions. */
    public int[] spatialColumns(int[] panelPositions) {
        return pick(spatialColumns, panelPositions);
    }

    /** The reference columns of the given panel positions. */
    public int[] referenceColumns(int[] panelPositions) {
        return pick(referenceColumns, panelPositions);
    }

    /** Every panel position, 0 … size − 1. */
    public int[] all() {
        int[] out = new int[genes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = i;
        }
        return out;
    }

    private static int[] pick(int[] from, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = from[idx[i]];
        }
        return out;
    }
}
