package org.gimvi.engine.nn;

import java.util.List;

/** Anything that owns parameters (and possibly non-trainable state such as BatchNorm statistics). */
public interface Trainable {
    /** Appends this object's parameters, in a fixed order, to {@code out}. */
    void collectParameters(List<Parameter> out);

    /** Appends non-trainable state that must be saved with the model (running statistics). */
    default void collectBuffers(List<NamedBuffer> out) {
    }
}
