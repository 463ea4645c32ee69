package org.gimvi.tools;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gimvi.model.io.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gimvi train}: train gimVI once on a reference and one or more slides of a spatial panel and
 * save the model (scvi-tools' train + save). Several slides are one spatial dataset whose batches
 * are the slides (or {@code --spatial-batch-key}'s values), so {@code gimvi impute --model} then
 * imputes any further slide of the panel without retraining.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train gimVI on a scRNA-seq reference and one or more spatial slides of one panel; save the model.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--seq", required = true, description = "scRNA-seq reference: h5ad, loom, 10x folder or text table.")
    Path seq;

    @Option(names = "--spatial", required = true, description = "A spatial slide: h5ad, loom, 10x folder or text table. "
            + "Repeat for several slides of the same panel (each becomes a batch of the spatial dataset).")
    List<Path> spatial;

    @Option(names = "--save-model", required = true, description = "The model file to write (.gimvi).")
    Path saveModel;

    @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--stream-reference", description = "Keep the reference on disk and read it block by block while "
            + "training, for references larger than memory: an .h5ad with a CSR matrix (X, --seq-layer or raw). Same "
            + "model as reading it into memory for a reference of up to "
            + "4096 cells; larger ones visit cells in a seeded block-shuffled order (see README, Scale).")
    boolean streamReference;

    @Option(names = "--force", description = "Replace an existing output file.")
    boolean force;

    @Option(names = "--quiet", description = "No progress line; only errors.")
    boolean quiet;

    @Mixin
    ReadingOptions reading = new ReadingOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Override
    public Integer call() throws Exception {
        training.validate();
        new OutputPaths().output("--save-model", saveModel).input(seq).inputs(spatial).check(force);
        Progress progress = Progress.forCommand("gimvi train", quiet);
        Training t = Training.run(seq, streamReference ? ReferenceStorage.STREAMED : ReferenceStorage.IN_MEMORY, spatial,
                reading, training, seed, progress);
        try {
            progress.step("writing " + saveModel.getFileName());
            ModelFile.save(t.model(), saveModel);
        } finally {
            t.releaseReference();
        }
        progress.finish();
        if (!quiet) {
            System.out.printf(Locale.ROOT, "saved the model to %s: %d reference genes, a panel of %d genes, %d slide(s); "
                    + "impute a slide with: gimvi impute --model %s --spatial SLIDE --out OUT.h5ad%n", saveModel,
                    t.model().outputGenes().length, t.prepared().panel().size(), spatial.size(), saveModel);
        }
        return 0;
    }
}
