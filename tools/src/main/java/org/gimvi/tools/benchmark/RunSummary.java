package org.gimvi.tools.benchmark;

/** One (dataset, protocol, method, seed) run, summarised over its genes. */
public record RunSummary(String dataset, String protocol, String method, long seed, int genes,
                         double medianSpearman, double medianSpearmanNorm, double meanPearson,
                         double trainSeconds, double imputeSeconds, double peakMb, String status) {
}
