package org.gimvi.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The arena's host-side layout: aligned placement by identity, and ranges given back by collected arrays. */
class ArenaLayoutTest {

    @Test
    void arraysArePlacedByIdentityOnAlignedOffsets() {
        ArenaLayout layout = new ArenaLayout();
        float[] a = new float[5];
        float[] b = new float[5];   // equal contents, another array: another range
        float[] c = new float[40];
        assertEquals(0, layout.place(a, a.length).offset());
        assertEquals(16, layout.place(b, b.length).offset());
        assertEquals(32, layout.place(c, c.length).offset());
        assertEquals(80, layout.end());
        assertSame(layout.find(b), layout.find(b));
        assertEquals(16, layout.find(b).offset());
        assertNull(layout.find(new float[5]));
    }

    @Test
    void collectedArraysGiveTheirRangesBackAndNeighboursMerge() throws InterruptedException {
        ArenaLayout layout = new ArenaLayout();
        float[] keep = new float[16];
        layout.place(keep, keep.length);
        layout.place(new float[16], 16);        // dropped at once
        layout.place(new float[32], 32);        // dropped at once, next to the other
        float[] top = new float[16];
        layout.place(top, top.length);
        assertEquals(80, layout.end());
        for (int i = 0; i < 20 && layout.placedElements() > 32; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assumeTrue(layout.placedElements() == 32, "the JVM did not collect the dropped arrays (explicit GC disabled?)");
        // the two freed neighbours merged into one 48-element hole, which a 40-element array now fills
        assertEquals(16, layout.place(new float[40], 40).offset());
        assertEquals(80, layout.end());
        assertEquals(64, layout.find(top).offset());
    }

    /**
     * Thousands of placements and releases in random order: live ranges never overlap each other or
     * a free range, and everything stays below the end. (The first version read a free hole's
     * length from a TreeMap entry after removing it — TreeMap may reuse that entry for the
     * successor — and handed a live buffer's range out again; a model loaded on a device computed
     * with zeroed BatchNorm statistics. This test fails on that version.)
     */
    @Test
    void randomPlacementsAndReleasesKeepLiveRangesApart() {
        for (long seed = 1; seed <= 20; seed++) {
            java.util.Random rnd = new java.util.Random(seed);
            ArenaLayout layout = new ArenaLayout();
            java.util.List<ArenaLayout.Range> live = new java.util.ArrayList<>();
            // every array stays reachable: the test releases ranges itself, so the collector must not too
            java.util.List<float[]> keep = new java.util.ArrayList<>();
            for (int step = 0; step < 2000; step++) {
                if (!live.isEmpty() && rnd.nextInt(5) < 2) {
                    int i = rnd.nextInt(live.size());
                    ArenaLayout.Range r = live.remove(i);
                    layout.release(r.offset(), r.length());
                } else {
                    int len = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(5000) : 1 + rnd.nextInt(200);
                    float[] a = new float[len];
                    keep.add(a);
                    live.add(layout.place(a, len));
                }
                checkApart(layout, live, seed, step);
            }
        }
    }

    private static void checkApart(ArenaLayout layout, java.util.List<ArenaLayout.Range> live, long seed, int step) {
        java.util.TreeMap<Integer, Integer> all = new java.util.TreeMap<>();
        for (ArenaLayout.Range r : live) {
            if (all.put(r.offset(), r.length()) != null) {
                throw new AssertionError("seed " + seed + " step " + step + ": two live ranges at " + r.offset());
            }
        }
        for (java.util.Map.Entry<Integer, Integer> f : layout.freeRanges().entrySet()) {
            if (all.put(f.getKey(), -f.getValue()) != null) {
                throw new AssertionError("seed " + seed + " step " + step + ": a free range starts at live " + f.getKey());
            }
        }
        int previousEnd = 0;
        for (java.util.Map.Entry<Integer, Integer> e : all.entrySet()) {
            if (e.getKey() < previousEnd) {
                throw new AssertionError("seed " + seed + " step " + step + ": ranges overlap at " + e.getKey()
                        + " (the one before ends at " + previousEnd + ")");
            }
            previousEnd = e.getKey() + Math.abs(e.getValue());
        }
        if (previousEnd > layout.end()) {
            throw new AssertionError("seed " + seed + " step " + step + ": a range ends at " + previousEnd
                    + " past the end " + layout.end());
        }
    }
}
