package org.gimvi.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.GeneMatching;
import org.gimvi.model.data.ObsColumn;
import org.gimvi.model.io.H5adWriter;

/**
 * The imputed spatial slide as AnnData, keeping everything the user brought: every input cell in
 * input order (cells the model could not use are flagged {@code obs['gimvi_used'] = False} and
 * get zeros), every obs column, the coordinates (as {@code obsm['spatial']} and as obs columns),
 * the measured counts in {@code layers['counts']}, and spatial genes the reference lacks (kept with
 * {@code var['in_reference'] = False}). {@code uns} says what each part is.
 */
final class ImputedOutput {
    private ImputedOutput() {
    }

    /**
     * How the slide's genes sit in the output.
     *
     * @param modelSlideColumns    slide columns of the genes the model encodes (their total is the library)
     * @param measuredSlideColumns slide columns of the slide's genes that are reference genes
     * @param measuredOutputColumns each one's column among the output (reference) genes
     * @param spatialOnlyColumns   slide columns of genes the reference lacks (appended after the reference genes)
     */
    record Layout(int[] modelSlideColumns, int[] measuredSlideColumns, int[] measuredOutputColumns,
                  int[] spatialOnlyColumns) {

        /** Matches the slide's genes to the output genes by the one gene-name rule. */
        static Layout of(String[] slideGenes, String[] outputGenes, int[] modelSlideColumns,
                         GeneMatching.CaseRule caseRule, String slideName) {
            GeneMatching.Result r = GeneMatching.match(slideGenes, outputGenes,
                    caseRule);
            if (!r.duplicatesInQuery().isEmpty()) {
                throw new IllegalArgumentException(slideName + ": duplicate gene names "
                        + GeneMatching.preview(r.duplicatesInQuery()) + "; make them unique");
            }
            int found = r.found();
            int[] slideCols = new int[found];
            int[] outCols = new int[found];
            int[] only = new int[slideGenes.length - found];
            int a = 0;
            int b = 0;
            for (int j = 0; j < slideGenes.length; j++) {
                if (r.positions()[j] >= 0) {
                    slideCols[a] = j;
                    outCols[a++] = r.positions()[j];
                } else {
                    only[b++] = j;
                }
            }
            return new Layout(modelSlideColumns, slideCols, outCols, only);
        }
    }

    /**
     * What the model produced for the used cells.
     *
     * @param usedRows slide rows the model encoded, ascending
     * @param values   used cells × output genes (expected counts)
     * @param latent   used cells × latent dimensions
     */
    record Imputation(int[] usedRows, FMatrixRMaj values, FMatrixRMaj latent) {
    }

    static final String X_MEANING = "gimVI imputation for every reference gene: expected counts given the cell's total "
            + "over the measured panel genes (scvi-tools get_imputed_values, normalized=False), from the spatial "
            + "encoder's posterior mean";

    static void write(Path out, CellDataset slide, String[] outputGenes, Layout layout, Imputation imp,
                      Map<String, Object> provenance) throws IOException {
        int n = slide.counts().rows();
        int g = outputGenes.length;
        int v = g + layout.spatialOnlyColumns().length;
        String[] genes = new String[v];
        System.arraycopy(outputGenes, 0, genes, 0, g);
        boolean[] inReference = new boolean[v];
        boolean[] measured = new boolean[v];
        Arrays.fill(inReference, 0, g, true);
        for (int c : layout.measuredOutputColumns()) {
            measured[c] = true;
        }
        for (int k = 0; k < layout.spatialOnlyColumns().length; k++) {
            genes[g + k] = slide.genes()[layout.spatialOnlyColumns()[k]];
            measured[g + k] = true;
        }
        int d = imp.latent().numCols;
        float[][] x = new float[n][v];
        float[][] z = new float[n][d];
        boolean[] used = new boolean[n];
        for (int r = 0; r < imp.usedRows().length; r++) {
            int i = imp.usedRows()[r];
            used[i] = true;
            System.arraycopy(imp.values().data, r * g, x[i], 0, g);
            System.arraycopy(imp.latent().data, r * d, z[i], 0, d);
        }
        double[] panelTotal = new double[n];
        CsrMatrix counts = measuredCounts(slide, layout, g, v, panelTotal);

        H5adWriter.Content c = new H5adWriter.Content(x, slide.cells(), genes);
        Map<String, ObsColumn> obs = new LinkedHashMap<>(slide.obs());
        for (Map.Entry<String, ObsColumn> e : obs.entrySet()) {
            c.obs(e.getKey(), e.getValue());
        }
        if (slide.coordinates() != null) {
            String[] axes = {"x", "y", "z"};
            int dims = slide.coordinates()[0].length;
            for (int a = 0; a < dims; a++) {
                String name = dims <= 3 ? axes[a] : "spatial_" + a;
                if (!obs.containsKey(name)) {
                    double[] col = new double[n];
                    for (int i = 0; i < n; i++) {
                        col[i] = slide.coordinates()[i][a];
                    }
                    c.obs(name, col);
                }
            }
        }
        c.obs(unique(obs, "gimvi_used"), used).obs(unique(obs, "panel_total"), panelTotal);
        c.var("in_reference", inReference).var("measured_in_spatial", measured);
        c.layer("counts", counts);
        if (slide.coordinates() != null) {
            c.obsm("spatial", slide.coordinates());
        }
        if (d > 0) { // a method without a latent space leaves it out
            c.obsm("X_gimvi", z);
        }
        int unused = n - imp.usedRows().length;
        c.uns("X", X_MEANING + "; genes the reference lacks (var['in_reference'] False) are 0 in X")
                .uns("layers_counts", "the measured values of the spatial panel as read (0 for genes not measured)")
                .uns("obsm_X_gimvi", "the joint latent space (posterior mean of z)")
                .uns("unused_cells", (long) unused)
                .uns("unused_cell_values", "cells with obs['gimvi_used'] False had no counts on the panel genes the "
                        + "model uses: their X and obsm['X_gimvi'] are 0 (placeholders, not estimates)");
        for (Map.Entry<String, Object> e : provenance.entrySet()) {
            Object val = e.getValue();
            if (val instanceof String s) {
                c.uns(e.getKey(), s);
            } else if (val instanceof Boolean b) {
                c.uns(e.getKey(), b);
            } else if (val instanceof Double || val instanceof Float) {
                c.uns(e.getKey(), ((Number) val).doubleValue());
            } else {
                c.uns(e.getKey(), ((Number) val).longValue());
            }
        }
        H5adWriter.write(out, c);
    }

