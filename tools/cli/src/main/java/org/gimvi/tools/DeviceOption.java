package org.gimvi.tools;

import java.util.Locale;
import org.gimvi.engine.backend.Backends;
import picocli.CommandLine.Option;

/**
 * {@code --device cpu|opencl[:N]}, shared by every command that trains. An OpenCL device is opened
 * (and its start-up check run) by {@link #check()} before any input is read, so a missing or
 * misbehaving device fails in one line before any work.
 */
public final class DeviceOption {

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|opencl[:N]",
            description = "Where gimVI trains: cpu (the Vector API backend) or an OpenCL device, opencl:N as numbered "
                    + "by `gimvi info --devices` (opencl alone: the first GPU, else device 0). Default: ${DEFAULT-VALUE}.")
    public String device = "cpu";

    /** The backend name the model takes. */
    public String backend() {
        String d = device.trim().toLowerCase(Locale.ROOT);
        return d.equals("cpu") ? "simd" : d;
    }

    /** Fails with one line when the device cannot be used (opens it once; the backend is shared afterwards). */
    public void check() {
        String d = backend();
        if (!d.equals("simd") && !d.equals("opencl") && !d.startsWith("opencl:")) {
            throw new IllegalArgumentException("--device must be cpu, opencl or opencl:N, not '" + device + "'");
        }
        if (!d.equals("simd")) {
            Backends.create(d);
        }
    }
}
