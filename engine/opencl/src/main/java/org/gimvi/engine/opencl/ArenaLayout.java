package org.gimvi.engine.opencl;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;

/**
 * Where each host buffer lives in a device arena: a host array (a backend-allocated matrix's data, a
 * vector, a parameter arena, an uploaded index array) maps, by identity, to an offset in one flat
 * device buffer. Placed once, when the backend first sees the array (its allocation or first
 * upload), so a model's buffers are laid out one after another at set-up and the training loop only
 * looks offsets up.
 *
 * <p>A host array that the program drops (a finished read-out's workspace, a model no longer used)
 * gives its range back: the map holds arrays weakly, and a range is freed once its array has been
 * collected, so a long-lived process that trains and imputes many times does not grow the device
 * arena without bound. Freed ranges are reused first-fit and merged with free neighbours.
 *
 * <p>Offsets are multiples of {@link #ALIGN} elements (64 bytes), so every buffer starts on its own
 * cache line / memory transaction.
 */
final class ArenaLayout {
    static final int ALIGN = 16;

    /** A placed array's range. */
    record Range(int offset, int length) {
    }

    /** Arrays compare by identity ({@code Object.equals}), so a weak hash map is an identity map for them. */
    private final Map<Object, Range> placed = new WeakHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    /** Keeps the references themselves alive until their array is collected. */
    private final Set<Held> held = new HashSet<>();
    /** Free ranges below {@link #end}: offset → length. */
    private final TreeMap<Integer, Integer> free = new TreeMap<>();
    private int end;

    private static final class Held extends WeakReference<Object> {
        final Range range;

        Held(Object array, Range range, ReferenceQueue<Object> q) {
            super(array, q);
            this.range = range;
        }
    }

    /** The array's range, or null when it was never placed. */
    Range find(Object array) {
        return placed.get(array);
    }

    /** Places an array of the given length (it must not be placed yet) and returns its range. */
    Range place(Object array, int length) {
        reclaim();
        int size = Math.max(ALIGN, (length + ALIGN - 1) / ALIGN * ALIGN);
        int offset = -1;
        int holeLength = 0;
        for (Map.Entry<Integer, Integer> f : free.entrySet()) {
            if (f.getValue() >= size) {
                // read the hole before removing it: TreeMap's remove may reuse the entry object for its
                // successor's key and value (measured: a live buffer's range was handed out again)
                offset = f.getKey();
                holeLength = f.getValue();
                break;
            }
        }
        if (offset >= 0) {
            free.remove(offset);
            if (holeLength > size) {
                free.put(offset + size, holeLength - size);
            }
        }
        if (offset < 0) {
            if ((long) end + size > Integer.MAX_VALUE - ALIGN) {
                throw new IllegalStateException("the OpenCL device arena would pass 2^31 elements (" + end + " + " + size
                        + "); a reference this wide needs --device cpu");
            }
            offset = end;
            end += size;
        }
        Range r = new Range(offset, size);
        placed.put(array, r);
        held.add(new Held(array, r, collected));
        return r;
    }

    /** Takes a placement back at once (its buffer could not be made on the device): the range is free again. */
    void unplace(Object array) {
        Range r = placed.remove(array);
        if (r == null) {
            return;
        }
        held.removeIf(h -> h.get() == array);
        release(r.offset(), r.length());
    }

    /** One past the last element in use: the arena's length must be at least this. */
    int end() {
        return end;
    }

    /** The free ranges below {@link #end}, offset → length (a copy, for tests). */
    Map<Integer, Integer> freeRanges() {
        return new TreeMap<>(free);
    }

    /** Elements currently placed (for tests and reports). */
    int placedElements() {
        reclaim();
        int sum = 0;
        for (Held h : held) {
            sum += h.range.length();
        }
        return sum;
    }

    /** Frees the ranges of arrays that have been collected. */
    void reclaim() {
        Object ref;
        while ((ref = collected.poll()) != null) {
            Held h = (Held) ref;
            held.remove(h);
            release(h.range.offset(), h.range.length());
        }
    }

    /** Returns a range to the free list, merged with free neighbours (reclaim's step; tests call it directly). */
    void release(int offset, int length) {
        int start = offset;
        int len = length;
        Map.Entry<Integer, Integer> before = free.floorEntry(start - 1);
        if (before != null && before.getKey() + before.getValue() == start) {
            start = before.getKey();
            len += before.getValue();
            free.remove(before.getKey());
        }
        Integer after = free.get(start + len);
        if (after != null) {
            free.remove(start + len);
            len += after;
        }
        if (start + len == end) {
            end = start; // the top of the arena shrinks back, so the next placement can grow it anew
        } else {
            free.put(start, len);
        }
    }
}
