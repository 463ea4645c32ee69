package org.gimvi.model.gimvi;

import java.util.Locale;

/** How the inverse dispersion θ of the (ZI)NB is shared. */
public enum Dispersion {
    /** One θ per gene, shared by every cell of every dataset. */
    GENE,
    /** One θ per gene and batch (gimVI's default; each dataset has its own batches). */
    GENE_BATCH;

    public static Dispersion parse(String s) {
        String n = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown dispersion '" + s + "': use gene or gene-batch");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
