package org.gimvi.engine.backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a device backend has done since it opened: kernel launches, the floats moved between host
 * and device (index arrays counted as elements too), and the launches per operation with their
 * time when the backend times them (an OpenCL backend under {@code -Dgimvi.opencl.profile=true}). A
 * resident training step should move only its minibatches in and its losses out; CPU backends
 * report {@link #NONE}. Benchmarks difference two snapshots to report per-step traffic.
 */
public record DeviceTraffic(long launches, long uploads, long floatsUp, long downloads, long floatsDown,
                            Map<String, Operation> operations) {
    public static final DeviceTraffic NONE = new DeviceTraffic(0, 0, 0, 0, 0, Map.of());

    /** One operation's launches and their total time in nanoseconds (0 when not timed). */
    public record Operation(long launches, long nanos) {
    }

    public DeviceTraffic {
        operations = Map.copyOf(operations);
    }

    /** This snapshot minus an earlier one. */
    public DeviceTraffic since(DeviceTraffic earlier) {
        Map<String, Operation> ops = new LinkedHashMap<>();
        operations.forEach((name, op) -> {
            Operation before = earlier.operations.getOrDefault(name, new Operation(0, 0));
            if (op.launches > before.launches) {
                ops.put(name, new Operation(op.launches - before.launches, op.nanos - before.nanos));
            }
        });
        return new DeviceTraffic(launches - earlier.launches, uploads - earlier.uploads, floatsUp - earlier.floatsUp,
                downloads - earlier.downloads, floatsDown - earlier.floatsDown, ops);
    }

    /**
     * The operations as a table, one line each after a title line, every line starting with
     * {@code prefix}: by time when timed (largest first, with the share of all launch time),
     * otherwise by launches. Empty when nothing was launched.
     */
    public String table(String prefix, String title) {
        if (operations.isEmpty()) {
            return "";
        }
        long allNanos = 0;
        for (Operation op : operations.values()) {
            allNanos += op.nanos;
        }
        boolean timed = allNanos > 0;
        List<Map.Entry<String, Operation>> rows = new ArrayList<>(operations.entrySet());
        rows.sort((a, b) -> timed ? Long.compare(b.getValue().nanos, a.getValue().nanos)
                : Long.compare(b.getValue().launches, a.getValue().launches));
        StringBuilder out = new StringBuilder();
        out.append(prefix).append(title);
        if (timed) {
            out.append(String.format(Locale.ROOT, ": %.1f ms in launches", allNanos / 1e6));
        }
        out.append(System.lineSeparator());
        for (Map.Entry<String, Operation> e : rows) {
            Operation op = e.getValue();
            out.append(prefix).append(String.format(Locale.ROOT, "  %-28s %9d launches", e.getKey(), op.launches));
            if (timed) {
                out.append(String.format(Locale.ROOT, " %10.1f ms %8.1f us each %5.1f %%", op.nanos / 1e6,
                        op.nanos / 1e3 / op.launches, 100.0 * op.nanos / allNanos));
            }
            out.append(System.lineSeparator());
        }
        return out.toString();
    }
}
