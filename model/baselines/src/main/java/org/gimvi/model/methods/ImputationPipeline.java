package org.gimvi.model.methods;

import java.util.List;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.CellSelection;
import org.gimvi.model.data.GeneMatching;
import org.gimvi.model.data.SharedPanel;

/**
 * The one path from a reference and a spatial dataset to the tasks the methods solve, used by
 * every command (impute, benchmark, demo): match the spatial genes to the reference
 * ({@link SharedPanel}), choose the usable cells ({@link CellSelection}), then build each
 * {@link ImputationTask} from a set of training genes and the genes to predict.
 */
public final class ImputationPipeline {
    private ImputationPipeline() {
    }

    /**
     * A pair ready for the methods.
     *
     * @param reference      the kept reference cells × all reference genes (sparse input stays sparse)
     * @param spatialPanel   the kept spatial cells × the shared genes, in panel order
     * @param spatialCellNames names of the kept spatial cells
     */
    public record Prepared(String dataset, SharedPanel panel, CellSelection cells, CountMatrix reference,
                           String[] referenceGenes, DenseCountMatrix spatialPanel, String[] spatialCellNames) {

        /**
         * The task of predicting {@code targets} (reference genes) from the panel genes at
         * {@code training} (panel positions).
         */
        public ImputationTask task(int[] training, String[] targets) {
            return new ImputationTask(dataset, reference, referenceGenes,
                    spatialPanel.selectColumns(training), panel.genes(training), targets);
        }
    }

    /**
     * How genes are matched and which cells are usable in each dataset.
     *
     * @param caseRule       how gene names are compared ({@link GeneMatching})
     * @param referenceCells which reference cells are usable (count likelihoods: positive totals only)
     * @param spatialCells   which spatial cells are usable
     */
    public record Settings(GeneMatching.CaseRule caseRule, CellSelection.Rule referenceCells,
                           CellSelection.Rule spatialCells) {
        /** Exact-then-unambiguous gene names; cells without counts on the panel are not usable. */
        public static Settings defaults() {
            return new Settings(GeneMatching.CaseRule.EXACT_THEN_UNAMBIGUOUS_CASE, CellSelection.Rule.POSITIVE_TOTAL,
                    CellSelection.Rule.POSITIVE_TOTAL);
        }
    }

    /** A reference and a spatial dataset, imputed from every shared gene. */
    public static Prepared prepare(CellDataset reference, CellDataset spatial) {
        return prepare(spatial.name(), reference.counts(), reference.genes(), "the reference (" + reference.name() + ")",
                spatial.counts(), spatial.genes(), spatial.cells(), "the spatial data (" + spatial.name() + ")", null);
    }

    /**
     * Matches genes, selects the cells usable for every set of training genes and keeps them.
     *
     * @param trainingSets panel positions of each set of training genes the tasks will use
     *                     ({@code null}: the whole panel)
     */
    public static Prepared prepare(String dataset, CountMatrix reference, String[] referenceGenes, String referenceName,
                                   CountMatrix spatial, String[] spatialGenes, String[] spatialCells,
                                   String spatialName, List<int[]> trainingSets) {
        return prepare(dataset, reference, referenceGenes, referenceName, spatial, spatialGenes, spatialCells,
                spatialName, trainingSets, Settings.defaults());
    }

    /** As above, with explicit gene-matching and cell rules. */
    public static Prepared prepare(String dataset, CountMatrix reference, String[] referenceGenes, String referenceName,
                                   CountMatrix spatial, String[] spatialGenes, String[] spatialCells,
                                   String spatialName, List<int[]> trainingSets, Settings settings) {
        SharedPanel panel = SharedPanel.match(spatialGenes, referenceGenes, spatialName, referenceName,
                settings.caseRule());
        List<int[]> sets = trainingSets == null ? List.of(panel.all()) : trainingSets;
        CellSelection cells = CellSelection.of(reference, settings.referenceCells(), spatial, settings.spatialCells(),
                panel, sets);
        CountMatrix ref = cells.referenceRows().length == reference.rows() ? reference
                : reference.selectRows(cells.referenceRows());
        DenseCountMatrix sp = denseColumns(spatial, cells.spatialRows(), panel.spatialColumns());
        String[] names = new String[cells.spatialRows().length];
        for (int i = 0; i < names.length; i++) {
            names[i] = spatialCells[cells.spatialRows()[i]];
        }
        return new Prepared(dataset, panel, cells, ref, referenceGenes, sp, names);
    }

    /** The given rows and columns of any count matrix, densely. */
    private static DenseCountMatrix denseColumns(CountMatrix m, int[] rows, int[] columns) {
        DenseCountMatrix d = DenseCountMatrix.zeros(rows.length, columns.length);
        float[] row = new float[m.cols()];
        for (int i = 0; i < rows.length; i++) {
            m.copyRow(rows[i], row, 0);
            for (int j = 0; j < columns.length; j++) {
                d.set(i, j, row[columns[j]]);
            }
        }
        return d;
    }
}
