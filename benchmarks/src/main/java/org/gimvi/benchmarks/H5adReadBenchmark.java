package org.gimvi.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.data.CellDataset;
import org.gimvi.engine.matrix.CsrMatrix;
import org.gimvi.model.io.H5adReader;
import org.gimvi.model.io.H5adWriter;

/**
 * Time and peak heap to read a large sparse AnnData file (default 100,000 cells × 20,000 genes at 2%
 * density, 40 M non-zeros, generated once). Single shot on purpose: reading a file is a one-off cost
 * for the user, JIT warm-up included; the best of three runs is reported beside the first.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp "benchmarks/target/…jar:benchmarks/target/lib/*" \
 *   org.gimvi.benchmarks.H5adReadBenchmark [FILE] [cells] [genes] [density]</pre>
 */
public final class H5adReadBenchmark {
    private H5adReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Paths.get(args.length > 0 ? args[0] : "target/bench-100k-20k.h5ad");
        int cells = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int genes = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        double density = args.length > 3 ? Double.parseDouble(args[3]) : 0.02;
        if (!Files.exists(file)) {
            long t0 = System.nanoTime();
            H5adWriter.write(file, new H5adWriter.Content(generate(cells, genes, density), names("cell", cells),
                    names("gene", genes)));
            System.out.printf(Locale.ROOT, "generated %s (%d × %d, %.0f%% non-zero, %.0f MB) in %.1f s%n", file, cells,
                    genes, 100 * density, Files.size(file) / 1e6, (System.nanoTime() - t0) / 1e9);
        }
        double best = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            CellDataset d = H5adReader.read(file);
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.min(best, s);
            System.out.printf(Locale.ROOT, "run %d: read %d × %d (%d non-zeros) in %.2f s, peak heap %.0f MB%n", run + 1,
                    d.counts().rows(), d.counts().cols(), ((CsrMatrix) d.counts()).nonZeros(), s, peakMb());
        }
        System.out.printf(Locale.ROOT, "best of 3: %.2f s%n", best);
    }

    static CsrMatrix generate(int cells, int genes, double density) {
        Rng rng = new Rng(1);
        int perCell = (int) Math.round(genes * density);
        int[] indptr = new int[cells + 1];
        int[] idx = new int[Math.multiplyExact(cells, perCell)];
        float[] val = new float[idx.length];
        for (int i = 0; i < cells; i++) {
            indptr[i + 1] = indptr[i] + perCell;
            int stride = genes / perCell;
            for (int k = 0; k < perCell; k++) {
                idx[i * perCell + k] = k * stride + rng.nextInt(stride);
                val[i * perCell + k] = 1 + rng.nextInt(20);
            }
        }
        return new CsrMatrix(cells, genes, indptr, idx, val);
    }

    private static String[] names(String prefix, int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = prefix + i;
        }
        return s;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static double peakMb() {
        long b = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                b += p.getPeakUsage().getUsed();
            }
        }
        return b / 1e6;
    }
}
