package org.gimvi.model.baselines.magan;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.nn.Linear;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.nn.Trainable;
import org.gimvi.engine.random.Rng;

/**
 * A multilayer perceptron as MAGAN builds its generators and discriminators ({@code tf.layers.dense}
 * stacks): ReLU after every hidden layer, a linear output, weights Glorot-uniform and biases zero
 * (TensorFlow's defaults, not PyTorch's). Built from the engine's {@link Linear} layers; forward and
 * backward follow their conventions (W in×out, gradients accumulated into lane 0).
 *
 * <p>One network can be applied at several call sites in one step (MAGAN applies each generator twice
 * and each discriminator twice); each call site keeps its own {@link Activations}, and the parameter
 * gradients of all sites add up.
 */
final class ReluNetwork implements Trainable {
    private final ComputeBackend backend;
    private final Linear[] layers;
    private final int widest;

    /** Buffers of one call site, sized once for at most {@code maxRows} rows. */
    final class Activations {
        final FMatrixRMaj[] outputs; // post-ReLU for hidden layers, linear for the last
        final FMatrixRMaj gradA;
        final FMatrixRMaj gradB;

        Activations(int maxRows) {
            outputs = new FMatrixRMaj[layers.length];
            for (int l = 0; l < layers.length; l++) {
                outputs[l] = backend.allocate(maxRows, layers[l].out());
            }
            gradA = backend.allocate(maxRows, widest);
            gradB = backend.allocate(maxRows, widest);
        }

        FMatrixRMaj output() {
            return outputs[outputs.length - 1];
        }
    }

    /** @param widths input width, hidden widths…, output width */
    ReluNetwork(ComputeBackend backend, String name, int[] widths, Rng rng) {
        if (widths.length < 2) {
            throw new IllegalArgumentException(name + ": a network needs an input and an output width");
        }
        this.backend = backend;
        layers = new Linear[widths.length - 1];
        int w = 1;
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new Linear(backend, name + ".layer" + l, widths[l], widths[l + 1], rng);
            glorotUniform(layers[l], rng);
            w = Math.max(w, Math.max(widths[l], widths[l + 1]));
        }
        widest = w;
    }

    private static void glorotUniform(Linear layer, Rng rng) {
        float limit = (float) Math.sqrt(6.0 / (layer.in() + layer.out()));
        TensorView w = layer.weight().value();
        rng.fillUniform(w.array(), w.offset(), w.size(), -limit, limit);
        TensorView b = layer.bias().value();
        java.util.Arrays.fill(b.array(), b.offset(), b.offset() + b.size(), 0f);
    }

    Activations newActivations(int maxRows) {
        return new Activations(maxRows);
    }

    int outputWidth() {
        return layers[layers.length - 1].out();
    }

    FMatrixRMaj forward(FMatrixRMaj x, Activations a) {
        FMatrixRMaj h = x;
        for (int l = 0; l < layers.length; l++) {
            FMatrixRMaj y = a.outputs[l];
            y.reshape(x.numRows, layers[l].out());
            layers[l].forward(h, y);
            if (l < layers.length - 1) {
                backend.relu(y.data, y.data, x.numRows * layers[l].out());
            }
            h = y;
        }
        return h;
    }

    /**
     * Accumulates the parameter gradients of this call site given ∂loss/∂output ({@code dOut}, not
     * modified) and writes ∂loss/∂x into {@code dx} unless it is null.
     */
    void backward(FMatrixRMaj x, Activations a, FMatrixRMaj dOut, FMatrixRMaj dx) {
        int rows = x.numRows;
        FMatrixRMaj g = dOut;
        for (int l = layers.length - 1; l >= 0; l--) {
            if (l < layers.length - 1) { // through the ReLU of hidden layer l, in place in the scratch buffer
                backend.reluBackward(a.outputs[l].data, g.data, g.data, rows * layers[l].out());
            }
            FMatrixRMaj input = l == 0 ? x : a.outputs[l - 1];
            FMatrixRMaj target;
            if (l == 0) {
                target = dx;
            } else {
                target = g == a.gradA ? a.gradB : a.gradA;
                target.reshape(rows, layers[l].in());
            }
            layers[l].backward(input, g, target);
            g = target;
        }
    }

    @Override
    public void collectParameters(List<Parameter> out) {
        for (Linear l : layers) {
            l.collectParameters(out);
        }
    }
}
