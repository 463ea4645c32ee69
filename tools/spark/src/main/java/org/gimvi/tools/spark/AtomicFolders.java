package org.gimvi.tools.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A folder (a Parquet table) put in place whole: renamed from a finished temporary folder beside
 * it, an existing one moved aside first and deleted only after the rename.
 */
final class AtomicFolders {
    private AtomicFolders() {
    }

    static void replace(Path finished, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + java.util.UUID.randomUUID());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
        deleteIfExists(old);
    }

    static void deleteIfExists(Path folder) throws IOException {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
