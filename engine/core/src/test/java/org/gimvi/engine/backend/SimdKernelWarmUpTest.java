package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SimdKernelWarmUpTest {

    /**
     * SimdBackend's own kernels that the warm-up leaves out, and why: the dense products have
     * SimdGemm's warm-up, {@code name} computes nothing and {@code prepareForTraining} starts the
     * warm-up itself.
     */
    private static final Set<String> NOT_WARMED = Set.of("name", "gemm", "prepareForTraining");

    @Test
    void everyVectorKernelOfTheSimdBackendIsWarmedUp() {
        Set<String> called = new TreeSet<>();
        ComputeBackend recorder = (ComputeBackend) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{ComputeBackend.class}, (proxy, method, args) -> {
                    called.add(method.getName());
                    return method.getReturnType() == int.class ? 0 : null;
                });
        SimdKernelWarmUp.run(recorder, 2);
        Set<String> kernels = new TreeSet<>();
        for (Method m : SimdBackend.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                    && !NOT_WARMED.contains(m.getName())) {
                kernels.add(m.getName());
            }
        }
        Set<String> missing = new TreeSet<>(kernels);
        missing.removeAll(called);
        assertEquals(Set.of(), missing, "kernels SimdBackend overrides that the warm-up never calls");
    }

    @Test
    void aTrainingPlansBackgroundWarmUpStartsOncePerJvmOnADaemonThreadAndFinishes() throws InterruptedException {
        new SimdBackend(null).prepareForTraining();
        Thread warmUp = SimdKernelWarmUp.background();
        if (Runtime.getRuntime().availableProcessors() < 2
                || "false".equalsIgnoreCase(System.getProperty(SimdKernelWarmUp.SWITCH))) {
            assertNull(warmUp, "one CPU, or switched off: no thread");
            return;
        }
        assertNotNull(warmUp);
        assertFalse(SimdKernelWarmUp.startInBackground(), "a second request starts nothing");
        assertSame(warmUp, SimdKernelWarmUp.background());
        assertTrue(warmUp.isDaemon(), "never keeps a JVM alive");
        assertEquals("gimvi-kernel-warm-up", warmUp.getName());
        warmUp.join(300_000);
        assertFalse(warmUp.isAlive(), "finished");
        assertNull(SimdKernelWarmUp.backgroundFailure());
    }

    @Test
    void theWarmUpRunsOnTheRealBackendWithoutFailing() {
        SimdKernelWarmUp.run(new SimdBackend(null), 4);
    }
}
