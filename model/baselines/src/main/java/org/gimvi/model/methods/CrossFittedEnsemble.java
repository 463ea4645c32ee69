package org.gimvi.model.methods;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.engine.random.Rng;
import org.gimvi.metrics.imputation.Correlation;
import org.gimvi.model.data.CellFilter;
import org.gimvi.model.gimvi.TrainingHistory;

/**
 * An ensemble of independently seeded fits of one method, each fitted without one fold of the spatial
 * training genes, and blended with cheap companions (shared-gene kNN, SpaGE) by weights chosen on those
 * held-out training genes (cross-validated stacking).
 *
 * <p>Why: gimVI's imputations move by ±0.04 median Spearman between seeds, as much as the differences
 * between methods; averaging K fits removes most of that variance (over 40 seeds of single spec runs
 * on osmFISH/Allen, 5-member averages score +0.05 {@code spearman_norm}). Holding a different fold of
 * panel genes out of each member costs nothing extra and gives every training gene an out-of-fold
 * prediction — a score on genes no benchmark evaluates, which (1) chooses how much of the companion to
 * blend in, so a pair on which the generative model loses to a plain neighbour average falls back
 * towards it, and (2) tells the user how well imputation works on their own data.
 *
 * <p>Procedure for a task with G training genes and K members:
 * <ol>
 *   <li>The genes are shuffled with the seed and dealt round-robin into K folds.</li>
 *   <li>Member k is fitted on the spatial cells that have counts on the other folds' genes and predicts
 *       the task's targets and its fold's genes; its seed is drawn from the ensemble's seed.</li>
 *   <li>Predictions are turned into relative expression (divided by the member's own training-gene
 *       total) and averaged over the members that saw the cell ({@link Mean}); the ensemble's prediction
 *       is that average times the cell's total over all training genes (the shared convention).</li>
 *   <li>Each companion predicts each fold's genes from the other folds too; every blend on the grid of
 *       {@link #weightGrid} — weights in steps of {@link #WEIGHT_STEPS}ths summing to one, the members'
 *       average first — is scored by the median over training genes of {@code spearman_norm}, and the
 *       best (ties: the larger members' weight, then the earlier companion) is applied to the targets.
 *       With one companion the grid is w·member + (1 − w)·companion for w in {0, ¼, ½, ¾, 1}.</li>
 * </ol>
 * A companion that cannot run on a fold's task (e.g. SpaGE with too few genes for its principal
 * vectors) is left out of the blend and the notes say why.
 * With fewer than {@link TrainingGeneValidation#MIN_GENES} or 2·K training genes the members are
 * fitted on all genes (a plain seed ensemble) and no blend is chosen; the notes say so.
 *
 * <p>The members' fits (each with its companions' out-of-fold imputations) are independent: they run
 * side by side on the worker pool's threads ({@link FitScheduling}; one at a time on a device) and are
 * folded in member order, so the result does not depend on how they were scheduled.
 */
public final class CrossFittedEnsemble implements ImputationMethod {
    /** How the members' relative expressions are combined. */
    public enum Mean {
        /** The average expected proportion: the mixture's mean (model averaging). */
        ARITHMETIC,
        /** exp of the average log proportion: robust to one member's outlying scale. */
        GEOMETRIC
    }

    /**
     * One member's fit; {@code spatialRows} says which of the task's spatial cells the inner task holds.
     * It returns its imputation at one or more checkpoints of its training (the last: the finished fit;
     * every member the same number), among which the out-of-fold validation chooses.
     */
    @FunctionalInterface
    public interface Member {
        List<ImputationResult> impute(ImputationTask inner, int[] spatialRows, long seed);
    }

    /** The blend weights move in steps of 1/WEIGHT_STEPS: coarse, so the choice cannot overfit a few genes. */
    public static final int WEIGHT_STEPS = 4;

