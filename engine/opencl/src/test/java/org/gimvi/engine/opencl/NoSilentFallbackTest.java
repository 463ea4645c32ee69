package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Aparapi runs a kernel its translator rejects on a Java thread pool and only logs a warning; the
 * backend must turn that into an error instead of computing on the CPU behind the user's back.
 */
class NoSilentFallbackTest {
    @Test
    void aKernelThatFellBackToJavaThreadsFailsWithOneLine() {
        OpenClBackend cl = OpenClTestDevice.backend();
        UnsupportedKernel k = new UnsupportedKernel();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cl.launch(k, cl.device().createRange(4, 4)));
        assertTrue(e.getMessage().contains("UnsupportedKernel") && e.getMessage().contains("opencl:"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }
}
