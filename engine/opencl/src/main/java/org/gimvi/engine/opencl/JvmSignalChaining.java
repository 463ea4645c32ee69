package org.gimvi.engine.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether this JVM may start an OpenCL runtime without losing its own signal handlers.
 *
 * <p>HotSpot turns hardware faults into Java semantics: SIGFPE into ArithmeticException for an
 * integer division by zero, SIGSEGV into NullPointerException and into its safepoint polls. On
 * Linux, initialising pocl replaces those handlers in the whole process: pocl installs a SIGFPE
 * handler that steps over a faulting division (measured: after merely listing the devices, 330 of
 * 1,000 compiled {@code i / 0} returned garbage instead of throwing), and its LLVM installs one-shot
 * SIGSEGV/SIGBUS/SIGILL handlers, so two threads faulting at once (a safepoint) can kill the JVM
 * with a bare "Segmentation fault" (it did, in CI). The JVM's documented remedy is signal chaining:
 * with {@code libjsig.so} preloaded, a native library's handlers are kept behind the JVM's, which
 * hands them only the faults that are not its own.
 *
 * <p>So on Linux, OpenCL is started only when {@code libjsig.so} is mapped into this process; the
 * {@code ./gimvi} launcher and the build's test runs preload it. Elsewhere the check does not apply.
 */
public final class JvmSignalChaining {
    private static final Path MAPS = Paths.get("/proc/self/maps");

    private JvmSignalChaining() {
    }

    /**
     * Why OpenCL must not be started in this JVM, or empty when it may: not Linux, or signal
     * chaining is in place.
     */
    public static Optional<String> problem() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") || !Files.isReadable(MAPS)) {
            return Optional.empty();
        }
        String maps;
        try {
            maps = Files.readString(MAPS);
        } catch (IOException e) {
            return Optional.empty(); // cannot tell; do not refuse a device on a guess
        }
        return chainingMapped(maps) ? Optional.empty() : Optional.of(advice(System.getProperty("java.home")));
    }

    /** Whether a {@code /proc/PID/maps} listing contains the JVM's signal-chaining library. */
    static boolean chainingMapped(String maps) {
        return maps.lines().anyMatch(line -> line.endsWith("/libjsig.so"));
    }

    /** The one-line refusal, naming the library to preload for the JDK at {@code javaHome}. */
    static String advice(String javaHome) {
        return "OpenCL is not started in a JVM without signal chaining: the OpenCL runtime (pocl and its LLVM) "
                + "replaces the JVM's SIGFPE/SIGSEGV handlers, after which a Java division by zero can return garbage "
                + "and the JVM can crash; start java with LD_PRELOAD=" + javaHome + "/lib/libjsig.so (./gimvi does this)";
    }
}
