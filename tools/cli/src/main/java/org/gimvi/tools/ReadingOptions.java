package org.gimvi.tools;

import org.gimvi.model.data.GeneMatching;
import org.gimvi.model.gimvi.GeneNameMatching;
import org.gimvi.model.io.DatasetReaders;
import picocli.CommandLine.Option;

/** How the reference and the spatial inputs are read and matched (shared by train and impute). */
final class ReadingOptions {

    @Option(names = "--layer", description = "h5ad inputs: read counts from this layer, or 'raw' for raw/X, instead "
            + "of X (for both inputs unless --seq-layer/--spatial-layer say otherwise).")
    String layer;

    @Option(names = "--seq-layer", description = "The reference's h5ad layer (or 'raw').")
    String seqLayer;

    @Option(names = "--spatial-layer", description = "The spatial data's h5ad layer (or 'raw').")
    String spatialLayer;

    @Option(names = "--orientation", description = "Text tables: CELLS_BY_GENES, GENES_BY_CELLS or AUTO (default), "
            + "for both inputs unless --seq-orientation/--spatial-orientation say otherwise.")
    DatasetReaders.Orientation orientation;

    @Option(names = "--seq-orientation", description = "The reference table's orientation.")
    DatasetReaders.Orientation seqOrientation;

    @Option(names = "--spatial-orientation", description = "The spatial table's orientation.")
    DatasetReaders.Orientation spatialOrientation;

    @Option(names = "--gene-column", description = "Gene names from this h5ad var column / loom row attribute "
            + "(default: the var index / Gene).")
    String geneColumn;

    @Option(names = "--seq-batch-key", description = "obs column of the reference whose values are batches "
            + "(e.g. donor); default: one batch.")
    String seqBatchKey;

    @Option(names = "--spatial-batch-key", description = "obs column of the spatial data whose values are batches "
            + "(e.g. slide); default: one batch per --spatial file.")
    String spatialBatchKey;

    @Option(names = "--case-sensitive", description = "Match gene names exactly, case included. Default: the exact "
            + "name first, otherwise ignoring case where only one reference gene fits.")
    boolean caseSensitive;

    DatasetReaders.Options seq() {
        return options(seqOrientation, seqLayer);
    }

    DatasetReaders.Options spatial() {
        return options(spatialOrientation, spatialLayer);
    }

    private DatasetReaders.Options options(DatasetReaders.Orientation specific, String specificLayer) {
        DatasetReaders.Orientation o = specific != null ? specific
                : orientation != null ? orientation : DatasetReaders.Orientation.AUTO;
        return DatasetReaders.Options.defaults().withOrientation(o).withGeneColumn(geneColumn)
                .withMatrix(specificLayer != null ? specificLayer : layer);
    }

    GeneMatching.CaseRule caseRule() {
        return caseSensitive ? GeneMatching.CaseRule.CASE_SENSITIVE : GeneMatching.CaseRule.EXACT_THEN_UNAMBIGUOUS_CASE;
    }

    GeneNameMatching geneNames() {
        return caseSensitive ? GeneNameMatching.EXACT : GeneNameMatching.IGNORE_CASE;
    }
}
