package org.gimvi.tools.benchmark;

/** Scores of one method, seed and gene. */
public record GeneScore(String dataset, String protocol, String method, long seed, String gene,
                        double spearman, double spearmanNorm, double pearson) {
}
