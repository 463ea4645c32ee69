package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * An OpenCL runtime in the process must leave the JVM's own fault handling intact: after the backend
 * is started, compiled Java code still throws on an integer division by zero and on a null receiver.
 * Without signal chaining pocl's SIGFPE handler steps over the division instead (a third of the
 * divisions below returned garbage when this was found).
 */
class JvmSignalChainingTest {

    private static int quotient(int a, int b) {
        return a / b;
    }

    private static int hash(Object o) {
        return o.hashCode();
    }

    @Test
    void javaFaultsStillThrowWithTheOpenClRuntimeStarted() {
        OpenClTestDevice.backend(); // starts the runtime (skips the test where there is none)
        long sum = 0;
        Object some = new Object();
        for (int i = 0; i < 2_000_000; i++) { // compile both methods with the JIT
            sum += quotient(i, 1 + (i & 7)) + (hash(some) & 1);
        }
        int silentDivisions = 0;
        int silentNulls = 0;
        for (int i = 0; i < 5_000; i++) {
            try {
                sum += quotient(i, 0);
                silentDivisions++;
            } catch (ArithmeticException expected) {
                // the JVM's SIGFPE handler made this
            }
            try {
                sum += hash(null);
                silentNulls++;
            } catch (NullPointerException expected) {
                // the JVM's SIGSEGV handler made this
            }
        }
        assertEquals(0, silentDivisions, "divisions by zero that returned a value (sum " + sum + ")");
        assertEquals(0, silentNulls, "null receivers that returned a value");
    }

    @Test
    void theChainingLibraryIsFoundInAMapsListing() {
        String without = "7f1c2a000000-7f1c2a021000 r-xp 00000000 08:01 1234 /usr/lib/jvm/java-17/lib/server/libjvm.so\n"
                + "7f1c2b000000-7f1c2b001000 r--p 00000000 08:01 99 /usr/lib/x86_64-linux-gnu/libpocl.so.2.10.0\n";
        String with = without + "7f1c2c000000-7f1c2c002000 r-xp 00000000 08:01 77 /usr/lib/jvm/java-17/lib/libjsig.so\n";
        assertFalse(JvmSignalChaining.chainingMapped(without));
        assertTrue(JvmSignalChaining.chainingMapped(with));
        assertFalse(JvmSignalChaining.chainingMapped(without + "7f00-7f01 r--p 0 0:0 0 /home/u/libjsig.so.notes.txt\n"));
    }

    @Test
    void theRefusalNamesTheLibraryToPreload() {
        String advice = JvmSignalChaining.advice("/opt/jdk-17");
        assertTrue(advice.contains("LD_PRELOAD=/opt/jdk-17/lib/libjsig.so"), advice);
        assertEquals(1, advice.lines().count(), advice);
    }
}
