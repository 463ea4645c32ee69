package org.gimvi.engine.opencl;

import java.util.List;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ComputeBackendProvider;

/**
 * Serves {@code --device opencl[:N]} through {@link java.util.ServiceLoader}. Constructing it touches
 * no Aparapi class, so listing providers never loads native code.
 */
public final class OpenClBackendProvider implements ComputeBackendProvider {
    @Override
    public String family() {
        return "opencl";
    }

    @Override
    public ComputeBackend create(int deviceIndex) {
        com.aparapi.device.OpenCLDevice device = OpenClDevices.select(deviceIndex);
        int index = deviceIndex >= 0 ? deviceIndex : OpenClDevices.indexOf(device);
        return OpenClBackend.open(device, index);
    }

    @Override
    public List<String> describeDevices() {
        return OpenClDevices.describe();
    }
}
