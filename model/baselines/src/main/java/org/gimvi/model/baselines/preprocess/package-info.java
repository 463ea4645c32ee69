/**
 * Preprocessing shared by the baselines, written once: library-size normalisation, log1p, per-gene
 * z-scores that drop and report zero-variance genes, per-cell standardisation, L2 rows, highly
 * variable genes, covariance, PCA and truncated SVD, Seurat's CCA and symmetric matrix powers.
 *
 * <p>Conventions: matrices are EJML {@code DMatrixRMaj}, cells × features, double precision;
 * operations are static, and those applied to whole matrices write into a caller-provided output
 * (which may be the input). Decompositions fix the sign of singular vectors (largest-magnitude
 * component positive) so results never depend on the library's arbitrary choice. Degenerate input
 * never produces NaN: empty cells stay zero, constant genes are dropped and reported, constant cells
 * become zeros; what cannot be computed at all fails with an {@link IllegalArgumentException} that
 * says what is missing.
 */
package org.gimvi.model.baselines.preprocess;
