package org.gimvi.engine.backend;

/**
 * How a GEMM operand enters the product, op(X) = X or Xᵀ, without copying it: the operand stays in
 * its stored row-major layout and the kernel reads it with swapped strides (CBLAS's
 * {@code CblasNoTrans} / {@code CblasTrans}).
 */
public enum Transpose {
    /** op(X) = X. */
    NONE,
    /** op(X) = Xᵀ. */
    TRANSPOSED
}
