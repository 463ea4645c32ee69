package org.gimvi.benchmarks.streaming;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.io.H5adCellSource;

/**
 * gimVI trained on a reference that stays on disk: {@code StreamingTrainingBenchmark REF.h5ad
 * [STEPS=300] [SPATIAL_CELLS=5000] [PANEL=30]}, meant to run at {@code -Xmx2g}. One epoch of STEPS
 * minibatches (0: a whole epoch): the training split is STEPS × 128 cells drawn at random from the
 * whole file (the rest is the unused validation split), so the epoch still reads every block
 * that holds a training cell — the file front to back. The reference (a CSR
 * h5ad from {@link ReferenceWriter}) is read through {@link H5adCellSource} in block-shuffled
 * minibatches; the spatial slide is simulated in memory from the same simulator on a panel of the
 * reference's marker genes. Prints the opening pass, the input checks, the training time with cells
 * per second, the peak heap and peak RSS, and what the reference would take in memory.
 */
public final class StreamingTrainingBenchmark {
    private StreamingTrainingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: StreamingTrainingBenchmark REF.h5ad [STEPS=300] [SPATIAL_CELLS=5000] [PANEL=30]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int stepsWanted = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int spatialCells = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
        int panel = args.length > 3 ? Integer.parseInt(args[3]) : 30;

        long t = System.nanoTime();
        try (H5adCellSource ref = H5adCellSource.open(file)) {
            double open = secs(t);
            long nnz = ref.nonZeros();
            System.out.printf(Locale.ROOT, "reference %s: %d cells × %d genes, %d non-zeros (%.1f GB on disk); opening "
                    + "pass (cell totals, gene statistics) %.1f s%n", file.getFileName(), ref.rows(), ref.cols(), nnz,
                    Files.size(file) / 1e9, open);
            double maxHeap = Runtime.getRuntime().maxMemory();
            System.out.printf(Locale.ROOT, "in memory it would need: CSR %.2f GB, dense %.2f GB; this JVM's heap is %.2f GB%n",
                    (nnz * 8.0 + (ref.rows() + 1) * 8.0) / 1e9, (double) ref.rows() * ref.cols() * 4 / 1e9, maxHeap / 1e9);

            String[] genes = ref.genes();
            int[] panelGenes = panelGenes(ref.cols(), panel);
            String[] panelNames = new String[panelGenes.length];
            for (int k = 0; k < panelGenes.length; k++) {
                panelNames[k] = genes[panelGenes[k]];
            }
            DenseCountMatrix spatial = spatial(ref.cols(), spatialCells, panelGenes);

            t = System.nanoTime();
            Gimvi model = Gimvi.create(List.of(
                    Gimvi.DatasetInput.of("scRNA-seq", ref, genes, Likelihood.ZINB, Library.LATENT),
                    Gimvi.DatasetInput.of("spatial", spatial, panelNames, Likelihood.NB, Library.OBSERVED)),
                    GimviOptions.defaults().withSeed(0));
            System.out.printf(Locale.ROOT, "model set up (input checks read the file once more): %.1f s%n", secs(t));

            TrainingConfig cfg = new TrainingConfig();
            cfg.epochs = 1;
            if (stepsWanted > 0) {
                cfg.trainFraction = Math.min(1.0, (double) stepsWanted * cfg.batchSize / ref.rows());
            }
            t = System.nanoTime();
            model.train(cfg);
            double train = secs(t);
            long trainCells = (long) Math.ceil(ref.rows() * cfg.trainFraction);
            long steps = (trainCells + cfg.batchSize - 1) / cfg.batchSize;
            System.out.printf(Locale.ROOT, "trained one epoch, about %d steps of %d reference cells: %.1f s, %.0f reference "
                    + "cells/s%n", steps, cfg.batchSize, train, trainCells / train);
        }
        System.out.printf(Locale.ROOT, "peak heap %.2f GB, peak RSS %.2f GB%n", peakHeap() / 1e9, peakRss() / 1e9);
    }

    /** PANEL genes spread over the types' marker blocks (the genes a targeted panel would pick). */
    static int[] panelGenes(int genes, int panel) {
        int block = Math.max(1, genes / SparseReferenceSimulator.TYPES);
        int markers = Math.max(1, block / 4);
        int[] out = new int[Math.min(panel, genes)];
        for (int k = 0; k < out.length; k++) {
            int type = k % SparseReferenceSimulator.TYPES;
            out[k] = Math.min(genes - 1, type * block + (k / SparseReferenceSimulator.TYPES) % markers);
        }
        return java.util.Arrays.stream(out).distinct().sorted().toArray();
    }

    private static DenseCountMatrix spatial(int genes, int cells, int[] panel) {
        SparseReferenceSimulator sim = new SparseReferenceSimulator(genes, Math.min(genes, 200), 1);
        DenseCountMatrix m = DenseCountMatrix.zeros(cells, panel.length);
        int[] idx = new int[Math.min(genes, 200)];
        float[] val = new float[idx.length];
        for (int i = 0; i < cells; i++) {
            int n = sim.row(i, idx, val);
            int k = 0;
            for (int e = 0; e < n; e++) {
                while (k < panel.length && panel[k] < idx[e]) {
                    k++;
                }
                if (k < panel.length && panel[k] == idx[e]) {
                    m.set(i, k, val[e]);
                }
            }
            m.set(i, i % panel.length, m.get(i, i % panel.length) + 1); // no empty spatial cell
        }
        return m;
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** VmHWM of /proc/self/status (Linux), in bytes; -1 elsewhere. */
    private static long peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
