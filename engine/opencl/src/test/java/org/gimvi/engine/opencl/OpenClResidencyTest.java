package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The resident backend's memory: results stay on the device until downloaded, buffers laid out side
 * by side in the arena are never written past, and an operand the device was never given is an error.
 */
class OpenClResidencyTest {
    private static final float SENTINEL = 777f;

    @Test
    void resultsStayOnTheDeviceUntilDownloaded() {
        OpenClBackend cl = OpenClTestDevice.backend();
        float[] x = cl.allocateVector(5);
        float[] y = cl.allocateVector(5);
        for (int i = 0; i < 5; i++) {
            x[i] = i + 1;
        }
        cl.upload(x, 5);
        cl.scale(2f, x, y, 5);
        cl.scale(3f, y, y, 5);       // chained on the device: y = 6x
        x[0] = 1000f;                // a host write that is never uploaded: the device keeps its copy
        cl.copy(x, 0, y, 4, 1);      // y[4] = the device's x[0] = 1
        cl.download(y, 5);
        assertEquals(6f, y[0]);
        assertEquals(24f, y[3]);
        assertEquals(1f, y[4]);
    }

    /**
     * Row and column operations on a matrix whose neighbours in the arena hold sentinels: nothing is
     * written outside the output (pocl 3.1 once ran a row loop past the row, see ArenaKernel.rowOp).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 33, 63, 64, 65, 127, 129})
    void rowOperationsStayInsideTheirRows(int cols) {
        OpenClBackend cl = OpenClTestDevice.backend();
        int rows = 3;
        FMatrixRMaj before = sentinels(cl, 1, 40);
        FMatrixRMaj x = cl.allocate(rows, cols);
        new Rng(cols).fillUniform(x.data, rows * cols, -20f, 20f);
        cl.upload(x);
        FMatrixRMaj after = sentinels(cl, 1, 40);
        FMatrixRMaj copy = x.copy();
        cl.rowLogSoftmax(x, x);      // in place: a write past a row would change the next row's input
        cl.rowSoftmax(x, x);
        int[] some = cols == 1 ? new int[]{0} : new int[]{cols - 1, 0};
        cl.upload(some, some.length);
        cl.renormaliseRows(x, some);
        cl.sumRows(x, x.data);
        cl.download(x);
        cl.download(before);
        cl.download(after);
        for (int i = 0; i < 40; i++) {
            assertEquals(SENTINEL, before.data[i], "the buffer before, element " + i);
            assertEquals(SENTINEL, after.data[i], "the buffer after, element " + i);
        }
        for (int r = 0; r < rows; r++) {
            assertTrue(x.data[r] >= 1f - 1e-5f, "row " + r + " of a renormalised softmax sums to at least one");
        }
        for (int i = rows; i < rows * cols; i++) {
            assertTrue(x.data[i] >= 0f && Float.isFinite(x.data[i]), "value " + i);
        }
        assertTrue(copy.data.length == rows * cols);
    }

    private static FMatrixRMaj sentinels(OpenClBackend cl, int rows, int cols) {
        FMatrixRMaj m = cl.allocate(rows, cols);
        java.util.Arrays.fill(m.data, SENTINEL);
        cl.upload(m);
        return m;
    }

    @Test
    void anOperandTheDeviceWasNeverGivenIsAnError() {
        OpenClBackend cl = OpenClTestDevice.backend();
        float[] known = cl.allocateVector(4);
        float[] stranger = new float[4];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cl.mul(known, stranger, known, 4));
        assertTrue(e.getMessage().startsWith("mul on opencl:") && e.getMessage().contains("upload it first"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> cl.download(stranger, 4));
    }

    @Test
    void anIndexOutsideItsTableIsAnErrorNotARead() {
        OpenClBackend cl = OpenClTestDevice.backend();
        FMatrixRMaj table = cl.allocate(3, 4);
        FMatrixRMaj y = cl.allocate(2, 4);
        int[] index = {1, 3};            // row 3 of a 3-row table
        cl.upload(index, 2);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> cl.addIndexedRows(org.gimvi.engine.backend.TensorView.of(table), index, y));
        assertTrue(e.getMessage().contains("row 3 at position 1"), e.getMessage());
    }

    /** A device whose largest buffer is 1 MiB: a model that needs more fails with one line, and nothing is lost. */
    @Test
    void aModelLargerThanTheDevicesLargestBufferFailsWithOneLine() {
        OpenClBackend cl = OpenClTestDevice.backend();
        DeviceArena arena = new DeviceArena(cl.device(), "small device", 1 << 20);
        float[] fits = new float[100_000];
        java.util.Arrays.fill(fits, 3f);
        arena.upload(fits, fits.length);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> arena.placeZeroed(new float[200_000]));
        assertTrue(e.getMessage().contains("1 MiB per buffer") && e.getMessage().contains("--device cpu")
                && !e.getMessage().contains("\n"), e.getMessage());
        float[] small = new float[1000];
        arena.placeZeroed(small);  // the failed placement was taken back: this fits below the limit
        float[] back = new float[100_000];
        arena.pull(back, 0, arena.at(fits, "test"), fits.length);
        assertEquals(3f, back[99_999], "the buffers placed before are intact");
    }
}
