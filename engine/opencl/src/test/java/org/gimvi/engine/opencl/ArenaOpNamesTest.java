package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The profile's names: every op code and MAP/ROWS/likelihood function of the arena kernel has its own. */
class ArenaOpNamesTest {

    @Test
    void everyOperationHasItsOwnName() {
        Set<String> seen = new HashSet<>();
        for (int op = 0; op <= ArenaKernel.DROPOUT_MASK; op++) {
            if (op == ArenaKernel.MAP || op == ArenaKernel.ROWS || op == ArenaKernel.COUNT_LIKELIHOOD) {
                continue;
            }
            assertName(seen, DeviceArena.opName(op, 0));
        }
        for (int fn = 0; fn <= ArenaKernel.DROPOUT_RELU_BACKWARD; fn++) {
            assertName(seen, DeviceArena.opName(ArenaKernel.MAP, fn));
        }
        for (int fn = 0; fn <= ArenaKernel.RENORMALISE; fn++) {
            assertName(seen, DeviceArena.opName(ArenaKernel.ROWS, fn));
        }
        for (int fn = 0; fn <= ArenaKernel.POISSON; fn++) {
            assertName(seen, DeviceArena.opName(ArenaKernel.COUNT_LIKELIHOOD, fn));
        }
        assertEquals("gemm +bias", DeviceArena.opName(ArenaKernel.GEMM_DIRECT, 1));
    }

    private static void assertName(Set<String> seen, String name) {
        assertFalse(name.startsWith("op "), "an op code without a name: " + name);
        assertFalse(!seen.add(name), "two operations named " + name);
    }
}
