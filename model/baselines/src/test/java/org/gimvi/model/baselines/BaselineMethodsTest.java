package org.gimvi.model.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.methods.PurityReference;
import org.gimvi.model.sim.SimulatedPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BaselineMethodsTest {
    private static SimulatedPair pair;
    private static ImputationTask task;
    private static double libsizeScore;

    @BeforeAll
    static void simulate() {
        pair = SimulatedTasks.pair();
        task = SimulatedTasks.task(pair);
        ImputationResult control = new LibrarySizeControl().impute(task, 0);
        libsizeScore = SimulatedTasks.medianSpearmanNorm(pair.heldOutTruth(), control.predictions(), task.spatialLibrary());
    }

    static Stream<ImputationMethod> methods() {
        return Stream.of(new SpaGE(), new SeuratAnchors(), new CoralKnn(), new ScviKnn(30));
    }

    @ParameterizedTest
    @MethodSource("methods")
    void sameSeedGivesBitIdenticalResults(ImputationMethod m) {
        ImputationMethod method = m instanceof ScviKnn ? new ScviKnn(3) : m; // determinism needs no long training
        SimulatedTasks.assertBitIdentical(method.impute(task, 11), method.impute(task, 11));
    }

    /**
     * k-NN purity's reference is each method's own single-dataset model (metrics.md §2): PCA for Seurat
     * and SpaGE, NMF for LIGER, the single-dataset VAE for scVI; CORAL has none.
     */
    @Test
    void eachLatentMethodDeclaresItsOwnSingleDatasetReference() {
        Map<String, String> expected = Map.of("spage", "PCA of each dataset", "seurat", "PCA of each dataset's scaled genes",
                "liger", "NMF of each dataset");
        for (ImputationMethod m : List.of(new SpaGE(), new SeuratAnchors(),
                org.gimvi.model.baselines.liger.LigerMethod.fromParameters(Map.of("iterations", "3")))) {
            ImputationResult r = m.impute(task, 0);
            PurityReference ref = r.purityReference();
            assertTrue(ref instanceof PurityReference.Computed, m.name() + ": " + ref);
            assertTrue(ref.description().startsWith(expected.get(m.name())), ref.description());
            PurityReference.Latents own = ((PurityReference.Computed) ref).latents().get();
            assertEquals(task.seqCounts().rows(), own.seq().numRows, m.name());
            assertEquals(task.spatialCounts().rows(), own.spatial().numRows, m.name());
            assertTrue(SimulatedTasks.allFinite(own.seq()) && SimulatedTasks.allFinite(own.spatial()), m.name());
            assertTrue(Arrays.stream(toDouble(own.seq().data)).anyMatch(v -> v != 0), m.name() + " reference is not empty");
        }
        assertTrue(new ScviKnn(2).impute(task, 0).purityReference() instanceof PurityReference.SingleDatasetVae);
        ImputationResult coral = new CoralKnn().impute(task, 0);
        assertNotNull(coral.latentSeq());
        assertEquals(null, coral.purityReference(), "CORAL has no single-dataset model to compare with");
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @ParameterizedTest
    @MethodSource("methods")
    void beatsTheLibrarySizeControlOnRelativeExpression(ImputationMethod m) {
        ImputationResult r = m.impute(task, 0);
        assertEquals(task.spatialCounts().rows(), r.predictions().numRows);
        assertEquals(task.targetGenes().length, r.predictions().numCols);
        assertTrue(SimulatedTasks.allFinite(r.predictions()), m.name() + " produced non-finite predictions");
        double score = SimulatedTasks.medianSpearmanNorm(pair.heldOutTruth(), r.predictions(), task.spatialLibrary());
        assertEquals(0, libsizeScore, 1e-9, "the control carries no relative information");
        assertTrue(score > libsizeScore + 0.15, m.name() + " median spearman_norm " + score + " vs libsize " + libsizeScore);
        assertNotNull(r.latentSeq(), m.name() + " has a joint latent space");
        assertEquals(task.seqCounts().rows(), r.latentSeq().numRows);
        assertEquals(task.spatialCounts().rows(), r.latentSpatial().numRows);
        assertEquals(r.latentSeq().numCols, r.latentSpatial().numCols);
    }

    @ParameterizedTest
    @MethodSource("methods")
    void zeroAndConstantGenesGiveFinitePredictions(ImputationMethod m) {
        ImputationMethod method = m instanceof ScviKnn ? new ScviKnn(3) : m;
        ImputationTask degenerate = SimulatedTasks.withDegenerateGenes(pair);
        ImputationResult r = method.impute(degenerate, 0);
        assertTrue(SimulatedTasks.allFinite(r.predictions()), method.name() + " produced non-finite predictions");
        assertTrue(SimulatedTasks.allFinite(r.latentSeq()) && SimulatedTasks.allFinite(r.latentSpatial()));
        int zeroTarget = degenerate.targetGenes().length - 1;
        for (int i = 0; i < r.predictions().numRows; i++) {
            assertEquals(0f, r.predictions().get(i, zeroTarget), method.name() + ": a gene never seen expressed is predicted 0");
        }
    }

    @Test
    void zScoringMethodsReportTheGenesTheyDropped() {
        ImputationTask degenerate = SimulatedTasks.withDegenerateGenes(pair);
        for (ImputationMethod m : List.of(new SpaGE(), new SeuratAnchors())) {
            String notes = m.impute(degenerate, 0).notes();
            assertTrue(notes.contains("zeroShared") && notes.contains("flatInSpace"), m.name() + ": " + notes);
        }
    }

    @Test
    void predictionsScaleWithTheSpatialLibrary() {
        // the convention: relative expression × L. Doubling every spatial count leaves the methods that
        // normalise to a fixed scale (10⁴) with the same relative expression, so the predictions double.
        ImputationTask doubled = new ImputationTask("sim-x2", task.seqCounts(), task.seqGenes(),
                doubledCounts(task), task.spatialGenes(), task.targetGenes());
        for (ImputationMethod m : List.of(new SeuratAnchors(), new CoralKnn())) {
            float[] a = m.impute(task, 0).predictions().data;
            float[] b = m.impute(doubled, 0).predictions().data;
            for (int i = 0; i < a.length; i++) {
                assertEquals(2 * a[i], b[i], 1e-4f * Math.max(1, Math.abs(a[i])), m.name() + " entry " + i);
            }
        }
    }

    @Test
    void tooFewSharedGenesFailWithTheMethodTheFieldAndTheFix() {
        ImputationTask three = new ImputationTask("sim-3", task.seqCounts(), task.seqGenes(),
                task.spatialCounts().selectColumns(new int[] {0, 1, 2}),
                Arrays.copyOf(task.spatialGenes(), 3), task.targetGenes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SeuratAnchors(Map.of("dims", "5")).impute(three, 0));
        assertTrue(e.getMessage().startsWith("seurat: dims = 5") && e.getMessage().contains("lower dims"), e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> new SpaGE(Map.of("n_pv", "4")).impute(three, 0));
        assertTrue(s.getMessage().startsWith("spage: n_pv = 4") && s.getMessage().contains("lower n_pv"), s.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> new SeuratAnchors(Map.of("k_weight", "100000")).impute(task, 0));
        assertTrue(w.getMessage().startsWith("seurat:") && w.getMessage().contains("k_weight"), w.getMessage());
    }

    @Test
    void scviKnnDefaultsToFivePercentOfTheScRnaSeqCells() {
        ImputationResult r = new ScviKnn(2).impute(task, 0);
        assertTrue(r.notes().startsWith("k = 40 (uniform)"), r.notes()); // 5% of 800
        ImputationResult d = new ScviKnn(2, Map.of("k", "10", "weighting", "distance")).impute(task, 0);
        assertTrue(d.notes().startsWith("k = 10 (distance)"), d.notes());
    }

    private static org.gimvi.engine.matrix.DenseCountMatrix doubledCounts(ImputationTask t) {
        org.gimvi.engine.matrix.DenseCountMatrix m = t.spatialCounts();
        float[] data = m.data().clone();
        for (int j = 0; j < data.length; j++) {
            data[j] *= 2;
        }
        return new org.gimvi.engine.matrix.DenseCountMatrix(m.rows(), m.cols(), data);
    }
}
