package org.gimvi.model.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.engine.random.Rng;
import org.gimvi.model.baselines.SharedGeneKnn;
import org.junit.jupiter.api.Test;

class CrossFittedEnsembleTest {

    /** Records every task it is given and answers with kNN (members may run side by side: synchronised). */
    private static final class Spy implements ImputationMethod {
        final List<ImputationTask> seen = new ArrayList<>();
        final List<Long> seeds = new ArrayList<>();

        @Override
        public String name() {
            return "spy";
        }

        @Override
        public ImputationResult impute(ImputationTask task, long seed) {
            synchronized (this) {
                seen.add(task);
                seeds.add(seed);
            }
            return new SharedGeneKnn().impute(task, seed);
        }

        synchronized Set<List<String>> folds() {
            Set<List<String>> folds = new HashSet<>();
            for (ImputationTask t : seen) {
                folds.add(Arrays.asList(t.spatialGenes()));
            }
            return folds;
        }
    }

    /**
     * Predicts a fold's panel genes perfectly (it reads them from the full task, which the ensemble
     * never gives it) and the task's targets as a constant share of the cell's total.
     */
    private static ImputationMethod oracle(ImputationTask full) {
        List<String> panel = Arrays.asList(full.spatialGenes());
        return new ImputationMethod() {
            @Override
            public String name() {
                return "oracle";
            }

            @Override
            public ImputationResult impute(ImputationTask inner, long seed) {
                assertEquals(full.spatialCounts().rows(), inner.spatialCounts().rows(), "the fixture keeps every cell");
                int n = inner.spatialCounts().rows();
                String[] t = inner.targetGenes();
                double[] lib = inner.spatialLibrary();
                FMatrixRMaj out = new FMatrixRMaj(n, t.length);
                for (int j = 0; j < t.length; j++) {
                    int col = panel.indexOf(t[j]);
                    for (int i = 0; i < n; i++) {
                        out.set(i, j, col >= 0 ? (float) full.spatialCounts().get(i, col) : (float) (0.01 * lib[i]));
                    }
                }
                return ImputationResult.predictionsOnly(out, 0, 0, "");
            }
        };
    }

    /** Predicts noise. */
    private static final ImputationMethod NOISE = new ImputationMethod() {
        @Override
        public String name() {
            return "noise";
        }

        @Override
        public ImputationResult impute(ImputationTask inner, long seed) {
            int n = inner.spatialCounts().rows();
            FMatrixRMaj out = new FMatrixRMaj(n, inner.targetGenes().length);
            Rng rng = new Rng(seed);
            for (int e = 0; e < out.data.length; e++) {
                out.data[e] = 1 + rng.nextFloat();
            }
            return ImputationResult.predictionsOnly(out, 0, 0, "");
        }
    };

    @Test
    void eachMemberMissesOneFoldAndEveryTrainingGeneIsHeldOutExactlyOnce() {
        ImputationTask task = TrainingGeneValidationTest.task(300);
        Set<String> targets = new HashSet<>(Arrays.asList(task.targetGenes()));
        Spy spy = new Spy();
        new CrossFittedEnsemble("xf", spy, new SharedGeneKnn(), 4, CrossFittedEnsemble.Mean.ARITHMETIC).impute(task, 3);
        assertEquals(4, spy.seen.size());
        assertEquals(4, new HashSet<>(spy.seeds).size(), "members must get different seeds");
        Set<String> heldOut = new HashSet<>();
        for (ImputationTask inner : spy.seen) {
            List<String> innerTargets = Arrays.asList(inner.targetGenes());
            assertEquals(Arrays.asList(task.targetGenes()), innerTargets.subList(0, task.targetGenes().length),
                    "every member predicts the task's targets first");
            for (String g : inner.spatialGenes()) {
                assertFalse(targets.contains(g), "a target gene was given to a member: " + g);
            }
            for (String g : innerTargets.subList(task.targetGenes().length, innerTargets.size())) {
                assertFalse(Arrays.asList(inner.spatialGenes()).contains(g), "a member saw its own fold: " + g);
                assertTrue(heldOut.add(g), "gene held out twice: " + g);
            }
        }
        assertEquals(new HashSet<>(Arrays.asList(task.spatialGenes())), heldOut);
    }

