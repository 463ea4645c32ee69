package org.gimvi.engine.nn;

import java.util.ArrayList;
import java.util.List;

/** Anything that owns parameters (and possibly non-trainable state such as BatchNorm statistics). */
public interface Trainable {
    /** Appends this object's parameters, in a fixed order, to {@code out}. */
    void collectParameters(List<Parameter> out);

    /** Appends non-trainable state that must be saved with the model (running statistics). */
    default void collectBuffers(List<NamedBuffer> out) {
    }

    /** A new list of this object's parameters in their fixed order (for optimisers and model files). */
    default List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        collectParameters(ps);
        return ps;
    }

    /** A new list of this object's buffers in their fixed order. */
    default List<NamedBuffer> buffers() {
        List<NamedBuffer> bs = new ArrayList<>();
        collectBuffers(bs);
        return bs;
    }
}
