package org.gimvi.engine.nn;

/** Non-trainable state saved with a model, such as BatchNorm running statistics. */
public record NamedBuffer(String name, float[] data) {
}
