package org.gimvi.model.gimvi;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Accumulation;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.nn.ForwardMode;
import org.gimvi.engine.nn.FullyConnectedStack;
import org.gimvi.engine.nn.NamedBuffer;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.nn.RunningStatistics;
import org.gimvi.engine.nn.Trainable;
import org.gimvi.engine.random.Rng;

/**
 * p(x|z): optional hidden stacks (the first conditioned on the batch), then linear heads over all G
 * output genes for the expression scale (softmax) and, for ZINB, the zero-inflation logits. The
 * heads are shared by every dataset: the dataset only chooses which genes are renormalised
 * (gimvi-spec.md §3.4, §4).
 *
 * <p>Training needs the heads only at a dataset's measured genes M: renormalising the softmax over
 * G to the genes of M equals a softmax over the logits of M alone (the full normaliser cancels), so
 * each step gathers the M columns of the head weights, works on those, and scatters the gradient
 * back. For a 26-gene panel against 20,000 scRNA-seq genes this is ~700× less decoder work for the
 * spatial minibatch; the result differs from the full softmax only by float rounding.
 */
final class GeneDecoder implements Trainable {
    private final ComputeBackend backend;
    private final FullyConnectedStack conditioned; // null without conditioned layers
    private final FullyConnectedStack sharedStack; // null without shared layers
    private final Parameter scaleWeight;   // width × G
    private final Parameter scaleBias;     // 1 × G
    private final Parameter dropoutWeight; // width × G
    private final Parameter dropoutBias;   // 1 × G
    private final int width;
    private final int genes;
    private final int latent;

    /** Which heads a workspace evaluates. */
    enum Heads {
        /** The expression scale alone: an NB or Poisson dataset, and imputation (ρ needs nothing else). */
        SCALE,
        /** The scale and the zero-inflation logits: a ZINB dataset's training and validation. */
        SCALE_AND_DROPOUT
    }

    /**
     * Buffers of one dataset's call site; gathered head weights live here. Gradient lane and staged
     * statistics as in {@link MultiEncoder.Workspace}.
     */
    static final class Workspace {
        final int lane;
        final int[] mapping;     // null = identity (all genes in order)
        final int cols;
        final FullyConnectedStack.Activations condActs;
        final FullyConnectedStack.Activations sharedActs;
        final FMatrixRMaj wScale;   // width × cols (gathered, or null for identity)
        final FMatrixRMaj bScale;   // 1 × cols
        final FMatrixRMaj wDrop;
        final FMatrixRMaj bDrop;
        final FMatrixRMaj gradWScale;
        final FMatrixRMaj gradBScale;
        final FMatrixRMaj gradWDrop;
        final FMatrixRMaj gradBDrop;
        final FMatrixRMaj logits;   // B × cols
        final FMatrixRMaj piLogits; // B × cols (ZINB only)
        final FMatrixRMaj dHidden;  // B × width
        final FMatrixRMaj dCond;    // B × conditioned width
        final FMatrixRMaj dLatent;  // B × latent
        FMatrixRMaj hidden;         // what the heads saw

        Workspace(ComputeBackend b, GeneDecoder d, int[] mapping, Heads heads, int maxRows, int lane) {
            boolean zeroInflated = heads == Heads.SCALE_AND_DROPOUT;
            this.lane = lane;
            this.mapping = mapping;
            this.cols = mapping == null ? d.genes : mapping.length;
            condActs = d.conditioned == null ? null : d.conditioned.newActivations(b, maxRows, lane, RunningStatistics.DEFER_TO_COMMIT);
            sharedActs = d.sharedStack == null ? null : d.sharedStack.newActivations(b, maxRows, lane, RunningStatistics.DEFER_TO_COMMIT);
            boolean gather = mapping != null;
            wScale = gather ? b.allocate(d.width, cols) : null;
            bScale = gather ? b.allocate(1, cols) : null;
            gradWScale = gather ? b.allocate(d.width, cols) : null;
            gradBScale = gather ? b.allocate(1, cols) : null;
            wDrop = gather && zeroInflated ? b.allocate(d.width, cols) : null;
            bDrop = gather && zeroInflated ? b.allocate(1, cols) : null;
            gradWDrop = gather && zeroInflated ? b.allocate(d.width, cols) : null;
            gradBDrop = gather && zeroInflated ? b.allocate(1, cols) : null;
            logits = b.allocate(maxRows, cols);
            piLogits = zeroInflated ? b.allocate(maxRows, cols) : null;
            dHidden = b.allocate(maxRows, d.width);
            dCond = d.conditioned == null ? null : b.allocate(maxRows, d.conditioned.out());
            dLatent = b.allocate(maxRows, d.latent);
        }
    }

