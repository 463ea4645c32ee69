package org.gimvi.model.gimvi;

/**
 * What the module needs to know about one dataset: its genes' positions in the output gene space,
 * its likelihood, whether its library size is latent, and which global batch codes it owns.
 *
 * @param name          label used in messages and reports
 * @param geneMapping   for each input column, its index in the output (reference) gene space
 * @param likelihood    observation model
 * @param modelLibrary  latent log-normal library (true) or the observed total (false)
 * @param batchOffset   first global batch code of this dataset
 * @param nBatches      number of batches in this dataset
 */
public record DatasetSpec(String name, int[] geneMapping, Likelihood likelihood, boolean modelLibrary,
                          int batchOffset, int nBatches) {

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
