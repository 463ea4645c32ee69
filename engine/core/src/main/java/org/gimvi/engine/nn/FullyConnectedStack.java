package org.gimvi.engine.nn;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.random.Rng;

/**
 * A stack of {@link FullyConnectedLayer}s with widths {@code [in] + (layers−1)×[hidden] + [out]}
 * (scVI's FCLayers), the covariate injected into every layer.
 */
public final class FullyConnectedStack implements Trainable {
    private final FullyConnectedLayer[] layers;
    private final int in;

    /** Buffers of one call site. */
    public static final class Activations {
        final FullyConnectedLayer.Activations[] layers;
        final FMatrixRMaj gradA; // two scratch matrices for the gradients between layers,
        final FMatrixRMaj gradB; // used alternately so that a layer's input and output never alias

        Activations(FullyConnectedLayer.Activations[] layers, FMatrixRMaj gradA, FMatrixRMaj gradB) {
            this.layers = layers;
            this.gradA = gradA;
            this.gradB = gradB;
        }

        public FMatrixRMaj output() {
            return layers[layers.length - 1].output();
        }
    }

    public FullyConnectedStack(ComputeBackend backend, String name, int in, int hidden, int out, int nLayers,
                               int categories, float dropoutRate, Rng rng) {
        if (nLayers < 1) {
            throw new IllegalArgumentException(name + ": a fully connected stack needs at least one layer");
        }
        this.in = in;
        layers = new FullyConnectedLayer[nLayers];
        int width = in;
        for (int l = 0; l < nLayers; l++) {
            int next = l == nLayers - 1 ? out : hidden;
            layers[l] = new FullyConnectedLayer(backend, name + ".layer" + l, width, next, categories, dropoutRate, rng);
            width = next;
        }
    }

    public int out() {
        return layers[layers.length - 1].out();
    }

    public Activations newActivations(ComputeBackend backend, int maxRows) {
        return newActivations(backend, maxRows, 0, RunningStatistics.UPDATE_IN_FORWARD);
    }

    /**
     * @param lane            gradient lane of this call site (see {@link Parameter})
     * @param statistics when this call site's BatchNorm layers move their running statistics
     */
    public Activations newActivations(ComputeBackend backend, int maxRows, int lane, RunningStatistics statistics) {
        FullyConnectedLayer.Activations[] acts = new FullyConnectedLayer.Activations[layers.length];
        int widest = 1;
        for (int l = 0; l < layers.length; l++) {
            acts[l] = layers[l].newActivations(maxRows, lane, statistics);
            widest = Math.max(widest, layers[l].out());
        }
        boolean deep = layers.length > 1;
        return new Activations(acts, deep ? backend.allocate(maxRows, widest) : null,
                deep ? backend.allocate(maxRows, widest) : null);
    }

    public FMatrixRMaj forward(FMatrixRMaj x, int[] category, Activations a, Rng rng, ForwardMode mode) {
        layers[0].forward(x, category, a.layers[0], rng, mode);
        return forwardFrom(1, category, a, rng, mode);
    }

    /**
     * As above for an input given by its non-zero entries: the first layer's products skip its
     * zeros, with the same result.
     */
    public FMatrixRMaj forward(NonZeroEntries x, int[] category, Activations a, Rng rng, ForwardMode mode) {
        layers[0].forward(x, category, a.layers[0], rng, mode);
        return forwardFrom(1, category, a, rng, mode);
    }

    private FMatrixRMaj forwardFrom(int first, int[] category, Activations a, Rng rng, ForwardMode mode) {
        FMatrixRMaj h = a.layers[first - 1].output();
        for (int l = first; l < layers.length; l++) {
            layers[l].forward(h, category, a.layers[l], rng, mode);
            h = a.layers[l].output();
        }
        return h;
    }

    /** Backward through the stack; dOut is not modified; dx (may be null) receives the input gradient. */
    public void backward(FMatrixRMaj x, int[] category, Activations a, FMatrixRMaj dOut, FMatrixRMaj dx) {
        backward(x, category, a, dOut, dx, ParameterGradients.ACCUMULATE);
    }

    /** As above, accumulating the parameter gradients that {@code gradients} names (dx required for INPUT_ONLY). */
    public void backward(FMatrixRMaj x, int[] category, Activations a, FMatrixRMaj dOut, FMatrixRMaj dx,
                         ParameterGradients gradients) {
        FMatrixRMaj g = backwardToFirst(category, a, dOut, gradients);
        layers[0].backward(x, category, a.layers[0], g, dx, gradients);
    }

    /** Backward of a forward on an input given by its non-zero entries (which gets no gradient). */
    public void backward(NonZeroEntries x, int[] category, Activations a, FMatrixRMaj dOut) {
        FMatrixRMaj g = backwardToFirst(category, a, dOut, ParameterGradients.ACCUMULATE);
        layers[0].backward(x, category, a.layers[0], g);
    }

    /** Through layers L−1 … 1; returns the gradient at the first layer's output. */
    private FMatrixRMaj backwardToFirst(int[] category, Activations a, FMatrixRMaj dOut, ParameterGradients gradients) {
        FMatrixRMaj g = dOut;
        for (int l = layers.length - 1; l >= 1; l--) {
            FMatrixRMaj target = (g == a.gradA) ? a.gradB : a.gradA;
            target.reshape(dOut.numRows, layers[l - 1].out());
            layers[l].backward(a.layers[l - 1].output(), category, a.layers[l], g, target, gradients);
            g = target;
        }
        return g;
    }

    /** Applies the staged running-statistics updates of a deferring call site, layer by layer. */
    public void commitRunningStatistics(Activations a) {
        for (int l = 0; l < layers.length; l++) {
            layers[l].commitRunningStatistics(a.layers[l]);
        }
    }

    public int in() {
        return in;
    }

    @Override
    public void collectParameters(List<Parameter> out) {
        for (FullyConnectedLayer l : layers) {
            l.collectParameters(out);
        }
    }

    @Override
    public void collectBuffers(List<NamedBuffer> out) {
        for (FullyConnectedLayer l : layers) {
            l.collectBuffers(out);
        }
    }

    public List<FullyConnectedLayer> layers() {
        return new ArrayList<>(List.of(layers));
    }
}
