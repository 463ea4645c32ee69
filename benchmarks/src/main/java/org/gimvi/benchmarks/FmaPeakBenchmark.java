package org.gimvi.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's FMA throughput on one core, 512-bit against 256-bit vectors: 12 independent fma
 * chains of {@link #STEPS} steps each, so latency is hidden and only the FMA ports limit. GFLOP/s =
 * 2 · lanes · 12 · STEPS / time. Whether 512-bit doubles 256-bit tells whether the CPU has one or
 * two 512-bit FMA units (Zen 4 double-pumps 256-bit pipes: 116 against 103 GFLOP/s). Each species
 * lives in its own benchmark method, and JMH forks per method, so the two never share a JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class FmaPeakBenchmark {
    static final int STEPS = 1000;
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;

    private final float[] seed = new float[16];

    {
        for (int i = 0; i < seed.length; i++) {
            seed[i] = 1f + i * 1e-3f;
        }
    }

    @Benchmark
    public float fma512() {
        FloatVector a = FloatVector.fromArray(S512, seed, 0);
        FloatVector b = a.mul(0.999f);
        FloatVector c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int s = 0; s < STEPS; s++) {
            c0 = c0.fma(b, a); c1 = c1.fma(b, a); c2 = c2.fma(b, a); c3 = c3.fma(b, a);
            c4 = c4.fma(b, a); c5 = c5.fma(b, a); c6 = c6.fma(b, a); c7 = c7.fma(b, a);
            c8 = c8.fma(b, a); c9 = c9.fma(b, a); c10 = c10.fma(b, a); c11 = c11.fma(b, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .lane(0);
    }

    @Benchmark
    public float fma256() {
        FloatVector a = FloatVector.fromArray(S256, seed, 0);
        FloatVector b = a.mul(0.999f);
        FloatVector c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int s = 0; s < STEPS; s++) {
            c0 = c0.fma(b, a); c1 = c1.fma(b, a); c2 = c2.fma(b, a); c3 = c3.fma(b, a);
            c4 = c4.fma(b, a); c5 = c5.fma(b, a); c6 = c6.fma(b, a); c7 = c7.fma(b, a);
            c8 = c8.fma(b, a); c9 = c9.fma(b, a); c10 = c10.fma(b, a); c11 = c11.fma(b, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .lane(0);
    }
}
