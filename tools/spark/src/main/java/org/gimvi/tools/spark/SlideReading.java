package org.gimvi.tools.spark;

import java.io.Serializable;
import org.gimvi.model.data.GeneMatching;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.tools.SavedModelImputation;

/**
 * The impute command's reading options in a form Spark can ship to executors (the command's own
 * settings hold non-serialisable reader options); {@link #settings()} rebuilds them there.
 *
 * @param layer         h5ad layer (or 'raw') to read instead of X; null = X
 * @param geneColumn    var column / loom attribute with the gene names; null = the index
 * @param orientation   text tables' orientation
 * @param caseSensitive whether gene names must match case too
 * @param seed          recorded in each output, as {@code impute --seed}
 */
record SlideReading(String layer, String geneColumn, DatasetReaders.Orientation orientation, boolean caseSensitive,
                    long seed) implements Serializable {

    SavedModelImputation.Settings settings() {
        DatasetReaders.Options o = DatasetReaders.Options.defaults().withOrientation(orientation)
                .withGeneColumn(geneColumn).withMatrix(layer);
        return new SavedModelImputation.Settings(o, caseSensitive ? GeneMatching.CaseRule.CASE_SENSITIVE
                : GeneMatching.CaseRule.EXACT_THEN_UNAMBIGUOUS_CASE, seed);
    }
}
