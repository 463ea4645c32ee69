package org.gimvi.model.gimvi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Per-epoch losses and classifier diagnostics of one training run. */
public final class TrainingHistory {
    private final List<EpochRecord> epochs = new ArrayList<>();
    private final String[] datasetNames;
    private boolean stoppedEarly;

    public TrainingHistory(String[] datasetNames) {
        this.datasetNames = datasetNames.clone();
    }

    void add(EpochRecord r) {
        epochs.add(r);
    }

    void markStoppedEarly() {
        stoppedEarly = true;
    }

    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    public List<EpochRecord> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public String[] datasetNames() {
        return datasetNames.clone();
    }

    public EpochRecord last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    public double totalSeconds() {
        double s = 0;
        for (EpochRecord r : epochs) {
            s += r.seconds();
        }
        return s;
    }

    /** CSV with one row per epoch (for plots and scripts). */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("epoch,kl_weight");
        for (String n : datasetNames) {
            sb.append(',').append("reconstruction_").append(n).append(",kl_").append(n).append(",elbo_").append(n);
        }
        sb.append(",fool_loss,classifier_loss,classifier_accuracy,validation_elbo,seconds\n");
        for (EpochRecord r : epochs) {
            sb.append(r.epoch()).append(',').append(r.klWeight());
            for (int m = 0; m < datasetNames.length; m++) {
                sb.append(',').append(r.reconstruction()[m]).append(',').append(r.kl()[m]).append(',').append(r.elbo(m));
            }
            sb.append(',').append(r.foolLoss()).append(',').append(r.classifierLoss()).append(',')
                    .append(r.classifierAccuracy()).append(',').append(r.validationElbo()).append(',')
                    .append(r.seconds()).append('\n');
        }
        return sb.toString();
    }
}
