package org.gimvi.tools;

import java.nio.file.Path;
import java.util.Locale;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.CountValues;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.H5adCellSource;
import org.gimvi.model.io.H5adReader;

/**
 * Where the reference's counts live while gimVI trains: read into memory (any format), or kept on
 * disk and streamed block by block ({@code train --stream-reference}: a CSR matrix of an .h5ad
 * file, for references larger than the heap).
 */
enum ReferenceStorage {
    /** Read the whole matrix into memory (dense or CSR, any supported format). */
    IN_MEMORY,
    /** Keep an .h5ad reference's CSR matrix on disk ({@link H5adCellSource}); nothing densifies it. */
    STREAMED;

    /** Reads (or opens) the reference and checks its values as {@link Inputs#read} does, in one pass. */
    CellDataset read(Path file, DatasetReaders.Options options, Likelihood likelihood, Progress progress) {
        if (this == IN_MEMORY) {
            return Inputs.read(file, options, likelihood, progress);
        }
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".h5ad")) {
            throw new IllegalArgumentException(file + ": --stream-reference reads an .h5ad reference (a CSR X, layer "
                    + "or raw/X); convert this one (e.g. anndata: adata.write_h5ad) or train without --stream-reference");
        }
        progress.step("opening " + file.getFileName() + " (streamed from disk)");
        CellDataset d = H5adReader.stream(file, new H5adReader.Options(options.matrix() == null ? "X" : options.matrix(),
                options.geneColumn(), H5adReader.Options.defaults().spatialKey()), H5adCellSource.DEFAULT_BLOCK_ROWS);
        try {
            CountValues.check(d.counts(), d.genes(), d.cells(), file.toString(),
                    likelihood.countsOnly() ? CountValues.Sign.NON_NEGATIVE : CountValues.Sign.ANY);
            CountValues.checkUniqueCells(d.cells(), file.toString());
        } catch (RuntimeException e) {
            release(d);
            throw e;
        }
        return d;
    }

    /**
     * The one-line failure for a reference that ran out of heap while it was read and prepared
     * (the in-memory path holds its CSR arrays and a copy of the usable rows), with the way out.
     *
     * @param maxHeapBytes the JVM's heap limit ({@code Runtime.maxMemory()}), shown so the user sees what it was
     */
    IllegalStateException outOfHeap(Path file, long maxHeapBytes) {
        String heap = String.format(Locale.ROOT, "%.1f GiB", maxHeapBytes / (double) (1L << 30)); // as -Xmx counts
        if (this == IN_MEMORY) {
            return new IllegalStateException(file + ": the reference does not fit in the Java heap (" + heap + ") once "
                    + "read into memory; train with --stream-reference (an .h5ad reference stays on disk) or give the JVM "
                    + "a larger heap (JAVA_OPTS=-Xmx…)");
        }
        return new IllegalStateException(file + ": preparing the streamed reference and the slides ran out of Java heap ("
                + heap + "); give the JVM a larger heap (JAVA_OPTS=-Xmx…)");
    }

    /** Closes a streamed reference's file; nothing for one in memory. */
    static void release(CellDataset reference) {
        if (reference != null && reference.counts() instanceof H5adCellSource source) {
            source.close();
        }
    }
}
