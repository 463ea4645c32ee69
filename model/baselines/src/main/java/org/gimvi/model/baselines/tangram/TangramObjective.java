package org.gimvi.model.baselines.tangram;

import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * Tangram's loss and its gradient with respect to the mapping logits M (sources × spots), written as
 * an explicit forward and backward pass over flat buffers (the default terms of
 * {@code tangram.mapping_optimizer.Mapper._loss_fn}):
 *
 * <pre>
 *   P     = softmax(M) row-wise (each source distributed over the spots)
 *   Ĝ     = Pᵀ S                                  (spots × genes)
 *   loss  = −λ_g1 · mean_g cos(Ĝ[:, g], G[:, g])    (gene-voxel cosine over spots)
 *         + λ_d · KL(d ‖ q),  q_j = Σ_i w_i P_ij   (density term; w_i = 1/n for cells, cluster sizes for clusters)
 * </pre>
 *
 * The KL is PyTorch's {@code KLDivLoss(reduction="sum")(log q, d)} = Σ_j d_j (log d_j − log q_j), with
 * terms of d_j = 0 contributing 0. The cosine follows {@code torch.cosine_similarity} (eps 1e-8 on the
 * norms). Every workspace is allocated once, here; {@link #forward} and {@link #stepAndRemap} allocate
 * nothing.
 *
 * <p>Layout, chosen for speed: the source matrix is extended by the weight column w, so that one product
 * [S | w]ᵀ P gives both Ĝᵀ (genes × spots, each gene a contiguous row) and q (the last row), and one
 * product [S | w] · [∂Ĝᵀ; ∂q] gives ∂loss/∂P with the density gradient already folded in; both products
 * are {@link TangramKernels}, which skip the zeros of S and fuse the softmax backward.
 */
final class TangramObjective {
    private static final double COSINE_EPS = 1e-8;
    /** Floor for a spot's mapped mass inside the logarithm: a softmax can underflow to an exact zero. */
    private static final double DENSITY_FLOOR = 1e-30;

    private final ComputeBackend backend;
    private final TangramKernels.SparseRows extendedSource; // n × (g + 1): S, then the weight column w
    private final float[] targetT;      // g × s: Gᵀ, each gene a contiguous row
    private final double[] targetNorm;  // ‖G[:, g]‖
    private final float[] density;      // d (length s, sums to 1) or null: no density term
    private final float lambdaG1;
    private final float lambdaD;
    private final int n;
    private final int spots;
    private final int genes;

    final FMatrixRMaj probabilities;     // P, n × s
    private final FMatrixRMaj predictedT; // [Ĝᵀ; q], (g + 1) × s
    private final FMatrixRMaj predictedTGrad; // [∂loss/∂Ĝᵀ; ∂loss/∂q], (g + 1) × s
    private double lastCosine;
    private double lastKl;

    /**
     * @param source       n × g, what is mapped (cells or cluster averages)
     * @param target       s × g, the spatial expression of the same genes
     * @param sourceWeight w, the weight of each source row in the mapped density (length n)
     * @param density      the spot density prior d (sums to 1), or null for no density term
     */
    TangramObjective(ComputeBackend backend, FMatrixRMaj source, FMatrixRMaj target, float[] sourceWeight,
                     float[] density, float lambdaG1, float lambdaD) {
        if (source.numCols != target.numCols) {
            throw new IllegalArgumentException("tangram: source has " + source.numCols + " genes, target " + target.numCols);
        }
        this.backend = backend;
        this.n = source.numRows;
        this.spots = target.numRows;
        this.genes = source.numCols;
        this.density = density;
        this.lambdaG1 = lambdaG1;
        this.lambdaD = density == null ? 0f : lambdaD;
        int ge = genes + 1;
        float[] extended = new float[n * ge];
        for (int i = 0; i < n; i++) {
            System.arraycopy(source.data, i * genes, extended, i * ge, genes);
            extended[i * ge + genes] = sourceWeight[i];
        }
        extendedSource = new TangramKernels.SparseRows(extended, n, ge);
        targetT = new float[genes * spots];
        targetNorm = new double[genes];
        for (int g = 0; g < genes; g++) {
            double s = 0;
            for (int j = 0; j < spots; j++) {
                float v = target.data[j * genes + g];
                targetT[g * spots + j] = v;
                s += (double) v * v;
            }
            targetNorm[g] = Math.sqrt(s);
        }
        probabilities = backend.allocate(n, spots);
        predictedT = backend.allocate(ge, spots);
        predictedTGrad = backend.allocate(ge, spots);
    }

    /** Mean gene-voxel cosine of the last evaluation (Tangram's "Gene-voxel score"). */
    double lastCosine() {
        return lastCosine;
    }

    /** KL(d ‖ q) of the last evaluation (0 without a density term). */
    double lastKl() {
        return lastKl;
    }

    /** Returns the loss at M and writes ∂loss/∂M into {@code gradient} (overwritten, n × s). */
    double evaluate(FMatrixRMaj logits, FMatrixRMaj gradient) {
        setLogits(logits);
        double loss = forward();
        // ---- backward: ∂loss/∂P = [S | w] · [∂Ĝᵀ; ∂q], then through the softmax (one fused pass)
        TangramKernels.softmaxBackwardOfSourceProduct(extendedSource, predictedTGrad.data, spots, probabilities.data,
                gradient.data, WorkerPool.shared());
        return loss;
    }

    /** P = softmax(M): the mapping the next {@link #forward} reads. */
    void setLogits(FMatrixRMaj logits) {
        backend.rowSoftmax(logits, probabilities);
    }

    /**
     * One training step after {@link #forward}: the gradient at the current P, an Adam step on M (and
     * its moments), and P = softmax of the updated M, in one pass ({@link TangramKernels#backwardAdamSoftmax}).
     */
    void stepAndRemap(FMatrixRMaj logits, float[] adamM, float[] adamV, AdamUpdate.Coefficients adam) {
        TangramKernels.backwardAdamSoftmax(extendedSource, predictedTGrad.data, spots, probabilities.data, logits.data,
                adamM, adamV, adam, WorkerPool.shared());
    }

    /**
     * The loss at the current P and ∂loss/∂[Ĝᵀ; q] (kept for the backward pass); P must be the softmax of
     * the logits ({@link #setLogits}, or the previous {@link #stepAndRemap}).
     */
    double forward() {
        // ---- [Ĝᵀ; q] = [S | w]ᵀ P
        TangramKernels.sourceTransposedTimesMapping(extendedSource, probabilities.data, spots, predictedT.data,
                WorkerPool.shared());
        float[] gp = predictedT.data;
        float[] dgp = predictedTGrad.data;
        double cosineSum = 0;
        double scale = -lambdaG1 / genes;
        for (int g = 0; g < genes; g++) {
            int off = g * spots;
            double dot = 0;
            double sq = 0;
            for (int j = 0; j < spots; j++) {
                double a = gp[off + j];
                dot += a * targetT[off + j];
                sq += a * a;
            }
            double na = Math.max(Math.sqrt(sq), COSINE_EPS);
            double nb = Math.max(targetNorm[g], COSINE_EPS);
            double cos = dot / (na * nb);
            cosineSum += cos;
            // backward of −λ_g1·cos/genes: ∂cos/∂a = b/(|a||b|) − cos·a/|a|²
            float cb = (float) (scale / (na * nb));
            float ca = (float) (-scale * cos / (na * na));
            for (int j = 0; j < spots; j++) {
                dgp[off + j] = cb * targetT[off + j] + ca * gp[off + j];
            }
        }
        lastCosine = cosineSum / genes;
        double loss = -lambdaG1 * lastCosine;
        lastKl = 0;
        int qOff = genes * spots;
        if (density != null) {
            double kl = 0;
            for (int j = 0; j < spots; j++) {
                double qj = Math.max(gp[qOff + j], DENSITY_FLOOR);
                double dj = density[j];
                if (dj > 0) {
                    kl += dj * (Math.log(dj) - Math.log(qj));
                }
                dgp[qOff + j] = (float) (-lambdaD * dj / qj);
            }
            lastKl = kl;
            loss += lambdaD * kl;
        } else {
            java.util.Arrays.fill(dgp, qOff, qOff + spots, 0f);
        }
        return loss;
    }
}
