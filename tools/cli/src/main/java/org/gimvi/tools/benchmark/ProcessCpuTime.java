package org.gimvi.tools.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time used by this process (every thread: workers, JIT compilers, GC). On a machine shared with
 * other jobs a method's wall time says as much about its neighbours as about the method; its CPU
 * seconds do not. NaN where the JVM does not report process CPU time.
 */
final class ProcessCpuTime {
    private ProcessCpuTime() {
    }

    /** Seconds of CPU used by the process so far, or NaN. */
    static double seconds() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long nanos = sun.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }
}
