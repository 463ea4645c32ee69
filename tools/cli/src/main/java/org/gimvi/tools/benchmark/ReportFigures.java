package org.gimvi.tools.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.gimvi.metrics.imputation.Correlation;
import org.gimvi.metrics.integration.Curve;
import org.gimvi.tools.plots.GeneScoresFigure;
import org.gimvi.tools.plots.IntegrationCurvesFigure;
import org.gimvi.tools.plots.SpatialMapFigure;
import org.gimvi.tools.plots.TrainingCurvesFigure;
import org.gimvi.tools.plots.UncertaintyFigure;

/**
 * Draws the benchmark's figures under {@code OUT/figures/} from what the runner collected and says,
 * for the report, where each one is and what it shows. A figure that cannot be drawn is reported
 * (log and report) instead of costing the run its tables.
 */
public final class ReportFigures {
    /** The gene the gimVI paper maps (its Figure 4), when the dataset holds it out. */
    static final String PAPER_MAP_GENE = "Lamp5";

    /** One written figure: its title, the PNG's path relative to OUT, and its caption. */
    public record Figure(String title, String png, String caption) {
    }

    private final Path out;
    private final Consumer<String> log;
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    public ReportFigures(Path out, Consumer<String> log) {
        this.out = out;
        this.log = log;
    }

    public List<Figure> figures() {
        return figures;
    }

    /** Figures that could not be drawn, with the reason. */
    public List<String> failures() {
        return failures;
    }

    /** Draws every figure the runner's results allow. */
    public void drawAll(BenchmarkRunner runner) {
        for (BenchmarkRunner.SpatialValues v : runner.spatialValues()) {
            attempt("spatial map of " + v.dataset(), () -> spatialMap(v, runner.geneScores()));
        }
        Map<String, List<BenchmarkRunner.IntegrationCurves>> curves = group(runner.curves(),
                BenchmarkRunner.IntegrationCurves::dataset);
        curves.forEach((dataset, cs) -> attempt("integration curves of " + dataset, () -> integration(dataset, cs)));
        Map<String, List<BenchmarkRunner.GeneUncertainty>> unc = group(runner.uncertainties(),
                BenchmarkRunner.GeneUncertainty::dataset);
        unc.forEach((dataset, us) -> attempt("uncertainty of " + dataset, () -> uncertainty(dataset, us)));
        Map<String, List<GeneScore>> scores = group(runner.geneScores(), g -> g.dataset() + "\u0000" + g.protocol());
        scores.forEach((key, gs) -> attempt("per-gene scores of " + key.replace('\u0000', ' '), () -> geneScores(gs)));
        // one training figure per dataset and method: its first seed (the CSVs hold every run)
        Map<String, BenchmarkRunner.TrainingRun> firstRuns = new LinkedHashMap<>();
        for (BenchmarkRunner.TrainingRun r : runner.trainingRuns()) {
            firstRuns.putIfAbsent(r.dataset() + "\u0000" + r.method(), r);
        }
        firstRuns.values().forEach(r -> attempt("training curves of " + r.method(), () -> training(r)));
    }

    private interface Drawing {
        void draw() throws IOException;
    }

    private void attempt(String what, Drawing d) {
        try {
            d.draw();
        } catch (IOException | RuntimeException e) {
            String line = what + " not drawn: " + e.getMessage();
            failures.add(line);
            log.accept("  " + line);
        }
    }

    private Path file(String name) {
        return out.resolve("figures").resolve(BenchmarkRunner.safe(name));
    }

    private void add(String title, Path png, String caption) {
        figures.add(new Figure(title, out.relativize(png).toString().replace('\\', '/'), caption));
    }

