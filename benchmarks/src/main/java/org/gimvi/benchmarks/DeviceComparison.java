package org.gimvi.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gimvi.engine.backend.Backends;
import org.gimvi.engine.backend.DeviceTraffic;
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
 * End-to-end CPU vs OpenCL: trains gimVI (one run of E epochs, the spec's step) on each device for
 * each reference width and prints one CSV row per run: width, device, epochs, steps, seconds,
 * milliseconds per step, final reconstruction losses. The first run of a device in the JVM includes
 * the device's start-up check (kernel compilation); a warm-up run of one epoch on each device comes
 * first so that the timed runs do not.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp "benchmarks/target/gimvi-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*" \
 *   org.gimvi.benchmarks.DeviceComparison --genes 33,2000,20000 --devices cpu,opencl:0 --epochs 200 \
 *   [--osmfish ../shared/data/AllenCortex_SMARTseq_osmFISH33_TISSUEtests] [--out results.csv]
 * </pre>
 * Widths are simulated pairs (1,000 reference cells, 3,400 spatial cells of a 33-gene panel, the
 * osmFISH pair's sizes); {@code --osmfish DIR} adds the real pair as width "osmfish".
 */
public final class DeviceComparison {
    private DeviceComparison() {
    }

    record Pair(String name, CountMatrix seq, String[] seqGenes, CountMatrix spatial, String[] spatialGenes) {
    }

    public static void main(String[] args) throws IOException {
        List<String> widths = List.of("33", "2000");
        List<String> devices = List.of("cpu", "opencl");
        int epochs = 200;
        Path osmfish = null;
        Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--genes" -> widths = List.of(v.split(","));
                case "--devices" -> devices = List.of(v.split(","));
                case "--epochs" -> epochs = Integer.parseInt(v);
                case "--osmfish" -> osmfish = Path.of(v);
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --genes, --devices, --epochs, --osmfish, --out");
            }
        }
        List<Pair> pairs = new ArrayList<>();
        if (osmfish != null) {
            SpatialBenchmarkPair p = SpatialBenchmarkPair.read(osmfish);
            pairs.add(new Pair("osmfish", p.seqCounts(), p.seqGenes(), p.spatialCounts(), p.spatialGenes()));
        }
        for (String w : widths) {
            pairs.add(simulated(Integer.parseInt(w.trim())));
        }
        PrintStream csv = out == null ? System.out : new PrintStream(Files.newOutputStream(out), true, "UTF-8");
        // traffic per step counts the model's set-up and its final parameter download too (zero on the CPU)
        csv.println("genes,device,backend,epochs,steps,seconds,ms_per_step,reconstruction_seq,reconstruction_spatial,"
                + "launches_per_step,floats_up_per_step,floats_down_per_step");
        for (String d : devices) {
            train(pairs.get(0), backendName(d), 1); // start-up check and JIT warm-up, untimed
        }
        for (Pair p : pairs) {
            for (String d : devices) {
                String backend = backendName(d);
                DeviceTraffic before = Backends.create(backend).traffic();
                long t0 = System.nanoTime();
                Gimvi m = train(p, backend, epochs);
                double s = (System.nanoTime() - t0) / 1e9;
                DeviceTraffic t = Backends.create(backend).traffic().since(before);
                int steps = m.history().epochs().size() * stepsPerEpoch(p);
                double[] rec = m.history().last().reconstruction();
                csv.printf(Locale.ROOT, "%s,%s,%s,%d,%d,%.3f,%.3f,%.4f,%.4f,%.1f,%.0f,%.0f%n", p.name(), d,
                        Backends.create(backend).name(), epochs, steps, s, 1000 * s / steps, rec[0], rec[1],
                        (double) t.launches() / steps, (double) t.floatsUp() / steps, (double) t.floatsDown() / steps);
                if (t.operations().values().stream().anyMatch(op -> op.nanos() > 0)) { // -Dgimvi.opencl.profile=true
                    System.err.print(t.table("[opencl profile] ", p.name() + " genes on " + d + ", " + steps + " steps"));
                }
            }
        }
        if (out != null) {
            csv.close();
        }
    }

    private static String backendName(String device) {
        return device.equals("cpu") ? "simd" : device;
    }

    /** The largest dataset drives the epoch: ⌈0.9·cells / 128⌉ minibatches. */
    private static int stepsPerEpoch(Pair p) {
        int cells = Math.max(p.seq().rows(), p.spatial().rows());
        return (int) Math.ceil(Math.round(0.9 * cells) / 128.0);
    }

    private static Pair simulated(int genes) {
        SimulatorConfig sc = new SimulatorConfig();
        sc.genes = genes;
        sc.panelGenes = Math.min(33, genes);
        sc.heldOutGenes = 7;
        sc.markersPerType = Math.min(6, genes / sc.cellTypes);
        sc.seqCells = 1000;
        sc.spatialCells = 3400;
        SimulatedPair s = TissueSimulator.simulate(sc);
        return new Pair(Integer.toString(genes), s.seqCounts(), s.seqGenes(), s.spatialCounts(), s.spatialGenes());
    }

    private static Gimvi train(Pair p, String backend, int epochs) {
        Gimvi model = Gimvi.create(List.of(
                        Gimvi.DatasetInput.of("seq", p.seq(), p.seqGenes(), Likelihood.ZINB, Library.LATENT),
                        Gimvi.DatasetInput.of("spatial", p.spatial(), p.spatialGenes(), Likelihood.NB, Library.OBSERVED)),
                GimviOptions.defaults().withGeneNames(GeneNameMatching.IGNORE_CASE).withBackend(backend).withSeed(0));
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = epochs;
        model.train(cfg);
        return model;
    }
}
