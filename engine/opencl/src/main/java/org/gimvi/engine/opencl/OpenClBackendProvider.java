package org.gimvi.engine.opencl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ComputeBackendProvider;

/**
 * Serves {@code --device opencl[:N]} through {@link java.util.ServiceLoader}. Constructing it touches
 * no Aparapi class, so listing providers never loads native code. One backend per device and JVM:
 * its start-up check compiles every kernel (0.5–3 s on pocl), which a benchmark over many seeds
 * should pay once; the backend serialises its calls, so sharing it is safe.
 */
public final class OpenClBackendProvider implements ComputeBackendProvider {
    private static final Map<Integer, OpenClBackend> OPEN = new ConcurrentHashMap<>();

    @Override
    public String family() {
        return "opencl";
    }

    @Override
    public ComputeBackend create(int deviceIndex) {
        com.aparapi.device.OpenCLDevice device = OpenClDevices.select(deviceIndex);
        int index = deviceIndex >= 0 ? deviceIndex : OpenClDevices.indexOf(device);
        return OPEN.computeIfAbsent(index, i -> OpenClBackend.open(device, i));
    }

    @Override
    public List<String> describeDevices() {
        return OpenClDevices.describe();
    }
}
