package org.gimvi.tools.plots;

import java.util.List;
import org.gimvi.model.gimvi.EpochRecord;
import org.gimvi.model.gimvi.TrainingHistory;

/**
 * What a training-curve figure shows of one gimVI run, per epoch: each dataset's reconstruction
 * loss and KL (means per cell), the validation ELBO (NaN when not evaluated), the adversarial
 * classifier's accuracy, and the round (0 for a single run; warm restarts count up).
 */
public record TrainingCurves(String[] datasets, double[] epoch, double[][] reconstruction, double[][] kl,
                             double[] validationElbo, double[] classifierAccuracy, int[] round) {

    public TrainingCurves {
        int n = epoch.length;
        if (validationElbo.length != n || classifierAccuracy.length != n || round.length != n
                || reconstruction.length != datasets.length || kl.length != datasets.length) {
            throw new IllegalArgumentException("training curves: columns of different lengths");
        }
        for (int m = 0; m < datasets.length; m++) {
            if (reconstruction[m].length != n || kl[m].length != n) {
                throw new IllegalArgumentException("training curves: columns of different lengths");
            }
        }
    }

    /**
     * @param epochsPerRound the epochs of one warm-restart round (the history numbers the rounds'
     *                       epochs consecutively and does not mark them; without early stopping each
     *                       round has exactly this many)
     */
    public static TrainingCurves of(TrainingHistory h, int epochsPerRound) {
        List<EpochRecord> rs = h.epochs();
        String[] names = h.datasetNames();
        int n = rs.size();
        double[] epoch = new double[n];
        double[][] rec = new double[names.length][n];
        double[][] kl = new double[names.length][n];
        double[] val = new double[n];
        double[] acc = new double[n];
        int[] round = new int[n];
        for (int i = 0; i < n; i++) {
            EpochRecord r = rs.get(i);
            epoch[i] = r.epoch();
            for (int m = 0; m < names.length; m++) {
                rec[m][i] = r.reconstruction()[m];
                kl[m][i] = r.kl()[m];
            }
            val[i] = r.validationElbo();
            acc[i] = r.classifierAccuracy();
            round[i] = epochsPerRound > 0 ? i / epochsPerRound : 0;
        }
        return new TrainingCurves(names, epoch, rec, kl, val, acc, round);
    }

    public int epochs() {
        return epoch.length;
    }

    /** Epoch values at which a later round starts (empty for a single run). */
    public double[] roundStarts() {
        return java.util.stream.IntStream.range(1, round.length).filter(i -> round[i] != round[i - 1])
                .mapToDouble(i -> epoch[i]).toArray();
    }

    public boolean hasValidation() {
        for (double v : validationElbo) {
            if (Double.isFinite(v)) {
                return true;
            }
        }
        return false;
    }
}
