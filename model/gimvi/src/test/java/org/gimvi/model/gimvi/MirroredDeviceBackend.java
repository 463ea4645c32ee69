package org.gimvi.model.gimvi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ComputeBackendProvider;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.matrix.NonZeroEntries;

/**
 * A device backend simulated on the host, to check the seam's memory contract without a device:
 * every buffer the backend is given has a separate "device" twin, every operation runs (on the SIMD
 * backend) on the twins only, and data cross between host and twin only through {@code upload} and
 * {@code download}. A model that writes a buffer on the host without uploading it, or reads a result
 * on the host without downloading it, computes from stale data here and so differs from the SIMD
 * backend; an operand that was never allocated by the backend nor uploaded to it is recorded (and
 * then copied in, so the run goes on and every such operand is listed).
 *
 * <p>{@code double[]} operands and {@code rowArgmax}'s {@code int[]} output are host results by the
 * interface's contract and pass through; the sparse-input products are not offered (as on a device).
 * Found through {@link java.util.ServiceLoader} as the device family {@code mirror} (test class path only).
 */
public final class MirroredDeviceBackend implements ComputeBackendProvider {
    /** Operands that reached an operation without allocate or upload, as "method arg i (type of n) from caller". */
    static final Set<String> UNKNOWN_OPERANDS = java.util.Collections.synchronizedSet(new LinkedHashSet<>());

    @Override
    public String family() {
        return "mirror";
    }

    @Override
    public ComputeBackend create(int deviceIndex) {
        return create();
    }

    @Override
    public List<String> describeDevices() {
        return List.of("mirror: the SIMD backend on host-side twins of every buffer (tests only)");
    }

    static ComputeBackend create() {
        Handler h = new Handler(new SimdBackend());
        return (ComputeBackend) Proxy.newProxyInstance(MirroredDeviceBackend.class.getClassLoader(),
                new Class<?>[]{ComputeBackend.class}, h::invoke);
    }

    private static final class Handler {
        private final SimdBackend device;
        private final Map<Object, Object> twins = new IdentityHashMap<>();           // host array → device array
        private final Map<FMatrixRMaj, FMatrixRMaj> matrices = new IdentityHashMap<>(); // host matrix → device matrix

        Handler(SimdBackend device) {
            this.device = device;
        }

        Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "name":
                    return "mirror(" + device.name() + ")";
                case "prefersSparseInput":
                    return false;
                case "allocate": {
                    FMatrixRMaj host = new FMatrixRMaj((Integer) args[0], (Integer) args[1]);
                    synchronized (this) {
                        twins.put(host.data, new float[host.data.length]);
                    }
                    return host;
                }
                case "allocateVector": {
                    float[] host = new float[(Integer) args[0]];
                    synchronized (this) {
                        twins.put(host, new float[host.length]);
                    }
                    return host;
                }
                case "upload":
                    upload(args);
                    return null;
                case "download":
                    download(args);
                    return null;
                default:
                    break;
            }
            if (args == null) {
                return call(method, null);
            }
            Object[] mapped = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                mapped[i] = toDevice(name, i, args[i]);
            }
            return call(method, mapped);
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(device, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private synchronized Object toDevice(String method, int index, Object a) {
            if (a instanceof FMatrixRMaj m) {
                FMatrixRMaj d = matrices.get(m);
                if (d == null || d.data != twin(method, index, m.data)) {
                    d = new FMatrixRMaj(0, 0);
                    d.data = (float[]) twin(method, index, m.data);
                    matrices.put(m, d);
                }
                d.numRows = m.numRows;
                d.numCols = m.numCols;
                return d;
            }
            if (a instanceof TensorView v) {
                return new TensorView((float[]) twin(method, index, v.array()), v.offset(), v.rows(), v.cols());
            }
            if (a instanceof float[] || (a instanceof int[] && !method.equals("rowArgmax"))) {
                return twin(method, index, a);
            }
            if (a instanceof NonZeroEntries) {
                throw new IllegalStateException(method + ": a device backend is never given sparse input");
            }
            return a; // scalars, enums, double[] and rowArgmax's int[] (host results)
        }

        /** The array's twin; an array the backend never saw is recorded and copied in. */
        private Object twin(String method, int index, Object host) {
            Object d = twins.get(host);
            if (d == null) {
                UNKNOWN_OPERANDS.add(method + " arg " + index + " (" + host.getClass().getSimpleName() + " of "
                        + java.lang.reflect.Array.getLength(host) + ") from " + caller());
                d = copy(host);
                twins.put(host, d);
            }
            return d;
        }

        private synchronized void upload(Object[] args) {
            Object host = args[0] instanceof FMatrixRMaj m ? m.data : args[0];
            int n = args.length > 1 ? (Integer) args[1] : java.lang.reflect.Array.getLength(host);
            Object d = twins.computeIfAbsent(host, h -> h instanceof float[] f ? new float[f.length] : new int[((int[]) h).length]);
            System.arraycopy(host, 0, d, 0, n);
        }

        private synchronized void download(Object[] args) {
            Object host = args[0] instanceof FMatrixRMaj m ? m.data : args[0];
            int n = args.length > 1 ? (Integer) args[1] : java.lang.reflect.Array.getLength(host);
            Object d = twins.get(host);
            if (d == null) {
                throw new IllegalStateException("download of a buffer the backend never had (" + caller() + ")");
            }
            System.arraycopy(d, 0, host, 0, n);
        }

        private static Object copy(Object host) {
            return host instanceof float[] f ? f.clone() : ((int[]) host).clone();
        }

        private static String caller() {
            List<String> frames = new ArrayList<>();
            for (StackTraceElement e : new Throwable().getStackTrace()) {
                String c = e.getClassName();
                if (c.startsWith("org.gimvi.") && !c.startsWith("org.gimvi.engine.backend")
                        && !c.contains("MirroredDeviceBackend") && !c.startsWith("jdk.proxy")) {
                    frames.add(c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName() + ":" + e.getLineNumber());
                    if (frames.size() == 2) {
                        break;
                    }
                }
            }
            return String.join(" <- ", frames);
        }
    }
}
