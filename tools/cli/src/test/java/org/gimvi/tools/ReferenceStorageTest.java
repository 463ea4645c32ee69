package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The line a reference that runs out of heap becomes. A real OutOfMemoryError needs a heap smaller
 * than the test JVM's, so only the mapping is tested here; benchmarks/README.md ("Scale") records the
 * command failing that way at -Xmx2g on a 188.7 M non-zero reference.
 */
class ReferenceStorageTest {
    static final Path FILE = Path.of("/data/ref1m.h5ad");

    @Test
    void inMemoryReferenceOutOfHeapNamesTheFileTheHeapAndBothWaysOut() {
        String line = ReferenceStorage.IN_MEMORY.outOfHeap(FILE, 2_147_483_648L).getMessage();
        assertTrue(line.startsWith(FILE + ": the reference does not fit in the Java heap (2.0 GiB)"), line);
        assertTrue(line.contains("--stream-reference"), line);
        assertTrue(line.contains("-Xmx"), line);
        assertFalse(line.contains("\n"), line);
    }

    @Test
    void streamedReferenceOutOfHeapOnlySuggestsALargerHeap() {
        String line = ReferenceStorage.STREAMED.outOfHeap(FILE, 536_870_912L).getMessage();
        assertTrue(line.startsWith(FILE + ": "), line);
        assertTrue(line.contains("(0.5 GiB)"), line);
        assertTrue(line.contains("-Xmx"), line);
        assertFalse(line.contains("--stream-reference"), line);
    }
}
