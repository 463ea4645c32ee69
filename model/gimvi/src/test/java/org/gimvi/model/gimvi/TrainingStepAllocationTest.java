package org.gimvi.model.gimvi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The training loop allocates nothing per step. In a JVM of its own (see model/gimvi/pom.xml): the
 * other tests train with other shapes, backends and thread counts, and the type profiles they leave
 * can keep a vector kernel out of C2 (code compiled by C1 allocates its vector objects), which would
 * make this measure the test order rather than the step.
 */
class TrainingStepAllocationTest {

    /** Every scheme, on a dense reference and on a mostly-zero one (its encoders then take the sparse path). */
    static Stream<Arguments> cases() {
        return Stream.of(TrainingScheme.values())
                .flatMap(s -> Stream.of(Arguments.of(s, false), Arguments.of(s, true)));
    }

    @ParameterizedTest(name = "{0}, sparse reference: {1}")
    @MethodSource("cases")
    void aTrainingStepAllocatesNothing(TrainingScheme scheme, boolean sparseReference) {
        WorkerPool.setSharedThreads(2); // the datasets' tasks run on a worker too: count every thread
        // Kernels compiled by call count first: on JDK 17 a vector kernel first compiled by on-stack
        // replacement (long first calls) can stay boxed for the JVM's life (SimdKernelWarmUp), which
        // this test would see as ~400 KB per step in every window (it did, about 1 run in 12).
        SimdBackend.warmUpKernels();
        List<Gimvi.DatasetInput> data = sparseReference ? TestData.sparsePair(300, 260, 45, 8, 4)
                : TestData.pair(300, 260, 15, 8, 4);
        Gimvi model = Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 1));
        TrainingConfig cfg = new TrainingConfig();
        cfg.batchSize = 64;
        cfg.scheme = scheme;
        List<GimviTrainingPlan.Input> inputs = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            inputs.add(new GimviTrainingPlan.Input("d" + m, data.get(m).counts(), model.cellBatch(m),
                    DataSplit.of("d" + m, data.get(m).counts().rows(), 0.9, 64, new Rng(m))));
        }
        GimviTrainingPlan plan = new GimviTrainingPlan(model.module(), inputs, cfg, new Rng(2));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 3000; i++) { // warm up: JIT, lazily grown scratch, thread-local caches
            plan.step(0.5f);
        }
        // Steady state allocates nothing. On a loaded machine the JIT may still be compiling some
        // kernels after the warm-up, and code not yet compiled by C2 allocates vector objects, so
        // measure windows of 200 steps until one is clean: an allocation in the step itself shows
        // in every window and still fails the test.
        String worst = "";
        long best = Long.MAX_VALUE;
        for (int window = 0; window < 20 && best >= 200 * 16; window++) {
            long[] threads = mx.getAllThreadIds();
            long[] before = mx.getThreadAllocatedBytes(threads);
            for (int i = 0; i < 200; i++) {
                plan.step(0.5f);
            }
            long[] after = mx.getThreadAllocatedBytes(threads);
            long allocated = 0;
            StringBuilder who = new StringBuilder();
            for (int t = 0; t < threads.length; t++) {
                if (before[t] >= 0 && after[t] >= 0 && after[t] > before[t]) { // −1: the thread ended in between
                    allocated += after[t] - before[t];
                    java.lang.management.ThreadInfo info = mx.getThreadInfo(threads[t]);
                    who.append(info == null ? "?" : info.getThreadName()).append('=').append(after[t] - before[t]).append(' ');
                }
            }
            if (allocated < best) {
                best = allocated;
                worst = who.toString();
            }
        }
        WorkerPool.setSharedThreads(Runtime.getRuntime().availableProcessors());
        assertTrue(best < 200 * 16, scheme + ": every window of 200 training steps allocated; the least was " + best
                + " bytes (per thread: " + worst + ")");
    }
}
