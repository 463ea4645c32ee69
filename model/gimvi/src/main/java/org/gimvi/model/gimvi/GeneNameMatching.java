package org.gimvi.model.gimvi;

import org.gimvi.model.data.GeneMatching;

/** How a dataset's gene names are found among the reference's ({@link GeneMatching}'s one rule). */
public enum GeneNameMatching {
    /** Names must be equal, case included. */
    EXACT,
    /**
     * The exact name first; otherwise the one reference gene equal to it ignoring case (a reference
     * whose names collide ignoring case stays usable; an ambiguous name is refused).
     */
    IGNORE_CASE;

    GeneMatching.CaseRule caseRule() {
        return this == IGNORE_CASE ? GeneMatching.CaseRule.EXACT_THEN_UNAMBIGUOUS_CASE
                : GeneMatching.CaseRule.CASE_SENSITIVE;
    }
}
