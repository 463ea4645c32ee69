package org.gimvi.engine.backend;

/**
 * The SIMD backend with the encoders' first layers always on the dense products ({@code
 * simd-dense}): the same results as {@link SimdBackend}, which takes the sparse-input products on a
 * mostly-zero minibatch, so comparing the two in one build measures what those products gain.
 */
public final class DenseInputSimdBackend extends SimdBackend {
    @Override
    public String name() {
        return super.name().replace("simd(", "simd-dense(");
    }

    @Override
    public boolean prefersSparseInput() {
        return false;
    }
}
