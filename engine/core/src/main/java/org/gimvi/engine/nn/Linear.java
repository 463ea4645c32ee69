package org.gimvi.engine.nn;

import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.Accumulation;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.random.Rng;

/**
 * Fully connected layer {@code y = x·W + b (+ C[s] for a one-hot covariate s)}.
 *
 * <p>W is stored in×out (the transpose of PyTorch's layout) so that the forward pass is a plain A·B
 * product and the weight gradient a plain Aᵀ·B. Initialisation is PyTorch's default: W and b
 * uniform in ±1/√fan_in, where fan_in counts covariate columns too (they are concatenated inputs).
 *
 * <p>Categorical covariates (scVI's "inject covariates into every layer") are handled as the
 * one-hot block of the input they are: a covariate table C (categories×out) whose row s is added to
 * the cells of category s.
 */
public final class Linear implements Trainable {
    private final ComputeBackend backend;
    private final int in;
    private final int out;
    private final int categories;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter covariateWeight; // null without covariates

    public Linear(ComputeBackend backend, String name, int in, int out, Rng rng) {
        this(backend, name, in, out, 0, rng);
    }

    /** @param categories number of categories of a one-hot covariate injected into this layer (0 = none) */
    public Linear(ComputeBackend backend, String name, int in, int out, int categories, Rng rng) {
        if (in < 1 || out < 1 || categories < 0) {
            throw new IllegalArgumentException("Linear " + name + ": bad shape " + in + "→" + out);
        }
        this.backend = backend;
        this.in = in;
        this.out = out;
        this.categories = categories;
        float bound = (float) (1.0 / Math.sqrt(in + categories));
        FMatrixRMaj w = backend.allocate(in, out);
        rng.fillUniform(w.data, in * out, -bound, bound);
        FMatrixRMaj c = null;
        if (categories > 0) {
            c = backend.allocate(categories, out);
            rng.fillUniform(c.data, categories * out, -bound, bound);
        }
        FMatrixRMaj b = backend.allocate(1, out);
        rng.fillUniform(b.data, out, -bound, bound);
        weight = new Parameter(name + ".weight", w, backend.allocate(in, out));
        bias = new Parameter(name + ".bias", b, backend.allocate(1, out));
        covariateWeight = c == null ? null : new Parameter(name + ".covariate_weight", c, backend.allocate(categories, out));
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** y (B×out) = x (B×in)·W + b. */
    public void forward(FMatrixRMaj x, FMatrixRMaj y) {
        forward(x, null, y);
    }

    /** With a covariate: {@code category[i]} is cell i's category (ignored when the layer has none). */
    public void forward(FMatrixRMaj x, int[] category, FMatrixRMaj y) {
        backend.multBias(x, weight.value(), bias.value(), y);
        addCovariate(category, y);
    }

    /**
     * As above for an input given by its non-zero entries (a first layer on an expression
     * minibatch): the products skip its zeros, with the dense product's result
     * ({@link ComputeBackend#multBiasSparse}).
     */
    public void forward(NonZeroEntries x, int[] category, FMatrixRMaj y) {
        backend.multBiasSparse(x, weight.value(), bias.value(), y);
        addCovariate(category, y);
    }

    private void addCovariate(int[] category, FMatrixRMaj y) {
        if (covariateWeight != null) {
            if (category == null) {
                throw new IllegalArgumentException(weight.name() + ": this layer takes a covariate but none was given");
            }
            // one-hot input row times C = row s of C; added in place
            backend.addIndexedRows(covariateWeight.value(), category, y);
        }
    }

    /**
     * Accumulates dW += xᵀ·dy, db += Σ_rows dy (and the covariate rows) into gradient lane 0; writes
     * dx = dy·Wᵀ unless dx is null (first layer: the input needs no gradient).
     */
    public void backward(FMatrixRMaj x, int[] category, FMatrixRMaj dy, FMatrixRMaj dx) {
        backward(x, category, dy, dx, 0);
    }

    public void backward(FMatrixRMaj x, FMatrixRMaj dy, FMatrixRMaj dx) {
        backward(x, null, dy, dx, 0);
    }

    /** As {@link #backward(FMatrixRMaj, int[], FMatrixRMaj, FMatrixRMaj)}, into gradient {@code lane}. */
    public void backward(FMatrixRMaj x, int[] category, FMatrixRMaj dy, FMatrixRMaj dx, int lane) {
        backend.multAddTransA(x, dy, weight.grad(lane));
        biasAndCovariateGradients(category, dy, lane);
        if (dx != null) {
            backend.multTransB(dy, weight.value(), dx);
        }
    }

    /** dx = dy·Wᵀ alone: no parameter gradient (see {@link ParameterGradients#INPUT_ONLY}). */
    public void backwardInput(FMatrixRMaj dy, FMatrixRMaj dx) {
        backend.multTransB(dy, weight.value(), dx);
    }

    /** As above for an input given by its non-zero entries; such an input gets no gradient. */
    public void backward(NonZeroEntries x, int[] category, FMatrixRMaj dy, int lane) {
        backend.multAddTransASparse(x, dy, weight.grad(lane));
        biasAndCovariateGradients(category, dy, lane);
    }

    private void biasAndCovariateGradients(int[] category, FMatrixRMaj dy, int lane) {
        TensorView db = bias.grad(lane);
        backend.sumCols(dy, db.array(), db.offset(), Accumulation.ADD);
        if (covariateWeight != null) {
            backend.scatterAddIndexedRows(dy, category, covariateWeight.grad(lane));
        }
    }

    @Override
    public void collectParameters(List<Parameter> out) {
        out.add(weight);
        out.add(bias);
        if (covariateWeight != null) {
            out.add(covariateWeight);
        }
    }

    public int categories() {
        return categories;
    }
}
