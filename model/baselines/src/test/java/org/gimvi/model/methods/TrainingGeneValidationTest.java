package org.gimvi.model.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gimvi.engine.parallel.WorkerPool;
import org.gimvi.model.baselines.LibrarySizeControl;
import org.gimvi.model.baselines.SharedGeneKnn;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;
import org.junit.jupiter.api.Test;

class TrainingGeneValidationTest {

    /** A simulated task: 24 panel genes to train on, 6 held out that validation must never see. */
    static ImputationTask task(int cells) {
        SimulatorConfig cfg = new SimulatorConfig();
        cfg.seqCells = cells;
        cfg.spatialCells = cells;
        SimulatedPair sim = TissueSimulator.simulate(cfg);
        return new ImputationTask("sim", sim.seqCounts(), sim.seqGenes(), sim.spatialCounts(), sim.spatialGenes(),
                sim.heldOutGenes());
    }

    @Test
    void everyTrainingGeneIsScoredOnceAndTheHeldOutGenesAreNeverSeen() {
        ImputationTask task = task(300);
        Set<String> heldOut = new HashSet<>(Arrays.asList(task.targetGenes()));
        List<ImputationTask> seen = new ArrayList<>();
        ImputationMethod spy = new ImputationMethod() {
            @Override
            public String name() {
                return "spy";
            }

            @Override
            public ImputationResult impute(ImputationTask inner, long seed) {
                seen.add(inner);
                return new SharedGeneKnn().impute(inner, seed);
            }
        };
        TrainingGeneValidation.Score s = TrainingGeneValidation.score(spy, task, 4, 7);
        assertEquals(4, seen.size());
        Set<String> predicted = new HashSet<>();
        for (ImputationTask inner : seen) {
            for (String g : inner.spatialGenes()) {
                assertFalse(heldOut.contains(g), "a held-out gene was given to the method: " + g);
            }
            for (String g : inner.targetGenes()) {
                assertFalse(heldOut.contains(g), "a held-out gene was scored: " + g);
                assertTrue(predicted.add(g), "gene predicted twice: " + g);
                assertFalse(Arrays.asList(inner.spatialGenes()).contains(g), "a fold's gene was also a training gene");
            }
        }
        assertEquals(new HashSet<>(Arrays.asList(task.spatialGenes())), predicted);
        assertArrayEquals(task.spatialGenes(), s.genes());
        assertTrue(s.median() > 0.1, "shared-gene kNN predicts simulated markers: " + s.median());
        TrainingGeneValidation.Score again = TrainingGeneValidation.score(new SharedGeneKnn(), task, 4, 7);
        assertArrayEquals(s.spearmanNorm(), again.spearmanNorm(), "same seed, same folds, same scores");
    }

    @Test
    void cellSizeAloneScoresZero() {
        TrainingGeneValidation.Score s = TrainingGeneValidation.score(new LibrarySizeControl(), task(200), 3, 1);
        for (double v : s.spearmanNorm()) {
            assertEquals(0.0, v, 1e-12, "predicting L carries nothing once divided by L");
        }
    }

    @Test
    void tooFewGenesOrFoldsAreRefused() {
        ImputationTask t = task(100);
        assertThrows(IllegalArgumentException.class, () -> TrainingGeneValidation.score(new SharedGeneKnn(), t, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingGeneValidation.score(new SharedGeneKnn(), t, 20, 0));
    }

    @Test
    void severalMethodsSideBySideScoreAsEachAloneForAnyThreadCount() {
        ImputationTask task = task(250);
        List<ImputationMethod> methods = List.of(new SharedGeneKnn(5), new SharedGeneKnn(20), new LibrarySizeControl());
        List<TrainingGeneValidation.Score> alone = new ArrayList<>();
        for (ImputationMethod m : methods) {
            alone.add(TrainingGeneValidation.score(m, task, 3, 9));
        }
        int before = WorkerPool.shared().threads();
        try {
            for (int threads : new int[]{1, 2, 3}) {
                WorkerPool.setSharedThreads(threads);
                for (FitScheduling scheduling : FitScheduling.values()) {
                    List<TrainingGeneValidation.Score> all = TrainingGeneValidation.scoreAll(methods, task, 3, 9, scheduling);
                    for (int m = 0; m < methods.size(); m++) {
                        assertArrayEquals(alone.get(m).spearmanNorm(), all.get(m).spearmanNorm(),
                                methods.get(m).name() + ", " + threads + " threads, " + scheduling);
                        assertEquals(alone.get(m).median(), all.get(m).median());
                    }
                }
            }
        } finally {
            WorkerPool.setSharedThreads(before);
        }
    }
}
