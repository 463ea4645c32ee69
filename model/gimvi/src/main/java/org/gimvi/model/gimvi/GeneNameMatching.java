package org.gimvi.model.gimvi;

/** How a dataset's gene names are found among the reference's. */
public enum GeneNameMatching {
    /** Names must be equal, case included. */
    EXACT,
    /** Names are compared ignoring case (a reference's own names must then be unique ignoring case). */
    IGNORE_CASE;

    boolean ignoreCase() {
        return this == IGNORE_CASE;
    }
}
