package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aparapi.device.OpenCLDevice;
import java.util.List;
import org.gimvi.engine.backend.ComputeBackend;

/**
 * The one OpenCL backend the tests share (kernels compile once per JVM). Without an OpenCL runtime
 * (or in a JVM started without signal chaining, see {@link JvmSignalChaining}) the tests are skipped
 * with a printed reason, never passed silently; with {@code -Dgimvi.opencl.required=true} (or the
 * environment's {@code GIMVI_OPENCL_REQUIRED=1}, set by {@code .ci/run}) a missing device fails them instead.
 */
final class OpenClTestDevice {
    private static OpenClBackend backend;
    private static OpenClBackend otherGemm;
    private static String missing;

    private OpenClTestDevice() {
    }

    static synchronized OpenClBackend backend() {
        if (backend == null && missing == null) {
            List<OpenCLDevice> devices;
            try {
                devices = OpenClDevices.list();
            } catch (IllegalStateException e) { // no signal chaining in this JVM: see JvmSignalChaining
                devices = List.of();
                missing = e.getMessage() + "; OpenCL tests skipped";
            }
            if (!devices.isEmpty()) {
                int index = Integer.getInteger("gimvi.opencl.device", 0);
                backend = OpenClBackend.open(devices.get(index), index);
                System.out.println("[opencl] testing on " + backend.name());
            } else if (missing != null) {
                System.out.println("[opencl] " + missing);
            } else {
                missing = "no OpenCL runtime or device (install pocl-opencl-icd); OpenCL tests skipped";
                System.out.println("[opencl] " + missing);
            }
        }
        if (backend == null && (Boolean.getBoolean("gimvi.opencl.required")
                || "1".equals(System.getenv("GIMVI_OPENCL_REQUIRED")))) {
            throw new IllegalStateException("gimvi.opencl.required is set but " + missing);
        }
        assumeTrue(backend != null, missing);
        return backend;
    }

    /** The same device with the GEMM kernel its type does not get by default (the tiled one on pocl). */
    static synchronized OpenClBackend otherGemmBackend() {
        OpenClBackend b = backend();
        if (otherGemm == null) {
            OpenClBackend.GemmKind usual = OpenClBackend.GemmKind.forDevice(b.device());
            otherGemm = OpenClBackend.open(b.device(), Integer.getInteger("gimvi.opencl.device", 0),
                    usual == OpenClBackend.GemmKind.DIRECT ? OpenClBackend.GemmKind.TILED : OpenClBackend.GemmKind.DIRECT);
        }
        return otherGemm;
    }

    /** The backend with every operand moved per call ({@link PerCallTransfers}), for kernel tests on host arrays. */
    static ComputeBackend transferring() {
        return PerCallTransfers.around(backend());
    }

    /** The same for the backend with the other GEMM form. */
    static ComputeBackend transferringOtherGemm() {
        return PerCallTransfers.around(otherGemmBackend());
    }
}
