package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
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

    @Test
    void aJvmWithoutSignalChainingStartsNoOpenClRuntimeAndSaysHowToStartIt() throws Exception {
        assumeTrue(Files.isReadable(Paths.get("/proc/self/maps")), "signal chaining is checked on Linux only");
        String javaHome = System.getProperty("java.home");
        ProcessBuilder pb = new ProcessBuilder(Paths.get(javaHome, "bin", "java").toString(), "--add-modules",
                "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), GimviCli.class.getName(), "info",
                "--devices").redirectErrorStream(true);
        pb.environment().remove("LD_PRELOAD"); // as a plain `java` command line would start it
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\nopencl: OpenCL is not started in a JVM without signal chaining"), out);
        assertTrue(out.contains("LD_PRELOAD=" + javaHome + "/lib/libjsig.so"), out);
        assertFalse(out.contains("PoCL"), "no OpenCL platform may have been initialised: " + out);
    }
}
