package org.gimvi.model.baselines;

import java.util.Arrays;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;

/**
 * Seurat's TransferData weights (FindWeights + FindWeightsC): for every query cell, its k nearest
 * anchor query cells in the weight space; with d_k the k-th distance, each neighbour's d′ = 1 − d/d_k;
 * every anchor of that neighbour (in anchor order) gets 1 − exp(−d′·score / (2/sd)²), at most k
 * anchors in all; the weights are normalised to sum 1 per query cell.
 */
final class TransferWeights {
    /** Per query cell, the anchors used and their weights. */
    private final int[][] anchor;
    private final double[][] weight;

    private TransferWeights(int[][] anchor, double[][] weight) {
        this.anchor = anchor;
        this.weight = weight;
    }

    static TransferWeights compute(SeuratAnchors.Anchors anchors, double[] score, DMatrixRMaj weightSpace, int k, double sd) {
        int nq = weightSpace.numRows;
        int[] cells = Arrays.stream(anchors.query).distinct().toArray(); // unique, in order of first appearance
        if (cells.length < k) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "seurat: only %d spatial cells are anchors, fewer than k_weight = %d; lower k_weight below %d or raise k_anchor",
                    cells.length, k, cells.length));
        }
        // anchors of each anchor cell, in anchor order
        int[][] byCell = new int[cells.length][];
        int[] position = new int[nq];
        Arrays.fill(position, -1);
        for (int c = 0; c < cells.length; c++) {
            position[cells[c]] = c;
        }
        int[] counts = new int[cells.length];
        for (int q : anchors.query) {
            counts[position[q]]++;
        }
        for (int c = 0; c < cells.length; c++) {
            byCell[c] = new int[counts[c]];
            counts[c] = 0;
        }
        for (int j = 0; j < anchors.size(); j++) {
            int c = position[anchors.query[j]];
            byCell[c][counts[c]++] = j;
        }
        DMatrixRMaj anchorRows = new DMatrixRMaj(cells.length, weightSpace.numCols);
        for (int c = 0; c < cells.length; c++) {
            System.arraycopy(weightSpace.data, cells[c] * weightSpace.numCols, anchorRows.data, c * weightSpace.numCols,
                    weightSpace.numCols);
        }
        KnnResult nn = Neighbours.search(weightSpace, anchorRows, k, KnnMetric.EUCLIDEAN);
        double bandwidth = (2 / sd) * (2 / sd);
        int[][] used = new int[nq][];
        double[][] w = new double[nq][];
        int[] a = new int[k];
        double[] v = new double[k];
        for (int q = 0; q < nq; q++) {
            double dk = nn.distance(q, k - 1);
            int n = 0;
            for (int r = 0; r < k && n < k; r++) {
                // all k neighbours at distance 0 (dk = 0): Seurat's 0/0; treat them as equally close
                double d = dk > 0 ? 1 - nn.distance(q, r) / dk : 1;
                for (int j : byCell[nn.neighbour(q, r)]) {
                    if (n == k) {
                        break;
                    }
                    a[n] = j;
                    v[n++] = 1 - Math.exp(-d * score[j] / bandwidth);
                }
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += v[i];
            }
            for (int i = 0; i < n; i++) {
                // every weight 0 (only the k-th neighbour's anchors, or zero scores): Seurat gives NaN; use equal weights
                v[i] = sum > 0 ? v[i] / sum : 1.0 / n;
            }
            used[q] = Arrays.copyOf(a, n);
            w[q] = Arrays.copyOf(v, n);
        }
        return new TransferWeights(used, w);
    }

    /** query cells × columns of {@code refValues}: Σ weight · (the anchor's reference cell's row). */
    DMatrixRMaj transfer(SeuratAnchors.Anchors anchors, DMatrixRMaj refValues) {
        int g = refValues.numCols;
        DMatrixRMaj out = new DMatrixRMaj(anchor.length, g);
        for (int q = 0; q < anchor.length; q++) {
            for (int i = 0; i < anchor[q].length; i++) {
                int cell = anchors.ref[anchor[q][i]];
                double wi = weight[q][i];
                for (int t = 0; t < g; t++) {
                    out.data[q * g + t] += wi * refValues.data[cell * g + t];
                }
            }
        }
        return out;
    }
}
