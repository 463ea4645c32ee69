package org.gimvi.engine.backend;

/** Whether a product writes its output or adds to it (BLAS's β = 0 or β = 1). */
public enum Accumulation {
    /** C = op(A)·op(B), plus a bias row when one is given. */
    OVERWRITE,
    /** C += op(A)·op(B) (a gradient summed over call sites or minibatches). */
    ADD
}
