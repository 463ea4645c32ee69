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
}
