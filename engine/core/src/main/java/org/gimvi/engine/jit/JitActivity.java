package org.gimvi.engine.jit;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Whether the JIT compilers are busy enough that parallel training threads would take the cores they
 * need. A fresh JVM spends the first seconds of a fit compiling the vector kernels; on a machine
 * whose cores the pool fills, a second training thread then slows the compiler, and the slow
 * interpreted and C1 code runs longer (an osmFISH/Allen fit on 2 cores: its first 50 epochs took
 * 94.7 ms each on two threads against 64.5 ms on one, while from epoch 50 on two threads are 1.5×
 * faster). Short parallel loops can run on the calling thread alone meanwhile: every loop of this
 * project gives the same bits on any number of threads, so the choice changes only the time.
 *
 * <p>The JVM's accumulated compilation time is sampled at most every {@link #SAMPLE_NANOS}; the
 * compiler counts as busy when it accumulated more than {@link #BUSY_FRACTION} of the wall time
 * since the previous sample. One JVM-wide state ({@link #shared()}); a query allocates nothing.
 * {@code -Dgimvi.jitAwareThreads=false} turns the policy off.
 */
public final class JitActivity {
    static final long SAMPLE_NANOS = 20_000_000L;
    static final double BUSY_FRACTION = 0.25;

    private static final JitActivity SHARED = create();

    private final LongSupplier compileMillis; // null: not monitored, never busy
    private final LongSupplier nanoTime;
    private final int processors;
    private long lastSample;
    private long lastCompileMillis;
    private volatile boolean busy;

    JitActivity(LongSupplier compileMillis, LongSupplier nanoTime, int processors) {
        this.compileMillis = compileMillis;
        this.nanoTime = nanoTime;
        this.processors = processors;
        this.lastSample = nanoTime.getAsLong();
        this.lastCompileMillis = compileMillis == null ? 0 : compileMillis.getAsLong();
        this.busy = compileMillis != null;
    }

    private static JitActivity create() {
        int processors = Runtime.getRuntime().availableProcessors();
        try {
            CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
            boolean monitored = compiler != null && compiler.isCompilationTimeMonitoringSupported()
                    && !"false".equalsIgnoreCase(System.getProperty("gimvi.jitAwareThreads"));
            return new JitActivity(monitored ? compiler::getTotalCompilationTime : null, System::nanoTime, processors);
        } catch (LinkageError | SecurityException e) {
            // a runtime image without java.management (jlink), or a restricted one: never busy
            return new JitActivity(null, System::nanoTime, processors);
        }
    }

    /** The JVM's one instance. */
    public static JitActivity shared() {
        return SHARED;
    }

    /**
     * True when a parallel loop that keeps {@code threads} threads busy would compete with the JIT:
     * they fill the machine's processors and the compiler is busy.
     */
    public boolean competesWith(int threads) {
        return threads >= processors && compilerBusy();
    }

    /** True while the JIT compiled for more than {@link #BUSY_FRACTION} of the last sample's wall time. */
    public boolean compilerBusy() {
        if (compileMillis == null) {
            return false;
        }
        long now = nanoTime.getAsLong();
        synchronized (this) {
            long wall = now - lastSample;
            if (wall >= SAMPLE_NANOS) {
                long compile = compileMillis.getAsLong();
                busy = (compile - lastCompileMillis) * 1_000_000.0 > BUSY_FRACTION * wall;
                lastSample = now;
                lastCompileMillis = compile;
            }
        }
        return busy;
    }
}
