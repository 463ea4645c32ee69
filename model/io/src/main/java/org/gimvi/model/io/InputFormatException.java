package org.gimvi.model.io;

import java.nio.file.Path;

/**
 * Input that cannot be read as asked. The message always names the file and, where there is one,
 * the line and field, and says what to do; callers show it as is.
 */
public final class InputFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputFormatException(Path file, String message) {
        super(file + ": " + message);
    }

    public InputFormatException(Path file, long line, String message) {
        super(file + ", line " + line + ": " + message);
    }
}
