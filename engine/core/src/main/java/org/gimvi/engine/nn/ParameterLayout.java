package org.gimvi.engine.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The memory map of a {@link ParameterArena}: where each tensor starts in the arena's flat buffers
 * and its shape, in packing order, with no gaps. Values, every gradient lane and both Adam moments
 * share this one layout, so one offset addresses a tensor in all of them. {@link #toString()} prints
 * the map as a table.
 */
public final class ParameterLayout {
    /** One tensor of the layout. */
    public record Entry(String name, int offset, int rows, int cols) {
        public int size() {
            return rows * cols;
        }
    }

    private final List<Entry> entries;
    private final int size;

    ParameterLayout(List<Parameter> params) {
        List<Entry> list = new ArrayList<>(params.size());
        long offset = 0;
        for (Parameter p : params) {
            if (offset > Integer.MAX_VALUE - p.size()) {
                throw new IllegalArgumentException("parameter arena over 2^31 floats at " + p.name()
                        + ": the model is too large for one Java array");
            }
            list.add(new Entry(p.name(), (int) offset, p.rows(), p.cols()));
            offset += p.size();
        }
        this.entries = Collections.unmodifiableList(list);
        this.size = (int) offset;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Floats in each of the arena's buffers. */
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%10s %10s %12s  %s%n", "offset", "floats", "shape", "tensor"));
        for (Entry e : entries) {
            b.append(String.format(Locale.ROOT, "%10d %10d %12s  %s%n", e.offset(), e.size(), e.rows() + "x" + e.cols(),
                    e.name()));
        }
        b.append(String.format(Locale.ROOT, "%10d %10s %12s  total (%d tensors, %.1f KiB per buffer)%n", size, "", "",
                entries.size(), size * 4 / 1024.0));
        return b.toString();
    }
}