    @Test
    void sameSeedSamePredictionsAndAnotherSeedOtherFolds() {
        ImputationTask task = TrainingGeneValidationTest.task(200);
        CrossFittedEnsemble xf = new CrossFittedEnsemble("xf", new SharedGeneKnn(10), new SharedGeneKnn(), 3,
                CrossFittedEnsemble.Mean.GEOMETRIC);
        float[] a = xf.impute(task, 11).predictions().data;
        assertArrayEquals(a, xf.impute(task, 11).predictions().data);
        Spy s1 = new Spy();
        Spy s2 = new Spy();
        new CrossFittedEnsemble("xf", s1, null, 3, CrossFittedEnsemble.Mean.ARITHMETIC).impute(task, 1);
        new CrossFittedEnsemble("xf", s2, null, 3, CrossFittedEnsemble.Mean.ARITHMETIC).impute(task, 2);
        assertFalse(s1.folds().equals(s2.folds()), "the seed must choose the folds");
    }

    @Test
    void theBlendWeightFollowsWhichSideImputesTheHeldOutTrainingGenes() {
        ImputationTask task = TrainingGeneValidationTest.task(300);
        ImputationResult good = new CrossFittedEnsemble("xf", oracle(task), new SharedGeneKnn(), 4,
                CrossFittedEnsemble.Mean.ARITHMETIC).impute(task, 5);
        assertTrue(good.notes().contains("blend w = 1.00"), good.notes());

        ImputationResult bad = new CrossFittedEnsemble("xf", NOISE, new SharedGeneKnn(), 4,
                CrossFittedEnsemble.Mean.ARITHMETIC).impute(task, 5);
        assertTrue(bad.notes().contains("blend w = 0.00"), bad.notes());
        // w = 0: the companion's own predictions on the full task, through the proportion round trip
        float[] knn = new SharedGeneKnn().impute(task, 5).predictions().data;
        float[] got = bad.predictions().data;
        for (int e = 0; e < knn.length; e++) {
            assertEquals(knn[e], got[e], 1e-5 * Math.max(1, Math.abs(knn[e])));
        }
    }

    @Test
    void theWeightGridCoversTheSimplexInQuartersMembersFirst() {
        double[][] one = CrossFittedEnsemble.weightGrid(1);
        assertEquals(5, one.length);
        assertArrayEquals(new double[]{1, 0}, one[0]);
        assertArrayEquals(new double[]{0, 1}, one[4]);
        double[][] two = CrossFittedEnsemble.weightGrid(2);
        assertEquals(15, two.length, "(4 + 2 choose 2) blends");
        Set<String> distinct = new HashSet<>();
        for (double[] w : two) {
            assertEquals(1.0, w[0] + w[1] + w[2], 0);
            assertTrue(distinct.add(Arrays.toString(w)));
        }
        assertArrayEquals(new double[]{1, 0, 0}, two[0]);
        assertArrayEquals(new double[]{0.75, 0.25, 0}, two[1], "ties prefer the earlier companion");
    }

    @Test
    void withTwoCompanionsTheOneThatImputesTheHeldOutGenesTakesTheBlend() {
        ImputationTask task = TrainingGeneValidationTest.task(300);
        CrossFittedEnsemble xf = new CrossFittedEnsemble("xf", "noise", (inner, rows, seed) -> List.of(NOISE.impute(inner, seed)),
                List.of(NOISE, oracle(task)), 4, CrossFittedEnsemble.Mean.ARITHMETIC);
        ImputationResult r = xf.impute(task, 5);
        assertTrue(r.notes().contains("blend w = 0.00 (noise 0.00, oracle 1.00)"), r.notes());
        // all weight on the oracle: its constant share of each cell's total
        double[] lib = task.spatialLibrary();
        for (int i = 0; i < 10; i++) {
            assertEquals(0.01 * lib[i], r.predictions().get(i, 0), 1e-4 * lib[i]);
        }
    }

