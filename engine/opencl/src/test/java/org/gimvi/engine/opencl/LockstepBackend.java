package org.gimvi.engine.opencl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.IdentityHashMap;
import java.util.Map;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.backend.TensorView;

/**
 * The OpenCL backend run in lockstep with the SIMD backend on host twins of every buffer. Before each
 * operation every float operand's device copy is compared with its twin (a difference there is a
 * buffer the device lost or never received: reported as "op (before)"); after it, the results are
 * compared again (the device computed differently). The first disagreement beyond the tolerance is
 * recorded in {@link #FIRST} with the model's call stack; the twins then take the device's values,
 * so one operation's few-ulp difference does not grow into a later one's. This is how the arena's
 * reuse of a live buffer's range was found (a loaded model's BatchNorm running mean was zero on the
 * device before the first eval), in one run.
 */
final class LockstepBackend {
    private LockstepBackend() {
    }

    static final StringBuilder FIRST = new StringBuilder();

    /** The device family {@code lockstep} (test class path): the test device in lockstep with SIMD. */
    public static final class Provider implements org.gimvi.engine.backend.ComputeBackendProvider {
        @Override
        public String family() {
            return "lockstep";
        }

        @Override
        public ComputeBackend create(int deviceIndex) {
            return around(OpenClTestDevice.backend(), 1e-4, 1e-4);
        }

        @Override
        public java.util.List<String> describeDevices() {
            return java.util.List.of("lockstep: the OpenCL test device compared with SIMD after every operation (tests only)");
        }
    }

    static ComputeBackend around(OpenClBackend device, double rel, double abs) {
        SimdBackend cpu = new SimdBackend(null);
        Map<Object, Object> twins = new IdentityHashMap<>();
        return (ComputeBackend) Proxy.newProxyInstance(LockstepBackend.class.getClassLoader(),
                new Class<?>[]{ComputeBackend.class}, (proxy, method, args) -> {
                    synchronized (twins) {
                        return invoke(device, cpu, twins, method, args, rel, abs);
                    }
                });
    }

    private static Object twin(Map<Object, Object> twins, Object host) {
        Object t = twins.get(host);
        if (t == null) {
            t = host instanceof float[] f ? f.clone() : ((int[]) host).clone();
            twins.put(host, t);
        }
        return t;
    }

    private static Object invoke(OpenClBackend device, SimdBackend cpu, Map<Object, Object> twins, Method method,
                                 Object[] args, double rel, double abs) throws Throwable {
        String name = method.getName();
        if (name.equals("allocate") || name.equals("allocateVector") || name.equals("name") || args == null
                || name.equals("prefersSparseInput") || name.equals("traffic")) {
            return call(device, method, args);
        }
        if (name.equals("upload")) {
            Object r = call(device, method, args);
            Object host = args[0] instanceof FMatrixRMaj m ? m.data : args[0];
            Object t = twin(twins, host);
            System.arraycopy(host, 0, t, 0, java.lang.reflect.Array.getLength(host));
            return r;
        }
        if (name.equals("download")) {
            return call(device, method, args);
        }
        Object[] mapped = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof FMatrixRMaj m) {
                FMatrixRMaj t = new FMatrixRMaj(0, 0);
                t.data = (float[]) twin(twins, m.data);
                t.numRows = m.numRows;
                t.numCols = m.numCols;
                mapped[i] = t;
            } else if (a instanceof TensorView v) {
                mapped[i] = new TensorView((float[]) twin(twins, v.array()), v.offset(), v.rows(), v.cols());
            } else if (a instanceof float[] || a instanceof int[]) {
                mapped[i] = twin(twins, a);
            } else {
                mapped[i] = a;
            }
        }
        compare(device, twins, name + " (before)", args, rel, abs, false);
        Object r = call(device, method, args);
        call(cpu, method, mapped);
        compare(device, twins, name, args, rel, abs, true);
        return r;
    }

    private static void compare(OpenClBackend device, Map<Object, Object> twins, String name, Object[] args, double rel,
                                double abs, boolean sync) {
        for (int i = 0; i < args.length; i++) {
            float[] host = args[i] instanceof FMatrixRMaj m ? m.data : args[i] instanceof TensorView v ? v.array()
                    : args[i] instanceof float[] f ? f : null;
            if (host == null) {
                continue;
            }
            float[] t = (float[]) twins.get(host);
            float[] dev = new float[host.length];
            float[] keep = host.clone();
            device.download(host, host.length);
            System.arraycopy(host, 0, dev, 0, host.length);
            System.arraycopy(keep, 0, host, 0, host.length);
            for (int e = 0; e < dev.length; e++) {
                double tol = abs + rel * Math.abs(t[e]);
                boolean bothNaN = Float.isNaN(dev[e]) && Float.isNaN(t[e]);
                if (!bothNaN && !(Math.abs(dev[e] - t[e]) <= tol) && FIRST.length() == 0) {
                    FIRST.append(name).append(" arg ").append(i).append(" element ").append(e).append(": device ")
                            .append(dev[e]).append(", cpu ").append(t[e]).append('\n');
                    for (StackTraceElement s : new Throwable().getStackTrace()) {
                        if (s.getClassName().startsWith("org.gimvi.model")) {
                            FIRST.append("  at ").append(s).append('\n');
                        }
                    }
                }
            }
            if (sync) {
                System.arraycopy(dev, 0, t, 0, dev.length);
            }
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
