package org.gimvi.tools.benchmark;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gimvi.tools.GimviCli;

/**
 * {@code OUT/report.md}: how it was made (command, versions), the gimVI paper's Table 1 per dataset,
 * the figures (relative links into {@code OUT/figures/}), then the detailed tables.
 */
public final class BenchmarkReport {
    private BenchmarkReport() {
    }

    public static String markdown(BenchmarkRunner runner, String command, ReportFigures figures) {
        StringBuilder sb = new StringBuilder("# gimvi-java benchmark report\n\n");
        sb.append("Command: `").append(command).append("`\n\n");
        sb.append("Versions: ").append(GimviCli.version()).append("; Java ").append(System.getProperty("java.version"))
                .append(" (").append(System.getProperty("java.vendor")).append(", ").append(System.getProperty("java.vm.name"))
                .append("); ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" processors.\n\n");
        table1(sb, runner.summaries(), runner.geneScores());
        if (!figures.figures().isEmpty() || !figures.failures().isEmpty()) {
            sb.append("## Figures\n\n");
            sb.append("Each figure is also written as SVG beside its PNG.\n\n");
            for (ReportFigures.Figure f : figures.figures()) {
                sb.append("### ").append(f.title()).append("\n\n");
                sb.append("![").append(f.title()).append("](").append(f.png()).append(")\n\n");
                sb.append(f.caption()).append("\n\n");
            }
            for (String failure : figures.failures()) {
                sb.append("- ").append(failure).append('\n');
            }
            if (!figures.failures().isEmpty()) {
                sb.append('\n');
            }
        }
        sb.append("## Details\n\n");
        sb.append(CsvOutputs.reportSections(runner.summaries(), runner.geneScores(), runner.curves(),
                runner.uncertainties()));
        return sb.toString();
    }

    /** One value as is; several as mean ± sd (a lone seed has no spread to show). */
    static String meanSdIfSeeds(double[] v) {
        return v.length == 1 ? String.format(Locale.ROOT, "%.3f", v[0]) : CsvOutputs.meanSd(v);
    }

    /**
     * The gimVI paper's Table 1 per dataset and protocol: median Spearman over held-out genes and its
     * relative change δρ against gimVI at κ = 0 (method {@code gimvi-k0}, when it ran), with the
     * cell-size-free {@code spearman_norm}, Li et al.'s accuracy score, time and peak heap.
     */
    static void table1(StringBuilder sb, List<RunSummary> runs, List<GeneScore> genes) {
        Map<RunSummary, Double> as = CsvOutputs.accuracyScores(runs);
        Map<String, CsvOutputs.DeltaRhoMean> delta = CsvOutputs.deltaRhoAgainstKappaZero(genes);
        boolean reference = runs.stream().anyMatch(r -> r.method().equals("gimvi-k0") && r.status().equals("ok"));
        sb.append("## Table 1 (the gimVI paper's form)\n\n");
        sb.append("Median over held-out genes of the per-gene Spearman ρ between true counts and imputations (mean ± sd "
                + "over seeds); δρ: median over genes of (ρ − ρ_κ=0)/|ρ_κ=0| against gimVI without the adversarial "
                + "classifier (`gimvi-k0`), same seed, in percent, mean over seeds");
        sb.append(reference ? "" : " — not computed: `gimvi-k0` was not among the methods");
        sb.append(". spearman_norm: the same ρ after dividing both by the cell's training-gene total (the cell-size "
                + "control `libsize` scores 0). Accuracy score: Li et al. 2022's rank score (1 = best on PCC, SSIM, "
                + "RMSE and JS). Time: training + imputation seconds per run (mean, wall clock); CPU s: the CPU seconds the "
                + "process used meanwhile (all threads; on a shared machine the steadier of the two); peak MB: the largest heap in use "
                + "during one run (JVM pools, GC-dependent).\n\n");
        for (Map.Entry<String, List<RunSummary>> g : CsvOutputs.byDatasetAndProtocol(runs).entrySet()) {
            sb.append("### ").append(g.getKey()).append("\n\n");
            sb.append("| method | seeds | median ρ | δρ vs κ = 0 | median spearman_norm | accuracy score | time s | "
                    + "CPU s | peak MB |\n|---|---|---|---|---|---|---|---|---|\n");
            for (Map.Entry<String, List<RunSummary>> m : CsvOutputs.byMethod(g.getValue()).entrySet()) {
                List<RunSummary> ok = m.getValue().stream().filter(r -> r.status().equals("ok")).toList();
                if (ok.isEmpty()) {
                    sb.append("| ").append(m.getKey()).append(" | 0 | ").append(m.getValue().get(0).status())
                            .append(" | | | | | | |\n");
                    continue;
                }
                CsvOutputs.DeltaRhoMean d = delta.get(g.getKey() + " — " + m.getKey());
                String dr = m.getKey().equals("gimvi-k0") && reference ? "reference"
                        : d == null ? "—" : String.format(Locale.ROOT, "%+.1f %%", d.meanPercent())
                                + (d.skipped() > 0 ? " (" + d.skipped() + " genes skipped: ρ_κ=0 = 0)" : "");
                sb.append("| ").append(m.getKey()).append(" | ").append(ok.size()).append(" | ")
                        .append(meanSdIfSeeds(ok.stream().mapToDouble(RunSummary::medianSpearman).toArray()))
                        .append(" | ").append(dr).append(" | ")
                        .append(meanSdIfSeeds(ok.stream().mapToDouble(RunSummary::medianSpearmanNorm).toArray()))
                        .append(" | ").append(meanSdIfSeeds(ok.stream().mapToDouble(as::get).toArray())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f",
                                ok.stream().mapToDouble(r -> r.trainSeconds() + r.imputeSeconds()).average().orElse(0)))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", ok.stream().mapToDouble(RunSummary::cpuSeconds).average().orElse(0)))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.0f", ok.stream().mapToDouble(RunSummary::peakMb).max().orElse(0)))
                        .append(" |\n");
            }
            sb.append('\n');
        }
    }
}
