package org.gimvi.model.gimvi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Posterior;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GimviBehaviourTest {

    private static Gimvi trained(List<Gimvi.DatasetInput> data, int epochs, long seed) {
        return trained(data, epochs, seed, TrainingScheme.SPEC);
    }

    private static Gimvi trained(List<Gimvi.DatasetInput> data, int epochs, long seed, TrainingScheme scheme) {
        Gimvi model = Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), seed));
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = epochs;
        cfg.batchSize = 32;
        cfg.scheme = scheme;
        model.train(cfg, TrainingListener.NONE);
        return model;
    }

    private static void assertBitsEqual(FMatrixRMaj a, FMatrixRMaj b, String what) {
        assertEquals(a.numRows, b.numRows);
        assertEquals(a.numCols, b.numCols);
        for (int i = 0; i < a.numRows * a.numCols; i++) {
            assertEquals(Float.floatToIntBits(a.data[i]), Float.floatToIntBits(b.data[i]), what + " element " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(TrainingScheme.class)
    void sameSeedGivesBitIdenticalModelsWhateverTheThreadCount(TrainingScheme scheme) {
        List<Gimvi.DatasetInput> data = TestData.pair(150, 200, 12, 7, 1);
        WorkerPool.setSharedThreads(1);
        Gimvi a = trained(data, 3, 4, scheme);
        FMatrixRMaj impA = a.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN);
        FMatrixRMaj latA = a.latent(0);
        WorkerPool.setSharedThreads(3);
        Gimvi b = trained(data, 3, 4, scheme);
        assertBitsEqual(impA, b.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN), "imputation");
        assertBitsEqual(latA, b.latent(0), "latent");
        assertEquals(a.history().toCsv().replaceAll(",[^,]*\n", "\n"), b.history().toCsv().replaceAll(",[^,]*\n", "\n"),
                "histories (less the timing column) must agree");
        Gimvi c = trained(data, 3, 5, scheme);
        assertTrue(Math.abs(c.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN).data[0] - impA.data[0]) > 0, "a different seed must differ");
        WorkerPool.setSharedThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void outputsHaveTheDocumentedShapesAndNormalisation() {
        List<Gimvi.DatasetInput> data = TestData.pair(120, 90, 10, 6, 2);
        Gimvi model = trained(data, 2, 1);
        FMatrixRMaj rho = model.imputedValues(1, 1, Scale.PROPORTIONS, Posterior.MEAN);
        assertEquals(90, rho.numRows);
        assertEquals(10, rho.numCols);
        int[] panel = model.module().spec(1).geneMapping();
        for (int i = 0; i < rho.numRows; i++) {
            double panelSum = 0;
            double all = 0;
            for (int g = 0; g < 10; g++) {
                all += rho.get(i, g);
            }
            for (int g : panel) {
                panelSum += rho.get(i, g);
            }
            assertEquals(1.0, panelSum, 1e-5, "renormalised to the spatial genes");
            assertTrue(all >= panelSum);
        }
        FMatrixRMaj rate = model.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN);
        for (int i = 0; i < 90; i++) {
            double total = data.get(1).counts().rowSum(i, null);
            double panelRate = 0;
            for (int g : panel) {
                panelRate += rate.get(i, g);
            }
            assertEquals(total, panelRate, 1e-3 * total, "rates use the observed library");
        }
        FMatrixRMaj seqRho = model.imputedValues(0, 0, Scale.PROPORTIONS, Posterior.MEAN);
        for (int i = 0; i < 120; i++) {
            double s = 0;
            for (int g = 0; g < 10; g++) {
                s += seqRho.get(i, g);
            }
            assertEquals(1.0, s, 1e-5);
        }
        Gimvi.Uncertainty u = model.imputationUncertainty(1, 1, Scale.EXPECTED_COUNTS, 8);
        assertEquals(90, u.mean().numRows);
        double stdSum = 0;
        for (float v : u.std().data) {
            assertTrue(v >= 0 && Float.isFinite(v));
            stdSum += v;
        }
        assertTrue(stdSum > 0, "posterior samples must vary");
        assertEquals(3, model.latent(1).numRows == 90 ? 3 : -1, 3);
        assertNotNull(model.history().last());
    }

    /** A model (seed 1) on the dataset pair {@code data}. */
    private static Gimvi model(List<Gimvi.DatasetInput> data) {
        return Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 1));
    }

    /** Default settings with minibatches of 32 (the test pairs are small) under {@code scheme}. */
    private static TrainingConfig minibatchesOf32(TrainingScheme scheme) {
        TrainingConfig cfg = new TrainingConfig();
        cfg.batchSize = 32;
        cfg.scheme = scheme;
        return cfg;
    }

    /** A training plan of {@code model} on its datasets {@code data} with the given settings. */
    private static GimviTrainingPlan plan(Gimvi model, List<Gimvi.DatasetInput> data, TrainingConfig cfg) {
        List<GimviTrainingPlan.Input> inputs = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            inputs.add(new GimviTrainingPlan.Input("d" + m, data.get(m).counts(), model.cellBatch(m),
                    DataSplit.of("d" + m, data.get(m).counts().rows(), 0.9, cfg.batchSize, new Rng(m))));
        }
        return new GimviTrainingPlan(model.module(), inputs, cfg, new Rng(2));
    }

    private static float[][] snapshot(List<Parameter> ps) {
        float[][] s = new float[ps.size()][];
        for (int k = 0; k < ps.size(); k++) {
            s[k] = ps.get(k).value().toArray();
        }
        return s;
    }

    /** How many elements of the parameters differ from the snapshot, and how many there are. */
    private static int[] changed(List<Parameter> ps, float[][] before) {
        int changed = 0;
        int total = 0;
        for (int k = 0; k < ps.size(); k++) {
            for (int i = 0; i < ps.get(k).size(); i++) {
                changed += Float.floatToIntBits(ps.get(k).value().get(i)) != Float.floatToIntBits(before[k][i]) ? 1 : 0;
                total++;
            }
        }
        return new int[]{changed, total};
    }

    /**
     * SPEC's classifier step runs one step late, beside the next step's forward passes (on two
     * threads: as a third task of that phase). That must change no number: the same parameters,
     * generator and classifier, bit for bit, and the same classifier losses in the same order as
     * completing every step's classifier update before the next step starts.
     */
    @Test
    void specClassifierStepBesideTheNextForwardPassesChangesNoNumber() {
        List<Gimvi.DatasetInput> data = TestData.pair(150, 200, 12, 7, 1);
        TrainingConfig cfg = minibatchesOf32(TrainingScheme.SPEC);
        WorkerPool.setSharedThreads(2); // the datasets side by side, the classifier step a task beside them
        try {
            Gimvi inTurnModel = model(data);
            Gimvi besideModel = model(data);
            GimviTrainingPlan inTurn = plan(inTurnModel, data, cfg);
            GimviTrainingPlan beside = plan(besideModel, data, cfg);
            int steps = 9;
            double[] lossesInTurn = new double[steps];
            double[] lossesBeside = new double[steps];
            for (int s = 0; s < steps; s++) {
                assertEquals(0.0, inTurn.step(0.5f)[1], "nothing pending: no classifier loss within the step");
                lossesInTurn[s] = inTurn.completePendingClassifierStep();
                double previous = beside.step(0.5f)[1];
                if (s > 0) {
                    lossesBeside[s - 1] = previous;
                }
            }
            lossesBeside[steps - 1] = beside.completePendingClassifierStep();
            assertEquals(0.0, beside.completePendingClassifierStep(), "completed once");
            assertArrayEquals(lossesInTurn, lossesBeside, "classifier losses, step by step");
            assertTrue(lossesInTurn[steps - 1] > 0, "the classifier trained");
            for (String what : new String[]{"generator", "classifier"}) {
                List<Parameter> a = what.equals("generator") ? inTurn.generatorParameters() : inTurn.classifierParameters();
                List<Parameter> b = what.equals("generator") ? beside.generatorParameters() : beside.classifierParameters();
                assertEquals(0, changed(b, snapshot(a))[0], what + " parameters must be bit-identical");
            }
            // the running statistics too: the library encoders' half of the re-encoding (and its
            // statistics commit) also runs late, in the next step's graph or at completion
            List<org.gimvi.engine.nn.NamedBuffer> bufA = inTurnModel.module().buffers();
            List<org.gimvi.engine.nn.NamedBuffer> bufB = besideModel.module().buffers();
            assertEquals(bufA.size(), bufB.size());
            for (int i = 0; i < bufA.size(); i++) {
                assertArrayEquals(bufA.get(i).data(), bufB.get(i).data(), "running statistics " + bufA.get(i).name());
            }
        } finally {
            WorkerPool.setSharedThreads(Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * {@code train} completes the epoch's last (pending) classifier step before it reads the
     * classifier: every epoch's confusion matrix counts every cell the classifier was trained on.
     */
    @Test
    void everyEpochRecordCountsAllItsClassifierSteps() {
        List<Gimvi.DatasetInput> data = TestData.pair(150, 200, 12, 7, 1);
        TrainingConfig cfg = minibatchesOf32(TrainingScheme.SPEC);
        cfg.epochs = 2;
        TrainingHistory history = plan(model(data), data, cfg).train(TrainingListener.NONE);
        // both datasets are in every step: the driver's training cells once, the other's cycled
        // (the splits of the plan helper)
        int[] train = new int[2];
        for (int m = 0; m < 2; m++) {
            train[m] = DataSplit.of("d" + m, data.get(m).counts().rows(), 0.9, cfg.batchSize, new Rng(m)).train().length;
        }
        int driver = train[1] > train[0] ? 1 : 0;
        int steps = (train[driver] + cfg.batchSize - 1) / cfg.batchSize;
        long expected = 0;
        for (int m = 0; m < 2; m++) {
            int cursor = 0;
            for (int s = 0; s < steps; s++) {
                if (cursor >= train[m]) {
                    cursor = 0;
                }
                int rows = Math.min(cfg.batchSize, train[m] - cursor);
                expected += rows;
                cursor += rows;
            }
        }
        for (EpochRecord r : history.epochs()) {
            long counted = 0;
            for (long[] row : r.classifierConfusion()) {
                for (long c : row) {
                    counted += c;
                }
            }
            assertEquals(expected, counted, "epoch " + r.epoch() + ": cells the classifier was trained on");
        }
    }

    /**
     * PAPER2019's fool step is stepped with the generator's Adam: it moves the z-encoder by the fool
     * gradient, and every parameter the fool loss does not reach (library encoder, decoder,
     * dispersion) by Adam's zero-gradient update, except on the very first minibatch, when those
     * parameters have no gradient yet (PyTorch's Adam skips them). Their Adam step count trails the
     * z-encoder's by one from then on.
     */
    @Test
    void paper2019FoolStepMovesUnreachedParametersFromTheSecondMinibatchOn() {
        List<Gimvi.DatasetInput> data = TestData.pair(150, 200, 12, 7, 1);
        TrainingConfig cfg = minibatchesOf32(TrainingScheme.PAPER2019);
        Gimvi model = model(data);
        GimviTrainingPlan plan = plan(model, data, cfg);
        JointVae vae = model.module();
        List<Parameter> encoder = vae.latentEncoderParameters();
        List<Parameter> unreached = vae.parametersBeyondLatentEncoder();

        // first minibatch
        plan.paper2019ClassifierStep();
        float[][] enc0 = snapshot(encoder);
        float[][] rest0 = snapshot(unreached);
        plan.paper2019FoolStep();
        assertEquals(0, changed(unreached, rest0)[0], "first fool step: the unreached parameters have no gradient yet");
        int[] enc = changed(encoder, enc0);
        assertTrue(enc[0] > enc[1] / 2, "the fool step moves the z-encoder: " + enc[0] + " of " + enc[1]);
        assertArrayEquals(new long[]{1, 0}, plan.generatorSteps());
        plan.paper2019ElboStep(0.5f);
        assertArrayEquals(new long[]{2, 1}, plan.generatorSteps());

        // second minibatch: the zero-gradient update moves (nearly) every unreached element
        plan.paper2019ClassifierStep();
        float[][] rest1 = snapshot(unreached);
        plan.paper2019FoolStep();
        int[] rest = changed(unreached, rest1);
        assertTrue(rest[0] > 0.9 * rest[1], "second fool step moves the unreached parameters: " + rest[0] + " of " + rest[1]);
        assertArrayEquals(new long[]{3, 2}, plan.generatorSteps());
        plan.paper2019ElboStep(0.5f);
        plan.step(0.5f);
        assertArrayEquals(new long[]{6, 5}, plan.generatorSteps(), "two generator steps per minibatch");

        // SPEC: one generator step per minibatch, every parameter together
        TrainingConfig spec = cfg.copy();
        spec.scheme = TrainingScheme.SPEC;
        GimviTrainingPlan specPlan = plan(model(data), data, spec);
        specPlan.step(0.5f);
        specPlan.step(0.5f);
        assertArrayEquals(new long[]{2, 2}, specPlan.generatorSteps());
    }

    /**
     * PAPER2019's classifier Adam has no weight decay (0.6.0's discriminator optimiser): its first
     * classifier step, which comes before any generator step, gives bit-identical classifier
     * parameters whatever the configured weight decay. Under SPEC the classifier has that decay.
     */
    @Test
    void paper2019ClassifierAdamHasNoWeightDecay() {
        List<Gimvi.DatasetInput> data = TestData.pair(150, 200, 12, 7, 1);
        float[][][] after = new float[2][][];
        for (int k = 0; k < 2; k++) {
            TrainingConfig cfg = new TrainingConfig();
            cfg.batchSize = 32;
            cfg.scheme = TrainingScheme.PAPER2019;
            cfg.weightDecay = k == 0 ? 0f : 0.5f;
            GimviTrainingPlan plan = plan(model(data), data, cfg);
            plan.paper2019ClassifierStep();
            after[k] = snapshot(plan.classifierParameters());
        }
        for (int p = 0; p < after[0].length; p++) {
            assertArrayEquals(after[0][p], after[1][p], "classifier parameter " + p);
        }
        assertEquals(0f, TrainingScheme.PAPER2019.classifierWeightDecay(1e-6f));
        assertEquals(1e-6f, TrainingScheme.SPEC.classifierWeightDecay(1e-6f));
    }

    /** The two schemes train different models from the same seed; PAPER2019 trains (the ELBO falls). */
    @Test
    void paper2019DiffersFromSpecAndTrains() {
        List<Gimvi.DatasetInput> data = TestData.pair(150, 200, 12, 7, 1);
        Gimvi spec = trained(data, 3, 4, TrainingScheme.SPEC);
        Gimvi paper = trained(data, 3, 4, TrainingScheme.PAPER2019);
        FMatrixRMaj a = spec.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN);
        FMatrixRMaj b = paper.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN);
        double diff = 0;
        for (int i = 0; i < a.data.length; i++) {
            diff += Math.abs(a.data[i] - b.data[i]);
        }
        assertTrue(diff > 0, "the schemes must differ");
        Gimvi longer = trained(data, 20, 4, TrainingScheme.PAPER2019);
        List<EpochRecord> h = longer.history().epochs();
        assertTrue(h.get(h.size() - 1).reconstruction()[0] < h.get(0).reconstruction()[0], "the ELBO falls");
        assertTrue(Double.isFinite(h.get(h.size() - 1).classifierLoss()) && Double.isFinite(h.get(h.size() - 1).foolLoss()));
    }

    @Test
    void extremeButValidCountsTrainWithoutNaN() {
        List<Gimvi.DatasetInput> base = TestData.pair(80, 70, 8, 5, 9);
        DenseCountMatrix seq = (DenseCountMatrix) base.get(0).counts();
        for (int i = 0; i < seq.rows(); i++) {
            seq.set(i, 2, 0f);           // a gene with no counts at all
        }
        seq.set(3, 0, 2_000_000f);       // a huge count
        DenseCountMatrix sp = (DenseCountMatrix) base.get(1).counts();
        sp.set(5, 1, 500_000f);
        Gimvi model = trained(base, 3, 2);
        for (float v : model.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN).data) {
            assertTrue(Float.isFinite(v));
        }
        for (EpochRecord r : model.history().epochs()) {
            assertTrue(Double.isFinite(r.elbo(0)) && Double.isFinite(r.elbo(1)));
        }
        // inference on a single cell (BatchNorm in eval mode is fine with one row)
        DenseCountMatrix one = sp.selectRows(new int[]{0});
        assertEquals(1, model.latent(1, one, null, Posterior.MEAN).numRows);
    }

    @Test
    void badInputGetsAClearMessage() {
        List<Gimvi.DatasetInput> base = TestData.pair(30, 25, 6, 4, 11);
        DenseCountMatrix sp = ((DenseCountMatrix) base.get(1).counts()).selectRows(new int[]{0, 1, 2, 3, 4});
        String[] spGenes = base.get(1).genes();
        for (int j = 0; j < sp.cols(); j++) {
            sp.set(2, j, 0f);
        }
        assertMessage(List.of(base.get(0), Gimvi.DatasetInput.of("spatial", sp, spGenes, Likelihood.NB, Library.OBSERVED)),
                "zero total counts");
        DenseCountMatrix neg = ((DenseCountMatrix) base.get(1).counts()).selectRows(new int[]{0, 1, 2});
        neg.set(1, 1, -3f);
        assertMessage(List.of(base.get(0), Gimvi.DatasetInput.of("spatial", neg, spGenes, Likelihood.NB, Library.OBSERVED)), "negative");
        DenseCountMatrix frac = ((DenseCountMatrix) base.get(1).counts()).selectRows(new int[]{0, 1, 2});
        frac.set(0, 0, 2.5f);
        assertMessage(List.of(base.get(0), Gimvi.DatasetInput.of("spatial", frac, spGenes, Likelihood.NB, Library.OBSERVED)),
                "not an integer count");
        DenseCountMatrix nan = ((DenseCountMatrix) base.get(1).counts()).selectRows(new int[]{0, 1, 2});
        nan.set(0, 0, Float.NaN);
        assertMessage(List.of(base.get(0), Gimvi.DatasetInput.of("spatial", nan, spGenes, Likelihood.NB, Library.OBSERVED)), "finite");
        String[] foreign = spGenes.clone();
        foreign[0] = "NotAGene";
        assertMessage(List.of(base.get(0), Gimvi.DatasetInput.of("spatial", base.get(1).counts(), foreign, Likelihood.NB,
                Library.OBSERVED)), "NotAGene");
        Gimvi tiny = Gimvi.create(List.of(base.get(0), Gimvi.DatasetInput.of("spatial",
                ((DenseCountMatrix) base.get(1).counts()).selectRows(new int[]{0, 1}), spGenes, Likelihood.NB, Library.OBSERVED)),
                TestData.options(GimviArchitecture.defaults(), 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tiny.train(new TrainingConfig(), TrainingListener.NONE));
        assertTrue(e.getMessage().contains("at least 3"), e.getMessage());
    }

    private static void assertMessage(List<Gimvi.DatasetInput> data, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 0)));
        assertTrue(e.getMessage().contains(fragment), "message should mention '" + fragment + "': " + e.getMessage());
        assertTrue(e.getMessage().contains("spatial"), "message should name the dataset: " + e.getMessage());
    }

    @Test
    void multiBatchDatasetsUseTheirOwnDispersionPerBatch() {
        List<Gimvi.DatasetInput> base = TestData.pair(120, 100, 8, 5, 21);
        int[] batch = new int[100];
        for (int i = 0; i < 100; i++) {
            batch[i] = i % 2; // interleaved: every minibatch holds both batches, sorted into two runs
        }
        Gimvi.DatasetInput sp = base.get(1);
        for (Likelihood l : new Likelihood[]{Likelihood.NB, Likelihood.ZINB, Likelihood.GAUSSIAN}) {
            List<Gimvi.DatasetInput> data = List.of(base.get(0),
                    Gimvi.DatasetInput.of("spatial", sp.counts(), sp.genes(), l, Library.OBSERVED).withBatches(batch, 2));
            Gimvi model = Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 1));
            assertEquals(3, model.module().totalBatches());
            assertEquals(3, model.module().inverseDispersion().numCols, "θ per gene and (global) batch");
            TrainingConfig cfg = new TrainingConfig();
            cfg.epochs = 3;
            cfg.batchSize = 32;
            model.train(cfg, TrainingListener.NONE);
            for (EpochRecord r : model.history().epochs()) {
                assertTrue(Double.isFinite(r.elbo(1)), l + ": " + r.elbo(1));
            }
            // the two spatial batches' θ columns were both trained away from each other
            FMatrixRMaj theta = model.module().inverseDispersion();
            double diff = 0;
            for (int g = 0; g < theta.numRows; g++) {
                diff += Math.abs(theta.get(g, 1) - theta.get(g, 2));
            }
            assertTrue(diff > 0, l + ": both batch columns exist and differ");
            for (float v : model.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN).data) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    /**
     * Early stopping follows its rule exactly, checked against the recorded validation ELBO: the run
     * ends {@code patience} epochs after the best value (strictly lower than every earlier one), and
     * every later epoch failed to beat it. A large learning rate on a small problem makes the
     * validation ELBO stop improving well before the epoch limit.
     */
    @Test
    void earlyStoppingEndsPatienceEpochsAfterTheBestValidationElbo() {
        List<Gimvi.DatasetInput> data = TestData.pair(120, 160, 10, 6, 3);
        Gimvi model = Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 8));
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = 400;
        cfg.batchSize = 32;
        cfg.learningRate = 0.05f;
        cfg.klWarmupEpochs = 0;
        cfg.earlyStopping = true;
        cfg.earlyStoppingPatience = 4;
        model.train(cfg, TrainingListener.NONE);
        List<EpochRecord> epochs = model.history().epochs();
        assertTrue(model.history().stoppedEarly(), "validation ELBO should stop improving within 400 epochs");
        int best = 0;
        for (int e = 0; e < epochs.size(); e++) {
            double v = epochs.get(e).validationElbo();
            assertTrue(Double.isFinite(v), "validation ELBO is recorded every epoch when early stopping is on");
            if (v < epochs.get(best).validationElbo()) {
                best = e;
            }
        }
        assertEquals(best + cfg.earlyStoppingPatience + 1, epochs.size(), "stops exactly 'patience' epochs after the best");
        TrainingConfig off = new TrainingConfig();
        off.epochs = 5;
        off.batchSize = 32;
        Gimvi plain = Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 8));
        plain.train(off, TrainingListener.NONE);
        assertEquals(5, plain.history().epochs().size());
        assertTrue(!plain.history().stoppedEarly() && Double.isNaN(plain.history().last().validationElbo()),
                "without early stopping or monitoring, validation is not evaluated");
    }

    /**
     * The single-dataset scVI model (baselines and k-NN purity) is the same machinery with one
     * dataset: it has no adversary, learns (the ELBO falls), gives a latent space per cell and
     * reconstructs its own genes as proportions summing to one, for both architectures.
     */
    @Test
    void singleDatasetModelIsScviWithoutAnAdversary() {
        Gimvi.DatasetInput seq = TestData.pair(200, 10, 12, 6, 4).get(0);
        for (GimviArchitecture arch : List.of(GimviArchitecture.defaults(), GimviArchitecture.scviDefaults())) {
            Gimvi model = Gimvi.create(List.of(seq), TestData.options(arch, 2));
            TrainingConfig cfg = new TrainingConfig();
            cfg.epochs = 30;
            cfg.batchSize = 32;
            model.train(cfg, TrainingListener.NONE);
            List<EpochRecord> h = model.history().epochs();
            assertTrue(Double.isNaN(h.get(0).classifierLoss()) && h.get(0).classifierConfusion() == null,
                    "one dataset has nothing to classify");
            assertTrue(h.get(h.size() - 1).reconstruction()[0] < 0.9 * h.get(0).reconstruction()[0],
                    "the reconstruction loss falls: " + h.get(0).reconstruction()[0] + " -> "
                            + h.get(h.size() - 1).reconstruction()[0]);
            FMatrixRMaj z = model.latent(0);
            assertEquals(200, z.numRows);
            assertEquals(arch.nLatent, z.numCols);
            FMatrixRMaj rho = model.imputedValues(0, 0, Scale.PROPORTIONS, Posterior.MEAN);
            for (int i = 0; i < rho.numRows; i++) {
                double sum = 0;
                for (int g = 0; g < rho.numCols; g++) {
                    sum += rho.get(i, g);
                }
                assertEquals(1.0, sum, 1e-4, "proportions over the dataset's own genes, cell " + i);
            }
        }
    }

    /**
     * Warm restarts: rounds run back to back, the history numbers their epochs consecutively, the
     * first round follows the KL warm-up and later rounds run at full KL weight; the result is
     * reproducible and differs from stopping after the first round; one round is the plain run.
     */
    @Test
    void warmRestartRoundsContinueTheSameModel() {
        List<Gimvi.DatasetInput> data = TestData.pair(150, 200, 12, 7, 1);
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = 3;
        cfg.batchSize = 32;
        cfg.rounds = 3;
        Gimvi a = Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 4));
        List<Integer> seen = new ArrayList<>();
        a.train(cfg, (r, total) -> {
            seen.add(r.epoch());
            assertEquals(9, total, "the listener sees the whole run");
        });
        List<EpochRecord> h = a.history().epochs();
        assertEquals(9, h.size());
        for (int e = 0; e < 9; e++) {
            assertEquals(e, h.get(e).epoch());
            assertEquals(e, seen.get(e));
            assertEquals(e < 3 ? cfg.klWeight(e) : 1f, h.get(e).klWeight(), "KL weight of epoch " + e);
        }
        Gimvi b = Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 4));
        b.train(cfg, TrainingListener.NONE);
        assertBitsEqual(a.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN), b.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN), "same seed");
        TrainingConfig one = cfg.copy();
        one.rounds = 1;
        Gimvi c = Gimvi.create(data, TestData.options(GimviArchitecture.defaults(), 4));
        c.train(one, TrainingListener.NONE);
        assertEquals(3, c.history().epochs().size());
        assertTrue(c.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN).data[0] != a.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN).data[0],
                "later rounds keep training the model");
        Gimvi d = trained(data, 3, 4);
        assertBitsEqual(d.imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN), trained(data, 3, 4).imputedValues(1, 1, Scale.EXPECTED_COUNTS, Posterior.MEAN),
                "one round is reproducible");
        TrainingConfig bad = new TrainingConfig();
        bad.rounds = 0;
        assertThrows(IllegalArgumentException.class, bad::validate);
    }

    @Test
    void splitMovesOneOrTwoLeftoverCellsToValidation() {
        DataSplit s = DataSplit.of("d", 143, 0.9, 128, new Rng(1)); // ceil(0.9·143) = 129 → 128 train
        assertEquals(128, s.train().length);
        assertEquals(15, s.validation().length);
        DataSplit t = DataSplit.of("d", 300, 0.9, 128, new Rng(1)); // 270 → 270 mod 128 = 14, unchanged
        assertEquals(270, t.train().length);
    }
}
