package org.gimvi.engine.backend;

import java.util.Locale;

/** Picks a backend by name: {@code simd} (default) or {@code scalar} (the reference). */
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
            default:
                throw new IllegalArgumentException("unknown backend '" + name + "': use 'simd' or 'scalar'");
        }
    }

    public static ComputeBackend defaultBackend() {
        return new SimdBackend();
    }
}
