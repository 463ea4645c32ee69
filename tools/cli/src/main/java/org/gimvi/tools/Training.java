package org.gimvi.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gimvi.model.data.BatchCodes;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.methods.GimviKappaSearch;
import org.gimvi.model.methods.GimviMethod;
import org.gimvi.model.methods.ImputationPipeline;
import org.gimvi.model.methods.ImputationTask;

/**
 * The training half shared by {@code train} and the one-shot {@code impute}: read the reference and
 * the slides, match genes, select usable cells, check the data fit the likelihoods, train.
 *
 * @param slides      the spatial input, several slides combined (their batches)
 * @param kappaChoice the κ search's outcome under {@code --kappa auto}, else null
 */
record Training(Gimvi model, ImputationPipeline.Prepared prepared, CellDataset reference, SpatialSlides slides,
                GimviKappaSearch.Choice kappaChoice) {

    /**
     * The inputs read, matched and checked, ready to train on.
     *
     * @param seqBatches the reference's batches (all its cells; null: one batch)
     */
    record PreparedInputs(ImputationPipeline.Prepared prepared, CellDataset reference, SpatialSlides slides,
                   BatchCodes seqBatches) {
    }

    static Training run(Path seq, List<Path> spatial, ReadingOptions reading, TrainingOptions training, long seed,
                        Progress progress) {
        return run(seq, ReferenceStorage.IN_MEMORY, spatial, reading, training, seed, progress);
    }

    /**
     * As above, with the reference in memory or streamed from disk; a streamed reference stays open
     * until {@link #releaseReference()} (it is closed here when anything fails).
     */
    static Training run(Path seq, ReferenceStorage storage, List<Path> spatial, ReadingOptions reading,
                        TrainingOptions training, long seed, Progress progress) {
        PreparedInputs in = readAndPrepare(seq, storage, spatial, reading, training, progress);
        CellDataset ref = in.reference();
        try {
            progress.step("training");
            GimviMethod method = training.method(progress, reading);
            GimviKappaSearch.Choice choice = chooseKappa(in, training, method, seed, progress);
            if (choice != null) {
                method = method.withKappa("gimvi", choice.kappa());
            }
            Gimvi model = method.fit(in.prepared(), in.seqBatches(), in.slides().batches(), seed);
            return new Training(model, in.prepared(), in.reference(), in.slides(), choice);
        } catch (RuntimeException e) {
            ReferenceStorage.release(ref);
            throw e;
        }
    }

    /**
     * Reads the reference (or opens it on disk) and prepares the inputs; running out of heap there
     * becomes one line naming the reference and the way out, not a stack trace. The reference is
     * dropped before the message is built, so the heap has room for it again.
     */
    private static PreparedInputs readAndPrepare(Path seq, ReferenceStorage storage, List<Path> spatial,
                                                 ReadingOptions reading, TrainingOptions training, Progress progress) {
        CellDataset ref = null;
        try {
            ref = storage.read(seq, reading.seq(), training.seq(), progress);
            return prepare(ref, seq, spatial, reading, training, progress);
        } catch (RuntimeException e) {
            ReferenceStorage.release(ref);
            throw e;
        } catch (OutOfMemoryError e) {
            ReferenceStorage.release(ref);
            ref = null;
            throw storage.outOfHeap(seq, Runtime.getRuntime().maxMemory());
        }
    }

    /** Closes the reference's file when it was streamed from disk. */
    void releaseReference() {
        ReferenceStorage.release(reference);
    }

    /** Reads the reference and the slides, matches genes, selects usable cells, checks the likelihoods fit. */
    static PreparedInputs prepare(Path seq, List<Path> spatial, ReadingOptions reading, TrainingOptions training,
                           Progress progress) {
        return prepare(Inputs.read(seq, reading.seq(), training.seq(), progress), seq, spatial, reading, training,
                progress);
    }

    /** As above, for a reference already read (or opened on disk). */
    private static PreparedInputs prepare(CellDataset ref, Path seq, List<Path> spatial, ReadingOptions reading,
                                          TrainingOptions training, Progress progress) {
        List<CellDataset> slides = new ArrayList<>();
        List<BatchCodes> keyBatches = new ArrayList<>();
        for (Path p : spatial) {
            CellDataset d = Inputs.read(p, reading.spatial(), training.spatial(), progress);
            slides.add(d);
            keyBatches.add(Inputs.batches(d, reading.spatialBatchKey, p, "--spatial-batch-key"));
        }
        SpatialSlides combined = SpatialSlides.combine(slides, spatial, keyBatches, reading.caseRule());
        CellDataset sp = combined.combined();
        String spatialName = spatial.size() == 1 ? spatial.get(0).getFileName().toString() : sp.name();
        ImputationPipeline.Prepared prepared = ImputationPipeline.prepare("imputation", ref.counts(), ref.genes(),
                "the reference (" + seq.getFileName() + ")", sp.counts(), sp.genes(), sp.cells(),
                "the spatial panel (" + spatialName + ")", null,
                new ImputationPipeline.Settings(reading.caseRule(), Inputs.cellRule(training.seq()),
                        Inputs.cellRule(training.spatial())));
        progress.note(prepared.panel().summary());
        if (prepared.cells().removedAny()) {
            progress.note(prepared.cells().summary() + " — left out of training only: every spatial cell "
                    + "stays in the output, unused ones flagged obs['gimvi_used'] = False");
        }
        Inputs.checkModellable(prepared.reference(), prepared.referenceGenes(), names(ref.cells(),
                prepared.cells().referenceRows()), seq, training.seq());
        Inputs.checkModellable(prepared.spatialPanel(), prepared.panel().genes(), prepared.spatialCellNames(),
                spatial.get(0), training.spatial());
        BatchCodes seqBatches = Inputs.batches(ref, reading.seqBatchKey, seq, "--seq-batch-key");
        return new PreparedInputs(prepared, ref, combined, seqBatches);
    }

    /** Under {@code --kappa auto}: κ scored on the panel's own genes; else null. */
    static GimviKappaSearch.Choice chooseKappa(PreparedInputs in, TrainingOptions training, GimviMethod method, long seed,
                                              Progress progress) {
        if (!training.kappaAuto()) {
            return null;
        }
        progress.step("choosing κ on the panel's genes");
        // candidates scored with single runs (a proxy for the full training, 3× cheaper), then the
        // model is trained as asked with the winner
        GimviMethod single = method.withKappa("gimvi", 5f).withRounds(1).withUncertaintySamples(0);
        ImputationTask panelTask = in.prepared().task(in.prepared().panel().all(), in.prepared().panel().genes());
        GimviKappaSearch.Choice choice = new GimviKappaSearch("gimvi", single).choose(panelTask, seed);
        progress.note(choice.describe());
        return choice;
    }

    private static String[] names(String[] all, int[] rows) {
        String[] out = new String[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = all[rows[i]];
        }
        return out;
    }
}
