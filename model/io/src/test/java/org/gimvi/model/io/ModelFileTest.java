package org.gimvi.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Posterior;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.gimvi.GeneNameMatching;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.Scale;
import org.gimvi.model.gimvi.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    private static void assertBitsEqual(FMatrixRMaj a, FMatrixRMaj b, String what) {
        assertEquals(a.numRows, b.numRows);
        assertEquals(a.numCols, b.numCols);
        for (int i = 0; i < a.numRows * a.numCols; i++) {
            assertEquals(Float.floatToIntBits(a.data[i]), Float.floatToIntBits(b.data[i]), what + " element " + i);
        }
    }

    /** Deterministic small counts: every cell has some. */
    private static DenseCountMatrix counts(int rows, int cols, int salt) {
        DenseCountMatrix m = DenseCountMatrix.zeros(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, (i * 7 + j * 3 + salt) % 5 + (j == 0 ? 1 : 0));
            }
        }
        return m;
    }

    @Test
    void saveAndLoadGiveIdenticalOutputs(@TempDir Path dir) throws Exception {
        String[] genes = {"g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8"};
        String[] panel = {"g8", "g6", "g5", "g2", "g1"};
        List<Gimvi.DatasetInput> data = List.of(
                Gimvi.DatasetInput.of("seq", counts(100, 9, 1), genes, Likelihood.ZINB, Library.LATENT),
                Gimvi.DatasetInput.of("spatial", counts(80, 5, 2), panel, Likelihood.NB, Library.OBSERVED));
        Gimvi model = Gimvi.create(data, GimviOptions.defaults().withGeneNames(GeneNameMatching.EXACT).withSeed(7));
        TrainingConfig cfg = new TrainingConfig();
        cfg.epochs = 2;
        cfg.batchSize = 32;
        model.train(cfg);
        Path file = dir.resolve("model.gimvi");
        ModelFile.save(model, file);
        Gimvi loaded = ModelFile.load(file, GimviOptions.defaults());
        assertArrayEquals(model.outputGenes(), loaded.outputGenes());
        for (int m = 0; m < 2; m++) {
            assertBitsEqual(model.latent(m),
                    loaded.latent(m, data.get(m).counts(), model.cellBatch(m), Posterior.MEAN), "latent " + m);
            assertBitsEqual(model.imputedValues(m, m, Scale.EXPECTED_COUNTS, Posterior.MEAN),
                    loaded.imputedValues(m, data.get(m).counts(), model.cellBatch(m), m, Scale.EXPECTED_COUNTS, Posterior.MEAN), "imputed " + m);
        }
        // corruption is detected, not silently loaded
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Path bad = dir.resolve("bad.gimvi");
        Files.write(bad, bytes);
        InputFormatException e = assertThrows(InputFormatException.class, () -> ModelFile.load(bad, GimviOptions.defaults()));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        Path truncated = dir.resolve("short.gimvi");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(file), 100));
        assertThrows(InputFormatException.class, () -> ModelFile.load(truncated, GimviOptions.defaults()));
        assertThrows(InputFormatException.class, () -> ModelFile.load(dir.resolve("none.gimvi"), GimviOptions.defaults()));
    }

}
