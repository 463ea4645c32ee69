package org.gimvi.benchmarks;

import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * C = A·B for the shapes a gimVI training step multiplies (minibatch 128: encoder 33→64, trunk 64→64,
 * posterior 64→20, library head 128→2, decoder 10→G for a 33-gene panel and for 2,000 and 20,000
 * genes) and a large square, for each implementation: the scalar reference, the Vector API kernel on
 * one thread and on all threads, and EJML's own multiply (the stack's stock option).
 *
 * <p>Why these: small products are where fork/join overhead and column tails decide speed; the large
 * square shows the kernel's streaming behaviour. GFLOP/s = 2·m·k·n / time (see benchmarks/README.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {

    /** "m,k,n". */
    @Param({"128,33,64", "128,64,64", "128,64,10", "128,64,20", "128,128,2", "128,10,33", "128,10,2000", "128,10,20000", "1024,1024,1024"})
    public String shape;

    @Param({"scalar", "simd-1", "simd-all", "ejml"})
    public String impl;

    private FMatrixRMaj a;
    private FMatrixRMaj b;
    private FMatrixRMaj c;
    private ComputeBackend backend;
    private WorkerPool pool;

    @Setup(Level.Trial)
    public void setup() {
        String[] p = shape.split(",");
        int m = Integer.parseInt(p[0]);
        int k = Integer.parseInt(p[1]);
        int n = Integer.parseInt(p[2]);
        a = new FMatrixRMaj(m, k);
        b = new FMatrixRMaj(k, n);
        c = new FMatrixRMaj(m, n);
        Rng rng = new Rng(1);
        rng.fillUniform(a.data, m * k, -1, 1);
        rng.fillUniform(b.data, k * n, -1, 1);
        switch (impl) {
            case "scalar" -> backend = new ScalarBackend();
            case "simd-1" -> backend = new SimdBackend(null);
            case "simd-all" -> {
                pool = new WorkerPool(Runtime.getRuntime().availableProcessors());
                backend = new SimdBackend(pool);
            }
            // opencl:N: the OpenCL backend's GEMM on operands resident on the device (uploaded once here)
            default -> backend = impl.startsWith("opencl") ? org.gimvi.engine.backend.Backends.create(impl) : null;
        }
        if (backend != null) {
            backend.upload(a);
            backend.upload(b);
            backend.upload(c);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Benchmark
    public FMatrixRMaj multiply() {
        if (backend == null) {
            CommonOps_FDRM.mult(a, b, c);
        } else {
            backend.mult(a, b, c);
        }
        return c;
    }
}
