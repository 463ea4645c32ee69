package org.gimvi.model.gimvi;

import java.util.Arrays;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.nn.ForwardMode;
import org.gimvi.engine.nn.FullyConnectedStack;
import org.gimvi.engine.nn.Linear;
import org.gimvi.engine.nn.NamedBuffer;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.nn.ParameterArena;
import org.gimvi.engine.nn.ParameterGradients;
import org.gimvi.engine.nn.Trainable;
import org.gimvi.engine.random.Rng;

/**
 * The dataset classifier of gimVI's adversarial training: 3 FC layers of 32 (dropout 0.1) then a
 * Linear to one logit per dataset (gimvi-spec.md §3.6). It is trained to recognise the dataset of a
 * latent position; the encoders are trained to fool it (targets uniform over the wrong datasets).
 * It sees a step's cells either in one call or in one call per dataset ({@link ClassifierBatches}).
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
    private final ClassifierBatches batching;
    private final Call[] calls;
    private final long[][] confusion;
    private long correct;
    private long seen;

    /**
     * The buffers of one forward call of the classifier: POOLED uses one call for all datasets,
     * PER_DATASET one per dataset (each with its own activations, so that every call's backward
     * sees its own BatchNorm statistics).
     */
    private static final class Call {
        final FullyConnectedStack.Activations acts;
        final FMatrixRMaj input;
        final FMatrixRMaj logits;
        final FMatrixRMaj logProb;
        final FMatrixRMaj dLogits;
        final FMatrixRMaj dHidden;
        final FMatrixRMaj dInput;
        final int[] labels;
        final int[] predicted;
        int rows;

        Call(AdversarialClassifier c, int maxRows) {
            acts = c.stack.newActivations(c.backend, maxRows);
            input = c.backend.allocate(maxRows, c.latent);
            logits = c.backend.allocate(maxRows, c.classes);
            logProb = c.backend.allocate(maxRows, c.classes);
            dLogits = c.backend.allocate(maxRows, c.classes);
            dHidden = c.backend.allocate(maxRows, HIDDEN);
            dInput = c.backend.allocate(maxRows, c.latent);
            labels = new int[maxRows];
            predicted = new int[maxRows];
        }
    }

    /**
     * @param classes         number of datasets (one logit each)
     * @param batching        one call on all cells of a step, or one call per dataset
     * @param rowsPerDataset  the most cells any dataset contributes to a step
     */
    public AdversarialClassifier(ComputeBackend backend, int latent, int classes, ClassifierBatches batching,
                                 int rowsPerDataset, Rng rng) {
        this.backend = backend;
        this.classes = classes;
        this.latent = latent;
        this.batching = batching;
        stack = new FullyConnectedStack(backend, "classifier", latent, HIDDEN, HIDDEN, LAYERS, 0, DROPOUT, rng);
        out = new Linear(backend, "classifier.logits", HIDDEN, classes, rng);
        ParameterArena.pack(backend, parameters()); // one arena: its optimiser is one group, one Adam call
        if (batching == ClassifierBatches.POOLED) {
            calls = new Call[]{new Call(this, rowsPerDataset * classes)};
        } else {
            calls = new Call[classes];
            for (int k = 0; k < classes; k++) {
                calls[k] = new Call(this, rowsPerDataset);
            }
        }
        appendedCall = new int[classes];
        appendedOffset = new int[classes];
        appendedRows = new int[classes];
        confusion = new long[classes][classes];
    }

    private final double[] lossSum = new double[1];

    // the input of the next loss: call clearInput, then append each dataset's z (appendInput)
    private int callsInUse;
    private int appended;
    private final int[] appendedCall;   // per appendInput: the call it went to,
    private final int[] appendedOffset; // its first row there,
    private final int[] appendedRows;   // and its number of rows

    public void clearInput() {
        for (Call c : calls) {
            c.rows = 0;
        }
        callsInUse = 0;
        appended = 0;
    }

    /**
     * Appends the first {@code n} rows of z with dataset label {@code label}: to the one pooled call,
     * or as a call of its own.
     */
    public void appendInput(FMatrixRMaj z, int n, int label) {
        if (batching == ClassifierBatches.PER_DATASET || callsInUse == 0) {
            callsInUse++;
        }
        Call c = calls[callsInUse - 1];
        backend.copy(z.data, 0, c.input.data, c.rows * latent, n * latent);
        Arrays.fill(c.labels, c.rows, c.rows + n, label);
        appendedCall[appended] = callsInUse - 1;
        appendedOffset[appended] = c.rows;
        appendedRows[appended] = n;
        appended++;
        c.rows += n;
    }

    private void forward(Call c, Rng rng) {
        c.input.reshape(c.rows, latent);
        backend.upload(c.labels, c.rows);
        FMatrixRMaj h = stack.forward(c.input, null, c.acts, rng, ForwardMode.TRAINING);
        c.logits.reshape(c.rows, classes);
        out.forward(h, c.logits);
        c.logProb.reshape(c.rows, classes);
        backend.rowLogSoftmax(c.logits, c.logProb);
    }

    /**
     * ACCUMULATE: the classifier's parameter gradients, no input gradient (its own step, on detached
     * z); INPUT_ONLY: the input gradient alone (the fool term, whose classifier gradients would be
     * discarded).
     */
    private void backward(Call c, ParameterGradients gradients) {
        c.dHidden.reshape(c.rows, HIDDEN);
        if (gradients == ParameterGradients.INPUT_ONLY) {
            out.backwardInput(c.dLogits, c.dHidden);
            c.dInput.reshape(c.rows, latent);
            stack.backward(c.input, null, c.acts, c.dHidden, c.dInput, ParameterGradients.INPUT_ONLY);
        } else {
            out.backward(c.acts.output(), c.dLogits, c.dHidden);
            stack.backward(c.input, null, c.acts, c.dHidden, null);
        }
    }

    /**
     * The fool term for the generator: cross-entropy against targets uniform over the wrong
     * datasets, averaged over each call's cells and summed over calls, times {@code weight}.
     * Computes the gradient at the input (read it with {@link #inputGradient}) and no classifier
     * parameter gradients, except BatchNorm's scale and shift sums, which the input gradient is made
     * from: they land in the gradient buffers, which the classifier's next step zeroes first.
     *
     * @return the unweighted fool loss
     */
    public double foolLoss(float weight, Rng rng) {
        double total = 0;
        float wrong = 1f / (classes - 1);
        for (int k = 0; k < callsInUse; k++) {
            Call c = calls[k];
            forward(c, rng);
            int rows = c.rows;
            c.dLogits.reshape(rows, classes);
            backend.crossEntropyBackward(c.logProb, c.labels, 0f, wrong, weight / rows, c.dLogits, lossSum);
            backward(c, ParameterGradients.INPUT_ONLY);
            total += lossSum[0] / rows;
        }
        return total;
    }

    /** Gradient of the weighted fool loss at the rows of the {@code k}-th appendInput, copied into dz. */
    public void inputGradient(int k, FMatrixRMaj dz) {
        int n = appendedRows[k];
        dz.reshape(n, latent);
        backend.copy(calls[appendedCall[k]].dInput.data, appendedOffset[k] * latent, dz.data, 0, n * latent);
    }

    /**
     * The classifier's own loss on detached latent positions with the true labels (mean over each
     * call's cells, summed over calls), times weight; accumulates classifier gradients and tracks
     * accuracy and the confusion matrix.
     *
     * @return the unweighted cross-entropy
     */
    public double classifierLoss(float weight, Rng rng) {
        double total = 0;
        for (int k = 0; k < callsInUse; k++) {
            Call c = calls[k];
            forward(c, rng);
            int rows = c.rows;
            c.dLogits.reshape(rows, classes);
            backend.crossEntropyBackward(c.logProb, c.labels, 1f, 0f, weight / rows, c.dLogits, lossSum);
            backend.rowArgmax(c.logProb, c.predicted);
            for (int i = 0; i < rows; i++) { // bookkeeping on the host: counts, no arithmetic on floats
                confusion[c.labels[i]][c.predicted[i]]++;
                correct += c.predicted[i] == c.labels[i] ? 1 : 0;
                seen++;
            }
            backward(c, ParameterGradients.ACCUMULATE);
            total += lossSum[0] / rows;
        }
        return total;
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
