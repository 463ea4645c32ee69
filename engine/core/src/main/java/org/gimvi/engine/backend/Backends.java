package org.gimvi.engine.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Picks a backend by name: {@code simd} (default; also {@code cpu}), {@code scalar} (the reference),
 * {@code simd-dense} (SIMD without the sparse-input products, for timing them), or a device family with an optional device number, {@code opencl} or {@code opencl:N}, served by a
 * {@link ComputeBackendProvider} on the class path.
 */
public final class Backends {
    private Backends() {
    }

    public static ComputeBackend create(String name) {
        String n = name == null ? "simd" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "simd":
            case "cpu":
                return new SimdBackend();
            case "scalar":
                return new ScalarBackend();
            case "simd-dense":
                return new DenseInputSimdBackend();
            default:
                return fromProvider(name, n);
        }
    }

    /**
     * Whether {@code name} computes on the host's cores ({@code simd}, {@code cpu}, {@code scalar},
     * {@code simd-dense}; null is the default, {@code simd}) rather than on a device. Fits on the host
     * can run side by side on the worker pool's threads; fits on one device run one at a time.
     */
    public static boolean runsOnHost(String name) {
        String n = name == null ? "simd" : name.trim().toLowerCase(Locale.ROOT);
        return n.equals("simd") || n.equals("cpu") || n.equals("scalar") || n.equals("simd-dense");
    }

    private static ComputeBackend fromProvider(String original, String n) {
        int colon = n.indexOf(':');
        String family = colon < 0 ? n : n.substring(0, colon);
        int index = -1;
        if (colon >= 0) {
            try {
                index = Integer.parseInt(n.substring(colon + 1));
            } catch (NumberFormatException e) {
                index = -2;
            }
            if (index < 0) {
                throw new IllegalArgumentException("device '" + original + "': the part after ':' must be a device number "
                        + "(0, 1, …; see gimvi info --devices)");
            }
        }
        for (ComputeBackendProvider p : ServiceLoader.load(ComputeBackendProvider.class)) {
            if (p.family().equals(family)) {
                return p.create(index);
            }
        }
        throw new IllegalArgumentException("unknown backend or device '" + original + "': use cpu (simd), scalar"
                + (family.equals("opencl") ? ", or put the OpenCL backend (gimvi-engine-opencl) on the class path"
                : " or opencl[:N]"));
    }

    /** Every device family's devices, as lines for {@code gimvi info --devices} (the CPU first). */
    public static List<String> describeDevices() {
        List<String> lines = new ArrayList<>();
        lines.add("cpu: the Vector API backend on " + Runtime.getRuntime().availableProcessors() + " hardware threads (--device cpu)");
        boolean any = false;
        for (ComputeBackendProvider p : ServiceLoader.load(ComputeBackendProvider.class)) {
            any = true;
            lines.addAll(p.describeDevices());
        }
        if (!any) {
            lines.add("no device backends on the class path (the OpenCL backend is the module gimvi-engine-opencl)");
        }
        return lines;
    }

    public static ComputeBackend defaultBackend() {
        return new SimdBackend();
    }
}
