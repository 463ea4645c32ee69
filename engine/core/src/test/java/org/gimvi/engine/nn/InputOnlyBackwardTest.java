package org.gimvi.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * {@link ParameterGradients#INPUT_ONLY}: the input gradient an adversary's fool term needs, with the
 * bits of a full backward, and no Linear parameter gradient written (the work it saves).
 */
class InputOnlyBackwardTest {

    private static void zeroGradients(List<Parameter> ps) {
        for (Parameter p : ps) {
            p.zeroGrad();
        }
    }

    @Test
    void theInputGradientHasTheFullBackwardsBitsAndNoLinearGradientIsWritten() {
        for (ComputeBackend backend : new ComputeBackend[] {new ScalarBackend(), new SimdBackend(null)}) {
            for (int rows : new int[] {2, 3, 33, 129}) { // training-mode BatchNorm needs two rows
                // gimVI's classifier shape: 3 FC layers (Linear, BatchNorm, ReLU, dropout 0.1) then a Linear
                FullyConnectedStack stack = new FullyConnectedStack(backend, "s", 10, 32, 32, 3, 0, 0.1f, new Rng(1));
                Linear out = new Linear(backend, "out", 32, 2, new Rng(2));
                List<Parameter> ps = new ArrayList<>();
                stack.collectParameters(ps);
                out.collectParameters(ps);
                FullyConnectedStack.Activations acts = stack.newActivations(backend, rows);
                FMatrixRMaj x = new FMatrixRMaj(rows, 10);
                new Rng(3).fillGaussian(x.data, x.data.length);
                FMatrixRMaj dLogits = new FMatrixRMaj(rows, 2);
                new Rng(4).fillGaussian(dLogits.data, dLogits.data.length);
                FMatrixRMaj logits = new FMatrixRMaj(rows, 2);
                FMatrixRMaj dHidden = new FMatrixRMaj(rows, 32);
                FMatrixRMaj[] dx = {new FMatrixRMaj(rows, 10), new FMatrixRMaj(rows, 10)};
                ParameterGradients[] modes = {ParameterGradients.ACCUMULATE, ParameterGradients.INPUT_ONLY};
                for (int k = 0; k < 2; k++) {
                    zeroGradients(ps);
                    out.forward(stack.forward(x, null, acts, new Rng(5), ForwardMode.TRAINING), logits); // same dropout masks
                    if (modes[k] == ParameterGradients.INPUT_ONLY) {
                        out.backwardInput(dLogits, dHidden);
                    } else {
                        out.backward(acts.output(), dLogits, dHidden);
                    }
                    stack.backward(x, null, acts, dHidden, dx[k], modes[k]);
                }
                for (int i = 0; i < rows * 10; i++) {
                    assertEquals(Float.floatToIntBits(dx[0].data[i]), Float.floatToIntBits(dx[1].data[i]),
                            backend.name() + ", " + rows + " rows: input gradient element " + i);
                }
                int linear = 0;
                for (Parameter p : ps) {
                    if (p.name().contains("batch_norm")) {
                        continue; // written on purpose: BatchNorm's input gradient is made from these sums
                    }
                    linear++;
                    for (int i = 0; i < p.size(); i++) {
                        assertEquals(0f, p.grad(0).get(i), backend.name() + ": " + p.name() + " got a gradient");
                    }
                }
                assertEquals(8, linear, "the four Linear layers' weights and biases were checked");
                // and a full backward does write them (the check above can fail)
                boolean any = false;
                out.backward(acts.output(), dLogits, dHidden);
                for (int i = 0; i < out.weight().size(); i++) {
                    any |= out.weight().grad(0).get(i) != 0f;
                }
                assertTrue(any, "a full backward writes the output layer's weight gradient");
                assertThrows(IllegalArgumentException.class,
                        () -> stack.backward(x, null, acts, dHidden, null, ParameterGradients.INPUT_ONLY),
                        "an input-only backward without an input gradient buffer is a mistake");
            }
        }
    }
}
