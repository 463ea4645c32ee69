package org.gimvi.engine.nn;

/**
 * How a layer's forward pass behaves — PyTorch's {@code module.train()} and {@code module.eval()},
 * passed by name to every forward pass instead of held as state, so that one set of layers can serve
 * a training step and an evaluation pass side by side.
 */
public enum ForwardMode {
    /**
     * Dropout draws a mask; BatchNorm normalises with the minibatch's statistics and moves its running
     * estimates; the activations a backward pass needs are kept.
     */
    TRAINING,
    /** Dropout is the identity and BatchNorm uses its running estimates; no backward pass follows. */
    EVALUATION
}
