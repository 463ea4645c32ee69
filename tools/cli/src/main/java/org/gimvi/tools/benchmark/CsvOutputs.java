package org.gimvi.tools.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.gimvi.metrics.benchmark.AccuracyScore;
import org.gimvi.model.io.AtomicFiles;

/** The benchmark's CSV and Markdown outputs (written atomically). */
public final class CsvOutputs {
    private CsvOutputs() {
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "NA";
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static String quote(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** rows × cols matrix with a header (first column "cell") and the row names first. */
    public static void writeMatrix(Path file, String[] rows, String[] cols, float[] values) throws IOException {
        StringBuilder sb = new StringBuilder(rows.length * cols.length * 8);
        sb.append("cell");
        for (String c : cols) {
            sb.append(',').append(quote(c));
        }
        sb.append('\n');
        for (int i = 0; i < rows.length; i++) {
            sb.append(quote(rows[i]));
            for (int j = 0; j < cols.length; j++) {
                float v = values[i * cols.length + j];
                sb.append(',').append(Float.isNaN(v) ? "NA" : Float.toString(v));
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    public static void writePerGene(Path file, List<GeneScore> scores) throws IOException {
        StringBuilder sb = new StringBuilder("dataset,protocol,method,seed,gene,spearman,spearman_norm,pearson,ssim,rmse,js\n");
        for (GeneScore s : scores) {
            sb.append(quote(s.dataset())).append(',').append(s.protocol()).append(',').append(s.method()).append(',')
                    .append(s.seed()).append(',').append(quote(s.gene())).append(',').append(num(s.spearman())).append(',')
                    .append(num(s.spearmanNorm())).append(',').append(num(s.pearson())).append(',').append(num(s.ssim()))
                    .append(',').append(num(s.rmse())).append(',').append(num(s.js())).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * Li et al.'s accuracy score of every run: methods ranked within the same dataset, protocol and
     * seed (a failed run enters with the worst values).
     */
    public static Map<RunSummary, Double> accuracyScores(List<RunSummary> runs) {
        Map<String, List<RunSummary>> groups = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            groups.computeIfAbsent(r.dataset() + "\u0000" + r.protocol() + "\u0000" + r.seed(), k -> new ArrayList<>()).add(r);
        }
        Map<RunSummary, Double> out = new java.util.IdentityHashMap<>();
        for (List<RunSummary> g : groups.values()) {
            List<AccuracyScore.MethodMeans> means = new ArrayList<>();
            for (RunSummary r : g) {
                boolean ok = r.status().equals("ok");
                means.add(new AccuracyScore.MethodMeans(r.method(), ok ? r.meanPcc() : null, ok ? r.meanSsim() : null,
                        ok ? r.meanRmse() : null, ok ? r.meanJs() : null));
            }
            Map<String, Double> as = AccuracyScore.compute(means);
            for (RunSummary r : g) {
                out.put(r, as.get(r.method()));
            }
        }
        return out;
    }

    public static void writeSummary(Path file, List<RunSummary> runs) throws IOException {
        Map<RunSummary, Double> as = accuracyScores(runs);
        StringBuilder sb = new StringBuilder("dataset,protocol,method,seed,genes,median_spearman,median_spearman_norm,"
                + "mean_pearson,train_seconds,impute_seconds,peak_mb,status,mean_pcc,mean_ssim,mean_rmse,mean_js,"
                + "undefined_genes,accuracy_score,mixing,purity,cpu_seconds,purity_reference\n");
        for (RunSummary r : runs) {
            sb.append(quote(r.dataset())).append(',').append(r.protocol()).append(',').append(r.method()).append(',')
                    .append(r.seed()).append(',').append(r.genes()).append(',').append(num(r.medianSpearman())).append(',')
                    .append(num(r.medianSpearmanNorm())).append(',').append(num(r.meanPearson())).append(',')
                    .append(num(r.trainSeconds())).append(',').append(num(r.imputeSeconds())).append(',')
                    .append(num(r.peakMb())).append(',').append(quote(r.status())).append(',')
                    .append(num(r.meanPcc())).append(',').append(num(r.meanSsim())).append(',')
                    .append(num(r.meanRmse())).append(',').append(num(r.meanJs())).append(',')
                    .append(r.undefinedGenes()).append(',').append(num(as.get(r))).append(',')
                    .append(num(r.mixing())).append(',').append(num(r.purity())).append(',')
                    .append(num(r.cpuSeconds())).append(',').append(quote(r.purityReference())).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** One line naming, per method, the single-dataset latent its k-NN purity was measured against. */
    private static void purityReferences(StringBuilder sb, List<RunSummary> runs) {
        Map<String, String> byMethod = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            if (r.status().equals("ok")) {
                byMethod.putIfAbsent(r.method(), r.purityReference());
            }
        }
        if (byMethod.isEmpty()) {
            return;
        }
        sb.append("k-NN purity against each method's own single-dataset latent spaces: ");
        sb.append(byMethod.entrySet().stream().map(e -> "`" + e.getKey() + "` " + e.getValue())
                .collect(java.util.stream.Collectors.joining("; "))).append(".\n\n");
    }

    /** Runs grouped by "dataset — protocol", in the order they ran (one report section each). */
    static Map<String, List<RunSummary>> byDatasetAndProtocol(List<RunSummary> runs) {
        Map<String, List<RunSummary>> groups = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            groups.computeIfAbsent(r.dataset() + " — " + r.protocol(), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    /** Runs grouped by method, in the order they ran (one table row each). */
    static Map<String, List<RunSummary>> byMethod(List<RunSummary> runs) {
        Map<String, List<RunSummary>> out = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            out.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** The report's detailed sections: per dataset and protocol tables, δρ, uncertainty, integration curves. */
    public static String reportSections(List<RunSummary> runs, List<GeneScore> genes,
                                        List<BenchmarkRunner.IntegrationCurves> curves,
                                        List<BenchmarkRunner.GeneUncertainty> uncertainty) {
        Map<RunSummary, Double> as = accuracyScores(runs);
        StringBuilder sb = new StringBuilder();
        sb.append("Scores per held-out gene over spatial cells; predictions are expected counts given the cell's "
                + "training-gene total L. `spearman`: Spearman between true counts and predictions (the gimVI paper's "
                + "score); `spearman_norm`: the same after dividing both by L (cell size removed: the `libsize` control "
                + "scores 0). Values are the mean ± standard deviation over seeds of the per-run median over genes.\n\n");
        for (Map.Entry<String, List<RunSummary>> g : CsvOutputs.byDatasetAndProtocol(runs).entrySet()) {
            sb.append("## ").append(g.getKey()).append("\n\n");
            sb.append("| method | seeds | median spearman | median spearman_norm | mean pearson | accuracy score | "
                    + "mixing | purity | train s | impute s | CPU s | peak MB |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Map.Entry<String, List<RunSummary>> m : CsvOutputs.byMethod(g.getValue()).entrySet()) {
                List<RunSummary> ok = m.getValue().stream().filter(r -> r.status().equals("ok")).toList();
                if (ok.isEmpty()) {
                    sb.append("| ").append(m.getKey()).append(" | 0 | ").append(m.getValue().get(0).status())
                            .append(" | | | | | | | | | |\n");
                    continue;
                }
                sb.append("| ").append(m.getKey()).append(" | ").append(ok.size()).append(" | ")
                        .append(meanSd(ok, RunSummary::medianSpearman)).append(" | ")
                        .append(meanSd(ok, RunSummary::medianSpearmanNorm)).append(" | ")
                        .append(meanSd(ok, RunSummary::meanPearson)).append(" | ")
                        .append(meanSd(ok, as::get)).append(" | ")
                        .append(meanSdOrDash(ok, RunSummary::mixing)).append(" | ")
                        .append(meanSdOrDash(ok, RunSummary::purity)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", ok.stream().mapToDouble(RunSummary::trainSeconds).average().orElse(0)))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", ok.stream().mapToDouble(RunSummary::imputeSeconds).average().orElse(0)))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", ok.stream().mapToDouble(RunSummary::cpuSeconds).average().orElse(0)))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.0f", ok.stream().mapToDouble(RunSummary::peakMb).max().orElse(0)))
                        .append(" |\n");
            }
            sb.append('\n');
            purityReferences(sb, g.getValue());
        }
        deltaRho(sb, genes);
        if (!uncertainty.isEmpty()) {
            sb.append("## Uncertainty and predictability (the gimVI paper's Figure 3)\n\n");
            sb.append("Per held-out gene: uncertainty = mean over spatial cells of the standard deviation over 50 posterior "
                    + "draws of the normalised imputation; predictability = residual RMSE of a least-squares regression "
                    + "of the gene on the training genes in scRNA-seq; Spearman as above. Means over seeds.\n\n");
            Map<String, List<BenchmarkRunner.GeneUncertainty>> byMethod = new LinkedHashMap<>();
            for (BenchmarkRunner.GeneUncertainty u : uncertainty) {
                byMethod.computeIfAbsent(u.dataset() + " — " + u.method(), k -> new ArrayList<>()).add(u);
            }
            for (Map.Entry<String, List<BenchmarkRunner.GeneUncertainty>> e : byMethod.entrySet()) {
                Map<String, double[]> perGene = new LinkedHashMap<>();
                for (BenchmarkRunner.GeneUncertainty u : e.getValue()) {
                    double[] acc = perGene.computeIfAbsent(u.gene(), k -> new double[4]);
                    acc[0] += u.uncertainty();
                    acc[1] += u.residualRmse();
                    acc[2] += u.spearman();
                    acc[3] += 1;
                }
                sb.append("### ").append(e.getKey()).append("\n\n| gene | uncertainty | residual RMSE | spearman |\n|---|---|---|---|\n");
                double[] unc = new double[perGene.size()];
                double[] res = new double[perGene.size()];
                double[] err = new double[perGene.size()];
                int g = 0;
                for (Map.Entry<String, double[]> pg : perGene.entrySet()) {
                    double[] a = pg.getValue();
                    unc[g] = a[0] / a[3];
                    res[g] = a[1] / a[3];
                    err[g] = 1 - a[2] / a[3];
                    sb.append(String.format(Locale.ROOT, "| %s | %.4g | %.3f | %.3f |%n", pg.getKey(), unc[g], res[g], 1 - err[g]));
                    g++;
                }
                if (unc.length >= 3) {
                    sb.append(String.format(Locale.ROOT, "%nSpearman over genes: uncertainty vs residual RMSE %.3f; "
                                    + "uncertainty vs imputation error (1 − spearman) %.3f.%n%n",
                            org.gimvi.metrics.imputation.Correlation.spearman(unc, res),
                            org.gimvi.metrics.imputation.Correlation.spearman(unc, err)));
                }
            }
        }
        if (!curves.isEmpty()) {
            sb.append("## Integration curves (paper protocol, seed means)\n\n");
            sb.append("Entropy of mixing: 1 − median KL(local ‖ global dataset fractions) against k; k-NN purity: median "
                    + "overlap |A∩B|/k of joint-space and single-dataset-VAE neighbourhoods (the authors' \"Jaccard\"; the "
                    + "true Jaccard is in the summary's companion code). Summaries are trapezoid areas over k divided "
                    + "by the k range.\n\n");
            Map<String, List<BenchmarkRunner.IntegrationCurves>> byKey = new LinkedHashMap<>();
            for (BenchmarkRunner.IntegrationCurves c : curves) {
                byKey.computeIfAbsent(c.dataset() + " — " + c.method(), k -> new ArrayList<>()).add(c);
            }
            for (Map.Entry<String, List<BenchmarkRunner.IntegrationCurves>> e : byKey.entrySet()) {
                List<BenchmarkRunner.IntegrationCurves> cs = e.getValue();
                sb.append("### ").append(e.getKey()).append("\n\n| k | 1 − median KL (mixing) | purity scRNA-seq | purity spatial |\n|---|---|---|---|\n");
                int[] k = cs.get(0).mixing().k();
                for (int g = 0; g < k.length; g++) {
                    final int gi = g;
                    double mix = cs.stream().mapToDouble(c -> 1 - c.mixing().median()[gi]).average().orElse(Double.NaN);
                    double ps = cs.stream().mapToDouble(c -> c.puritySeq() == null ? Double.NaN
                            : at(c.puritySeq().overlap(), k[gi])).average().orElse(Double.NaN);
                    double pp = cs.stream().mapToDouble(c -> c.puritySpatial() == null ? Double.NaN
                            : at(c.puritySpatial().overlap(), k[gi])).average().orElse(Double.NaN);
                    sb.append("| ").append(k[g]).append(" | ").append(String.format(Locale.ROOT, "%.3f", mix)).append(" | ")
                            .append(Double.isNaN(ps) ? "" : String.format(Locale.ROOT, "%.3f", ps)).append(" | ")
                            .append(Double.isNaN(pp) ? "" : String.format(Locale.ROOT, "%.3f", pp)).append(" |\n");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** δρ of every method against gimvi-k0 (the paper's Table 1 reference), when both ran. */
    private static void deltaRho(StringBuilder sb, List<GeneScore> genes) {
        Map<String, DeltaRhoMean> byMethod = deltaRhoAgainstKappaZero(genes);
        if (byMethod.isEmpty()) {
            return;
        }
        sb.append("## δρ against gimvi-k0 (median over genes of (ρ − ρ_ref)/|ρ_ref|, mean over seeds)\n\n| run | δρ % | genes skipped (ρ_ref = 0) |\n|---|---|---|\n");
        for (Map.Entry<String, DeltaRhoMean> e : byMethod.entrySet()) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %d |%n", e.getKey(), e.getValue().meanPercent(),
                    e.getValue().skipped()));
        }
        sb.append('\n');
    }

    /** Mean over seeds of the per-run median δρ (%), and the genes skipped because ρ_ref = 0, over all seeds. */
    public record DeltaRhoMean(double meanPercent, int skipped) {
    }

    /**
     * δρ of every run against gimvi-k0 of the same dataset, protocol and seed, keyed
     * "dataset — protocol — method" (gimvi-k0 itself left out); empty when gimvi-k0 did not run.
     */
    public static Map<String, DeltaRhoMean> deltaRhoAgainstKappaZero(List<GeneScore> genes) {
        Map<String, Map<String, Double>> ref = new LinkedHashMap<>();
        for (GeneScore g : genes) {
            if (g.method().equals("gimvi-k0")) {
                ref.computeIfAbsent(g.dataset() + "\u0000" + g.protocol() + "\u0000" + g.seed(), k -> new LinkedHashMap<>())
                        .put(g.gene(), g.spearman());
            }
        }
        Map<String, DeltaRhoMean> result = new LinkedHashMap<>();
        if (ref.isEmpty()) {
            return result;
        }
        Map<String, List<Double>> byMethod = new LinkedHashMap<>();
        Map<String, int[]> skipped = new LinkedHashMap<>();
        Map<String, List<GeneScore>> runs = new LinkedHashMap<>();
        for (GeneScore g : genes) {
            runs.computeIfAbsent(g.dataset() + "\u0000" + g.protocol() + "\u0000" + g.seed() + "\u0000" + g.method(),
                    k -> new ArrayList<>()).add(g);
        }
        for (List<GeneScore> run : runs.values()) {
            GeneScore first = run.get(0);
            Map<String, Double> r = ref.get(first.dataset() + "\u0000" + first.protocol() + "\u0000" + first.seed());
            if (r == null || first.method().equals("gimvi-k0")) {
                continue;
            }
            double[] rho = new double[run.size()];
            double[] rhoRef = new double[run.size()];
            for (int i = 0; i < run.size(); i++) {
                rho[i] = run.get(i).spearman();
                rhoRef[i] = r.getOrDefault(run.get(i).gene(), Double.NaN);
            }
            var d = org.gimvi.metrics.imputation.ImputationErrors.deltaRho(rho, rhoRef);
            String key = first.dataset() + " — " + first.protocol() + " — " + first.method();
            byMethod.computeIfAbsent(key, k -> new ArrayList<>()).add(d.medianPercent());
            skipped.computeIfAbsent(key, k -> new int[1])[0] += d.skipped();
        }
        for (Map.Entry<String, List<Double>> e : byMethod.entrySet()) {
            result.put(e.getKey(), new DeltaRhoMean(e.getValue().stream().mapToDouble(Double::doubleValue).average()
                    .orElse(Double.NaN), skipped.get(e.getKey())[0]));
        }
        return result;
    }

    private static double at(org.gimvi.metrics.integration.Curve c, int k) {
        for (int i = 0; i < c.k().length; i++) {
            if (c.k()[i] == k) {
                return c.median()[i];
            }
        }
        return Double.NaN;
    }

    private static String meanSd(List<RunSummary> runs, ToDoubleFunction<RunSummary> value) {
        return meanSd(runs.stream().mapToDouble(value).toArray());
    }

    /** "—" when the value was not computed for any run (NaN in every one), else mean ± sd. */
    private static String meanSdOrDash(List<RunSummary> runs, ToDoubleFunction<RunSummary> value) {
        return runs.stream().allMatch(r -> Double.isNaN(value.applyAsDouble(r))) ? "—" : meanSd(runs, value);
    }

    static String meanSd(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        double sd = v.length > 1 ? Math.sqrt(s / (v.length - 1)) : 0;
        return String.format(Locale.ROOT, "%.3f ± %.3f", m, sd);
    }
}
