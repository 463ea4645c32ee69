package org.gimvi.engine.backend;

/**
 * What a row softmax writes: the probabilities, or their logarithms (computed as x − max − log Σ exp,
 * never as the log of a probability).
 */
enum SoftmaxForm {
    PROBABILITIES,
    LOG_PROBABILITIES
}
