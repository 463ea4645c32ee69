package org.gimvi.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.model.gimvi.StepCompilation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The allowed arrows between the project's modules, stated as rules the build checks (the Maven
 * dependencies already make most wrong arrows fail to compile; these rules also catch a new
 * dependency added to a pom). The packages of each module:
 * <pre>
 *   engine/core      org.gimvi.engine..           → nothing of ours
 *   model/data       org.gimvi.model.data..       → engine
 *   model/io         org.gimvi.model.io..         → engine, data, gimvi (the model file); the only user of jhdf
 *   model/gimvi      org.gimvi.model.gimvi.., org.gimvi.model.sim..  → engine, data; never io
 *   model/baselines  org.gimvi.model.methods.., org.gimvi.model.baselines..  → engine, data, gimvi; never io
 *   metrics          org.gimvi.metrics..          → engine only
 *   tools            org.gimvi.tools..            → everything; nothing depends on tools
 * </pre>
 * Aparapi may appear only in the OpenCL backend's package, org.gimvi.engine.opencl.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProject() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.gimvi");
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    void theEngineDependsOnNothingOfOurs() {
        check(noClasses().that().resideInAPackage("org.gimvi.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.gimvi.model..", "org.gimvi.metrics..",
                        "org.gimvi.tools..")
                .because("the engine is biology-agnostic compute"));
    }

    @Test
    void datasetsDependOnlyOnTheEngine() {
        check(noClasses().that().resideInAPackage("org.gimvi.model.data..")
                .should().dependOnClassesThat().resideInAnyPackage("org.gimvi.model.io..", "org.gimvi.model.gimvi..",
                        "org.gimvi.model.sim..", "org.gimvi.model.methods..", "org.gimvi.model.baselines..",
                        "org.gimvi.metrics..", "org.gimvi.tools..")
                .because("the dataset types sit under every model and every format"));
    }

    @Test
    void modelsNeverReadOrWriteFiles() {
        check(noClasses().that().resideInAnyPackage("org.gimvi.model.gimvi..", "org.gimvi.model.sim..",
                        "org.gimvi.model.methods..", "org.gimvi.model.baselines..")
                .should().dependOnClassesThat().resideInAPackage("org.gimvi.model.io..")
                .because("file formats live in model/io; models take datasets in memory"));
    }

    @Test
    void gimviDoesNotDependOnTheMethods() {
        check(noClasses().that().resideInAnyPackage("org.gimvi.model.gimvi..", "org.gimvi.model.sim..")
                .should().dependOnClassesThat().resideInAnyPackage("org.gimvi.model.methods..",
                        "org.gimvi.model.baselines..")
                .because("the methods module wraps gimVI, not the other way round"));
    }

    @Test
    void metricsDoNotDependOnTheModel() {
        check(noClasses().that().resideInAPackage("org.gimvi.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("org.gimvi.model..", "org.gimvi.tools..")
                .because("metrics score any method's output"));
    }

    @Test
    void nothingDependsOnTheTools() {
        check(noClasses().that().resideOutsideOfPackage("org.gimvi.tools..")
                .should().dependOnClassesThat().resideInAPackage("org.gimvi.tools..")
                .because("the commands are the top of the stack"));
    }

    @Test
    void onlyTheFileFormatsUseJhdf() {
        check(noClasses().that().resideOutsideOfPackage("org.gimvi.model.io..")
                .should().dependOnClassesThat().resideInAPackage("io.jhdf..")
                .because("model/io is the only module on jhdf"));
    }

    /**
     * A {@code true} at a call site names nothing ({@code forward(x, null, a, rng, true)}): the
     * compute seam, the layers and the gimVI model take named options (enums such as
     * {@code ForwardMode}, {@code Posterior}, {@code Transpose}) in every method and constructor
     * that other classes can call. The strided kernels below the seam ({@code engine.kernels}) keep
     * BLAS's flags; private helpers may take a boolean.
     */
    @Test
    void theSeamTheLayersAndTheModelTakeNoPositionalBooleans() {
        check(codeUnits().that().areDeclaredInClassesThat().resideInAnyPackage("org.gimvi.engine.backend..",
                        "org.gimvi.engine.nn..", "org.gimvi.model.gimvi..")
                .and().doNotHaveModifier(JavaModifier.PRIVATE)
                .and().doNotHaveModifier(JavaModifier.SYNTHETIC)
                .should(takeNoBooleanParameter())
                .because("a named option says what it does at the call site"));
    }

    private static ArchCondition<JavaCodeUnit> takeNoBooleanParameter() {
        return new ArchCondition<>("take no boolean parameter") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                for (JavaClass type : unit.getRawParameterTypes()) {
                    if (type.isEquivalentTo(boolean.class) || type.isEquivalentTo(Boolean.class)) {
                        events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " takes a boolean"));
                        return;
                    }
                }
            }
        };
    }

    /**
     * The classes a training step is sequenced by are kept off HotSpot's optimising compiler
     * ({@code StepCompilation}, {@code JitDirectives}); that costs nothing only while their loops
     * over cells and genes are the backend's. So they call no kernel (the Adam coefficients, a few
     * scalars per step, are the seam's argument type) and no EJML operation.
     */
    @Test
    void theStepOrchestrationKeptOnC1LeavesEveryLoopOverDataToTheBackend() {
        check(noClasses().that().belongToAnyOf(StepCompilation.orchestration().toArray(new Class<?>[0]))
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("org.gimvi.engine.kernels..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(AdamUpdate.Coefficients.class))))
                .orShould().dependOnClassesThat().haveSimpleNameStartingWith("CommonOps")
                .because("C1 compiles them: their arithmetic must be the backend's, which C2 compiles"));
    }

    @Test
    void onlyTheOpenClBackendUsesAparapi() {
        check(noClasses().that().resideOutsideOfPackage("org.gimvi.engine.opencl..")
                .should().dependOnClassesThat().resideInAPackage("com.aparapi..")
                .because("CPU users must never load native OpenCL libraries"));
    }
}
