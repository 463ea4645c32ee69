package org.gimvi.model.baselines.tangram;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time of this process, for the notes: on a shared machine the wall-clock training time says
 * more about the neighbours than about the method. −1 where the JVM does not report it.
 */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long nanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }
}
