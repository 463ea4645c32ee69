package org.gimvi.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.gimvi.DataSplit;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GeneNameMatching;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.GimviTrainingPlan;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;
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
 * One full gimVI training step (two minibatches of 128, generator step with the adversarial term,
 * classifier step) on a simulated pair shaped like osmFISH/Allen (33 scRNA-seq genes, 26-gene panel)
 * and like a whole-transcriptome reference (2,000 genes). This is the unit the 200-epoch time is made
 * of (~24 steps per epoch on osmFISH), so it is the number to watch when changing kernels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TrainingStepBenchmark {

    @Param({"33", "2000", "20000"})
    public int genes;

    /** Also {@code opencl:N} (e.g. {@code -p backend=simd,opencl:0}): the same step on an OpenCL device. */
    @Param({"simd", "scalar"})
    public String backend;

    private GimviTrainingPlan plan;
    private org.gimvi.model.gimvi.JointVae vae;

    @Setup
    public void setup() {
        SimulatorConfig sc = new SimulatorConfig();
        sc.genes = genes;
        sc.panelGenes = Math.min(33, genes);
        sc.heldOutGenes = 7;
        sc.markersPerType = Math.min(6, genes / sc.cellTypes);
        sc.seqCells = 1000;
        sc.spatialCells = 3400;
        SimulatedPair p = TissueSimulator.simulate(sc);
        List<Gimvi.DatasetInput> data = List.of(
                Gimvi.DatasetInput.of("seq", p.seqCounts(), p.seqGenes(), Likelihood.ZINB, Library.LATENT),
                Gimvi.DatasetInput.of("spatial", p.spatialCounts(), p.spatialGenes(), Likelihood.NB, Library.OBSERVED));
        Gimvi model = Gimvi.create(data, GimviOptions.defaults().withGeneNames(GeneNameMatching.EXACT)
                .withBackend(backend).withSeed(1));
        TrainingConfig cfg = new TrainingConfig();
        List<GimviTrainingPlan.Input> inputs = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            inputs.add(new GimviTrainingPlan.Input("d" + m, data.get(m).counts(), model.cellBatch(m),
                    DataSplit.of("d" + m, data.get(m).counts().rows(), 0.9, 128, new Rng(m))));
        }
        vae = model.module();
        plan = new GimviTrainingPlan(vae, inputs, cfg, new Rng(2));
    }

    @Benchmark
    public double[] step() {
        return plan.step(0.25f);
    }

    /**
     * Cells in the last step's minibatches (256 when both are full). The seq dataset's 900 training
     * cells end every eighth step with a 4-cell minibatch, the spatial one's every 24th with 116, so
     * per-step statistics that mix them describe no step in particular ({@link StepTimes} separates them).
     */
    public int lastStepCells() {
        int cells = 0;
        for (int m = 0; m < 2; m++) {
            cells += vae.workspace(m).rows();
        }
        return cells;
    }
}