    GeneDecoder(ComputeBackend backend, int genes, int batches, GimviArchitecture a, Rng rng) {
        this.backend = backend;
        this.genes = genes;
        this.latent = a.nLatent;
        int w = a.nLatent;
        if (a.layersDecoderIndividual > 0) {
            int condOut = a.layersDecoderShared > 0 ? a.hiddenDecoderIndividual : a.hiddenDecoderShared;
            conditioned = new FullyConnectedStack(backend, "decoder.conditioned", w, a.hiddenDecoderIndividual, condOut,
                    a.layersDecoderIndividual, batches > 1 ? batches : 0, a.dropoutDecoder, rng);
            w = condOut;
        } else {
            conditioned = null;
        }
        if (a.layersDecoderShared > 0) {
            sharedStack = new FullyConnectedStack(backend, "decoder.shared", w, a.hiddenDecoderShared, a.hiddenDecoderShared,
                    a.layersDecoderShared, 0, a.dropoutDecoder, rng);
            w = a.hiddenDecoderShared;
        } else {
            sharedStack = null;
        }
        this.width = w;
        float bound = (float) (1.0 / Math.sqrt(w));
        scaleWeight = uniform("decoder.scale.weight", w, genes, bound, rng);
        scaleBias = uniform("decoder.scale.bias", 1, genes, bound, rng);
        dropoutWeight = uniform("decoder.dropout.weight", w, genes, bound, rng);
        dropoutBias = uniform("decoder.dropout.bias", 1, genes, bound, rng);
    }

    private Parameter uniform(String name, int rows, int cols, float bound, Rng rng) {
        FMatrixRMaj v = backend.allocate(rows, cols);
        rng.fillUniform(v.data, rows * cols, -bound, bound);
        return new Parameter(name, v, backend.allocate(rows, cols));
    }

    int genes() {
        return genes;
    }

    /**
     * @param mapping the dataset's output-gene indices, or null for all genes in order
     * @param heads   the heads the dataset's likelihood reads
     * @param lane    gradient lane of the call site
     */
    Workspace newWorkspace(int[] mapping, Heads heads, int maxRows, int lane) {
        return new Workspace(backend, this, mapping, heads, maxRows, lane);
    }

    /** Applies the running-statistics updates staged by the call site's last training forward. */
    void commitRunningStatistics(Workspace w) {
        if (conditioned != null) {
            conditioned.commitRunningStatistics(w.condActs);
        }
        if (sharedStack != null) {
            sharedStack.commitRunningStatistics(w.sharedActs);
        }
    }

    /** Hidden representation h of z (z itself for the linear decoder). */
    private FMatrixRMaj hidden(FMatrixRMaj z, int[] batch, Workspace w, Rng rng, ForwardMode mode) {
        FMatrixRMaj h = z;
        if (conditioned != null) {
            h = conditioned.forward(h, batch, w.condActs, rng, mode);
        }
        if (sharedStack != null) {
            h = sharedStack.forward(h, null, w.sharedActs, rng, mode);
        }
        return h;
    }

    /** Logits (and ZINB logits) at the workspace's genes. */
    void forward(FMatrixRMaj z, int[] batch, Workspace w, Rng rng, ForwardMode mode) {
        int rows = z.numRows;
        FMatrixRMaj h = hidden(z, batch, w, rng, mode);
        w.hidden = h;
        w.logits.reshape(rows, w.cols);
        if (w.mapping == null) {
            backend.multBias(h, scaleWeight.value(), scaleBias.value(), w.logits);
            if (w.piLogits != null) {
                w.piLogits.reshape(rows, w.cols);
                backend.multBias(h, dropoutWeight.value(), dropoutBias.value(), w.piLogits);
            }
            return;
        }
        backend.gatherColumns(scaleWeight.value(), w.mapping, w.wScale);
        backend.gatherColumns(scaleBias.value(), w.mapping, w.bScale);
        backend.multBias(h, w.wScale, w.bScale.data, w.logits);
        if (w.piLogits != null) {
            backend.gatherColumns(dropoutWeight.value(), w.mapping, w.wDrop);
            backend.gatherColumns(dropoutBias.value(), w.mapping, w.bDrop);
            w.piLogits.reshape(rows, w.cols);
            backend.multBias(h, w.wDrop, w.bDrop.data, w.piLogits);
        }
    }

