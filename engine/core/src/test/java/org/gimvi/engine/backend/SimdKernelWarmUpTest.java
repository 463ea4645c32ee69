package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SimdKernelWarmUpTest {

    /**
     * SimdBackend's own kernels that the warm-up leaves out, and why: products have SimdGemm's
     * warm-up, the sparse products need an indexed minibatch (their loops are plain Java), and
     * {@code name} computes nothing.
     */
    private static final Set<String> NOT_WARMED = Set.of("name", "gemm", "multBiasSparse", "multAddTransASparse");

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
    void theWarmUpRunsOnTheRealBackendWithoutFailing() {
        SimdKernelWarmUp.run(new SimdBackend(null), 4);
    }
}
