package org.gimvi.model.methods;

import org.gimvi.model.data.GeneMatching;

/** Resolves gene names to column indices, failing with a message that names what is missing. */
final class GeneIndex {
    private GeneIndex() {
    }

    static int[] columns(String[] genes, String[] reference, String referenceName, String dataset) {
        GeneMatching.Result r = GeneMatching.match(genes, reference, GeneMatching.CaseRule.EXACT_THEN_UNAMBIGUOUS_CASE);
        if (!r.missing().isEmpty()) {
            throw new IllegalArgumentException(dataset + ": " + r.summary("the requested genes", referenceName));
        }
        return r.positions();
    }
}
