package org.gimvi.model.gimvi;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.Posterior;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.nn.ForwardMode;
import org.gimvi.engine.nn.FullyConnectedStack;
import org.gimvi.engine.nn.Linear;
import org.gimvi.engine.nn.NamedBuffer;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.nn.RunningStatistics;
import org.gimvi.engine.nn.Trainable;
import org.gimvi.engine.random.Rng;

/**
 * q(z|x): a dataset-specific first stack per dataset, a shared trunk, and one Linear producing the
 * posterior mean and log-variance side by side (columns [0, d) and [d, 2d)). One fused Linear is
 * the same model as scVI's two heads: two independent linear maps of the same input.
 *
 * <p>The variance is exp(log-variance) with no floor, as in scVI's MultiEncoder; the reparameterised
 * sample is z = m + exp(v/2)·ε.
 */
final class MultiEncoder implements Trainable {
    private final ComputeBackend backend;
    private final FullyConnectedStack[] heads;
    private final FullyConnectedStack shared; // null when there are no shared layers
    private final Linear posteriorHead; // the posterior's parameters from the hidden layer
    private final int latent;
    private final int hidden;

    /**
     * Buffers of one dataset's call site. Its gradients go to lane {@code dataset} and its BatchNorm
     * running-statistics updates are staged until {@link #commitRunningStatistics}, so the datasets
     * of a step can run on different threads (see {@link GimviTrainingPlan}).
     */
    static final class Workspace {
        final int lane;
        final FullyConnectedStack.Activations headActs;
        final FullyConnectedStack.Activations sharedActs;
        final FMatrixRMaj params;  // B × 2d: mean | log-variance
        final FMatrixRMaj eps;     // B × d
        final FMatrixRMaj z;       // B × d
        final FMatrixRMaj dParams; // B × 2d
        final FMatrixRMaj dTrunk;  // B × hidden
        final FMatrixRMaj dHeadOut; // B × hidden
        FMatrixRMaj trunkOut;      // the representation the posterior Linear saw

        Workspace(ComputeBackend b, MultiEncoder e, int dataset, int maxRows) {
            lane = dataset;
            headActs = e.heads[dataset].newActivations(b, maxRows, lane, RunningStatistics.DEFER_TO_COMMIT);
            sharedActs = e.shared == null ? null : e.shared.newActivations(b, maxRows, lane, RunningStatistics.DEFER_TO_COMMIT);
            params = b.allocate(maxRows, 2 * e.latent);
            eps = b.allocate(maxRows, e.latent);
            z = b.allocate(maxRows, e.latent);
            dParams = b.allocate(maxRows, 2 * e.latent);
            dTrunk = b.allocate(maxRows, e.hidden);
            dHeadOut = b.allocate(maxRows, e.hidden);
        }
    }

    MultiEncoder(ComputeBackend backend, int[] inputGenes, GimviArchitecture a, Rng rng) {
        this.backend = backend;
        this.latent = a.nLatent;
        this.hidden = a.hiddenEncoder;
        heads = new FullyConnectedStack[inputGenes.length];
        for (int m = 0; m < inputGenes.length; m++) {
            heads[m] = new FullyConnectedStack(backend, "z_encoder.head" + m, inputGenes[m], a.hiddenEncoder,
                    a.hiddenEncoder, a.layersEncoderIndividual, 0, a.dropoutEncoder, rng);
        }
        shared = a.layersEncoderShared == 0 ? null : new FullyConnectedStack(backend, "z_encoder.shared",
                a.hiddenEncoder, a.hiddenEncoder, a.hiddenEncoder, a.layersEncoderShared, 0, a.dropoutEncoder, rng);
        posteriorHead = new Linear(backend, "z_encoder.posterior", a.hiddenEncoder, 2 * a.nLatent, rng);
    }

    Workspace newWorkspace(int dataset, int maxRows) {
        return new Workspace(backend, this, dataset, maxRows);
    }

    int latent() {
        return latent;
    }

    /**
     * Encodes log(1+x) of dataset m. For {@link Posterior#SAMPLE}, z is drawn by reparameterisation
     * with fresh noise from rng; for {@link Posterior#MEAN}, z is the posterior mean. With
     * {@code logxNonZeros} (the same input by its non-zero entries) the first layer reads that
     * instead and logx only for its shape; null: the dense logx.
     */
    void forward(int m, FMatrixRMaj logx, NonZeroEntries logxNonZeros, Workspace w, Rng rng, ForwardMode mode,
                 Posterior posterior) {
        int rows = logx.numRows;
        FMatrixRMaj h = logxNonZeros != null ? heads[m].forward(logxNonZeros, null, w.headActs, rng, mode)
                : heads[m].forward(logx, null, w.headActs, rng, mode);
        if (shared != null) {
            h = shared.forward(h, null, w.sharedActs, rng, mode);
        }
        w.trunkOut = h;
        w.params.reshape(rows, 2 * latent);
        posteriorHead.forward(h, w.params);
        w.z.reshape(rows, latent);
        w.eps.reshape(rows, latent);
        if (posterior == Posterior.SAMPLE) {
            rng.fillGaussian(w.eps.data, rows * latent);
            backend.upload(w.eps);
        }
        backend.reparameterize(w.params, w.eps, posterior, w.z);
    }

    /**
     * Backward of a training forward with sampling: dz is the loss gradient at z, {@code klScale}
     * the factor of Σ KL_z in the loss. Accumulates parameter gradients.
     */
    void backward(int m, FMatrixRMaj logx, NonZeroEntries logxNonZeros, Workspace w, FMatrixRMaj dz, float klScale) {
        int rows = dz.numRows;
        w.dParams.reshape(rows, 2 * latent);
        // z = m + std·ε and KL = ½(σ² + m² − 1 − log σ²), both differentiated in one pass
        backend.reparameterizeBackward(w.params, w.eps, dz, klScale, w.dParams);
        FMatrixRMaj trunkOut = w.trunkOut;
        w.dTrunk.reshape(rows, hidden);
        posteriorHead.backward(trunkOut, null, w.dParams, w.dTrunk, w.lane);
        FMatrixRMaj dHead = w.dTrunk;
        if (shared != null) {
            FMatrixRMaj headOut = w.headActs.output();
            w.dHeadOut.reshape(rows, hidden);
            shared.backward(headOut, null, w.sharedActs, w.dTrunk, w.dHeadOut);
            dHead = w.dHeadOut;
        }
        if (logxNonZeros != null) {
            heads[m].backward(logxNonZeros, null, w.headActs, dHead);
        } else {
            heads[m].backward(logx, null, w.headActs, dHead, null);
        }
    }

    /** Applies the running-statistics updates staged by the last training forward of dataset m. */
    void commitRunningStatistics(int m, Workspace w) {
        heads[m].commitRunningStatistics(w.headActs);
        if (shared != null) {
            shared.commitRunningStatistics(w.sharedActs);
        }
    }

    @Override
    public void collectParameters(List<Parameter> out) {
        for (FullyConnectedStack h : heads) {
            h.collectParameters(out);
        }
        if (shared != null) {
            shared.collectParameters(out);
        }
        posteriorHead.collectParameters(out);
    }

    @Override
    public void collectBuffers(List<NamedBuffer> out) {
        for (FullyConnectedStack h : heads) {
            h.collectBuffers(out);
        }
        if (shared != null) {
            shared.collectBuffers(out);
        }
    }
}
