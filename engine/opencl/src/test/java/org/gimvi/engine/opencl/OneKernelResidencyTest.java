package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.aparapi.Kernel;
import com.aparapi.Range;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Which memory model the device gives Aparapi's explicit mode, on one kernel object whose field is
 * an arena and whose launches run different ops (the shape a device-resident step would take; see
 * README, "OpenCL"). Two models are legal, and the test says which one it found:
 * <ul>
 *   <li><b>separate</b> (a GPU): the device keeps its copy between launches; a host write without
 *       {@code put} never reaches it, and results reach the host only by {@code get} — residency works;</li>
 *   <li><b>aliased</b> (pocl, measured): the device computes in the Java array itself (zero copy), so
 *       host writes are seen without {@code put} and results without {@code get}. On such a device a
 *       missing transfer in the OpenCL backend cannot show, which is why transfer correctness is only
 *       checked on a GPU ({@code benchmarks/opencl/gpu-check.sh} runs this module's tests) and, for
 *       the model's side of the contract, on a simulated device (model/gimvi's
 *       {@code DeviceMemoryContractTest}).</li>
 * </ul>
 * Anything else (a launch that lost the first op's result, say) fails.
 */
class OneKernelResidencyTest {

    /** Two ops on one arena at offsets: scale a range, then add one range into another. */
    static final class ArenaKernel extends Kernel {
        static final int SCALE = 0;
        static final int ADD_INTO = 1;
        float[] arena;
        int op;
        int n;
        int src;
        int dst;
        float alpha;

        @Override
        public void run() {
            int i = getGlobalId(0);
            if (i < n) {
                if (op == SCALE) {
                    arena[dst + i] = alpha * arena[dst + i];
                } else {
                    arena[dst + i] = arena[dst + i] + arena[src + i];
                }
            }
        }
    }

    @Test
    void explicitModeKeepsTheArenaOnTheDeviceOrComputesInTheJavaArray() {
        OpenClBackend backend = OpenClTestDevice.backend();
        ArenaKernel k = new ArenaKernel();
        k.setExplicit(true);
        k.arena = new float[]{1, 2, 3, 10, 20, 30};
        k.n = 3;
        k.put(k.arena);
        Range range = backend.device().createRange(3, 1);
        try {
            k.op = ArenaKernel.SCALE;     // [2, 4, 6 | 10, 20, 30]
            k.dst = 0;
            k.alpha = 2f;
            backend.launch(k, range);
            k.arena[3] = 1000f;           // a host write that is never put
            k.op = ArenaKernel.ADD_INTO;  // separate: [2, 4, 6 | 12, 24, 36]; aliased: [.. | 1002, 24, 36]
            k.src = 0;
            k.dst = 3;
            backend.launch(k, range);
            float[] beforeGet = k.arena.clone();
            k.get(k.arena);
            boolean aliased = beforeGet[1] == 4f;
            System.out.println("[opencl] explicit-mode memory on " + backend.name() + ": "
                    + (aliased ? "aliased (the device computes in the Java array)" : "separate (resident between launches)")
                    + "; host before get " + Arrays.toString(beforeGet) + ", after " + Arrays.toString(k.arena));
            if (aliased) {
                assertArrayEquals(new float[]{2, 4, 6, 1002, 24, 36}, beforeGet, "aliased: every write is shared at once");
                assertArrayEquals(beforeGet, k.arena, "aliased: get changes nothing");
            } else {
                assertArrayEquals(new float[]{1, 2, 3, 1000, 20, 30}, beforeGet, "separate: the host changes only by get");
                assertArrayEquals(new float[]{2, 4, 6, 12, 24, 36}, k.arena,
                        "separate: both ops ran on the device's copy, which kept the first result and never saw the host write");
            }
        } finally {
            k.dispose();
        }
    }
}
