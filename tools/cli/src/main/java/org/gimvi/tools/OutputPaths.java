package org.gimvi.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every output path of a command before any work starts, so an hour of training never ends
 * in "is a folder" and nothing a user brought is overwritten: an output must not be an input, nor
 * another output, nor a folder; its folder must be writable; an existing file is replaced only with
 * {@code --force}.
 */
final class OutputPaths {
    private final Map<String, Path> outputs = new LinkedHashMap<>();
    private final List<Path> inputs = new ArrayList<>();

    /** An output, under the option that names it (for messages); null paths are ignored. */
    OutputPaths output(String option, Path path) {
        if (path != null) {
            outputs.put(option, path);
        }
        return this;
    }

    OutputPaths input(Path path) {
        if (path != null) {
            inputs.add(path);
        }
        return this;
    }

    OutputPaths inputs(List<Path> paths) {
        if (paths != null) {
            paths.forEach(this::input);
        }
        return this;
    }

    /** @throws IllegalArgumentException naming the option and path of the first problem */
    void check(boolean force) {
        Map<Path, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : outputs.entrySet()) {
            String option = e.getKey();
            Path out = e.getValue();
            Path key = normal(out);
            String other = seen.putIfAbsent(key, option);
            if (other != null) {
                throw new IllegalArgumentException(option + " " + out + " is also the " + other + " file; give each "
                        + "output its own path");
            }
            for (Path in : inputs) {
                if (same(in, out)) {
                    throw new IllegalArgumentException(option + " " + out + " is an input of this command; refusing to "
                            + "overwrite it — write the output elsewhere");
                }
            }
            if (Files.isDirectory(out)) {
                throw new IllegalArgumentException(option + " " + out + " is a folder; give a file name, e.g. "
                        + out.resolve(option.equals("--save-model") ? "model.gimvi" : "imputed.h5ad"));
            }
            if (Files.exists(out) && !force) {
                throw new IllegalArgumentException(option + " " + out + " already exists; pass --force to replace it");
            }
            Path dir = key.getParent();
            while (dir != null && !Files.exists(dir)) {
                dir = dir.getParent();
            }
            if (dir != null && (!Files.isDirectory(dir) || !Files.isWritable(dir))) {
                throw new IllegalArgumentException(option + " " + out + " cannot be written: " + dir
                        + (Files.isDirectory(dir) ? " is not writable" : " is not a folder"));
            }
        }
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall back to comparing the paths
        }
        return normal(a).equals(normal(b));
    }
}
