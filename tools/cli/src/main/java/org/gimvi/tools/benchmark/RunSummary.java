package org.gimvi.tools.benchmark;

/**
 * One (dataset, protocol, method, seed) run, summarised over its genes.
 *
 * @param meanPcc, meanSsim, meanRmse, meanJs  Li et al. gene means (undefined genes count as 0, as in
 *                 their code; {@code undefinedGenes} says how many)
 * @param mixing   entropy-of-mixing summary (NaN for methods without a joint latent space)
 * @param purity   k-NN purity summary, overlap fraction averaged over both datasets (NaN likewise, and for
 *                 methods without a single-dataset reference)
 * @param cpuSeconds      CPU seconds the process used during the method's fit and imputation (all threads)
 * @param purityReference what purity was measured against: the method's own single-dataset latent
 *                        ({@link org.gimvi.model.methods.PurityReference#description()}), or why it was not
 */
public record RunSummary(String dataset, String protocol, String method, long seed, int genes,
                         double medianSpearman, double medianSpearmanNorm, double meanPearson,
                         double meanPcc, double meanSsim, double meanRmse, double meanJs, int undefinedGenes,
                         double mixing, double purity,
                         double trainSeconds, double imputeSeconds, double peakMb, String status,
                         double cpuSeconds, String purityReference) {
}
