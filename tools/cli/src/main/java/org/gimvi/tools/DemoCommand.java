package org.gimvi.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gimvi.model.gimvi.GimviArchitecture;
import org.gimvi.model.methods.GimviEnsemble;
import org.gimvi.model.methods.GimviMethod;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.baselines.LibrarySizeControl;
import org.gimvi.model.baselines.SharedGeneKnn;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;
import org.gimvi.tools.benchmark.BenchmarkRunner;
import org.gimvi.tools.benchmark.CsvOutputs;
import org.gimvi.tools.benchmark.PairedDataset;
import org.gimvi.tools.benchmark.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The built-in default job: simulate a paired tissue, train gimVI, impute the genes held out of the
 * spatial panel, score them against the truth and against two controls, and print a short report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Simulate a scRNA-seq / spatial pair, train gimVI, impute held-out panel genes and score them.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "demo-out", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--epochs", defaultValue = "200", description = "gimVI training epochs (of each of the default's five members). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the simulation and of training. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--cells", defaultValue = "1500", description = "Cells per dataset. Default: ${DEFAULT-VALUE}.")
    int cells;

    @Option(names = "--backend", defaultValue = "simd", description = "CPU compute backend: simd or scalar (the "
            + "reference). Default: ${DEFAULT-VALUE}.")
    String backend;

    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || cells < 10) {
            throw new IllegalArgumentException("--epochs must be ≥ 1 and --cells ≥ 10");
        }
        device.check();
        boolean onDevice = !device.backend().equals("simd");
        if (onDevice && !backend.equals("simd")) {
            throw new IllegalArgumentException("--backend " + backend + " is a CPU backend; it cannot be combined with --device "
                    + device.device);
        }
        String trainOn = onDevice ? device.backend() : backend;
        SimulatorConfig sc = new SimulatorConfig();
        sc.seed = seed;
        sc.seqCells = cells;
        sc.spatialCells = cells;
        long t0 = System.nanoTime();
        SimulatedPair sim = TissueSimulator.simulate(sc);
        System.out.printf(Locale.ROOT, "simulated a layered tissue: %d cell types; scRNA-seq %d cells × %d genes; "
                        + "spatial %d cells × %d panel genes (+%d held out for scoring)%n", sc.cellTypes, sc.seqCells,
                sc.genes, sc.spatialCells, sc.panelGenes - sc.heldOutGenes, sc.heldOutGenes);
        // the default gimVI (GimviEnsemble): five fits, each without one fold of the panel genes, read at
        // three checkpoints, averaged and blended with shared-gene kNN as the held-out panel genes choose
        GimviMethod member = new GimviMethod("spec", 5f, epochs, GimviArchitecture.defaults(), trainOn,
                new Progress("gimVI")).withUncertaintySamples(0);
        List<ImputationMethod> methods = List.of(
                GimviEnsemble.of("gimvi", GimviEnsemble.DEFAULT_MEMBERS, GimviEnsemble.withDefaultCheckpoints(member, epochs),
                        trainOn),
                new SharedGeneKnn(), new LibrarySizeControl());
        Files.createDirectories(out);
        BenchmarkRunner runner = new BenchmarkRunner(out, methods, new long[]{seed}, s -> { });
        runner.setPurity(false); // the short report does not show it; `gimvi benchmark` computes it
        runner.runDataset(PairedDataset.of("simulated", sim), List.of("paper"));
        CsvOutputs.writePerGene(out.resolve("per_gene.csv"), runner.geneScores());
        CsvOutputs.writeSummary(out.resolve("summary.csv"), runner.summaries());
        System.out.println();
        System.out.println("held-out genes: " + String.join(", ", sim.heldOutGenes()));
        System.out.println("method    median spearman   median spearman_norm   train s");
        RunSummary gimvi = null;
        RunSummary control = null;
        for (RunSummary r : runner.summaries()) {
            System.out.printf(Locale.ROOT, "%-9s %15.3f %22.3f %9.2f%n", r.method(), r.medianSpearman(),
                    r.medianSpearmanNorm(), r.trainSeconds());
            if (r.method().equals("gimvi")) {
                gimvi = r;
            }
            if (r.method().equals("libsize")) {
                control = r;
            }
        }
        System.out.println();
        System.out.println("spearman_norm divides truth and prediction by the cell's training-gene total: the libsize "
                + "control (cell size only) scores 0 there, so it measures what a method learned about the genes.");
        System.out.printf(Locale.ROOT, "done in %.1f s; scores and predictions in %s%n", (System.nanoTime() - t0) / 1e9, out);
        if (gimvi == null || !gimvi.status().equals("ok")) {
            System.err.println("gimVI did not finish: " + (gimvi == null ? "not run" : gimvi.status()));
            return 1;
        }
        return control != null && gimvi.medianSpearmanNorm() <= control.medianSpearmanNorm() ? 1 : 0;
    }
}