    /**
     * Backward from the logit gradients (dPi may be null) to z; accumulates parameter gradients and
     * returns the gradient at z (a workspace matrix).
     */
    FMatrixRMaj backward(FMatrixRMaj z, int[] batch, Workspace w, FMatrixRMaj dLogits, FMatrixRMaj dPi) {
        int rows = dLogits.numRows;
        FMatrixRMaj h = w.hidden;
        w.dHidden.reshape(rows, width);
        int lane = w.lane;
        if (w.mapping == null) {
            backend.multAddTransA(h, dLogits, scaleWeight.grad(lane));
            TensorView dScaleBias = scaleBias.grad(lane);
            backend.sumCols(dLogits, dScaleBias.array(), dScaleBias.offset(), Accumulation.ADD);
            backend.multTransB(dLogits, scaleWeight.value(), w.dHidden);
            if (dPi != null) {
                backend.multAddTransA(h, dPi, dropoutWeight.grad(lane));
                TensorView dDropoutBias = dropoutBias.grad(lane);
                backend.sumCols(dPi, dDropoutBias.array(), dDropoutBias.offset(), Accumulation.ADD);
                backend.multAddTransB(dPi, dropoutWeight.value(), w.dHidden);
            }
        } else {
            backend.multTransA(h, dLogits, w.gradWScale);
            backend.sumCols(dLogits, w.gradBScale.data);
            backend.scatterAddColumns(w.gradWScale, w.mapping, scaleWeight.grad(lane));
            backend.scatterAddColumns(w.gradBScale, w.mapping, scaleBias.grad(lane));
            backend.multTransB(dLogits, w.wScale, w.dHidden);
            if (dPi != null) {
                backend.multTransA(h, dPi, w.gradWDrop);
                backend.sumCols(dPi, w.gradBDrop.data);
                backend.scatterAddColumns(w.gradWDrop, w.mapping, dropoutWeight.grad(lane));
                backend.scatterAddColumns(w.gradBDrop, w.mapping, dropoutBias.grad(lane));
                backend.multAddTransB(dPi, w.wDrop, w.dHidden);
            }
        }
        FMatrixRMaj g = w.dHidden;
        if (sharedStack != null) {
            FMatrixRMaj in = conditioned != null ? w.condActs.output() : z;
            FMatrixRMaj target = conditioned != null ? w.dCond : w.dLatent;
            target.reshape(rows, sharedStack.in());
            sharedStack.backward(in, null, w.sharedActs, g, target);
            g = target;
        }
        if (conditioned != null) {
            w.dLatent.reshape(rows, latent);
            conditioned.backward(z, batch, w.condActs, g, w.dLatent);
            g = w.dLatent;
        }
        return g;
    }

    /**
     * Eval-mode decode of all G genes for imputation: ρ = softmax over G, renormalised so that the
     * genes in {@code renormalise} (null = all) sum to one. Writes B × G proportions into out.
     */
    void decodeAllGenes(FMatrixRMaj z, int[] batch, Workspace full, int[] renormalise, FMatrixRMaj out) {
        forward(z, batch, full, null, ForwardMode.EVALUATION);
        out.reshape(z.numRows, genes);
        backend.rowSoftmax(full.logits, out);
        if (renormalise != null) {
            backend.renormaliseRows(out, renormalise);
        }
    }

    @Override
    public void collectParameters(List<Parameter> out) {
        if (conditioned != null) {
            conditioned.collectParameters(out);
        }
        if (sharedStack != null) {
            sharedStack.collectParameters(out);
        }
        out.add(scaleWeight);
        out.add(scaleBias);
        out.add(dropoutWeight);
        out.add(dropoutBias);
    }

    @Override
    public void collectBuffers(List<NamedBuffer> out) {
        if (conditioned != null) {
            conditioned.collectBuffers(out);
        }
        if (sharedStack != null) {
            sharedStack.collectBuffers(out);
        }
    }
}