    /**
     * The reference cells' latent space as its own AnnData: X (and {@code obsm['X_gimvi']}) = the
     * posterior mean of z, every reference cell in input order with its obs columns, unused cells
     * flagged and zero.
     */
    static void writeReferenceLatent(Path out, CellDataset reference, int[] usedRows, FMatrixRMaj latent,
                                     Map<String, Object> provenance) throws IOException {
        int n = reference.counts().rows();
        int d = latent.numCols;
        float[][] z = new float[n][d];
        boolean[] used = new boolean[n];
        for (int r = 0; r < usedRows.length; r++) {
            used[usedRows[r]] = true;
            System.arraycopy(latent.data, r * d, z[usedRows[r]], 0, d);
        }
        String[] dims = new String[d];
        for (int k = 0; k < d; k++) {
            dims[k] = "z" + k;
        }
        H5adWriter.Content c = new H5adWriter.Content(z, reference.cells(), dims);
        for (Map.Entry<String, ObsColumn> e : reference.obs().entrySet()) {
            c.obs(e.getKey(), e.getValue());
        }
        c.obs(unique(reference.obs(), "gimvi_used"), used).obsm("X_gimvi", z)
                .uns("X", "the joint latent space of the reference cells (posterior mean of z); the spatial cells' "
                        + "latent space is obsm['X_gimvi'] of the imputed file")
                .uns("unused_cell_values", "cells with obs['gimvi_used'] False had no counts: their values are 0 "
                        + "(placeholders, not estimates)");
        provenance.forEach((k, v) -> {
            if (v instanceof String s) {
                c.uns(k, s);
            }
        });
        H5adWriter.write(out, c);
    }

    /** A name for a column we add that does not replace one of the user's. */
    private static String unique(Map<String, ObsColumn> obs, String name) {
        return obs.containsKey(name) ? name + "_gimvi" : name;
    }

    private static CsrMatrix measuredCounts(CellDataset slide, Layout layout, int g, int v, double[] panelTotal) {
        int n = slide.counts().rows();
        int[] slideCols = new int[layout.measuredSlideColumns().length + layout.spatialOnlyColumns().length];
        int[] outCols = new int[slideCols.length];
        int k = 0;
        for (int q = 0; q < layout.measuredSlideColumns().length; q++, k++) {
            slideCols[k] = layout.measuredSlideColumns()[q];
            outCols[k] = layout.measuredOutputColumns()[q];
        }
        for (int q = 0; q < layout.spatialOnlyColumns().length; q++, k++) {
            slideCols[k] = layout.spatialOnlyColumns()[q];
            outCols[k] = g + q;
        }
        // CSR columns must ascend within a row
        Integer[] order = new Integer[slideCols.length];
        for (int q = 0; q < order.length; q++) {
            order[q] = q;
        }
        Arrays.sort(order, java.util.Comparator.comparingInt(q -> outCols[q]));
        int[] indptr = new int[n + 1];
        int[] indices = new int[Math.max(16, n * 4)];
        float[] values = new float[indices.length];
        int nnz = 0;
        float[] row = new float[slide.counts().cols()];
        for (int i = 0; i < n; i++) {
            slide.counts().copyRow(i, row, 0);
            for (Integer q : order) {
                float val = row[slideCols[q]];
                if (val != 0) {
                    if (nnz == indices.length) {
                        indices = Arrays.copyOf(indices, nnz * 2);
                        values = Arrays.copyOf(values, nnz * 2);
                    }
                    indices[nnz] = outCols[q];
                    values[nnz++] = val;
                }
            }
            for (int col : layout.modelSlideColumns()) {
                panelTotal[i] += row[col];
            }
            indptr[i + 1] = nnz;
        }
        return new CsrMatrix(n, v, indptr, Arrays.copyOf(indices, nnz), Arrays.copyOf(values, nnz));
    }
}
