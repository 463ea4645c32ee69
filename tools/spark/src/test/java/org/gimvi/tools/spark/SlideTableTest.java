package org.gimvi.tools.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slides table: read on the driver, every mistake one line naming the file, the line and the fix. */
class SlideTableTest {
    @TempDir
    Path dir;

    private Path table(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void relativePathsAreResolvedAgainstTheTablesFolderAndOtherColumnsIgnored() throws IOException {
        List<Slide> slides = SlideTable.read(table("s.csv", "donor,slide,path\nd1,a,a.h5ad\nd2,b,/data/b.loom\n\n"));
        assertEquals(List.of(new Slide("a", dir.resolve("a.h5ad").toString()), new Slide("b", "/data/b.loom")), slides);
    }

    @Test
    void mistakesAreRefusedNamingTheLine() throws IOException {
        assertMessage(table("a.tsv", "name\tpath\nx\tx.h5ad\n"), "a.tsv:1", "lacks the column 'slide'");
        assertMessage(table("b.tsv", "slide\tpath\nx\tx.h5ad\nX\ty.h5ad\n"), "b.tsv:3", "also on line 2");
        assertMessage(table("c.tsv", "slide\tpath\n../up\tx.h5ad\n"), "c.tsv:2", "cannot name a file");
        assertMessage(table("d.tsv", "slide\tpath\nx\n"), "d.tsv:2", "1 fields, the header has 2");
        assertMessage(table("e.tsv", "slide\tpath\n"), "e.tsv", "no slides listed");
        assertMessage(table("f.json", "{}"), "f.json", ".tsv or .csv");
        assertMessage(dir.resolve("absent.tsv"), "absent.tsv", "not found");
    }

    private static void assertMessage(Path table, String where, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlideTable.read(table));
        assertTrue(e.getMessage().contains(where) && e.getMessage().contains(what), e.getMessage());
    }
}
