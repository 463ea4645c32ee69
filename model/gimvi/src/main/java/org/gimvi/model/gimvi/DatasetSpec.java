package org.gimvi.model.gimvi;

/**
 * What the module needs to know about one dataset: its genes' positions in the output gene space,
 * its likelihood, whether its library size is latent, and which global batch codes it owns.
 *
 * @param name          label used in messages and reports
 * @param geneMapping   for each input column, its index in the output (reference) gene space
 * @param likelihood    observation model
 * @param library       a latent log-normal library or the observed total
 * @param batchOffset   first global batch code of this dataset
 * @param nBatches      number of batches in this dataset
 */
public record DatasetSpec(String name, int[] geneMapping, Likelihood likelihood, Library library,
                          int batchOffset, int nBatches) {

    /**
     * The mapping is one-to-one: each input column is a different output gene. The model relies on
     * it (a column's dispersion gradient is accumulated per gene, see
     * {@code ComputeBackend.scatterAddScaledByGroup}); a dataset built from gene names already
     * refuses duplicates, and a model file whose mapping repeats a gene is damaged.
     */
    public DatasetSpec {
        int max = -1;
        for (int g : geneMapping) {
            if (g < 0) {
                throw new IllegalArgumentException("dataset '" + name + "': its gene mapping has a negative output index ("
                        + g + "); the model or its file is damaged");
            }
            max = Math.max(max, g);
        }
        boolean[] seen = new boolean[max + 1];
        for (int j = 0; j < geneMapping.length; j++) {
            int g = geneMapping[j];
            if (seen[g]) {
                throw new IllegalArgumentException("dataset '" + name + "': input columns map to output gene " + g
                        + " more than once (again at column " + j + "); each column must be a different gene — "
                        + "the model or its file is damaged");
            }
            seen[g] = true;
        }
    }

    /** True when ℓ is latent: the dataset has a library encoder and a KL term. */
    public boolean modelsLibrary() {
        return library == Library.LATENT;
    }

    public int nGenes() {
        return geneMapping.length;
    }

    /** True when the dataset measures the whole output space in order (no gather needed). */
    public boolean isIdentity(int outputGenes) {
        if (geneMapping.length != outputGenes) {
            return false;
        }
        for (int j = 0; j < geneMapping.length; j++) {
            if (geneMapping[j] != j) {
                return false;
            }
        }
        return true;
    }
}
