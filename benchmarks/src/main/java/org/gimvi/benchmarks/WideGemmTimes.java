package org.gimvi.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import org.gimvi.engine.backend.Accumulation;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.backend.Transpose;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;

/**
 * The dense products of a gimVI training step at a whole-transcriptome width G, for the default
 * architecture (z-encoder G → 64, library encoder G → 128, decoder heads 10 → G), through the SIMD
 * backend (so a transposed operand's copy is included), on one thread and on the pool:
 * <ul>
 *   <li>{@code enc·fwd} H = X·W₁ (batch × G · G × h), an encoder's first layer on a dense minibatch;</li>
 *   <li>{@code enc·dW} dW₁ += Xᵀ·dH (G × h += (batch × G)ᵀ · batch × h), its weight gradient;</li>
 *   <li>{@code dec·fwd} logits = z·W (batch × 10 · 10 × G), a decoder head;</li>
 *   <li>{@code dec·dW} dW += zᵀ·dY (10 × G), the head's weight gradient;</li>
 *   <li>{@code dec·dX} dz = dY·Wᵀ (batch × G · (10 × G)ᵀ), the head's input gradient: the product whose
 *       inner dimension is G and whose B is transposed first.</li>
 * </ul>
 * (A sparse reference's encoders take the sparse products instead: {@code SparseInputTimes}.)
 * Minimum and median of many calls (a shared machine: the minimum is what survives other work),
 * with GFLOP/s of the minimum. Uses only {@code SimdBackend.gemm}'s flat signature, so the class runs
 * unchanged against an older engine jar put first on the class path (old and new kernels, one run).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp "benchmarks/target/gimvi-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*" \
 *     org.gimvi.benchmarks.WideGemmTimes [G = 2150,20000] [calls per shape = 40] [batch = 128]
 * </pre>
 */
public final class WideGemmTimes {
    private WideGemmTimes() {
    }

    public static void main(String[] args) {
        int[] widths = Arrays.stream((args.length > 0 ? args[0] : "2150,20000").split(",")).mapToInt(Integer::parseInt).toArray();
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int latent = 10;
        int threads = Runtime.getRuntime().availableProcessors();
        WorkerPool pool = new WorkerPool(threads);
        SimdBackend single = new SimdBackend(null);
        SimdBackend pooled = new SimdBackend(pool);
        System.out.println("JDK " + System.getProperty("java.version") + ", batch " + batch
                + "; per product: min / median µs (GFLOP/s at the min), 1 thread | " + threads + " threads");
        for (int g : widths) {
            // name, transA, transB, m, n, k, accumulate
            Object[][] shapes = {
                {"enc·fwd", Transpose.NONE, Transpose.NONE, batch, 64, g, Accumulation.OVERWRITE},
                {"enc·fwd", Transpose.NONE, Transpose.NONE, batch, 128, g, Accumulation.OVERWRITE},
                {"enc·dW", Transpose.TRANSPOSED, Transpose.NONE, g, 64, batch, Accumulation.ADD},
                {"enc·dW", Transpose.TRANSPOSED, Transpose.NONE, g, 128, batch, Accumulation.ADD},
                {"dec·fwd", Transpose.NONE, Transpose.NONE, batch, g, latent, Accumulation.OVERWRITE},
                {"dec·dW", Transpose.TRANSPOSED, Transpose.NONE, latent, g, batch, Accumulation.ADD},
                {"dec·dX", Transpose.NONE, Transpose.TRANSPOSED, batch, latent, g, Accumulation.OVERWRITE},
            };
            for (Object[] s : shapes) {
                Transpose ta = (Transpose) s[1];
                Transpose tb = (Transpose) s[2];
                int m = (Integer) s[3];
                int n = (Integer) s[4];
                int k = (Integer) s[5];
                Accumulation acc = (Accumulation) s[6];
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                float[] c = new float[m * n];
                Rng rng = new Rng(g * 7L + m);
                rng.fillUniform(a, a.length, -1f, 1f);
                rng.fillUniform(b, b.length, -1f, 1f);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "G=%d %-8s %5d×%-5d k=%-5d", g, s[0], m, n, k));
                for (SimdBackend backend : new SimdBackend[]{single, pooled}) {
                    long[] t = new long[calls];
                    for (int warm = 0; warm < Math.max(3, calls / 4); warm++) {
                        backend.gemm(ta, tb, m, n, k, a, 0, b, 0, c, 0, null, 0, acc);
                    }
                    for (int rep = 0; rep < calls; rep++) {
                        long t0 = System.nanoTime();
                        backend.gemm(ta, tb, m, n, k, a, 0, b, 0, c, 0, null, 0, acc);
                        t[rep] = System.nanoTime() - t0;
                    }
                    Arrays.sort(t);
                    double flops = 2.0 * m * n * k;
                    line.append(String.format(Locale.ROOT, " | %8.0f / %8.0f (%5.1f)", t[0] / 1e3, t[calls / 2] / 1e3,
                            flops / t[0]));
                }
                System.out.println(line);
            }
        }
        pool.shutdown();
    }
}
