package org.gimvi.engine.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.JMException;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class JitDirectivesTest {
    /** A stand-in for an orchestration class, so that the directives added here match nothing real. */
    static final class Orchestration {
    }

    @Test
    void theDirectivesExcludeTheClassesFromC2AndRefuseToInlineThemIntoOurClasses() {
        String json = JitDirectives.directives(List.of(Orchestration.class, String.class));
        String mine = "org/gimvi/engine/jit/JitDirectivesTest$Orchestration*.*";
        assertTrue(json.contains("{ match: [\"" + mine + "\", \"java/lang/String*.*\"], c2: { Exclude: true } }"), json);
        assertTrue(json.contains("{ match: [\"org/gimvi/*.*\"], c2: { inline: [\"-" + mine + "\", \"-java/lang/String*.*\", "
                + "\"-org/gimvi/engine/kernels/VectorMath."), json);
        for (String pass : JitDirectives.STANDALONE_PASSES) {
            assertTrue(json.contains("\"-" + pass + "\""), pass + " refused in " + json);
        }
        assertThrows(IllegalArgumentException.class, () -> JitDirectives.directives(List.of()));
    }

    @Test
    void theArrayPassesAreVectorMathsFunctionsOverArraysAndNotItsScratchAccessors() {
        List<String> passes = JitDirectives.STANDALONE_PASSES;
        for (String f : List.of("exp", "log", "log1p", "softplus", "sigmoid", "lgamma", "digamma")) {
            assertTrue(passes.contains("org/gimvi/engine/kernels/VectorMath." + f), f + " in " + passes);
        }
        assertTrue(passes.stream().noneMatch(p -> p.endsWith(".scratch") || p.endsWith(".scratchLanes")), passes.toString());
        assertEquals(List.of("org/gimvi/engine/jit/JitDirectivesTest$Passes.pass"), JitDirectives.arrayPasses(Passes.class));
    }

    /** One array pass, one scratch accessor, one instance method: only the first is a pass. */
    static final class Passes {
        static void pass(float[] x, int n) {
        }

        static float[] scratch(int n) {
            return new float[n];
        }

        void instance(float[] x) {
        }
    }

    @Test
    void theRunningJvmTakesThemAndLeavesThemInItsDirectiveStack() throws JMException {
        String json = JitDirectives.directives(List.of(Orchestration.class));
        JitDirectives.Outcome outcome = JitDirectives.add(json, JitDirectives::addThroughDiagnosticCommand);
        assertEquals(JitDirectives.Status.ADDED, outcome.status(), outcome.detail());
        try {
            String stack = diagnosticCommand("compilerDirectivesPrint");
            int at = stack.indexOf("matching: org/gimvi/engine/jit/JitDirectivesTest$Orchestration*.*");
            assertTrue(at >= 0, stack);
            String c2 = stack.substring(stack.indexOf("c2 directives:", at));
            assertTrue(c2.substring(0, c2.indexOf("Directive")).contains("Exclude:true"), stack);
            assertTrue(stack.contains("matching: org/gimvi/*.*"), stack);
        } finally {
            diagnosticCommand("compilerDirectivesRemove"); // the two added above, from the top of the stack
            diagnosticCommand("compilerDirectivesRemove");
        }
        assertTrue(!diagnosticCommand("compilerDirectivesPrint").contains("JitDirectivesTest"));
    }

    @Test
    void aRefusalOrAnUnreachableJvmIsUnavailableNotAnError() throws Exception {
        JitDirectives.Outcome refused = JitDirectives.add("[ { match: [\"a/B.c\"], c2: { NoSuchOption: true } } ]",
                JitDirectives::addThroughDiagnosticCommand);
        assertEquals(JitDirectives.Status.UNAVAILABLE, refused.status(), refused.detail());
        assertTrue(refused.detail().contains("Could not load file"), refused.detail());

        Path[] seen = new Path[1];
        JitDirectives.Outcome failed = JitDirectives.add("[]", json -> {
            seen[0] = json;
            throw new JMException("no DiagnosticCommand MBean");
        });
        assertEquals(JitDirectives.Status.UNAVAILABLE, failed.status());
        assertTrue(failed.detail().contains("no DiagnosticCommand MBean"), failed.detail());
        assertTrue(!Files.exists(seen[0]), "the temporary directives file is deleted");
    }

    private static String diagnosticCommand(String operation) throws JMException {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[] {new String[0]}, new String[] {String[].class.getName()}));
    }
}