    /** Below this relative expression a proportion is treated as this value in the geometric mean. */
    private static final double MIN_PROPORTION = 1e-12;

    private final String name;
    private final Member member;
    private final String memberName;
    private final List<ImputationMethod> companions;
    private final int members;
    private final Mean mean;
    private final Map<String, String> described;
    private final java.util.function.Function<String, ImputationMethod> onBackend;
    private final FitScheduling scheduling;

    /**
     * @param member    the method each member runs (e.g. one gimVI fit)
     * @param companion the method blended in by the out-of-fold weight; null: members only
     * @param members   K ≥ 1
     */
    public CrossFittedEnsemble(String name, ImputationMethod member, ImputationMethod companion, int members, Mean mean) {
        this(name, member.name(), (inner, rows, seed) -> List.of(member.impute(inner, seed)),
                companion == null ? List.of() : List.of(companion), members, mean);
    }

    /** As above, with a member that needs to know which cells it is given (e.g. to select their batches). */
    public CrossFittedEnsemble(String name, String memberName, Member member, ImputationMethod companion, int members,
                               Mean mean) {
        this(name, memberName, member, companion == null ? List.of() : List.of(companion), members, mean);
    }

    /**
     * The general form: any number of companions (none: members only), blended by the out-of-fold
     * weights of {@link #weightGrid}.
     */
    public CrossFittedEnsemble(String name, String memberName, Member member, List<ImputationMethod> companions,
                               int members, Mean mean) {
        if (members < 1) {
            throw new IllegalArgumentException(name + ": members must be at least 1");
        }
        this.name = name;
        this.member = member;
        this.memberName = memberName;
        this.described = null;
        this.onBackend = null;
        this.scheduling = FitScheduling.SIDE_BY_SIDE;
        this.companions = List.copyOf(companions);
        this.members = members;
        this.mean = mean;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The same ensemble reporting {@code parameters} as its settings (a factory that builds the member
     * from named parameters of its own, e.g. {@link GimviEnsemble}, reports all of them).
     */
    public CrossFittedEnsemble describedBy(Map<String, String> parameters) {
        return new CrossFittedEnsemble(this, new LinkedHashMap<>(parameters), onBackend, scheduling);
    }

    /** The same ensemble, able to rebuild itself on another backend with {@code rebuild} ({@link #onBackend}). */
    public CrossFittedEnsemble rebuiltOnBackendBy(java.util.function.Function<String, ImputationMethod> rebuild) {
        return new CrossFittedEnsemble(this, described, rebuild, scheduling);
    }

    /** The same ensemble, its members' fits scheduled as {@code scheduling} says. */
    public CrossFittedEnsemble withMemberScheduling(FitScheduling scheduling) {
        return new CrossFittedEnsemble(this, described, onBackend, scheduling);
    }

    @Override
    public ImputationMethod onBackend(String backend) {
        return onBackend == null ? this : onBackend.apply(backend);
    }

    private CrossFittedEnsemble(CrossFittedEnsemble from, Map<String, String> described,
                                java.util.function.Function<String, ImputationMethod> onBackend,
                                FitScheduling scheduling) {
        this.name = from.name;
        this.member = from.member;
        this.memberName = from.memberName;
        this.companions = from.companions;
        this.members = from.members;
        this.mean = from.mean;
        this.described = described;
        this.onBackend = onBackend;
        this.scheduling = scheduling;
    }

    public int members() {
        return members;
    }

    @Override
    public Map<String, String> parameters() {
        if (described != null) {
            return java.util.Collections.unmodifiableMap(described);
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("members", Integer.toString(members));
        p.put("mean", mean.name().toLowerCase(Locale.ROOT));
        p.put("companion", companions.isEmpty() ? "none"
                : String.join("+", companions.stream().map(ImputationMethod::name).toList()));
        p.put("member", memberName);
        return p;
    }

    /**
     * The out-of-fold validation of one run: the chosen checkpoint and blend, and the median
     * {@code spearman_norm} of every (checkpoint, blend) candidate; {@code blends[b][0]} is the members'
     * weight, {@code blends[b][1 + c]} companion c's.
     */
    public record Validation(int checkpoint, String checkpointName, int chosen, double[][] blends, double[][] medians,
                             double memberMedian, double[] companionMedians, List<String> companionNames) {
        /** The members' weight in the chosen blend. */
        public double chosenWeight() {
            return blends[chosen][0];
        }

        String describe() {
            StringBuilder companionsText = new StringBuilder();
            StringBuilder blendText = new StringBuilder();
            for (int c = 0; c < companionMedians.length; c++) {
                String label = companionMedians.length > 1 ? companionNames.get(c) + " " : "";
                companionsText.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s%.3f", label,
                        companionMedians[c]));
                if (companionMedians.length > 1) {
                    blendText.append(c == 0 ? " (" : ", ").append(String.format(Locale.ROOT, "%s%.2f", label,
                            blends[chosen][1 + c]));
                }
            }
            if (companionMedians.length > 1) {
                blendText.append(')');
            }
            return String.format(Locale.ROOT, "out-of-fold median spearman_norm on training genes%s: members %.3f, "
                            + "companion%s %s, blend w = %.2f%s → %.3f",
                    medians.length > 1 ? " (members " + checkpointName + ", best of " + medians.length + " checkpoints)" : "",
                    memberMedian, companionMedians.length > 1 ? "s" : "", companionsText, chosenWeight(), blendText,
                    medians[checkpoint][chosen]);
        }
    }

