package org.gimvi.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gimvi.metrics.benchmark.LiBenchmarkScores;
import org.gimvi.metrics.imputation.Correlation;
import org.gimvi.model.data.GeneMatching;
import org.gimvi.model.io.AtomicFiles;
import org.gimvi.model.io.InputFormatException;
import org.gimvi.model.io.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gimvi evaluate}: scores any prediction table against the truth the same way the benchmark
 * does, so predictions from other tools are comparable. Inputs are h5ad, loom, or CSV/TSV (optionally
 * gzipped) with cells as rows (first column the cell name) and genes as columns; genes are matched by
 * name ({@link GeneMatching}'s rule), cells by name.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score predicted expression against the truth: Spearman, Pearson, and Li et al. 2022 PCC, SSIM, "
                + "RMSE and JS per gene.")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--truth", required = true, description = "True values: cells × genes table.")
    Path truth;

    @Option(names = "--pred", required = true, description = "Predictions: cells × genes table (same cell names).")
    Path pred;

    @Option(names = "--out", description = "Folder for per_gene.csv (printed only when absent).")
    Path out;

    @Override
    public Integer call() throws Exception {
        TextTable t = asTable(truth);
        TextTable p = asTable(pred);
        Map<String, Integer> predCells = new HashMap<>();
        for (int i = 0; i < p.rows(); i++) {
            predCells.put(p.rowNames()[i], i);
        }
        int[] cellMap = new int[t.rows()];
        List<String> missingCells = new ArrayList<>();
        for (int i = 0; i < t.rows(); i++) {
            Integer j = predCells.get(t.rowNames()[i]);
            cellMap[i] = j == null ? -1 : j;
            if (j == null) {
                missingCells.add(t.rowNames()[i]);
            }
        }
        if (!missingCells.isEmpty()) {
            throw new InputFormatException(pred, missingCells.size() + " of the " + t.rows() + " truth cells have no "
                    + "prediction (first: " + missingCells.get(0) + "); both tables must name the same cells in the first column");
        }
        // the one gene-name rule of every command: exact first, then ignoring case where unambiguous
        GeneMatching.Result genes = GeneMatching.match(t.colNames(), p.colNames(),
                GeneMatching.CaseRule.EXACT_THEN_UNAMBIGUOUS_CASE);
        List<Integer> truthCols = new ArrayList<>();
        List<Integer> predCols = new ArrayList<>();
        for (int j = 0; j < t.cols(); j++) {
            if (genes.positions()[j] >= 0) {
                truthCols.add(j);
                predCols.add(genes.positions()[j]);
            }
        }
        if (truthCols.isEmpty()) {
            throw new InputFormatException(pred, "shares no gene with " + truth + "; columns must be gene names");
        }
        int n = t.rows();
        int g = truthCols.size();
        double[] tv = new double[n * g];
        double[] pv = new double[n * g];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < g; q++) {
                tv[i * g + q] = t.get(i, truthCols.get(q));
                pv[i * g + q] = p.get(cellMap[i], predCols.get(q));
            }
        }
        LiBenchmarkScores li = LiBenchmarkScores.of(tv, pv, n, g);
        StringBuilder csv = new StringBuilder("gene,spearman,pearson,pcc,ssim,rmse,js\n");
        double[] sp = new double[g];
        for (int q = 0; q < g; q++) {
            double[] a = new double[n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = tv[i * g + q];
                b[i] = pv[i * g + q];
            }
            sp[q] = Correlation.spearman(a, b);
            csv.append(t.colNames()[truthCols.get(q)]).append(',').append(fmt(sp[q])).append(',')
                    .append(fmt(Correlation.pearson(a, b))).append(',').append(fmt(li.pcc()[q])).append(',')
                    .append(fmt(li.ssim()[q])).append(',').append(fmt(li.rmse()[q])).append(',')
                    .append(fmt(li.js()[q])).append('\n');
        }
        System.out.printf(Locale.ROOT, "%d cells, %d genes scored (%d truth genes without a prediction)%n", n, g,
                t.cols() - g);
        System.out.printf(Locale.ROOT, "median spearman %.4f; Li et al. means: PCC %.4f, SSIM %.4f, RMSE %.4f, JS %.4f%n",
                Correlation.median(sp), LiBenchmarkScores.meanWithReferenceFill(li.pcc()),
                LiBenchmarkScores.meanWithReferenceFill(li.ssim()), LiBenchmarkScores.meanWithReferenceFill(li.rmse()),
                LiBenchmarkScores.meanWithReferenceFill(li.js()));
        if (li.undefinedGenes() > 0) {
            System.out.printf(Locale.ROOT, "%d gene(s) have an undefined metric (constant or all-zero column); "
                    + "counted as 0 in the means, as the reference code does%n", li.undefinedGenes());
        }
        if (out != null) {
            Files.createDirectories(out);
            AtomicFiles.writeString(out.resolve("per_gene.csv"), csv.toString());
            System.out.println("wrote " + out.resolve("per_gene.csv"));
        } else {
            System.out.print(csv);
        }
        return 0;
    }

    /** Any supported file (h5ad, loom, CSV/TSV cells × genes) as a dense table. */
    private static TextTable asTable(Path file) {
        org.gimvi.model.data.CellDataset d = org.gimvi.model.io.DatasetReaders.read(file,
                org.gimvi.model.io.DatasetReaders.Orientation.CELLS_BY_GENES);
        int n = d.counts().rows();
        int g = d.counts().cols();
        float[] v = new float[n * g];
        for (int i = 0; i < n; i++) {
            d.counts().copyRow(i, v, i * g);
        }
        return new TextTable(d.cells(), d.genes(), v);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "NA" : String.format(Locale.ROOT, "%.6g", v);
    }

}
