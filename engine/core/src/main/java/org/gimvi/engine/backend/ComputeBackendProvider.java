package org.gimvi.engine.backend;

import java.util.List;

/**
 * A family of device backends that lives in a module of its own (the OpenCL backend), found at run
 * time through {@link java.util.ServiceLoader} so that the engine never references it and CPU users
 * never load its native libraries.
 *
 * <p>Implementations must be cheap to construct: {@link Backends} instantiates every provider on the
 * class path when a non-CPU backend is asked for, before it knows which one answers.
 */
public interface ComputeBackendProvider {

    /** The device family this provider answers for, the part of a device name before {@code ':'} (e.g. {@code opencl}). */
    String family();

    /**
     * A ready backend on the given device of this family, checked to really run there.
     *
     * @param deviceIndex the number after {@code ':'} in the device name, or -1 when none was given
     *                    (the provider's best device)
     * @throws IllegalArgumentException with one line naming the device and the fix, when no such
     *                                  device exists or its kernels do not run on it
     */
    ComputeBackend create(int deviceIndex);

    /** One line per device this family can offer (or one line saying why there are none), for {@code gimvi info --devices}. */
    List<String> describeDevices();
}
