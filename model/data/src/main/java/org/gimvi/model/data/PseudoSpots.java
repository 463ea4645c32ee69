package org.gimvi.model.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.gimvi.engine.matrix.DenseCountMatrix;

/**
 * Spot-based data made from single-cell spatial data: the cells' counts are summed over the squares of
 * a grid laid over their coordinates, as Li et al. 2022 simulate spot assays from single-cell ones.
 *
 * <p>Why: spot assays (Visium, Slide-seq's beads) measure mixtures of several cells, which methods
 * built for single cells may impute badly; summing a single-cell dataset with known truth into spots
 * gives a spot pair on which every gene's true value is still known. The spot's value for a gene is the
 * sum of its cells' counts (counts stay counts), its coordinates the square's centre.
 *
 * @param counts      spots × genes, summed counts
 * @param coordinates spots × 2, the centres of the squares
 * @param names       one name per spot, {@code spot_COLUMN_ROW} of the grid square
 * @param cellsPerSpot how many cells each spot sums
 */
public record PseudoSpots(DenseCountMatrix counts, float[][] coordinates, String[] names, int[] cellsPerSpot) {

    /**
     * Sums the rows of {@code cells} over the squares [c·side, (c+1)·side) × [r·side, (r+1)·side) of a grid
     * anchored at the coordinates' origin (so the same side gives the same spots for any subset of a
     * slide); spots are ordered by their first cell.
     *
     * @param coordinates one (x, y, …) per cell; only x and y are used
     */
    public static PseudoSpots of(DenseCountMatrix cells, float[][] coordinates, double side) {
        if (!(side > 0) || Double.isInfinite(side)) {
            throw new IllegalArgumentException("pseudo-spot side " + side + " must be a positive number (coordinate units)");
        }
        if (coordinates == null || coordinates.length != cells.rows()) {
            throw new IllegalArgumentException("pseudo-spots need one (x, y) per cell: got "
                    + (coordinates == null ? "no coordinates" : coordinates.length + " for " + cells.rows() + " cells"));
        }
        Map<Square, Integer> spotOfSquare = new LinkedHashMap<>();
        int[] spotOfCell = new int[cells.rows()];
        Square[] squares = new Square[cells.rows()];
        for (int i = 0; i < coordinates.length; i++) {
            if (coordinates[i].length < 2 || !Float.isFinite(coordinates[i][0]) || !Float.isFinite(coordinates[i][1])) {
                throw new IllegalArgumentException("pseudo-spots: cell " + (i + 1) + " has no finite (x, y) coordinates");
            }
            Square square = new Square((long) Math.floor(coordinates[i][0] / side),
                    (long) Math.floor(coordinates[i][1] / side));
            Integer spot = spotOfSquare.get(square);
            if (spot == null) {
                spot = spotOfSquare.size();
                spotOfSquare.put(square, spot);
                squares[spot] = square;
            }
            spotOfCell[i] = spot;
        }
        int spots = spotOfSquare.size();
        int genes = cells.cols();
        DenseCountMatrix sum = DenseCountMatrix.zeros(spots, genes);
        int[] size = new int[spots];
        float[] row = new float[genes];
        for (int i = 0; i < cells.rows(); i++) {
            cells.copyRow(i, row, 0);
            int s = spotOfCell[i];
            size[s]++;
            for (int j = 0; j < genes; j++) {
                sum.data()[s * genes + j] += row[j];
            }
        }
        float[][] centres = new float[spots][];
        String[] names = new String[spots];
        for (int s = 0; s < spots; s++) {
            centres[s] = new float[]{(float) ((squares[s].col() + 0.5) * side), (float) ((squares[s].row() + 0.5) * side)};
            names[s] = String.format(Locale.ROOT, "spot_%d_%d", squares[s].col(), squares[s].row());
        }
        return new PseudoSpots(sum, centres, names, size);
    }

    private record Square(long col, long row) {
    }

    /** Mean number of cells per spot. */
    public double meanCellsPerSpot() {
        return Arrays.stream(cellsPerSpot).average().orElse(0);
    }
}
