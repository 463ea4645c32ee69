package org.gimvi.model.gimvi;

/**
 * Bytes that are not a model this build can rebuild. The message says what is wrong and what to
 * do; the file reader adds the file's name.
 */
public final class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }
}