    private void spatialMap(BenchmarkRunner.SpatialValues v, List<GeneScore> scores) throws IOException {
        int g = 0;
        for (int j = 0; j < v.genes().length; j++) {
            if (v.genes()[j].equalsIgnoreCase(PAPER_MAP_GENE)) {
                g = j;
            }
        }
        String gene = v.genes()[g];
        int n = v.coordinates().length;
        int cols = v.genes().length;
        List<SpatialMapFigure.Panel> panels = new ArrayList<>();
        panels.add(new SpatialMapFigure.Panel("measured", normalised(v.truth(), v.totals(), n, cols, g)));
        for (Map.Entry<String, float[]> e : v.predictions().entrySet()) {
            double rho = scores.stream().filter(s -> s.dataset().equals(v.dataset()) && s.protocol().equals("paper")
                    && s.method().equals(e.getKey()) && s.gene().equals(gene)).mapToDouble(GeneScore::spearman)
                    .findFirst().orElse(Double.NaN);
            String label = Double.isNaN(rho) ? e.getKey() : String.format(Locale.ROOT, "%s (ρ %.2f)", e.getKey(), rho);
            panels.add(new SpatialMapFigure.Panel(label, normalised(e.getValue(), v.totals(), n, cols, g)));
        }
        Path png = SpatialMapFigure.write(file(v.dataset() + "-spatial-" + gene),
                gene + " on " + v.dataset() + ": measured and imputed (held out from training)", v.coordinates(),
                panels, "x / L (L: training-gene total)");
        add("Spatial map of " + gene + " (the paper's Figure 4) — " + v.dataset(), png,
                "Each dot is a spatial cell at its coordinates (equal scale on both axes, y up). Colour: normalised "
                        + "expression x / L, the gene's count (measured) or expected count (imputed) divided by the cell's "
                        + "total over the training genes, so cell size does not colour the map; one viridis scale for all "
                        + "panels, from 0 to the 99th percentile of all values shown (higher values take the top colour). "
                        + "ρ: the method's Spearman on this gene, first seed. One scale compares levels: a method that spreads the gene "
                        + "thinly over many cells looks dimmer than the measured map's few bright cells. The `libsize` control is x / L = constant by "
                        + "construction, so its panel is one colour.");
    }

