package org.gimvi.benchmarks;

import java.util.Locale;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.random.Rng;

/**
 * Where the sparse-input products of an encoder's first layer start to pay: a 128-cell minibatch
 * of G genes at a range of densities through the dense SIMD GEMM and through the products over its
 * non-zero entries (forward x·W + b and weight gradient W' += xᵀ·dY, widths 64 and 128 as gimVI's
 * z- and library encoders; and the cost of indexing the minibatch, paid once per step), single-threaded, the fastest of many calls (what survives a shared machine).
 * The model's threshold ({@code JointVae.SPARSE_INPUT_DENSITY}) is read off this table.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp "benchmarks/target/gimvi-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*" \
 *     org.gimvi.benchmarks.SparseInputTimes [genes = 2000] [calls = 400]
 * </pre>
 */
public final class SparseInputTimes {
    private SparseInputTimes() {
    }

    public static void main(String[] args) {
        int genes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        int rows = 128;
        SimdBackend backend = new SimdBackend(null);
        System.out.printf(Locale.ROOT, "128 × %d minibatch, JDK %s, one thread, min µs per call (dense / sparse):%n",
                genes, System.getProperty("java.version"));
        System.out.println("density | indexing (both orders) | forward ·64 | forward ·128 | gradient ·64 | gradient ·128");
        for (double density : new double[] {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7}) {
            Rng rng = new Rng(7);
            FMatrixRMaj x = new FMatrixRMaj(rows, genes);
            for (int i = 0; i < x.data.length; i++) {
                x.data[i] = rng.nextFloat() < density ? 1f + rng.nextFloat() : 0f;
            }
            NonZeroEntries nz = new NonZeroEntries(rows, genes);
            long index = Long.MAX_VALUE;
            for (int rep = 0; rep < calls; rep++) {
                long t0 = System.nanoTime();
                nz.index(x);
                nz.indexColumns();
                index = Math.min(index, System.nanoTime() - t0);
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.2f | %.0f", nz.density(), index / 1e3));
            for (boolean gradient : new boolean[] {false, true}) {
                for (int width : new int[] {64, 128}) {
                    float[] arena = new float[genes * width + width];
                    rng.fillUniform(arena, arena.length, -0.1f, 0.1f);
                    TensorView w = new TensorView(arena, 0, genes, width);
                    TensorView b = new TensorView(arena, genes * width, 1, width);
                    FMatrixRMaj y = new FMatrixRMaj(rows, width);
                    rng.fillUniform(y.data, y.data.length, -1f, 1f);
                    float[] g = new float[genes * width];
                    TensorView grad = new TensorView(g, 0, genes, width);
                    long dense = Long.MAX_VALUE;
                    long sparse = Long.MAX_VALUE;
                    for (int rep = 0; rep < calls; rep++) {
                        long t0 = System.nanoTime();
                        if (gradient) {
                            backend.multAddTransA(x, y, grad);
                        } else {
                            backend.multBias(x, w, b, y);
                        }
                        long t1 = System.nanoTime();
                        if (gradient) {
                            backend.multAddTransASparse(nz, y, grad);
                        } else {
                            backend.multBiasSparse(nz, w, b, y);
                        }
                        long t2 = System.nanoTime();
                        if (rep > calls / 4) {
                            dense = Math.min(dense, t1 - t0);
                            sparse = Math.min(sparse, t2 - t1);
                        }
                    }
                    line.append(String.format(Locale.ROOT, " | %.0f / %.0f", dense / 1e3, sparse / 1e3));
                }
            }
            System.out.println(line);
        }
    }
}
