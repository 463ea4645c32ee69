package org.gimvi.model.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gimvi.model.gimvi.GimviArchitecture;
import org.gimvi.model.gimvi.TrainingConfig;
import org.gimvi.model.gimvi.TrainingListener;
import org.junit.jupiter.api.Test;

class GimviKappaSearchTest {

    @Test
    void theChosenKappaIsTheBestCandidateOnTrainingGenesAndIsReported() {
        ImputationTask task = TrainingGeneValidationTest.task(200);
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = 3;
        cfg.batchSize = 64;
        GimviMethod base = new GimviMethod("k", cfg, GimviArchitecture.defaults(), "simd", TrainingListener.NONE)
                .withUncertaintySamples(0);
        GimviKappaSearch search = new GimviKappaSearch("gimvi-kbest", base, new float[]{0f, 5f}, 2);
        GimviKappaSearch.Choice c = search.choose(task, 3);
        int best = c.scores()[1] > c.scores()[0] ? 1 : 0;
        assertEquals(c.candidates()[best], c.kappa());
        ImputationResult r = search.impute(task, 3);
        assertTrue(r.notes().contains("chosen on training genes"), r.notes());
        for (float v : r.predictions().data) {
            assertTrue(Float.isFinite(v) && v >= 0);
        }
        assertEquals(task.targetGenes().length, r.predictions().numCols);
        assertEquals(5f, base.kappa(), "the base method is not changed by the search");
    }
}
