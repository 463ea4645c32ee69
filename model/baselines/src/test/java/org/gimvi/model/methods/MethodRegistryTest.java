package org.gimvi.model.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MethodRegistryTest {

    @Test
    void theBaselinesAreRegisteredNextToTheExistingMethods() {
        List<String> names = MethodRegistry.names();
        for (String n : List.of("gimvi", "gimvi-k0", "gimvi-k1", "gimvi-rounds", "gimvi-spec", "gimvi-paper2019", "gimvi-kbest", "knn", "libsize", "spage", "seurat",
                "coral", "scvi-knn")) {
            assertTrue(names.contains(n), n);
        }
        for (ImputationMethod m : MethodRegistry.parse("spage,seurat,coral,scvi-knn", 7)) {
            assertTrue(names.contains(m.name()));
        }
    }

    @Test
    void parametersExposePublishedDefaults() {
        Map<String, String> spage = MethodRegistry.create("spage", 1, Map.of()).parameters();
        assertEquals("50", spage.get("k"));
        assertEquals("0.3", spage.get("min_cosine"));
        assertEquals("auto", spage.get("n_pv"));
        Map<String, String> seurat = MethodRegistry.create("seurat", 1, Map.of()).parameters();
        assertEquals("5", seurat.get("k_anchor"));
        assertEquals("none", seurat.get("k_filter"));
        assertEquals("30", seurat.get("k_score"));
        assertEquals("50", seurat.get("k_weight"));
        assertEquals("1", seurat.get("sd_weight"));
        assertEquals("10", MethodRegistry.create("coral", 1, Map.of()).parameters().get("k"));
        Map<String, String> scvi = MethodRegistry.create("scvi-knn", 42, Map.of()).parameters();
        assertEquals("0.05", scvi.get("k_fraction"));
        assertEquals("42", scvi.get("epochs"));
    }

    @Test
    void theDefaultGimviIsTheCrossFittedEnsembleAndItsKappaVariantsDifferOnlyInKappa() {
        Map<String, String> g = MethodRegistry.create("gimvi", 200, Map.of()).parameters();
        assertEquals("5", g.get("members"));
        assertEquals("knn+spage", g.get("companion"));
        assertEquals("auto", g.get("member-epochs"));
        assertEquals("auto", g.get("checkpoints"));
        assertArrayEquals(new int[]{20, 50}, GimviEnsemble.defaultCheckpoints(200));
        assertArrayEquals(new int[]{1}, GimviEnsemble.defaultCheckpoints(3));
        assertArrayEquals(new int[0], GimviEnsemble.defaultCheckpoints(1));
        Map<String, String> k0 = MethodRegistry.create("gimvi-k0", 200, Map.of()).parameters();
        assertEquals("0", k0.get("kappa"));
        assertEquals("5", g.get("kappa"));
        assertEquals("3", MethodRegistry.create("gimvi", 200, Map.of("members", "3")).parameters().get("members"));
        assertThrows(IllegalArgumentException.class, () -> MethodRegistry.create("gimvi", 200, Map.of("member", "vae")));
        assertTrue(MethodRegistry.create("gimvi-rounds", 200, Map.of()) instanceof GimviMethod);
    }

    @Test
    void theDeviceReachesTheKappaSearchAndScviKnn() {
        ImputationMethod kbest = MethodRegistry.create("gimvi-kbest", 4, Map.of()).onBackend("scalar");
        assertEquals("scalar", ((GimviKappaSearch) kbest).backend());
        ImputationMethod scvi = MethodRegistry.create("scvi-knn", 4, Map.of()).onBackend("scalar");
        assertEquals("scalar", ((org.gimvi.model.baselines.ScviKnn) scvi).backend());
        assertEquals(MethodRegistry.create("scvi-knn", 4, Map.of()).parameters(), scvi.parameters(),
                "moving to a device keeps the parameters");
        // scalar and SIMD are bit-identical, so the moved method imputes the same values
        ImputationTask task = TrainingGeneValidationTest.task(120);
        assertArrayEquals(MethodRegistry.create("scvi-knn", 4, Map.of()).impute(task, 1).predictions().data,
                scvi.impute(task, 1).predictions().data);
    }

    @Test
    void theCompanionsParameterNamesTheBlendedMethods() {
        assertEquals(List.of("knn", "spage"), GimviEnsemble.companions("knn+spage").stream().map(ImputationMethod::name)
                .toList());
        assertEquals(List.of(), GimviEnsemble.companions("none"));
        assertThrows(IllegalArgumentException.class, () -> MethodRegistry.create("gimvi", 4, Map.of("companion", "tangram")));
    }

    @Test
    void overridesReplaceDefaults() {
        ImputationMethod m = MethodRegistry.create("seurat", 1,
                MethodParameters.parseOverrides(List.of("k_filter=200", "weight_reduction=cca")));
        assertEquals("200", m.parameters().get("k_filter"));
        assertEquals("cca", m.parameters().get("weight_reduction"));
        assertEquals("5", m.parameters().get("k_anchor"));
    }

    @Test
    void unknownOrMalformedParametersFailWithTheValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.create("spage", 1, Map.of("kk", "3")));
        assertTrue(e.getMessage().contains("spage") && e.getMessage().contains("'kk'")
                && e.getMessage().contains("n_pv, k, min_cosine, max_distance"), e.getMessage());
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.create("knn", 1, Map.of("k", "3")));
        assertTrue(plain.getMessage().contains("takes no parameters"), plain.getMessage());
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.create("coral", 1, Map.of("k", "ten")));
        assertTrue(value.getMessage().contains("coral: k = 'ten'"), value.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MethodParameters.parseOverrides(List.of("k")));
        assertThrows(IllegalArgumentException.class, () -> MethodRegistry.create("seurat", 1, Map.of("weight_reduction", "umap")));
        assertThrows(IllegalArgumentException.class, () -> MethodRegistry.create("nope", 1, Map.of()));
    }

    @Test
    void ligerTangramAndMaganTakeTheirParametersFromTheCommandLine() {
        Map<String, String> t = MethodRegistry.create("tangram", 1, Map.of()).parameters();
        assertEquals("1000", t.get("epochs"));
        assertEquals("0.1", t.get("learning_rate"));
        assertEquals("rna_count_based", t.get("density"));
        assertEquals("250", MethodRegistry.create("tangram", 1, Map.of("epochs", "250")).parameters().get("epochs"));
        assertEquals("uniform", MethodRegistry.create("tangram-clusters", 1, Map.of("density", "uniform")).parameters()
                .get("density"));
        assertEquals("20", MethodRegistry.create("liger", 1, Map.of()).parameters().get("k"));
        assertEquals("8", MethodRegistry.create("liger", 1, Map.of("k", "8")).parameters().get("k"));
        assertEquals("1000", MethodRegistry.create("magan", 1, Map.of()).parameters().get("iterations"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.create("tangram", 1, Map.of("epoch", "5")));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("epochs"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.create("magan", 1, Map.of("learning_rate", "-1")));
    }
}
