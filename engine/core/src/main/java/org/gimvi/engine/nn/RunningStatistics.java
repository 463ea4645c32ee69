package org.gimvi.engine.nn;

/**
 * When a training-mode BatchNorm call site moves the layer's shared running mean and variance (see
 * {@link BatchNorm1d.Cache}).
 */
public enum RunningStatistics {
    /** In the forward pass itself: the call site is the only one running. */
    UPDATE_IN_FORWARD,
    /**
     * Staged by the forward pass and applied by {@code commitRunningStatistics}: call sites that run
     * in parallel never write the shared estimates, and the caller fixes the order of the updates.
     */
    DEFER_TO_COMMIT
}
