package org.gimvi.model.methods;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A method's named parameters: its published defaults, overridden by {@code name=value} pairs (the
 * command line's {@code --param}). An override naming no parameter of the method, or a value that
 * does not parse, fails with a message naming the method, the parameter and the valid names.
 */
public final class MethodParameters {
    private final String method;
    private final Map<String, String> values;

    private MethodParameters(String method, Map<String, String> values) {
        this.method = method;
        this.values = values;
    }

    /** Defaults (insertion order kept for reports) with the overrides applied. */
    public static MethodParameters of(String method, Map<String, String> defaults, Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(defaults);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!v.containsKey(e.getKey())) {
                throw new IllegalArgumentException(method + ": unknown parameter '" + e.getKey() + "'; valid: "
                        + (defaults.isEmpty() ? "none (this method takes no parameters)" : String.join(", ", defaults.keySet())));
            }
            v.put(e.getKey(), e.getValue().trim());
        }
        return new MethodParameters(method, v);
    }

    /** Parses {@code name=value} strings into an ordered map (later duplicates win). */
    public static Map<String, String> parseOverrides(Iterable<String> nameValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : nameValues) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("method parameter '" + s + "' is not of the form name=value");
            }
            out.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return out;
    }

    /** The effective values, name → value. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    public String string(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalStateException(method + ": no parameter '" + name + "'");
        }
        return v;
    }

    public boolean isAuto(String name) {
        return string(name).equalsIgnoreCase("auto");
    }

    public int intValue(String name, int min) {
        String s = string(name);
        try {
            int v = Integer.parseInt(s);
            if (v < min) {
                throw new IllegalArgumentException(method + ": " + name + " = " + v + " must be at least " + min);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(method + ": " + name + " = '" + s + "' is not an integer");
        }
    }

    public double doubleValue(String name, double min, double max) {
        String s = string(name);
        try {
            double v = Double.parseDouble(s);
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException(method + ": " + name + " = " + s + " must be in [" + min + ", " + max + "]");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(method + ": " + name + " = '" + s + "' is not a number");
        }
    }

    /** One of the allowed words (case-insensitive), returned in lower case. */
    public String choice(String name, String... allowed) {
        String s = string(name).toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(s)) {
                return s;
            }
        }
        throw new IllegalArgumentException(method + ": " + name + " = '" + string(name) + "' must be one of "
                + String.join(", ", allowed));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }
}
