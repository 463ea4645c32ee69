package org.gimvi.model.gimvi;

/** Constants shared by training and inference. */
final class TrainingConfigDefaults {
    private TrainingConfigDefaults() {
    }

    /** Cells per minibatch in training (default) and in every inference pass. */
    static final int BATCH = 128;
}
