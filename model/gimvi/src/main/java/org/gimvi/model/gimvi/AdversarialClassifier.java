package org.gimvi.model.gimvi;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.kernels.FastMath;
import org.gimvi.engine.nn.FullyConnectedStack;
import org.gimvi.engine.nn.Linear;
import org.gimvi.engine.nn.NamedBuffer;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.nn.Trainable;
import org.gimvi.engine.random.Rng;

/**
 * The dataset classifier of gimVI's adversarial training: 3 FC layers of 32 (dropout 0.1) then a
 * Linear to one logit per dataset (gimvi-spec.md §3.6). It is trained to recognise the dataset of a
 * latent position; the encoders are trained to fool it (targets uniform over the wrong datasets).
 */
public final class AdversarialClassifier implements Trainable {
    public static final int HIDDEN = 32;
    public static final int LAYERS = 3;
    public static final float DROPOUT = 0.1f;

    private final ComputeBackend backend;
    private final FullyConnectedStack stack;
    private final Linear out;
    private final int classes;
    private final int latent;
    private final FullyConnectedStack.Activations acts;
    private final FMatrixRMaj input;
    private final FMatrixRMaj logits;
    private final FMatrixRMaj logProb;
    private final FMatrixRMaj dLogits;
    private final FMatrixRMaj dHidden;
    private final FMatrixRMaj dInput;
    private final int[] labels;
    private final long[][] confusion;
    private long correct;
    private long seen;

    public AdversarialClassifier(ComputeBackend backend, int latent, int classes, int maxRows, Rng rng) {
        this.backend = backend;
        this.classes = classes;
        this.latent = latent;
        stack = new FullyConnectedStack(backend, "classifier", latent, HIDDEN, HIDDEN, LAYERS, 0, DROPOUT, rng);
        out = new Linear(backend, "classifier.logits", HIDDEN, classes, rng);
        acts = stack.newActivations(backend, maxRows);
        input = backend.allocate(maxRows, latent);
        logits = backend.allocate(maxRows, classes);
        logProb = backend.allocate(maxRows, classes);
        dLogits = backend.allocate(maxRows, classes);
        dHidden = backend.allocate(maxRows, HIDDEN);
        dInput = backend.allocate(maxRows, latent);
        labels = new int[maxRows];
        confusion = new long[classes][classes];
    }

    /** Rows of the concatenated input: call {@link #clearInput}, then append each dataset's z. */
    private int rows;

    public void clearInput() {
        rows = 0;
    }

    /** Appends the first {@code n} rows of z with dataset label {@code label}. */
    public void appendInput(FMatrixRMaj z, int n, int label) {
        System.arraycopy(z.data, 0, input.data, rows * latent, n * latent);
        for (int i = 0; i < n; i++) {
            labels[rows + i] = label;
        }
        rows += n;
    }

    private void forward(Rng rng) {
        input.reshape(rows, latent);
        FMatrixRMaj h = stack.forward(input, null, acts, rng, true);
        logits.reshape(rows, classes);
        out.forward(h, logits);
        logProb.reshape(rows, classes);
        backend.rowLogSoftmax(logits, logProb);
    }

    private void backward(boolean needInput) {
        dHidden.reshape(rows, HIDDEN);
        out.backward(acts.output(), dLogits, dHidden);
        if (needInput) {
            dInput.reshape(rows, latent);
        }
        stack.backward(input, null, acts, dHidden, needInput ? dInput : null);
    }

    /**
     * The fool term for the generator: mean over cells of the cross-entropy against targets uniform
     * over the wrong datasets, times {@code weight}. Computes the gradient at the input (read it with
     * {@link #inputGradient}); classifier gradients are also accumulated and must be discarded.
     *
     * @return the unweighted fool loss
     */
    public double foolLoss(float weight, Rng rng) {
        forward(rng);
        double loss = 0;
        float wrong = 1f / (classes - 1);
        float scale = weight / rows;
        dLogits.reshape(rows, classes);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < classes; c++) {
                float target = c == labels[i] ? 0f : wrong;
                float lp = logProb.data[i * classes + c];
                loss -= target * lp;
                dLogits.data[i * classes + c] = scale * (FastMath.exp(lp) - target);
            }
        }
        backward(true);
        return loss / rows;
    }

    /** Gradient of the weighted fool loss at input row {@code from + i}, copied into dz. */
    public void inputGradient(int from, int n, FMatrixRMaj dz) {
        dz.reshape(n, latent);
        System.arraycopy(dInput.data, from * latent, dz.data, 0, n * latent);
    }

    /**
     * The classifier's own loss on detached latent positions with the true labels, times weight;
     * accumulates classifier gradients and tracks accuracy and the confusion matrix.
     *
     * @return the unweighted cross-entropy
     */
    public double classifierLoss(float weight, Rng rng) {
        forward(rng);
        double loss = 0;
        float scale = weight / rows;
        dLogits.reshape(rows, classes);
        for (int i = 0; i < rows; i++) {
            int best = 0;
            for (int c = 0; c < classes; c++) {
                float lp = logProb.data[i * classes + c];
                if (lp > logProb.data[i * classes + best]) {
                    best = c;
                }
                float target = c == labels[i] ? 1f : 0f;
                loss -= target * lp;
                dLogits.data[i * classes + c] = scale * (FastMath.exp(lp) - target);
            }
            confusion[labels[i]][best]++;
            correct += best == labels[i] ? 1 : 0;
            seen++;
        }
        backward(false);
        return loss / rows;
    }

    /** Accuracy since the last reset, and the counts behind it (rows: true dataset, cols: predicted). */
    public double accuracy() {
        return seen == 0 ? Double.NaN : correct / (double) seen;
    }

    public long[][] confusion() {
        long[][] c = new long[classes][];
        for (int i = 0; i < classes; i++) {
            c[i] = confusion[i].clone();
        }
        return c;
    }

    public void resetStatistics() {
        correct = 0;
        seen = 0;
        for (long[] row : confusion) {
            Arrays.fill(row, 0);
        }
    }

    @Override
    public void collectParameters(List<Parameter> outList) {
        stack.collectParameters(outList);
        out.collectParameters(outList);
    }

    @Override
    public void collectBuffers(List<NamedBuffer> outList) {
        stack.collectBuffers(outList);
    }
}
