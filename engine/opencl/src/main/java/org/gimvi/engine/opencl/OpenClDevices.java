package org.gimvi.engine.opencl;

import com.aparapi.device.OpenCLDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenCL devices Aparapi can see, numbered in discovery order (platform by platform), which is
 * the N of {@code --device opencl:N}. Without an OpenCL runtime the list is empty: Aparapi's own
 * complaint about the missing native library is muted here, since "no devices" is the answer. In a
 * JVM without signal chaining no runtime is started at all ({@link JvmSignalChaining}).
 */
public final class OpenClDevices {
    /**
     * Aparapi's one logger ({@code com.aparapi.logLevel}). Asking Aparapi for its name initialises
     * {@code com.aparapi.Config} first, whose static block sets this logger's level (WARNING unless the
     * system property says otherwise); muting the parent {@code com.aparapi} logger is not enough, and
     * a level set before that block ran would be overwritten by it.
     */
    private static final Logger APARAPI_LOG = Logger.getLogger(com.aparapi.Config.getLoggerName());

    private OpenClDevices() {
    }

    /**
     * Every OpenCL device, or an empty list when no OpenCL runtime (ICD loader plus a driver) is installed.
     *
     * @throws IllegalStateException when starting a runtime would take the JVM's signal handlers
     *         (the message says how to start java instead)
     */
    public static List<OpenCLDevice> list() {
        Optional<String> unsafe = JvmSignalChaining.problem();
        if (unsafe.isPresent()) {
            throw new IllegalStateException(unsafe.get());
        }
        Level before = APARAPI_LOG.getLevel();
        APARAPI_LOG.setLevel(Level.OFF);
        try {
            return new ArrayList<>(OpenCLDevice.listDevices(null));
        } catch (LinkageError | RuntimeException e) {
            return List.of();
        } finally {
            APARAPI_LOG.setLevel(before);
        }
    }

    /** The device of {@code --device opencl:index}; index -1 picks the first GPU, else device 0. */
    public static OpenCLDevice select(int index) {
        List<OpenCLDevice> devices;
        try {
            devices = list();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("--device opencl: " + e.getMessage(), e);
        }
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("--device opencl: no OpenCL device found (install an OpenCL driver, "
                    + "e.g. apt-get install ocl-icd-libopencl1 pocl-opencl-icd, or use --device cpu)");
        }
        if (index >= devices.size()) {
            throw new IllegalArgumentException("--device opencl:" + index + ": no such OpenCL device; the devices are "
                    + "opencl:0 to opencl:" + (devices.size() - 1) + " (see gimvi info --devices)");
        }
        if (index >= 0) {
            return devices.get(index);
        }
        for (OpenCLDevice d : devices) {
            if (d.getType() == com.aparapi.device.Device.TYPE.GPU) {
                return d;
            }
        }
        return devices.get(0);
    }

    /** The number of a device in {@link #list()}. */
    static int indexOf(OpenCLDevice device) {
        List<OpenCLDevice> devices = list();
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i).getDeviceId() == device.getDeviceId()) {
                return i;
            }
        }
        return -1;
    }

    /** One line per device: number, name, type, platform, compute units, memory. */
    public static List<String> describe() {
        List<OpenCLDevice> devices;
        List<String> lines = new ArrayList<>();
        try {
            devices = list();
        } catch (IllegalStateException e) {
            lines.add("opencl: " + e.getMessage());
            return lines;
        }
        if (devices.isEmpty()) {
            lines.add("opencl: no OpenCL runtime or device found (install an OpenCL driver, e.g. pocl-opencl-icd on a CPU)");
            return lines;
        }
        for (int i = 0; i < devices.size(); i++) {
            lines.add("opencl:" + i + ": " + describe(devices.get(i)));
        }
        return lines;
    }

    static String describe(OpenCLDevice d) {
        return String.format(Locale.ROOT, "%s (%s, platform %s %s; %d compute units, %.2f GiB global, %d KiB local memory, "
                        + "work groups up to %d)", d.getName().trim(), d.getType(), d.getOpenCLPlatform().getName(),
                d.getOpenCLPlatform().getVersion(), d.getMaxComputeUnits(), d.getGlobalMemSize() / (1024.0 * 1024 * 1024),
                d.getLocalMemSize() / 1024, d.getMaxWorkGroupSize());
    }
}