    static double[] normalised(float[] values, double[] totals, int n, int cols, int g) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double l = totals == null ? 1 : totals[i * cols + g];
            out[i] = l > 0 ? values[i * cols + g] / l : Double.NaN;
        }
        return out;
    }

    private void integration(String dataset, List<BenchmarkRunner.IntegrationCurves> cs) throws IOException {
        Map<String, List<BenchmarkRunner.IntegrationCurves>> byMethod = group(cs, BenchmarkRunner.IntegrationCurves::method);
        List<IntegrationCurvesFigure.MethodCurves> methods = new ArrayList<>();
        for (Map.Entry<String, List<BenchmarkRunner.IntegrationCurves>> e : byMethod.entrySet()) {
            List<BenchmarkRunner.IntegrationCurves> runs = e.getValue();
            double[] mixing = meanOver(runs.stream().map(c -> c.mixing()).toList(), true);
            boolean purity = runs.get(0).puritySeq() != null;
            methods.add(new IntegrationCurvesFigure.MethodCurves(e.getKey(), k(runs.get(0).mixing()), mixing,
                    purity ? k(runs.get(0).puritySeq().overlap()) : null,
                    purity ? meanOver(runs.stream().map(c -> c.puritySeq().overlap()).toList(), false) : null,
                    purity ? k(runs.get(0).puritySpatial().overlap()) : null,
                    purity ? meanOver(runs.stream().map(c -> c.puritySpatial().overlap()).toList(), false) : null));
        }
        int seeds = byMethod.values().iterator().next().size();
        Path png = IntegrationCurvesFigure.write(file(dataset + "-integration"), "Integration of scRNA-seq and spatial "
                + "cells — " + dataset + (seeds > 1 ? " (mean of " + seeds + " seeds)" : ""), methods);
        add("Integration against k (the paper's Figure 2) — " + dataset, png,
                "Left: entropy of mixing, 1 − median over 2,000 sampled cells of KL(local ‖ global dataset fractions) "
                        + "among each cell's k nearest neighbours in the joint latent space (1 = perfectly mixed). "
                        + "Middle and right: k-NN purity, the median overlap |A∩B|/k of a cell's k neighbours in the joint "
                        + "space and in a single-dataset VAE's space (the authors' \"Jaccard index\"), per dataset. "
                        + "Paper protocol; one line per method with a latent space.");
    }

    private static double[] k(Curve c) {
        double[] k = new double[c.k().length];
        for (int i = 0; i < k.length; i++) {
            k[i] = c.k()[i];
        }
        return k;
    }

    /** Seed mean of the curves' medians (as 1 − median KL for mixing). */
    private static double[] meanOver(List<Curve> cs, boolean oneMinus) {
        double[] m = new double[cs.get(0).median().length];
        for (Curve c : cs) {
            for (int i = 0; i < m.length; i++) {
                m[i] += (oneMinus ? 1 - c.median()[i] : c.median()[i]) / cs.size();
            }
        }
        return m;
    }

    private void uncertainty(String dataset, List<BenchmarkRunner.GeneUncertainty> us) throws IOException {
        List<UncertaintyFigure.MethodPoints> methods = new ArrayList<>();
        group(us, BenchmarkRunner.GeneUncertainty::method).forEach((method, rows) -> {
            Map<String, double[]> perGene = new LinkedHashMap<>();
            for (BenchmarkRunner.GeneUncertainty u : rows) {
                double[] a = perGene.computeIfAbsent(u.gene(), x -> new double[3]);
                a[0] += u.uncertainty();
                a[1] += u.residualRmse();
                a[2] += 1;
            }
            List<UncertaintyFigure.GenePoint> points = new ArrayList<>();
            perGene.forEach((gene, a) -> points.add(new UncertaintyFigure.GenePoint(gene, a[1] / a[2], a[0] / a[2])));
            double[] x = points.stream().mapToDouble(UncertaintyFigure.GenePoint::residualRmse).toArray();
            double[] y = points.stream().mapToDouble(UncertaintyFigure.GenePoint::uncertainty).toArray();
            methods.add(new UncertaintyFigure.MethodPoints(method, points, x.length >= 3 ? Correlation.spearman(x, y)
                    : Double.NaN));
        });
        Path png = UncertaintyFigure.write(file(dataset + "-uncertainty"), "Imputation uncertainty and predictability — "
                + dataset, methods);
        add("Uncertainty against predictability (the paper's Figure 3) — " + dataset, png,
                "One point per held-out gene (mean over seeds). x: residual RMSE of a least-squares regression of the "
                        + "gene on the training genes in scRNA-seq (log(1 + 10⁴·x/L) normalised; higher = harder to "
                        + "predict). y: the mean over spatial cells of the standard deviation over 50 posterior draws of "
                        + "the normalised imputation. Panel titles: Spearman over genes between the two.");
    }

    private void geneScores(List<GeneScore> gs) throws IOException {
        String dataset = gs.get(0).dataset();
        String protocol = gs.get(0).protocol();
        List<GeneScoresFigure.MethodScores> methods = new ArrayList<>();
        group(gs, GeneScore::method).forEach((method, rows) -> methods.add(new GeneScoresFigure.MethodScores(method,
                rows.stream().mapToDouble(GeneScore::spearmanNorm).toArray())));
        long seeds = gs.stream().mapToLong(GeneScore::seed).distinct().count();
        Path png = GeneScoresFigure.write(file(dataset + "-" + protocol + "-spearman_norm"),
                "Per-gene spearman_norm — " + dataset + ", " + protocol + " protocol", "spearman_norm", methods);
        add("Per-gene spearman_norm — " + dataset + ", " + protocol, png,
                "One point per evaluated gene" + (seeds > 1 ? " and seed (" + seeds + " seeds)" : "") + "; black bar: "
                        + "median. spearman_norm is the Spearman correlation after dividing truth and prediction by the "
                        + "cell's training-gene total L; the `libsize` control scores exactly 0 (grey line), so points "
                        + "above it are genes a method imputes beyond cell size.");
    }

    private void training(BenchmarkRunner.TrainingRun r) throws IOException {
        Path png = TrainingCurvesFigure.write(file(r.dataset() + "-training-" + r.method() + "-seed" + r.seed()),
                "Training of " + r.method() + " on " + r.dataset() + ", seed " + r.seed(), r.curves());
        add("Training curves — " + r.method() + ", " + r.dataset() + ", seed " + r.seed(), png,
                "Per epoch, means per cell over the epoch's minibatches: reconstruction −log p(x | z, ℓ) and KL "
                        + "(unweighted) of each dataset, the validation ELBO when it was recorded, and the adversarial "
                        + "classifier's accuracy."
                        + (r.curves().roundStarts().length > 0 ? " Dashed lines: a warm-restart round starts." : "")
                        + " Every run's numbers: `"
                        + out.relativize(r.csv()).toString().replace('\\', '/') + "` (and the other seeds' beside it); "
                        + "`gimvi plot --history FILE --out FILE.png` draws any of them.");
    }

    private static <T> Map<String, List<T>> group(List<T> items, java.util.function.Function<T, String> key) {
        Map<String, List<T>> m = new LinkedHashMap<>();
        for (T t : items) {
            m.computeIfAbsent(key.apply(t), k -> new ArrayList<>()).add(t);
        }
        return m;
    }
}