    /**
     * Every blend of the members' average and {@code companions} companions with weights in steps of
     * 1/{@link #WEIGHT_STEPS} summing to one, in order of preference for ties: the members' weight
     * descending, then the earlier companions' weights descending.
     */
    static double[][] weightGrid(int companions) {
        List<int[]> parts = new ArrayList<>();
        compositions(WEIGHT_STEPS, companions + 1, new int[companions + 1], 0, parts);
        double[][] grid = new double[parts.size()][];
        for (int b = 0; b < grid.length; b++) {
            grid[b] = new double[companions + 1];
            for (int c = 0; c <= companions; c++) {
                grid[b][c] = parts.get(b)[c] / (double) WEIGHT_STEPS;
            }
        }
        return grid;
    }

    /** Ways to write {@code left} as a sum of {@code slots.length − at} parts, larger earlier parts first. */
    private static void compositions(int left, int parts, int[] slots, int at, List<int[]> out) {
        if (at == parts - 1) {
            slots[at] = left;
            out.add(slots.clone());
            return;
        }
        for (int v = left; v >= 0; v--) {
            slots[at] = v;
            compositions(left - v, parts, slots, at + 1, out);
        }
    }

    @Override
    public ImputationResult impute(ImputationTask task, long seed) {
        long t0 = System.nanoTime();
        String[] genes = task.spatialGenes();
        int g = genes.length;
        int n = task.spatialCounts().rows();
        int targets = task.targetGenes().length;
        double[] library = task.spatialLibrary();
        Rng rng = new Rng(seed);
        int[] order = rng.permutation(g);
        long[] memberSeeds = new long[members];
        for (int k = 0; k < members; k++) {
            memberSeeds[k] = rng.nextLong();
        }
        boolean crossFit = members >= 2 && g >= Math.max(TrainingGeneValidation.MIN_GENES, 2 * members);

        Accumulated acc = new Accumulated(n, g, targets, crossFit, companions.size());
        scheduling.run(members, memberBytes(task, members),
                k -> fitMember(task, order, k, crossFit, memberSeeds[k], acc.oofCompanion != null),
                (fit, k) -> acc.add(fit));

        // the companions that ran on every fold take part in the blend
        List<ImputationMethod> usable = new ArrayList<>();
        List<double[]> usableOof = new ArrayList<>();
        for (int c = 0; acc.oofCompanion != null && c < companions.size(); c++) {
            if (acc.oofCompanion[c] != null) {
                usable.add(companions.get(c));
                usableOof.add(acc.oofCompanion[c]);
            }
        }
        Validation validation = usable.isEmpty() ? null
                : validate(task.spatialCounts(), acc.oofMember, usableOof, usable, acc.oofLibrary, n, g,
                        acc.checkpointNames);
        int cp = validation == null ? acc.combined.length - 1 : validation.checkpoint();
        double[] blend = validation == null ? new double[]{1} : validation.blends()[validation.chosen()];
        // each companion with a share of the blend imputes the targets from the whole panel
        double[][] companionProportion = new double[usable.size()][];
        for (int c = 0; c < usable.size(); c++) {
            if (blend[1 + c] == 0) {
                continue;
            }
            ImputationResult cr = usable.get(c).impute(task, seed);
            companionProportion[c] = new double[n * targets];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < targets; t++) {
                    companionProportion[c][i * targets + t] = cr.predictions().data[i * targets + t] / library[i];
                }
            }
        }
        FMatrixRMaj out = new FMatrixRMaj(n, targets);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < targets; t++) {
                double s = acc.seen[i] == 0 ? 0 : acc.combined[cp][i * targets + t] / (double) acc.seen[i];
                double memberProportion = mean == Mean.GEOMETRIC && acc.seen[i] > 0 ? Math.exp(s) : s;
                double p = blend[0] * memberProportion;
                for (int c = 0; c < usable.size(); c++) {
                    if (blend[1 + c] != 0) {
                        p += blend[1 + c] * companionProportion[c][i * targets + t];
                    }
                }
                out.data[i * targets + t] = (float) (p * library[i]);
            }
        }
        StringBuilder failures = new StringBuilder();
        for (int c = 0; c < companions.size(); c++) {
            if (acc.companionFailures[c] != null) {
                failures.append("; ").append(companions.get(c).name()).append(" left out of the blend: ")
                        .append(acc.companionFailures[c]);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return summarise(acc.finals, out, n, seconds, crossFit, validation, failures.toString());
    }

    /**
     * Scores each checkpoint and blend on the training genes' out-of-fold predictions; the best median
     * wins, ties going to the later checkpoint and then to the blend earlier in {@link #weightGrid}.
     */
    private static Validation validate(DenseCountMatrix spatial, double[][] member, List<double[]> companion,
                                       List<ImputationMethod> companions, double[] library, int n, int g,
                                       List<String> checkpointNames) {
        int checkpoints = member.length;
        int nc = companion.size();
        double[][] blends = weightGrid(nc);
        double[][] medians = new double[checkpoints][blends.length];
        // the members-only and companion-only blends, whose medians the notes report
        int membersOnly = 0;
        int[] companionOnly = new int[nc];
        for (int b = 0; b < blends.length; b++) {
            for (int c = 0; c < nc; c++) {
                if (blends[b][1 + c] == 1) {
                    companionOnly[c] = b;
                }
            }
        }
        for (int cp = 0; cp < checkpoints; cp++) {
            double[][] perGene = new double[blends.length][g];
            for (int j = 0; j < g; j++) {
                int m = 0;
                for (int i = 0; i < n; i++) {
                    if (library[i * g + j] > 0) {
                        m++;
                    }
                }
                double[] truth = new double[m];
                double[][] pred = new double[blends.length][m];
                int r = 0;
                for (int i = 0; i < n; i++) {
                    if (!(library[i * g + j] > 0)) {
                        continue;
                    }
                    // spearman_norm: truth relative to the total over the genes the predicting member saw
                    truth[r] = spatial.get(i, j) / library[i * g + j];
                    for (int b = 0; b < blends.length; b++) {
                        double p = blends[b][0] * member[cp][i * g + j];
                        for (int c = 0; c < nc; c++) {
                            p += blends[b][1 + c] * companion.get(c)[i * g + j];
                        }
                        if (Double.isNaN(p)) {
                            throw new IllegalStateException("out-of-fold prediction of a training gene is NaN");
                        }
                        pred[b][r] = p;
                    }
                    r++;
                }
                // Spearman = Pearson of the ranks; the truth's ranks serve every blend
                double[] truthRanks = Correlation.ranks(truth);
                for (int b = 0; b < blends.length; b++) {
                    perGene[b][j] = Correlation.pearson(truthRanks, Correlation.ranks(pred[b]));
                }
            }
            for (int b = 0; b < blends.length; b++) {
                medians[cp][b] = Correlation.median(perGene[b]);
            }
        }
        int bestCp = checkpoints - 1;
        int best = membersOnly;
        for (int cp = checkpoints - 1; cp >= 0; cp--) {
            for (int b = 0; b < blends.length; b++) {
                if (medians[cp][b] > medians[bestCp][best]) {
                    bestCp = cp;
                    best = b;
                }
            }
        }
        double[] companionMedians = new double[nc];
        for (int c = 0; c < nc; c++) {
            companionMedians[c] = medians[bestCp][companionOnly[c]];
        }
        return new Validation(bestCp, checkpointNames.get(bestCp), best, blends, medians, medians[bestCp][membersOnly],
                companionMedians, companions.stream().map(ImputationMethod::name).toList());
    }

    /**
     * The ensemble's result: its predictions, the latent space and history of the first member that saw
     * every spatial cell (members' latent spaces are not aligned with each other, so they are not
     * averaged), the members' mean uncertainty, and notes with the validation.
     */
    private ImputationResult summarise(List<ImputationResult> results, FMatrixRMaj out, int n, double seconds,
                                       boolean crossFit, Validation validation, String failures) {
        ImputationResult latentSource = null;
        for (ImputationResult r : results) {
            if (r.latentSpatial() != null && r.latentSpatial().numRows == n) {
                latentSource = r;
                break;
            }
        }
        // a member's uncertainty covers its targets and then its fold's genes: average the targets'
        double[] uncertainty = null;
        int withUncertainty = 0;
        for (ImputationResult r : results) {
            if (r.uncertainty() != null) {
                if (uncertainty == null) {
                    uncertainty = new double[out.numCols];
                }
                for (int t = 0; t < uncertainty.length; t++) {
                    uncertainty[t] += r.uncertainty()[t];
                }
                withUncertainty++;
            }
        }
        if (uncertainty != null) {
            for (int t = 0; t < uncertainty.length; t++) {
                uncertainty[t] /= withUncertainty;
            }
        }
        // the ensemble's wall time less its members' prediction times: members may train side by side,
        // so the sum of their training times can exceed the time the user waited
        double impute = 0;
        for (ImputationResult r : results) {
            impute += r.imputeSeconds();
        }
        String notes = String.format(Locale.ROOT, "%d members (%s mean, %s)%s; first member: %s", members,
                mean.name().toLowerCase(Locale.ROOT),
                crossFit ? "each without one fold of the training genes" : "each on all training genes",
                (validation == null ? "" : "; " + validation.describe()) + failures, results.get(0).notes());
        TrainingHistory history = latentSource != null ? latentSource.history() : results.get(0).history();
        ImputationResult r = new ImputationResult(out, latentSource == null ? null : latentSource.latentSeq(),
                latentSource == null ? null : latentSource.latentSpatial(), Math.max(0, seconds - impute), impute,
                notes, uncertainty);
        if (history != null) {
            r = ImputationResult.withHistory(r, history);
        }
        // purity of the latent space reported (the first full-coverage member's) against its method's reference
        return latentSource == null ? r : r.withPurityReference(latentSource.purityReference());
    }

    /** The task restricted to some spatial cells and genes, with the held-out genes added to the targets. */
    /**
     * The members' outputs folded in member order: per checkpoint the members' relative expression of
     * the targets, summed per cell over the members that saw it (float: K terms of similar size), and
     * the out-of-fold relative expression of every training gene (cells × genes); the same for each
     * companion (null once it failed on a fold).
     */
    private final class Accumulated {
        final int n;
        final int g;
        final int targets;
        float[][] combined;
        double[][] oofMember;
        final boolean crossFit;
        final int[] seen;
        final double[][] oofCompanion;
        final String[] companionFailures;
        /** The total over the genes each out-of-fold prediction's member saw (0: no prediction for that cell). */
        final double[] oofLibrary;
        final List<ImputationResult> finals = new ArrayList<>();
        final List<String> checkpointNames = new ArrayList<>();

        Accumulated(int n, int g, int targets, boolean crossFit, int companionCount) {
            this.n = n;
            this.g = g;
            this.targets = targets;
            this.crossFit = crossFit;
            seen = new int[n];
            oofCompanion = crossFit && companionCount > 0 ? new double[companionCount][] : null;
            companionFailures = new String[companionCount];
            for (int c = 0; oofCompanion != null && c < companionCount; c++) {
                oofCompanion[c] = new double[n * g];
            }
            oofLibrary = crossFit ? new double[n * g] : null;
        }

        void add(MemberFit fit) {
            int[] heldOut = fit.heldOut();
            int[] cells = fit.cells();
            double[] innerLibrary = fit.innerLibrary();
            List<ImputationResult> rs = fit.checkpoints();
            if (combined == null) {
                combined = new float[rs.size()][n * targets];
                oofMember = crossFit ? new double[rs.size()][n * g] : null;
                for (int cp = 0; cp < rs.size(); cp++) {
                    checkpointNames.add(cp == rs.size() - 1 ? "at the end of training" : rs.get(cp).notes());
                }
            } else if (rs.size() != combined.length) {
                throw new IllegalStateException(name + ": members returned different numbers of checkpoints");
            }
            finals.add(rs.get(rs.size() - 1));
            int width = targets + heldOut.length;
            for (int c = 0; c < cells.length; c++) {
                if (innerLibrary[c] > 0) {
                    seen[cells[c]]++;
                }
            }
            for (int cp = 0; cp < rs.size(); cp++) {
                float[] pred = rs.get(cp).predictions().data;
                for (int c = 0; c < cells.length; c++) {
                    int cell = cells[c];
                    if (!(innerLibrary[c] > 0)) {
                        continue;
                    }
                    for (int t = 0; t < targets; t++) {
                        double p = pred[c * width + t] / innerLibrary[c];
                        combined[cp][cell * targets + t] += (float) (mean == Mean.GEOMETRIC
                                ? Math.log(Math.max(p, MIN_PROPORTION)) : p);
                    }
                    for (int h = 0; h < heldOut.length; h++) {
                        oofMember[cp][cell * g + heldOut[h]] = pred[c * width + targets + h] / innerLibrary[c];
                        oofLibrary[cell * g + heldOut[h]] = innerLibrary[c];
                    }
                }
            }
            for (int c = 0; oofCompanion != null && c < oofCompanion.length; c++) {
                if (oofCompanion[c] == null) {
                    continue; // failed on an earlier fold: left out of the blend
                }
                CompanionFit cr = fit.companions()[c];
                if (cr.failure() != null) {
                    companionFailures[c] = cr.failure();
                    oofCompanion[c] = null;
                    continue;
                }
                for (int i = 0; i < cells.length; i++) {
                    for (int h = 0; h < heldOut.length; h++) {
                        oofCompanion[c][cells[i] * g + heldOut[h]] =
                                cr.result().predictions().data[i * heldOut.length + h] / innerLibrary[i];
                    }
                }
            }
        }
    }

    /** One member's fold, its fit's checkpoints and, per companion, the companion's imputation of the fold. */
    private record MemberFit(int[] heldOut, int[] cells, double[] innerLibrary, List<ImputationResult> checkpoints,
                             CompanionFit[] companions) {
    }

    /** A companion's out-of-fold imputation, or why it could not run on the fold. */
    private record CompanionFit(ImputationResult result, String failure) {
    }

    /**
     * A rough size of one member in memory, for {@link FitScheduling}: its copies of the spatial panel
     * (rows, then rows and kept genes), its checkpoints' predictions (three, of the targets and its
     * fold), and a gimVI model over the reference's genes.
     */
    private static long memberBytes(ImputationTask task, int members) {
        long n = task.spatialCounts().rows();
        long g = task.spatialGenes().length;
        long width = task.targetGenes().length + (g + members - 1) / members;
        return 4L * (2 * n * g + 3 * n * width) + FitScheduling.gimviModelBytes(task.seqGenes().length);
    }

    /**
     * Member {@code k}: its fold of the training genes held out, its fit, and (with {@code withCompanions})
     * every companion on the same inner task predicting only the fold's genes. Writes nothing shared, so
     * members can run side by side.
     */
    private MemberFit fitMember(ImputationTask task, int[] order, int k, boolean crossFit, long seed,
                                boolean withCompanions) {
        int g = task.spatialGenes().length;
        int[] heldOut = crossFit ? fold(order, k, members, true) : new int[0];
        int[] kept = crossFit ? fold(order, k, members, false) : identity(g);
        int[] cells = crossFit ? CellFilter.nonEmptyRows(task.spatialCounts(), kept) : identity(task.spatialCounts().rows());
        ImputationTask inner = innerTask(task, cells, kept, heldOut);
        List<ImputationResult> rs = member.impute(inner, cells, seed);
        CompanionFit[] companionFits = new CompanionFit[withCompanions ? companions.size() : 0];
        for (int c = 0; c < companionFits.length; c++) {
            try {
                companionFits[c] = new CompanionFit(companions.get(c).impute(new ImputationTask(inner.dataset(),
                        inner.seqCounts(), inner.seqGenes(), inner.spatialCounts(), inner.spatialGenes(),
                        pick(task.spatialGenes(), heldOut)), seed), null);
            } catch (IllegalArgumentException | IllegalStateException e) {
                companionFits[c] = new CompanionFit(null, e.getMessage());
            }
        }
        return new MemberFit(heldOut, cells, inner.spatialLibrary(), rs, companionFits);
    }

    private static ImputationTask innerTask(ImputationTask task, int[] cells, int[] kept, int[] heldOut) {
        String[] genes = task.spatialGenes();
        DenseCountMatrix spatial = cells.length == task.spatialCounts().rows() && kept.length == genes.length
                ? task.spatialCounts() : task.spatialCounts().selectRows(cells).selectColumns(kept);
        String[] targets = new String[task.targetGenes().length + heldOut.length];
        System.arraycopy(task.targetGenes(), 0, targets, 0, task.targetGenes().length);
        for (int h = 0; h < heldOut.length; h++) {
            targets[task.targetGenes().length + h] = genes[heldOut[h]];
        }
        return new ImputationTask(task.dataset(), task.seqCounts(), task.seqGenes(), spatial, pick(genes, kept), targets);
    }

    /** Genes of fold f (round-robin over the shuffled order, sorted), or all the others. */
    private static int[] fold(int[] order, int f, int folds, boolean inFold) {
        int[] out = new int[order.length];
        int m = 0;
        for (int i = 0; i < order.length; i++) {
            if ((i % folds == f) == inFold) {
                out[m++] = order[i];
            }
        }
        int[] r = Arrays.copyOf(out, m);
        Arrays.sort(r);
        return r;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static String[] pick(String[] from, int[] idx) {
        String[] out = new String[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = from[idx[i]];
        }
        return out;
    }
}
