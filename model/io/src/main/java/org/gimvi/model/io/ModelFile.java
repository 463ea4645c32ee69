package org.gimvi.model.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.ModelFormat;
import org.gimvi.model.gimvi.ModelFormatException;

/**
 * {@code .gimvi} model files: {@link ModelFormat}'s bytes, written atomically (a crash never leaves
 * half a model) and read back with every problem reported against the file's name.
 */
public final class ModelFile {
    private ModelFile() {
    }

    public static void save(Gimvi model, Path file) throws IOException {
        byte[] bytes = ModelFormat.encode(model);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Reads a model; its outputs need the data passed explicitly (the file holds no data). */
    public static Gimvi load(Path file, GimviOptions options) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputFormatException(file, "model file not found");
        }
        try {
            return ModelFormat.decode(bytes, options);
        } catch (ModelFormatException e) {
            throw new InputFormatException(file, e.getMessage());
        }
    }
}
