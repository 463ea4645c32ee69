package org.gimvi.engine.jit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;
import org.gimvi.engine.kernels.VectorMath;

/**
 * Compiler Control (JEP 165) directives for a training step, added at run time: the step's
 * orchestration — the classes that sequence the backend's operations and do no arithmetic of their
 * own — stays on HotSpot's quick C1 compiler, and the vector library's array passes are compiled on
 * their own, never inlined into another method.
 *
 * <p>Why the orchestration on C1: a fresh JVM on two cores spends seconds of its one C2 thread
 * compiling before the vector kernels run at speed. The orchestration methods run thousands of times
 * per fit, so C2 compiles them too, and since C2 inlines their callees, each such compilation
 * re-compiles the backend and its kernels (which C2 also compiles on their own): counted with JFR on
 * one 200-epoch osmFISH/Allen fit, the gimVI classes took 2.0 of 6.2 s of C2 time (the classifier's
 * loss alone 0.7 s, twice, for a loop of counts), and the worker pool's task loop 0.4 s more once it
 * inlined them. That code
 * gains nothing from C2 — the arithmetic it calls is compiled on its own — while the kernels wait in
 * C2's queue behind it. With these directives C2 skips it: it runs C1-compiled, and it is not
 * inlined into a C2 compilation of this project's own classes.
 *
 * <p>Why the array passes on their own ({@link #STANDALONE_PASSES}: {@code VectorMath}'s functions
 * over arrays): a pass is one loop, and the composite functions and the likelihood kernels are chains
 * of passes through scratch arrays. Whether C2 inlines a pass into its caller depended on the order
 * of compilation (a pass not yet compiled is small enough to inline when hot); when it did, the
 * caller's graph passed C2's inlining node budget, the Vector API's own methods were no longer
 * inlined, and the caller's vectors were boxed for the life of the JVM. Seen with
 * {@code -XX:CompileCommand=PrintInlining} on {@code CountLikelihoodKernels.zinbCombine}, which had
 * inlined two sigmoid and two softplus passes: "NodeCountInliningCutoff" at the exp pass inside a
 * sigmoid, then "failed to inline (intrinsic)" at its own four stores; the fit then allocated 1.0 to
 * 33 MB per epoch where it allocates 0.4 KB (README, "Session 16"). A call per pass costs nothing
 * next to the pass's loop over a block.
 *
 * <p>Two directives are added, once per JVM: one matching the given classes (their nested and lambda
 * classes included: the pattern is the class name followed by {@code *}) that excludes them from C2,
 * and one matching this project's classes ({@value #OWN_CLASSES}) that refuses to inline them and the
 * array passes. A directive applies to the methods it matches, so every other class's directives, a
 * user's included, are left as they were. Compilation changes no result: Java's floating point is
 * strict, so the bits are the same on any compiler.
 *
 * <p>{@code -Dgimvi.jitDirectives=false} turns this off. A JVM without HotSpot's diagnostic command
 * (another VM, a runtime image without {@code jdk.management}) leaves it {@link Status#UNAVAILABLE};
 * training runs either way.
 */
public final class JitDirectives {
    /** This project's classes: the only callers that could inline the orchestration into C2 code. */
    static final String OWN_CLASSES = "org/gimvi/*.*";
    /**
     * {@code VectorMath}'s array passes as Compiler Control method patterns (every static method
     * taking a {@code float[]}: the functions over arrays, not the scratch accessors that vector loops
     * call on their special lanes), found by reflection so a new pass is covered.
     */
    static final List<String> STANDALONE_PASSES = arrayPasses(VectorMath.class);
    private static final Pattern ADDED_REPLY = Pattern.compile("(\\d+) compiler directives added");

    /** What {@link #addForTraining} did. */
    public enum Status {
        /** the directives were added by this call */
        ADDED,
        /** an earlier call added them */
        ALREADY_ADDED,
        /** {@code -Dgimvi.jitDirectives=false} */
        TURNED_OFF,
        /** the JVM did not take them (see {@link Outcome#detail}) */
        UNAVAILABLE
    }