    @Test
    void aCompanionThatCannotRunOnAFoldIsLeftOutAndNamed() {
        ImputationTask task = TrainingGeneValidationTest.task(300);
        ImputationMethod failing = new ImputationMethod() {
            @Override
            public String name() {
                return "fragile";
            }

            @Override
            public ImputationResult impute(ImputationTask inner, long seed) {
                throw new IllegalArgumentException("fragile: needs more genes");
            }
        };
        ImputationResult r = new CrossFittedEnsemble("xf", "knn", (inner, rows, seed) -> List.of(new SharedGeneKnn().impute(inner, seed)),
                List.of(failing, new SharedGeneKnn(5)), 4, CrossFittedEnsemble.Mean.ARITHMETIC).impute(task, 2);
        assertTrue(r.notes().contains("fragile left out of the blend: fragile: needs more genes"), r.notes());
        for (float v : r.predictions().data) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void theCheckpointThatImputesTheHeldOutTrainingGenesBestIsTheOneUsed() {
        ImputationTask task = TrainingGeneValidationTest.task(300);
        ImputationMethod oracle = oracle(task);
        // checkpoint 0: the oracle; checkpoint 1 (the "finished" fit): noise
        CrossFittedEnsemble.Member twoCheckpoints = (inner, rows, seed) -> List.of(
                withNotes(oracle.impute(inner, seed), "after 1 epochs"), NOISE.impute(inner, seed));
        ImputationResult r = new CrossFittedEnsemble("xf", "two", twoCheckpoints, new SharedGeneKnn(), 4,
                CrossFittedEnsemble.Mean.ARITHMETIC).impute(task, 5);
        assertTrue(r.notes().contains("members after 1 epochs, best of 2 checkpoints") && r.notes().contains("w = 1.00"),
                r.notes());
        // the targets come from checkpoint 0: the oracle's constant share of each cell's total
        double[] lib = task.spatialLibrary();
        for (int i = 0; i < 10; i++) {
            assertEquals(0.01 * lib[i], r.predictions().get(i, 0), 1e-4 * lib[i]);
        }
    }

    @Test
    void readingGimviAtCheckpointsLeavesItsTrainingUnchanged() {
        ImputationTask task = TrainingGeneValidationTest.task(120);
        GimviMethod gimvi = new GimviMethod("g", 5f, 4).withUncertaintySamples(0);
        List<ImputationResult> at = gimvi.imputeAtCheckpoints(task, null, null, new int[]{1, 3}, 9);
        assertEquals(3, at.size());
        assertArrayEquals(gimvi.impute(task, 9).predictions().data, at.get(2).predictions().data);
        assertFalse(Arrays.equals(at.get(0).predictions().data, at.get(2).predictions().data));
        assertTrue(at.get(0).notes().contains("after 1 epochs"), at.get(0).notes());
    }

    private static ImputationResult withNotes(ImputationResult r, String notes) {
        return ImputationResult.predictionsOnly(r.predictions(), 0, 0, notes);
    }

    @Test
    void aPanelTooSmallToFoldIsAPlainSeedEnsembleOfWholePanelFits() {
        ImputationTask task = TrainingGeneValidationTest.task(200);
        int[] few = {0, 1, 2, 3, 4, 5, 6};
        String[] genes = new String[few.length];
        for (int j = 0; j < few.length; j++) {
            genes[j] = task.spatialGenes()[few[j]];
        }
        ImputationTask small = new ImputationTask("sim", task.seqCounts(), task.seqGenes(),
                task.spatialCounts().selectColumns(few), genes, task.targetGenes());
        Spy spy = new Spy();
        ImputationResult r = new CrossFittedEnsemble("xf", spy, new SharedGeneKnn(), 5,
                CrossFittedEnsemble.Mean.ARITHMETIC).impute(small, 1);
        assertEquals(5, spy.seen.size());
        for (ImputationTask inner : spy.seen) {
            assertArrayEquals(genes, inner.spatialGenes());
        }
        assertTrue(r.notes().contains("each on all training genes"), r.notes());
        for (float v : r.predictions().data) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void membersSideBySideOrOneAtATimeGiveTheSameBitsForAnyThreadCount() {
        ImputationTask task = TrainingGeneValidationTest.task(250);
        CrossFittedEnsemble side = new CrossFittedEnsemble("xf", "knn",
                (inner, rows, seed) -> List.of(new SharedGeneKnn(7).impute(inner, seed), new SharedGeneKnn(15).impute(inner, seed)),
                List.of(new SharedGeneKnn(5), new SharedGeneKnn(30)), 5, CrossFittedEnsemble.Mean.GEOMETRIC);
        CrossFittedEnsemble oneAtATime = side.withMemberScheduling(FitScheduling.ONE_AT_A_TIME);
        int before = WorkerPool.shared().threads();
        try {
            WorkerPool.setSharedThreads(1);
            ImputationResult reference = oneAtATime.impute(task, 4);
            for (int threads : new int[]{2, 3}) {
                WorkerPool.setSharedThreads(threads);
                for (CrossFittedEnsemble xf : List.of(side, oneAtATime)) {
                    ImputationResult r = xf.impute(task, 4);
                    assertArrayEquals(reference.predictions().data, r.predictions().data, threads + " threads");
                    assertEquals(reference.notes(), r.notes());
                }
            }
        } finally {
            WorkerPool.setSharedThreads(before);
        }
    }

    @Test
    void sideBySideMembersRunOnThePoolsThreadsAtOnceAndOneAtATimeInTheCaller() throws Exception {
        ImputationTask task = TrainingGeneValidationTest.task(200);
        int before = WorkerPool.shared().threads();
        try {
            WorkerPool.setSharedThreads(2);
            // each member of the first round waits until the other has started: passes only side by side
            CountDownLatch bothStarted = new CountDownLatch(2);
            Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Boolean> metTheOther = java.util.Collections.synchronizedList(new ArrayList<>());
            CrossFittedEnsemble.Member waiting = (inner, rows, seed) -> {
                threads.add(Thread.currentThread().getName());
                bothStarted.countDown();
                try {
                    metTheOther.add(bothStarted.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return List.of(new SharedGeneKnn().impute(inner, seed));
            };
            new CrossFittedEnsemble("xf", "knn", waiting, List.of(), 4, CrossFittedEnsemble.Mean.ARITHMETIC).impute(task, 1);
            assertEquals(List.of(true, true, true, true), metTheOther);
            assertEquals(2, threads.size(), "two threads, one member each at a time: " + threads);

            Set<String> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
            new CrossFittedEnsemble("xf", "knn", (inner, rows, seed) -> {
                callers.add(Thread.currentThread().getName());
                return List.of(new SharedGeneKnn().impute(inner, seed));
            }, List.of(), 4, CrossFittedEnsemble.Mean.ARITHMETIC)
                    .withMemberScheduling(FitScheduling.ONE_AT_A_TIME).impute(task, 1);
            assertEquals(Set.of(Thread.currentThread().getName()), callers);
        } finally {
            WorkerPool.setSharedThreads(before);
        }
    }

    @Test
    void fitsOnTheHostRunSideBySideAndFitsOnADeviceOneAtATime() {
        assertEquals(FitScheduling.SIDE_BY_SIDE, FitScheduling.forBackend("simd"));
        assertEquals(FitScheduling.SIDE_BY_SIDE, FitScheduling.forBackend("scalar"));
        assertEquals(FitScheduling.SIDE_BY_SIDE, FitScheduling.forBackend(null));
        assertEquals(FitScheduling.ONE_AT_A_TIME, FitScheduling.forBackend("opencl:0"));
        assertEquals(FitScheduling.ONE_AT_A_TIME, FitScheduling.forBackend("opencl"));
    }
}
