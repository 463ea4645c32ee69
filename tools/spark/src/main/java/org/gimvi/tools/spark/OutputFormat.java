package org.gimvi.tools.spark;

/** What the job writes for the imputed slides. */
public enum OutputFormat {
    /** {@code OUT_DIR/SLIDE.h5ad} per slide: the file {@code gimvi impute --model} writes. */
    H5AD,
    /**
     * One Parquet table {@code OUT_DIR/imputed.parquet} of every imputed cell ({@link ImputedTable}):
     * slide, cell, whether the model used it, one column per reference gene, the latent space.
     */
    PARQUET
}
