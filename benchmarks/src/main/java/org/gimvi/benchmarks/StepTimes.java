package org.gimvi.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-step times of one gimVI training step, step by step, for machines shared with other work:
 * on a loaded machine JMH's averages mostly measure the other processes, while the fastest steps
 * (minimum, 10th percentile) are the ones that ran without being preempted. Same setup as
 * {@link TrainingStepBenchmark}.
 *
 * <p>The statistics are over <b>full steps</b> (two minibatches of 128 cells): an epoch's last
 * minibatch of a dataset is partial (every eighth step here has a 4-cell seq minibatch and takes about
 * half as long), so a minimum or 10th percentile over all steps would time those instead. The median
 * over all steps is printed too, for comparison with earlier runs that reported it.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp "benchmarks/target/gimvi-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*" \
 *     org.gimvi.benchmarks.StepTimes 33 [warm-up seconds = 20] [measured steps = 2000] [backend = simd]
 * </pre>
 */
public final class StepTimes {
    private StepTimes() {
    }

    public static void main(String[] args) {
        TrainingStepBenchmark b = new TrainingStepBenchmark();
        b.genes = Integer.parseInt(args[0]);
        double warmSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        b.backend = args.length > 3 ? args[3] : "simd";
        b.setup();
        long end = System.nanoTime() + (long) (warmSeconds * 1e9);
        int warm = 0;
        while (System.nanoTime() < end) {
            b.step();
            warm++;
        }
        long[] t = new long[steps];
        long[] full = new long[steps];
        int fullSteps = 0;
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            b.step();
            t[s] = System.nanoTime() - t0;
            if (b.lastStepCells() == 256) {
                full[fullSteps++] = t[s];
            }
        }
        Arrays.sort(t);
        Arrays.sort(full, 0, fullSteps);
        if (fullSteps == 0) {
            throw new IllegalStateException("no step had two full minibatches of 128 cells");
        }
        System.out.printf(Locale.ROOT, "G = %d, %s, %d threads, JDK %s: %d warm-up steps, %d measured, %d of them full "
                        + "(2 × 128 cells): min %.1f µs, p10 %.1f µs, median %.1f µs (all steps: median %.1f µs)%n",
                b.genes, b.backend, org.gimvi.engine.parallel.WorkerPool.shared().threads(),
                System.getProperty("java.version"), warm, steps, fullSteps, full[0] / 1e3, full[fullSteps / 10] / 1e3,
                full[fullSteps / 2] / 1e3, t[steps / 2] / 1e3);
    }
}
