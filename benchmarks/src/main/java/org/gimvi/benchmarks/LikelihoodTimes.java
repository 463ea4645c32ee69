package org.gimvi.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;

/**
 * Per-call times of the ZINB likelihood with all gradients over one minibatch block (128 cells × G
 * genes) on the SIMD backend, one thread or split over a pool: the decoder-side hot spot of wide
 * references. Reports
 * the minimum and 10th percentile, which on a loaded machine are the calls that ran unpreempted.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp "benchmarks/target/gimvi-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*" \
 *     org.gimvi.benchmarks.LikelihoodTimes 2000 [calls = 300] [threads = 1]
 * </pre>
 */
public final class LikelihoodTimes {
    private LikelihoodTimes() {
    }

    public static void main(String[] args) {
        int genes = Integer.parseInt(args[0]);
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int rows = 128;
        int n = rows * genes;
        Rng rng = new Rng(1);
        float[] x = new float[n];
        float[] mu = new float[n];
        float[] pi = new float[n];
        float[] theta = new float[genes];
        rng.fillUniform(x, n, 0f, 1f);
        for (int i = 0; i < n; i++) {
            x[i] = x[i] < 0.5f ? 0f : (float) Math.floor(x[i] * 20f);
        }
        rng.fillUniform(mu, n, 0.01f, 20f);
        rng.fillUniform(pi, n, -3f, 3f);
        rng.fillUniform(theta, genes, 0.1f, 30f);
        float[] logp = new float[n];
        float[] gMu = new float[n];
        float[] gTh = new float[n];
        float[] gPi = new float[n];
        SimdBackend b = new SimdBackend(threads > 1 ? new WorkerPool(threads) : null);
        long end = System.nanoTime() + 10_000_000_000L;
        int warm = 0;
        while (System.nanoTime() < end || warm < 200) {
            b.zeroInflatedNegBinomial(rows, genes, 0, x, mu, theta, pi, logp, gMu, gTh, gPi);
            warm++;
        }
        long[] t = new long[calls];
        for (int c = 0; c < calls; c++) {
            long t0 = System.nanoTime();
            b.zeroInflatedNegBinomial(rows, genes, 0, x, mu, theta, pi, logp, gMu, gTh, gPi);
            t[c] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "ZINB 128 × %d, %d thread(s), JDK %s: %d warm-up calls; min %.1f µs (%.2f ns/element), "
                        + "p10 %.1f µs, median %.1f µs%n", genes, threads, System.getProperty("java.version"), warm, t[0] / 1e3,
                t[0] / (double) n, t[calls / 10] / 1e3, t[calls / 2] / 1e3);
    }
}
