package org.gimvi.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gimvi.engine.matrix.CountMatrix;
import org.gimvi.model.gimvi.GeneNameMatching;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.io.SpatialBenchmarkPair;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;

/**
 * End-to-end training time of one gimVI model (one run of the spec's scheme, κ = 5) in a fresh JVM:
 * what a user waits for, JIT warm-up included, as opposed to {@link TrainingStepBenchmark}'s warm
 * steady state. Prints one line: wall seconds of {@code train}, the process's CPU seconds during it
 * (both threads and the JIT compilers), the first 20 epochs' seconds against the median epoch (the
 * warm-up cost), peak heap and peak resident memory, the seconds the model took to make, the JVM's
 * uptime when training ended (what a user waits for in all), and the heap allocated per epoch over the
 * second half of training: a steady step allocates nothing, so kilobytes there mean a vector kernel
 * the JIT left running boxed (see the README's "Known gaps").
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp "benchmarks/target/gimvi-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*" \
 *     org.gimvi.benchmarks.EndToEndTraining --data /work/shared/data/AllenCortex_SMARTseq_osmFISH33_TISSUEtests
 *   … org.gimvi.benchmarks.EndToEndTraining --simulate 2150,1922,120,428   (genes, reference cells, panel genes, spots)
 * </pre>
 * Options: {@code --epochs N} (200), {@code --seed S} (0), {@code --backend simd|scalar}, {@code --print-epochs}
 * (every epoch's seconds, to see the warm-up curve), {@code --seq-depth COUNTS} (the simulated
 * reference's mean counts per cell, which sets how sparse it is), {@code --warm-up-kernels}
 * ({@code SimdBackend.warmUpKernels} before the model is made, counted in its creation time).
 */
public final class EndToEndTraining {
    private EndToEndTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path data = null;
        int[] sim = null;
        int epochs = 200;
        boolean printEpochs = false;
        double seqDepth = 0; // simulated reference: mean counts per cell (0: the simulator's e^8 ≈ 2,981)
        long seed = 0;
        String backend = "simd";
        boolean warmUpKernels = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--simulate" -> sim = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--print-epochs" -> printEpochs = true;
                case "--seq-depth" -> seqDepth = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--backend" -> backend = args[++i];
                case "--warm-up-kernels" -> warmUpKernels = true;
                default -> {
                    System.err.println("EndToEndTraining: unknown option '" + args[i]
                            + "'; use --data DIR or --simulate GENES,CELLS,PANEL,SPOTS, and --epochs, --seed, --backend, --print-epochs, --seq-depth, "
                            + "--warm-up-kernels");
                    System.exit(2);
                }
            }
        }
        if ((data == null) == (sim == null) || (sim != null && sim.length != 4)) {
            System.err.println("EndToEndTraining: give exactly one of --data DIR or --simulate GENES,CELLS,PANEL,SPOTS");
            System.exit(2);
        }
        String what;
        List<Gimvi.DatasetInput> inputs = new ArrayList<>();
        if (data != null) {
            if (!Files.isDirectory(data)) {
                System.err.println("EndToEndTraining: --data " + data + " is not a folder");
                System.exit(2);
            }
            SpatialBenchmarkPair p = SpatialBenchmarkPair.read(data);
            inputs.add(Gimvi.DatasetInput.of("seq", p.seqCounts(), p.seqGenes(), Likelihood.ZINB, Library.LATENT));
            inputs.add(Gimvi.DatasetInput.of("spatial", p.spatialCounts(), p.spatialGenes(), Likelihood.NB,
                    Library.OBSERVED));
            what = p.name();
        } else {
            SimulatorConfig sc = new SimulatorConfig();
            sc.genes = sim[0];
            sc.seqCells = sim[1];
            sc.panelGenes = sim[2];
            sc.spatialCells = sim[3];
            sc.heldOutGenes = Math.min(10, sc.panelGenes / 4);
            sc.markersPerType = Math.min(6, sc.genes / sc.cellTypes);
            sc.seed = seed;
            if (seqDepth > 0) {
                sc.seqLogLibraryMean = Math.log(seqDepth);
            }
            SimulatedPair p = TissueSimulator.simulate(sc);
            inputs.add(Gimvi.DatasetInput.of("seq", p.seqCounts(), p.seqGenes(), Likelihood.ZINB, Library.LATENT));
            inputs.add(Gimvi.DatasetInput.of("spatial", p.spatialCounts(), p.spatialGenes(), Likelihood.NB,
                    Library.OBSERVED));
            what = "simulated " + sc.genes + " genes × " + sc.seqCells + " cells, " + sc.panelGenes + "-gene panel × "
                    + sc.spatialCells + " spots";
        }
        long created0 = System.nanoTime();
        if (warmUpKernels) {
            org.gimvi.engine.backend.SimdBackend.warmUpKernels();
        }
        Gimvi model = Gimvi.create(inputs, GimviOptions.defaults().withGeneNames(GeneNameMatching.EXACT)
                .withBackend(backend).withSeed(seed));
        double create = (System.nanoTime() - created0) / 1e9;
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = epochs;
        double[] epochSeconds = new double[epochs];
        int[] done = {0};
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long[] allocatedAtHalf = {-1};
        int half = epochs / 2;
        model.train(cfg, (r, n) -> {
            epochSeconds[done[0]++] = r.seconds();
            if (done[0] == half) {
                allocatedAtHalf[0] = allocatedBytes();
            }
        });
        double wall = (System.nanoTime() - t0) / 1e9;
        // steady state should allocate nothing; a vector kernel left boxed by the JIT shows up here
        double kbPerEpoch = allocatedAtHalf[0] < 0 ? Double.NaN
                : (allocatedBytes() - allocatedAtHalf[0]) / 1024.0 / (done[0] - half);
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double[] sorted = Arrays.copyOf(epochSeconds, done[0]);
        Arrays.sort(sorted);
        double first20 = 0;
        for (int e = 0; e < Math.min(20, done[0]); e++) {
            first20 += epochSeconds[e];
        }
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        CountMatrix seq = inputs.get(0).counts();
        System.out.printf(Locale.ROOT, "%s (%d × %d reference, %.0f %% non-zero): %d epochs, backend %s, %d threads, "
                        + "JDK %s%n", what, seq.rows(), seq.cols(), 100 * seq.nonZeroShare(), done[0], backend,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "train %.2f s wall, %.2f CPU-s; first 20 epochs %.2f s, median epoch %.4f s; "
                        + "peak heap %d MB, peak RSS %s; model created in %.2f s%s, "
                        + "JVM start to trained %.2f s; second half allocated %.1f KB per epoch%n", wall, cpu, first20,
                sorted[sorted.length / 2], heap >> 20, peakRss(), create,
                warmUpKernels ? " (with SimdBackend.warmUpKernels)" : "", ManagementFactory.getRuntimeMXBean().getUptime() / 1e3,
                kbPerEpoch);
        if (printEpochs) {
            StringBuilder line = new StringBuilder("epoch seconds:");
            for (int e = 0; e < done[0]; e++) {
                line.append(String.format(Locale.ROOT, " %.3f", epochSeconds[e]));
            }
            System.out.println(line);
        }
    }

    /** Bytes allocated so far by every live thread (the training threads are the pool's, alive throughout). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, b);
        }
        return total;
    }

    /** VmHWM from /proc/self/status (Linux), or "n/a". */
    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kb >> 10) + " MB";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
        return "n/a";
    }
}
