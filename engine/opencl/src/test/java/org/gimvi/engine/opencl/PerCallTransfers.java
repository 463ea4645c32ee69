package org.gimvi.engine.opencl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.TensorView;

/**
 * The resident backend driven the way a kernel test drives a CPU backend: before each operation every
 * array operand is uploaded whole, after it every float operand is downloaded whole, so a test can
 * hand it plain host arrays and read the results there. The operations themselves still run on the
 * device's copies, and the transfers go through the backend's own upload/download — so these tests
 * exercise those as well.
 */
final class PerCallTransfers {
    private static final Set<String> MEMORY = Set.of("name", "allocate", "allocateVector", "upload", "download",
            "prefersSparseInput", "countNonZeros", "indexNonZeros");

    private PerCallTransfers() {
    }

    static ComputeBackend around(OpenClBackend device) {
        return (ComputeBackend) Proxy.newProxyInstance(PerCallTransfers.class.getClassLoader(),
                new Class<?>[]{ComputeBackend.class}, (proxy, method, args) -> invoke(device, method, args));
    }

    private static Object invoke(OpenClBackend device, Method method, Object[] args) throws Throwable {
        if (args == null || MEMORY.contains(method.getName())) {
            return call(device, method, args);
        }
        for (Object a : args) {
            if (a instanceof float[] f) {
                device.upload(f, f.length);
            } else if (a instanceof int[] i) {
                device.upload(i, i.length);
            } else if (a instanceof FMatrixRMaj m) {
                device.upload(m.data, m.data.length);
            } else if (a instanceof TensorView v) {
                device.upload(v.array(), v.array().length);
            }
        }
        Object result = call(device, method, args);
        for (Object a : args) {
            if (a instanceof float[] f) {
                device.download(f, f.length);
            } else if (a instanceof FMatrixRMaj m) {
                device.download(m.data, m.data.length);
            } else if (a instanceof TensorView v) {
                device.download(v.array(), v.array().length);
            }
        }
        return result;
    }

    private static Object call(OpenClBackend device, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(device, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