    /** The status and, when the JVM refused or was unreachable, its message. */
    public record Outcome(Status status, String detail) {
    }

    /** Adds a directives file to the running JVM and returns its reply; separate so tests can fail it. */
    interface DirectiveSink {
        String add(Path json) throws JMException;
    }

    private static Outcome installed;

    private JitDirectives() {
    }

    /**
     * Keeps the methods of {@code orchestration} (and of their nested classes) off C2 and the array
     * passes out of other compilations, once per JVM: a later call, with any classes, returns
     * {@link Status#ALREADY_ADDED} or the first call's failure. The classes should call the compute
     * backend for every loop over data.
     */
    public static synchronized Outcome addForTraining(List<Class<?>> orchestration) {
        if (installed != null) {
            return installed.status() == Status.ADDED ? new Outcome(Status.ALREADY_ADDED, "") : installed;
        }
        if ("false".equalsIgnoreCase(System.getProperty("gimvi.jitDirectives"))) {
            return new Outcome(Status.TURNED_OFF, "-Dgimvi.jitDirectives=false");
        }
        installed = add(directives(orchestration), JitDirectives::addThroughDiagnosticCommand);
        return installed;
    }

    /** Patterns for the static methods of {@code c} that take a {@code float[]}, one per name, sorted. */
    static List<String> arrayPasses(Class<?> c) {
        TreeSet<String> names = new TreeSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()
                    && Arrays.asList(m.getParameterTypes()).contains(float[].class)) {
                names.add(c.getName().replace('.', '/') + "." + m.getName());
            }
        }
        return List.copyOf(names);
    }

    /** The JSON of the two directives for {@code orchestration} (Compiler Control's format). */
    static String directives(List<Class<?>> orchestration) {
        if (orchestration.isEmpty()) {
            throw new IllegalArgumentException("no orchestration classes given");
        }
        List<String> patterns = new ArrayList<>();
        for (Class<?> c : orchestration) {
            patterns.add('"' + c.getName().replace('.', '/') + "*.*\"");
        }
        List<String> refused = new ArrayList<>();
        for (String p : patterns) {
            refused.add("\"-" + p.substring(1));
        }
        for (String pass : STANDALONE_PASSES) {
            refused.add("\"-" + pass + '"');
        }
        return "[\n"
                + "  { match: [" + String.join(", ", patterns) + "], c2: { Exclude: true } },\n"
                + "  { match: [\"" + OWN_CLASSES + "\"], c2: { inline: [" + String.join(", ", refused) + "] } }\n"
                + "]\n";
    }

    /** Writes the directives to a temporary file, hands it to {@code sink} and reads the reply. */
    static Outcome add(String json, DirectiveSink sink) {
        Path file = null;
        try {
            file = Files.createTempFile("gimvi-jit-directives", ".json");
            Files.writeString(file, json, StandardCharsets.UTF_8);
            String reply = String.valueOf(sink.add(file)).strip();
            // HotSpot answers "2 compiler directives added", or a parse error and "Could not load file"
            Matcher added = ADDED_REPLY.matcher(reply);
            return added.find() && Integer.parseInt(added.group(1)) > 0 && !reply.contains("failed")
                    ? new Outcome(Status.ADDED, reply)
                    : new Outcome(Status.UNAVAILABLE, reply);
        } catch (IOException | JMException | RuntimeException | LinkageError e) {
            return new Outcome(Status.UNAVAILABLE, e.toString());
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file); // read when added: not needed afterwards
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    /** HotSpot's {@code Compiler.directives_add}, the command {@code jcmd} sends, called in-process. */
    static String addThroughDiagnosticCommand(Path json) throws JMException {
        Object reply = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                new Object[] {new String[] {json.toString()}}, new String[] {String[].class.getName()});
        return String.valueOf(reply);
    }
}
