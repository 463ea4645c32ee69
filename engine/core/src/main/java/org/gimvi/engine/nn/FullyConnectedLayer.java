package org.gimvi.engine.nn;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.random.Rng;

/**
 * scVI's basic block: Linear → BatchNorm1d → ReLU → Dropout (dropout omitted when p = 0), with an
 * optional one-hot covariate injected into the Linear.
 */
public final class FullyConnectedLayer implements Trainable {
    private final ComputeBackend backend;
    private final Linear linear;
    private final BatchNorm1d norm;
    private final Dropout dropout;

    /**
     * Buffers of one call site, sized once for the largest minibatch, with the call site's gradient
     * lane and running-statistics policy (see {@link BatchNorm1d.Cache}).
     */
    public static final class Activations {
        final FMatrixRMaj pre;   // Linear output, then BatchNorm and ReLU in place
        final FMatrixRMaj mask;
        final FMatrixRMaj out;   // after dropout (== pre when p = 0)
        final FMatrixRMaj grad;  // backward scratch
        final BatchNorm1d.Cache cache;

        Activations(ComputeBackend backend, int maxRows, int width, float dropoutRate, int lane, RunningStatistics statistics) {
            boolean dropout = dropoutRate > 0f;
            pre = backend.allocate(maxRows, width);
            mask = dropout ? backend.allocate(maxRows, width) : null;
            out = dropout ? backend.allocate(maxRows, width) : pre;
            grad = backend.allocate(maxRows, width);
            cache = new BatchNorm1d.Cache(backend, maxRows, width, lane, statistics);
        }

        public FMatrixRMaj output() {
            return out;
        }
    }

    public FullyConnectedLayer(ComputeBackend backend, String name, int in, int out, int categories,
                               float dropoutRate, Rng rng) {
        this.backend = backend;
        this.linear = new Linear(backend, name + ".linear", in, out, categories, rng);
        this.norm = new BatchNorm1d(backend, name + ".batch_norm", out);
        this.dropout = new Dropout(backend, dropoutRate);
    }

    public Activations newActivations(int maxRows) {
        return newActivations(maxRows, 0, RunningStatistics.UPDATE_IN_FORWARD);
    }

    public Activations newActivations(int maxRows, int lane, RunningStatistics statistics) {
        return new Activations(backend, maxRows, linear.out(), dropout.rate(), lane, statistics);
    }

    public int out() {
        return linear.out();
    }

    public void forward(FMatrixRMaj x, int[] category, Activations a, Rng rng, ForwardMode mode) {
        shape(a, x.numRows);
        linear.forward(x, category, a.pre);
        normActivateDrop(a, rng, mode);
    }

    /** As above for an input given by its non-zero entries (see {@link Linear#forward(NonZeroEntries, int[], FMatrixRMaj)}). */
    public void forward(NonZeroEntries x, int[] category, Activations a, Rng rng, ForwardMode mode) {
        shape(a, x.rows());
        linear.forward(x, category, a.pre);
        normActivateDrop(a, rng, mode);
    }

    private void shape(Activations a, int rows) {
        a.pre.reshape(rows, linear.out());
        if (a.out != a.pre) {
            a.out.reshape(rows, linear.out());
        }
    }

    private void normActivateDrop(Activations a, Rng rng, ForwardMode mode) {
        norm.forward(a.pre, a.pre, a.cache, mode);
        int n = a.pre.numRows * a.pre.numCols;
        if (a.out != a.pre && mode == ForwardMode.TRAINING) {
            // ReLU and dropout in one pass over the block (the same bits as the two passes)
            dropout.drawMask(a.mask, a.pre.numRows, a.pre.numCols, rng);
            backend.reluDropout(a.pre.data, a.mask.data, a.out.data, n);
            return;
        }
        backend.relu(a.pre.data, a.pre.data, n);
        if (a.out != a.pre) {
            backend.copy(a.pre.data, a.out.data, n); // eval: dropout is the identity
        }
    }

    /** Backward of a training-mode forward; dOut is not modified, dx may be null. */
    public void backward(FMatrixRMaj x, int[] category, Activations a, FMatrixRMaj dOut, FMatrixRMaj dx) {
        backward(x, category, a, dOut, dx, ParameterGradients.ACCUMULATE);
    }

    /**
     * As above; with {@link ParameterGradients#INPUT_ONLY} the Linear's parameter gradients are
     * skipped and dx is required.
     */
    public void backward(FMatrixRMaj x, int[] category, Activations a, FMatrixRMaj dOut, FMatrixRMaj dx,
                         ParameterGradients gradients) {
        FMatrixRMaj g = preActivationGradient(a, dOut);
        if (gradients == ParameterGradients.INPUT_ONLY) {
            if (dx == null) {
                throw new IllegalArgumentException("an input-only backward needs an input gradient buffer");
            }
            linear.backwardInput(g, dx);
        } else {
            linear.backward(x, category, g, dx, a.cache.lane); // the call site's lane lives in its BatchNorm cache
        }
    }

    /** Backward of a forward on an input given by its non-zero entries (which gets no gradient). */
    public void backward(NonZeroEntries x, int[] category, Activations a, FMatrixRMaj dOut) {
        FMatrixRMaj g = preActivationGradient(a, dOut);
        linear.backward(x, category, g, a.cache.lane);
    }

    /** Through dropout, ReLU and BatchNorm: the gradient at the Linear's output, in a.grad. */
    private FMatrixRMaj preActivationGradient(Activations a, FMatrixRMaj dOut) {
        int rows = dOut.numRows;
        int n = rows * linear.out();
        FMatrixRMaj g = a.grad;
        g.reshape(rows, linear.out());
        if (a.out != a.pre) {
            backend.dropoutReluBackward(a.mask.data, a.pre.data, dOut.data, g.data, n); // dropout's and ReLU's backward in one pass
        } else {
            backend.reluBackward(a.pre.data, dOut.data, g.data, n);
        }
        norm.backward(a.cache, g, g);
        return g;
    }

    /** Applies the running-statistics update a deferring call site staged (no-op otherwise). */
    public void commitRunningStatistics(Activations a) {
        norm.commitRunningStatistics(a.cache);
    }

    @Override
    public void collectParameters(List<Parameter> out) {
        linear.collectParameters(out);
        norm.collectParameters(out);
    }

    @Override
    public void collectBuffers(List<NamedBuffer> out) {
        norm.collectBuffers(out);
    }
}
