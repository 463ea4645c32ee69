package org.gimvi.model.gimvi;

/** Receives progress from a training run (for progress bars and logs). */
@FunctionalInterface
public interface TrainingListener {
    void epochFinished(EpochRecord record, int totalEpochs);

    TrainingListener NONE = (r, n) -> { };
}
