package org.gimvi.tools.benchmark;

/**
 * Scores of one method, seed and gene: the gimVI paper's (spearman, spearman_norm, pearson) and
 * Li et al. 2022's (ssim, rmse of z-scores, js); NaN where undefined.
 */
public record GeneScore(String dataset, String protocol, String method, long seed, String gene,
                        double spearman, double spearmanNorm, double pearson, double ssim, double rmse, double js) {
}
