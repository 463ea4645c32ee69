package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.gimvi.model.data.ObsColumn;
import org.gimvi.model.io.H5adWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reading options of train and impute on small generated files: layers, batch keys, gene-name case. */
class InputOptionsTest {
    @TempDir
    Path dir;
    Path ref;
    Path slide;

    @BeforeEach
    void files() throws IOException {
        Random rnd = new Random(5);
        String[] genes = new String[BadInputCorpusTest.GENES];
        for (int j = 0; j < genes.length; j++) {
            genes[j] = "Gene" + j;
        }
        String[] donor = new String[60];
        for (int i = 0; i < donor.length; i++) {
            donor[i] = i < 30 ? "donorA" : "donorB";
        }
        ref = dir.resolve("ref.h5ad");
        H5adWriter.write(ref, new H5adWriter.Content(BadInputCorpusTest.counts(rnd, 60, genes.length),
                BadInputCorpusTest.names("r", 60), genes).obs("donor", ObsColumn.Categorical.of(donor)));
        // X holds normalised values, the counts are in a layer (as scanpy users often store them)
        float[][] counts = BadInputCorpusTest.counts(rnd, 40, 6);
        float[][] normalised = new float[40][6];
        for (int i = 0; i < 40; i++) {
            float total = 0;
            for (float v : counts[i]) {
                total += v;
            }
            for (int j = 0; j < 6; j++) {
                normalised[i][j] = (float) Math.log1p(1e4 * counts[i][j] / total);
            }
        }
        slide = dir.resolve("slide.h5ad");
        H5adWriter.write(slide, BadInputCorpusTest.slideContent(normalised, BadInputCorpusTest.names("s", 40))
                .layer("counts", counts));
    }

    @Test
    void infoPointsAtTheLayerHoldingCountsAndImputeReadsIt() {
        CliRunner.Result info = CliRunner.run("info", slide.toString());
        assertEquals(0, info.code(), info.all());
        assertTrue(info.out().contains("layer 'counts' holds integer counts: read it with --layer counts"), info.out());
        CliRunner.Result refused = CliRunner.run("impute", "--seq", ref.toString(), "--spatial", slide.toString(),
                "--out", dir.resolve("x.h5ad").toString(), "--epochs", "1", "--quiet");
        assertEquals(2, refused.code(), "normalised X under the nb likelihood: " + refused.all());
        CliRunner.Result ok = CliRunner.run("impute", "--seq", ref.toString(), "--spatial", slide.toString(),
                "--spatial-layer", "counts", "--out", dir.resolve("x.h5ad").toString(), "--epochs", "1", "--quiet");
        assertEquals(0, ok.code(), ok.all());
    }

    @Test
    void layerAppliesToBothInputsUnlessOnePerInputIsGiven() {
        CliRunner.Result r = CliRunner.run("impute", "--seq", ref.toString(), "--spatial", slide.toString(), "--layer",
                "counts", "--out", dir.resolve("x.h5ad").toString(), "--epochs", "1", "--quiet");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("ref.h5ad") && r.err().contains("layers/counts"), r.err());
    }

    @Test
    void batchKeysBecomeBatchesOfEachDataset() {
        Path model = dir.resolve("m.gimvi");
        CliRunner.Result t = CliRunner.run("train", "--seq", ref.toString(), "--seq-batch-key", "donor", "--spatial",
                slide.toString(), "--spatial-layer", "counts", "--spatial-batch-key", "region", "--save-model", model.toString(),
                "--epochs", "1", "--quiet");
        assertEquals(0, t.code(), t.all());
        String info = CliRunner.run("info", model.toString()).out();
        assertTrue(info.contains("dataset 0 'scRNA-seq': 10 genes") && info.contains("2 batch(es)"), info);
        assertEquals(2, info.split("2 batch\\(es\\)", -1).length - 1, "both datasets have two batches: " + info);
    }

    @Test
    void genesMatchIgnoringCaseUnlessCaseSensitive() {
        // the slide spells one gene "GENE1"; the reference has "Gene1"
        CliRunner.Result loose = CliRunner.run("train", "--seq", ref.toString(), "--spatial", slide.toString(),
                "--spatial-layer", "counts", "--save-model", dir.resolve("a.gimvi").toString(), "--epochs", "1");
        assertEquals(0, loose.code(), loose.all());
        assertTrue(loose.out().contains("5 of 6 genes"), loose.out());
        CliRunner.Result strict = CliRunner.run("train", "--seq", ref.toString(), "--spatial", slide.toString(),
                "--spatial-layer", "counts", "--case-sensitive", "--save-model", dir.resolve("b.gimvi").toString(),
                "--epochs", "1");
        assertEquals(0, strict.code(), strict.all());
        assertTrue(strict.out().contains("4 of 6 genes") && strict.out().contains("missing: GENE1"), strict.out());
    }
}
