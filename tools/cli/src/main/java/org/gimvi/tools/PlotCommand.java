package org.gimvi.tools;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.ObsColumn;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.InputFormatException;
import org.gimvi.tools.plots.SpatialMapFigure;
import org.gimvi.tools.plots.TrainingCurvesCsv;
import org.gimvi.tools.plots.TrainingCurvesFigure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gimvi plot}: a spatial map of one gene of an (imputed) h5ad, or the training curves of a
 * gimVI run from the history CSV the benchmark writes. PNG and SVG side by side.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw a spatial map of one gene of an h5ad (coordinates from obsm['spatial']) or the training "
                + "curves of a gimVI run (history CSV from the benchmark's histories/ folder). Writes PNG and SVG.")
public final class PlotCommand implements Callable<Integer> {
    /** obs columns that hold the total each cell's values are normalised by, in order of preference. */
    static final List<String> TOTAL_COLUMNS = List.of("training_gene_total", "panel_total");

    @Option(names = "--h5ad", description = "An h5ad with spatial coordinates: the output of 'gimvi impute', the "
            + "benchmark's predictions/…/*.h5ad, or any AnnData with obsm['spatial'].")
    Path h5ad;

    @Option(names = "--gene", description = "The gene to map (with --h5ad).")
    String gene;

    @Option(names = "--raw", description = "Map the values as stored in X instead of x / L (L: the cell's total in "
            + "obs training_gene_total or panel_total, else the sum of its row of X).")
    boolean raw;

    @Option(names = "--history", description = "A training-history CSV (the benchmark's OUT/histories/<dataset>/"
            + "<protocol>/<method>-seed<S>.csv): draws reconstruction, KL, validation ELBO and classifier accuracy "
            + "against epoch.")
    Path history;

    @Option(names = "--out", required = true, description = "Output image (.png; an .svg is written beside it).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if ((h5ad == null) == (history == null)) {
            throw new IllegalArgumentException("give exactly one of --h5ad FILE --gene GENE (a spatial map) or --history "
                    + "FILE (training curves)");
        }
        Path base = withoutImageExtension(out);
        Path png = h5ad != null ? spatialMap(base) : trainingCurves(base);
        System.out.println("wrote " + png + " and " + png.resolveSibling(base.getFileName() + ".svg"));
        return 0;
    }

    private Path spatialMap(Path base) throws java.io.IOException {
        if (gene == null) {
            throw new IllegalArgumentException("--h5ad needs --gene GENE (the gene to map)");
        }
        CellDataset d = DatasetReaders.read(h5ad);
        int g = -1;
        for (int j = 0; j < d.genes().length; j++) {
            if (d.genes()[j].equals(gene) || (g < 0 && d.genes()[j].equalsIgnoreCase(gene))) {
                g = j;
            }
        }
        if (g < 0) {
            throw new InputFormatException(h5ad, "var has no gene '" + gene + "'; it has " + d.genes().length
                    + " genes, e.g. " + String.join(", ", Arrays.asList(d.genes()).subList(0, Math.min(8, d.genes().length))));
        }
        float[][] xy = d.coordinates();
        if (xy == null || xy.length == 0 || xy[0].length < 2) {
            throw new InputFormatException(h5ad, "obsm['spatial'] (cells × 2 coordinates) is missing, and obs has no x/y "
                    + "columns; a spatial map needs the cells' coordinates");
        }
        int n = d.counts().rows();
        double[] total = raw ? null : totals(d);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double x = d.counts().get(i, g);
            v[i] = raw ? x : total[i] > 0 ? x / total[i] : Double.NaN;
        }
        String file = h5ad.getFileName().toString();
        String scale = raw ? "value in X" : "x / L (L: the cell's total)";
        return SpatialMapFigure.write(base, d.genes()[g] + " — " + file, xy,
                List.of(new SpatialMapFigure.Panel(raw ? "X" : "normalised: x / L", v)), scale);
    }

    /** L per cell: a stored total column when the file has one, else the row sum of X. */
    private static double[] totals(CellDataset d) {
        for (String name : TOTAL_COLUMNS) {
            if (d.obs().get(name) instanceof ObsColumn.Numeric num) {
                return num.values();
            }
        }
        double[] t = new double[d.counts().rows()];
        float[] row = new float[d.counts().cols()];
        for (int i = 0; i < t.length; i++) {
            d.counts().copyRow(i, row, 0);
            for (float x : row) {
                t[i] += x;
            }
        }
        return t;
    }

    private Path trainingCurves(Path base) throws java.io.IOException {
        if (history.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gimvi")) {
            throw new InputFormatException(history, "is a model file; model files do not store the training history. "
                    + "Give the history CSV that 'gimvi benchmark' writes under OUT/histories/");
        }
        return TrainingCurvesFigure.write(base, "Training — " + history.getFileName(), TrainingCurvesCsv.read(history));
    }

    static Path withoutImageExtension(Path p) {
        String name = p.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png") || lower.endsWith(".svg")) {
            return p.resolveSibling(name.substring(0, name.length() - 4));
        }
        return p;
    }
}
