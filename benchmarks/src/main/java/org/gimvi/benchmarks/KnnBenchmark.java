package org.gimvi.benchmarks;

import java.util.concurrent.TimeUnit;
import org.gimvi.engine.knn.ExactKnn;
import org.gimvi.engine.knn.KnnMetric;
import org.gimvi.engine.knn.KnnResult;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact k-NN of every cell against every cell in a 10-dimensional latent space (the integration
 * metrics' workload): n × n distances by blocked GEMM plus a bounded heap per query, all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class KnnBenchmark {

    @Param({"10000", "100000"})
    public int cells;

    @Param({"50"})
    public int k;

    private float[] x;

    @Setup
    public void setup() {
        x = new float[cells * 10];
        new Rng(1).fillGaussian(x, x.length);
    }

    @Benchmark
    public KnnResult allNeighbours() {
        return ExactKnn.search(x, cells, x, cells, 10, k, KnnMetric.EUCLIDEAN, true, WorkerPool.shared());
    }
}
