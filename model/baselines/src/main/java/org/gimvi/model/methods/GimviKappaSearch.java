package org.gimvi.model.methods;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * gimVI with κ chosen automatically ({@code gimvi-kbest}, {@code --kappa auto}), the choice the
 * paper leaves open (it shows a κ* in (0, 1) beating both κ = 0 and κ = 1): every candidate κ is
 * scored by {@link TrainingGeneValidation} — the spatial training genes are split into folds and
 * each fold is predicted from the others — and the model is refitted on all training genes with
 * the κ of the best median {@code spearman_norm}. The genes the task holds out are never looked at.
 * Cost: (candidates × folds + 1) gimVI fits.
 */
public final class GimviKappaSearch implements ImputationMethod {
    /** Candidates: no adversary, the paper's κ* region, the tutorial's κ = 1 and the default κ = 5. */
    public static final float[] DEFAULT_CANDIDATES = {0f, 0.5f, 1f, 5f};
    public static final int DEFAULT_FOLDS = 3;

    private final String name;
    private final GimviMethod base;
    private final float[] candidates;
    private final int folds;

    /** @param base gimVI with every other setting (its own κ is replaced by each candidate) */
    public GimviKappaSearch(String name, GimviMethod base, float[] candidates, int folds) {
        if (candidates.length == 0) {
            throw new IllegalArgumentException(name + ": give at least one κ candidate");
        }
        this.name = name;
        this.base = base;
        this.candidates = candidates.clone();
        this.folds = folds;
    }

    public GimviKappaSearch(String name, GimviMethod base) {
        this(name, base, DEFAULT_CANDIDATES, DEFAULT_FOLDS);
    }

    @Override
    public String name() {
        return name;
    }

    /** The same search with every candidate's fit (and the refit) on {@code backend} ({@code --device}). */
    @Override
    public ImputationMethod onBackend(String backend) {
        return new GimviKappaSearch(name, base.withBackend(backend), candidates, folds);
    }

    /** The compute backend the fits run on. */
    public String backend() {
        return base.backend();
    }

    /** The outcome of a search: the chosen κ and each candidate's validation score. */
    public record Choice(float kappa, float[] candidates, double[] scores) {
        public String describe() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "κ = %s chosen on training genes (", fmt(kappa)));
            for (int c = 0; c < candidates.length; c++) {
                sb.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "κ %s: %.3f", fmt(candidates[c]), scores[c]));
            }
            return sb.append(" median spearman_norm)").toString();
        }

        private static String fmt(float k) {
            return k == Math.rint(k) ? Integer.toString((int) k) : Float.toString(k);
        }
    }

    /**
     * Scores every candidate on the task's training genes (the candidates' fits side by side on the
     * host's cores); the first best wins ties.
     */
    public Choice choose(ImputationTask task, long seed) {
        List<GimviMethod> fits = new ArrayList<>();
        for (float k : candidates) {
            fits.add(base.withKappa(name, k).withUncertaintySamples(0));
        }
        List<TrainingGeneValidation.Score> s = TrainingGeneValidation.scoreAll(fits, task, folds, seed,
                FitScheduling.forBackend(base.backend()));
        double[] scores = new double[candidates.length];
        int best = 0;
        for (int c = 0; c < candidates.length; c++) {
            scores[c] = s.get(c).median();
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return new Choice(candidates[best], candidates.clone(), scores);
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        Choice choice = choose(task, seed);
        double searchSeconds = (System.nanoTime() - t0) / 1e9;
        ImputationResult r = base.withKappa(name, choice.kappa()).impute(task, seed);
        return ImputationResult.withHistory(new ImputationResult(r.predictions(), r.latentSeq(), r.latentSpatial(),
                searchSeconds + r.trainSeconds(), r.imputeSeconds(), choice.describe() + "; " + r.notes(), r.uncertainty()),
                r.history()).withPurityReference(r.purityReference());
    }
}
