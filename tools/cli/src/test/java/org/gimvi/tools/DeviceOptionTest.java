package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --device and info --devices: devices are listed, and a device that cannot be used is refused in one line before any input is read. */
class DeviceOptionTest {

    private static void assertOneLineError(CliRunner.Result r, String expected) {
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void infoListsTheCpuAndTheOpenClPlatforms() {
        CliRunner.Result r = CliRunner.run("info", "--devices");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("cpu: "), r.out());
        // either numbered devices or the reason there are none: never nothing
        assertTrue(r.out().contains("\nopencl"), r.out());
    }

    @Test
    void anUnknownDeviceIsRefused() {
        assertOneLineError(CliRunner.run("demo", "--device", "gpu"), "--device must be cpu, opencl or opencl:N");
    }

    @Test
    void aMissingOpenClDeviceIsRefusedBeforeTheInputsAreRead(@TempDir Path dir) {
        // the inputs do not exist: the device is what the error must be about
        CliRunner.Result r = CliRunner.run("train", "--seq", dir.resolve("absent.h5ad").toString(), "--spatial",
                dir.resolve("absent2.h5ad").toString(), "--save-model", dir.resolve("m.gimvi").toString(),
                "--device", "opencl:99");
        assertOneLineError(r, "--device opencl");
    }

    @Test
    void onlyGimviRunsOnADevice(@TempDir Path dir) {
        CliRunner.Result r = CliRunner.run("impute", "--seq", dir.resolve("a.h5ad").toString(), "--spatial",
                dir.resolve("b.h5ad").toString(), "--out", dir.resolve("o.h5ad").toString(), "--method", "knn",
                "--device", "opencl");
        assertOneLineError(r, "--device applies to gimVI only");
    }
}
