package org.gimvi.model.gimvi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A dataset's gene mapping is one-to-one (the dispersion gradient's accumulation relies on it). */
class DatasetSpecTest {

    @Test
    void aOneToOneMappingIsAccepted() {
        DatasetSpec spec = new DatasetSpec("panel", new int[]{4, 0, 2}, Likelihood.NB, Library.OBSERVED, 1, 1);
        assertEquals(3, spec.nGenes());
        assertTrue(new DatasetSpec("ref", new int[]{0, 1, 2}, Likelihood.ZINB, Library.LATENT, 0, 1).isIdentity(3));
    }

    @Test
    void aRepeatedOutputGeneIsRefusedWithWhereItRepeats() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DatasetSpec("panel", new int[]{4, 0, 4}, Likelihood.NB, Library.OBSERVED, 1, 1));
        assertTrue(e.getMessage().contains("'panel'") && e.getMessage().contains("output gene 4")
                && e.getMessage().contains("column 2"), e.getMessage());
    }

    @Test
    void aNegativeOutputIndexIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DatasetSpec("panel", new int[]{1, -3}, Likelihood.NB, Library.OBSERVED, 1, 1));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }
}
