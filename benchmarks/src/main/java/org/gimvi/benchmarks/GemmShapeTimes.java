package org.gimvi.benchmarks;

import java.util.Locale;
import org.gimvi.engine.kernels.SimdGemm;
import org.gimvi.engine.random.Rng;

/**
 * The fastest of many calls of {@link SimdGemm#gemm} on the products of a narrow-panel training step
 * whose row count leaves 1–3 rows after the 4-row tiles: the weight gradients C = Xᵀ·dY with m =
 * a layer's input width (10 latent, 26/33 genes) and k = the minibatch, and forward products whose
 * width leaves a column tail (20, 33, 2). Single-threaded; the
 * minimum over many calls is what survives a machine shared with other work (JMH's averages do not).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp "benchmarks/target/gimvi-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*" \
 *     org.gimvi.benchmarks.GemmShapeTimes [calls per shape = 20000]
 * </pre>
 * Uses only {@code SimdGemm.gemm}'s original signature, so the same class runs against an older
 * engine jar on the class path (old and new kernels compared with one benchmark).
 */
public final class GemmShapeTimes {
    private GemmShapeTimes() {
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        // m, n, k of C (m×n) += Aᵀ·B with A k×m: the weight-gradient form (A's row stride 1, column stride m)
        // and forward products of a 128-cell minibatch whose width is not a multiple of 16 (column tail)
        // (64×20, 128×2 and 32×2 weight gradients: the posterior's, the library encoder's and a 2-class
        // output's narrow column tails)
        int[][] shapes = {{10, 33, 128}, {10, 26, 128}, {10, 32, 256}, {26, 64, 128}, {33, 64, 128}, {33, 128, 128},
            {64, 20, 128}, {128, 2, 128}, {32, 2, 256},
            {-128, 64, 33}, {-128, 20, 64}, {-128, 33, 10}, {-128, 2, 128}};
        StringBuilder line = new StringBuilder("JDK " + System.getProperty("java.version") + ", min µs per call:");
        for (int[] s : shapes) {
            boolean transA = s[0] > 0; // negative m: a forward product (A row-major m×k)
            int m = Math.abs(s[0]);
            int n = s[1];
            int k = s[2];
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            float[] c = new float[m * n];
            Rng rng = new Rng(m * 31L + n);
            rng.fillUniform(a, a.length, -1f, 1f);
            rng.fillUniform(b, b.length, -1f, 1f);
            int ars = transA ? 1 : k;
            int acs = transA ? m : 1;
            long best = Long.MAX_VALUE;
            for (int rep = 0; rep < calls; rep++) {
                long t0 = System.nanoTime();
                SimdGemm.gemm(m, n, k, a, 0, ars, acs, b, 0, n, c, 0, n, null, true);
                long t = System.nanoTime() - t0;
                if (rep > calls / 4) { // the first quarter warms the JIT
                    best = Math.min(best, t);
                }
            }
            line.append(String.format(Locale.ROOT, "  %dx%dx%d%s %.2f", m, n, k, transA ? "ᵀ" : "", best / 1e3));
        }
        System.out.println(line);
    }
}
