package org.gimvi.tools;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.Scale;
import org.gimvi.model.io.ModelFile;
import org.gimvi.model.data.BatchCodes;
import org.gimvi.model.methods.CrossFittedEnsemble;
import org.gimvi.model.methods.GimviEnsemble;
import org.gimvi.model.methods.GimviKappaSearch;
import org.gimvi.model.methods.GimviMethod;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.ImputationPipeline;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.methods.MethodParameters;
import org.gimvi.model.methods.MethodRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gimvi impute}: the spatial cells back as AnnData with every reference gene imputed
 * (scvi-tools' get_imputed_values). Either one-shot — train on {@code --seq} and {@code --spatial},
 * then impute — or with a saved model ({@code --model}, from {@code gimvi train} or
 * {@code --save-model}), which encodes a new slide of the same panel without retraining.
 * See {@link ImputedOutput} for what the file holds.
 */
@Command(name = "impute", mixinStandardHelpOptions = true,
        description = "Write a spatial slide with all reference genes imputed as .h5ad: train on --seq and --spatial, "
                + "or use a saved --model on a new slide of its panel.")
public final class ImputeCommand implements Callable<Integer> {

    @Option(names = "--seq", description = "scRNA-seq reference (one-shot form): h5ad, loom, 10x folder or text table.")
    Path seq;

    @Option(names = "--model", description = "A saved model (.gimvi) to impute with instead of training (no --seq).")
    Path model;

    @Option(names = "--spatial", required = true, description = "Spatial slide: h5ad, loom, 10x folder or text table.")
    Path spatial;

    @Option(names = "--out", required = true, description = "Output .h5ad.")
    Path out;

    @Option(names = "--save-model", description = "One-shot form: also save the trained model (.gimvi file).")
    Path saveModel;

    @Option(names = "--write-reference-latent", paramLabel = "FILE",
            description = "One-shot form: also write the reference cells' latent space as .h5ad.")
    Path referenceLatent;

    @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--method", defaultValue = "gimvi", description = "Imputation method (one-shot form): gimvi, or any "
            + "method of 'gimvi benchmark --help' (e.g. spage, seurat, tangram). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A parameter of --method other than gimvi "
            + "(repeatable), e.g. --param k=30; an unknown name is refused with the valid ones.")
    List<String> params = new java.util.ArrayList<>();

    @Option(names = "--members", defaultValue = "" + GimviEnsemble.DEFAULT_MEMBERS, description = "gimVI (one-shot "
            + "form): fits averaged, each trained without one fold of the panel genes for --epochs, read at a tenth, a "
            + "quarter and all of them, and blended with shared-gene kNN: the checkpoint and weight that impute the "
            + "held-out panel genes best are used (README, 'The default'). "
            + "1 = one model of --epochs x --rounds, the form --save-model saves. Default: ${DEFAULT-VALUE}.")
    int members;

    @Option(names = "--force", description = "Replace existing output files.")
    boolean force;

    @Option(names = "--quiet", description = "No progress line; only errors.")
    boolean quiet;

    @Mixin
    ReadingOptions reading = new ReadingOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Spec
    CommandSpec spec;

    /** Options that only training reads: given with --model they would be silently ignored, so they are refused. */
    private static final List<String> TRAINING_ONLY = List.of("--epochs", "--rounds", "--kappa", "--seq-likelihood",
            "--spatial-likelihood", "--allow-non-counts", "--seq-layer", "--seq-orientation", "--seq-batch-key",
            "--spatial-batch-key");

    @Override
    public Integer call() throws Exception {
        if ((seq == null) == (model == null)) {
            throw new IllegalArgumentException("give either --seq (train, then impute) or --model (impute with a saved "
                    + "model), not " + (seq == null ? "neither" : "both"));
        }
        if (model != null && (saveModel != null || referenceLatent != null)) {
            throw new IllegalArgumentException((saveModel != null ? "--save-model" : "--write-reference-latent")
                    + " needs the one-shot form (--seq); a saved model holds no reference cells and is already saved");
        }
        if (model != null) {
            for (String option : TRAINING_ONLY) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " applies to training; a saved model (--model) imputes "
                            + "as it was trained (its likelihoods are in the file: gimvi info " + model.getFileName() + ")");
                }
            }
        }
        boolean gimvi = method.equals("gimvi");
        if (!gimvi && model != null) {
            throw new IllegalArgumentException("--method " + method + " needs the one-shot form (--seq): a saved model is "
                    + "a gimVI model");
        }
        if (members < 1) {
            throw new IllegalArgumentException("--members must be at least 1 (got " + members + ")");
        }
        boolean ensemble = gimvi && seq != null && members > 1;
        if (gimvi && !params.isEmpty()) {
            throw new IllegalArgumentException("--param applies to --method other than gimvi; gimVI's settings are "
                    + "options of their own (--epochs, --rounds, --kappa, …)");
        }
        ImputationMethod other = gimvi ? null
                : MethodRegistry.create(method, training.epochs, MethodParameters.parseOverrides(params));
        if (other != null && !training.device.backend().equals("simd")) {
            throw new IllegalArgumentException("--device applies to gimVI only; --method " + method + " runs on the CPU");
        }
        if (seq != null) {
            training.validate();
        } else {
            training.device.check();
        }
        new OutputPaths().output("--out", out).output("--save-model", saveModel)
                .output("--write-reference-latent", referenceLatent).input(seq).input(model).input(spatial).check(force);
        if (ensemble && (saveModel != null || referenceLatent != null)) {
            throw new IllegalArgumentException((saveModel != null ? "--save-model" : "--write-reference-latent")
                    + " needs one model: add --members 1 (the default averages " + members + " fits, which is not "
                    + "one model to save)");
        }
        if (ensemble && spec.commandLine().getParseResult().hasMatchedOption("--rounds")) {
            throw new IllegalArgumentException("--rounds applies to one model (--members 1); each of the " + members
                    + " members is one run of --epochs");
        }
        Progress progress = Progress.forCommand("gimvi impute", quiet);
        int cells = other != null ? withMethod(other, progress)
                : ensemble ? withEnsemble(progress) : seq != null ? oneShot(progress) : withModel(progress);
        progress.finish();
        if (!quiet) {
            System.out.printf(Locale.ROOT, "wrote %s: %d spatial cells, every reference gene imputed in X, measured "
                    + "counts in layers['counts'], latent in obsm['X_gimvi']%n", out, cells);
        }
        return 0;
    }

    private int oneShot(Progress progress) throws java.io.IOException {
        Training t = Training.run(seq, List.of(spatial), reading, training, seed, progress);
        Gimvi m = t.model();
        CellDataset slide = t.slides().combined();
        int[] used = t.prepared().cells().spatialRows();
        FMatrixRMaj imputed = m.imputedValues(1, Scale.EXPECTED_COUNTS);
        FMatrixRMaj latent = m.latent(1);
        ImputedOutput.Layout layout = ImputedOutput.Layout.of(slide.genes(), m.outputGenes(),
                t.prepared().panel().spatialColumns(), reading.caseRule(), spatial.toString());
        Map<String, Object> provenance = provenance();
        provenance.put("reference", seq.toString());
        provenance.put("epochs", (long) training.epochs);
        provenance.put("rounds", (long) training.rounds);
        provenance.put("kappa", (double) (t.kappaChoice() != null ? t.kappaChoice().kappa() : training.config().kappa));
        if (t.kappaChoice() != null) {
            provenance.put("kappa_search", t.kappaChoice().describe());
        }
        provenance.put("seq_likelihood", training.seq().id());
        provenance.put("spatial_likelihood", training.spatial().id());
        progress.step("writing " + out.getFileName());
        ImputedOutput.write(out, slide, m.outputGenes(), layout, new ImputedOutput.Imputation(used, imputed, latent),
                provenance);
        if (saveModel != null) {
            progress.step("writing " + saveModel.getFileName());
            ModelFile.save(m, saveModel);
        }
        if (referenceLatent != null) {
            progress.step("writing " + referenceLatent.getFileName());
            ImputedOutput.writeReferenceLatent(referenceLatent, t.reference(), t.prepared().cells().referenceRows(),
                    m.latent(0), provenance);
        }
        return slide.counts().rows();
    }

    /**
     * The default one-shot gimVI: {@link #members} fits, each without one fold of the panel genes, averaged
     * and blended with shared-gene kNN ({@link GimviEnsemble}); batches (slides, --seq-batch-key) go to every
     * member for its cells.
     */
    private int withEnsemble(Progress progress) throws java.io.IOException {
        Training.PreparedInputs in = Training.prepare(seq, List.of(spatial), reading, training, progress);
        ImputationPipeline.Prepared prepared = in.prepared();
        GimviMethod method = training.method(progress, reading).withRounds(1);
        int[] checkpoints = GimviEnsemble.defaultCheckpoints(training.epochs);
        GimviKappaSearch.Choice choice = Training.chooseKappa(in, training, method, seed, progress);
        GimviMethod member = choice == null ? method : method.withKappa("gimvi", choice.kappa());
        BatchCodes seqBatches = in.seqBatches() == null ? null
                : in.seqBatches().select(prepared.cells().referenceRows());
        BatchCodes spatialBatches = in.slides().batches() == null ? null
                : in.slides().batches().select(prepared.cells().spatialRows());
        CrossFittedEnsemble ensemble = GimviEnsemble.of("gimvi", members,
                (inner, rows, s) -> member.imputeAtCheckpoints(inner, seqBatches,
                        spatialBatches == null ? null : spatialBatches.select(rows), checkpoints, s),
                training.device.backend());
        progress.step("training " + members + " members");
        ImputationTask task = prepared.task(prepared.panel().all(), prepared.referenceGenes());
        ImputationResult r = ensemble.impute(task, seed);
        CellDataset slide = in.slides().combined();
        int[] used = prepared.cells().spatialRows();
        FMatrixRMaj latent = r.latentSpatial() != null ? r.latentSpatial() : new FMatrixRMaj(used.length, 0);
        ImputedOutput.Layout layout = ImputedOutput.Layout.of(slide.genes(), prepared.referenceGenes(),
                prepared.panel().spatialColumns(), reading.caseRule(), spatial.toString());
        Map<String, Object> provenance = provenance();
        provenance.put("reference", seq.toString());
        provenance.put("members", (long) members);
        provenance.put("epochs", (long) training.epochs);
        provenance.put("checkpoints", java.util.Arrays.toString(checkpoints));
        provenance.put("kappa", (double) member.kappa());
        if (choice != null) {
            provenance.put("kappa_search", choice.describe());
        }
        provenance.put("seq_likelihood", training.seq().id());
        provenance.put("spatial_likelihood", training.spatial().id());
        provenance.put("method_notes", r.notes());
        progress.note(r.notes());
        progress.step("writing " + out.getFileName());
        ImputedOutput.write(out, slide, prepared.referenceGenes(), layout,
                new ImputedOutput.Imputation(used, r.predictions(), latent), provenance);
        return slide.counts().rows();
    }

    /** One-shot imputation with a method other than gimVI, through the same pipeline and output. */
    private int withMethod(ImputationMethod m, Progress progress) throws java.io.IOException {
        CellDataset ref = Inputs.read(seq, reading.seq(), training.seq(), progress);
        CellDataset slide = Inputs.read(spatial, reading.spatial(), training.spatial(), progress);
        ImputationPipeline.Prepared prepared = ImputationPipeline.prepare("imputation", ref.counts(), ref.genes(),
                "the reference (" + seq.getFileName() + ")", slide.counts(), slide.genes(), slide.cells(),
                "the spatial panel (" + spatial.getFileName() + ")", null,
                new ImputationPipeline.Settings(reading.caseRule(), Inputs.cellRule(training.seq()),
                        Inputs.cellRule(training.spatial())));
        progress.note(prepared.panel().summary());
        progress.step("imputing with " + m.name());
        ImputationTask task = prepared.task(prepared.panel().all(), ref.genes());
        ImputationResult r = m.impute(task, seed);
        int[] used = prepared.cells().spatialRows();
        FMatrixRMaj latent = r.latentSpatial() != null ? r.latentSpatial() : new FMatrixRMaj(used.length, 0);
        ImputedOutput.Layout layout = ImputedOutput.Layout.of(slide.genes(), ref.genes(),
                prepared.panel().spatialColumns(), reading.caseRule(), spatial.toString());
        Map<String, Object> provenance = provenance();
        provenance.put("method", m.name() + " (gimvi-java)");
        provenance.put("reference", seq.toString());
        provenance.put("method_parameters", m.parameters().toString());
        if (!r.notes().isEmpty()) {
            provenance.put("method_notes", r.notes());
        }
        progress.step("writing " + out.getFileName());
        ImputedOutput.write(out, slide, ref.genes(), layout, new ImputedOutput.Imputation(used, r.predictions(), latent),
                provenance);
        return slide.counts().rows();
    }

    private int withModel(Progress progress) throws java.io.IOException {
        progress.step("reading " + model.getFileName());
        SavedModelImputation saved = SavedModelImputation.load(model,
                new SavedModelImputation.Settings(reading.spatial(), reading.caseRule(), seed, training.device.backend()));
        return saved.imputeSlide(spatial, out, progress);
    }

    private Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("method", "gimVI (gimvi-java)");
        p.put("spatial", spatial.toString());
        p.put("seed", seed);
        return p;
    }
}
