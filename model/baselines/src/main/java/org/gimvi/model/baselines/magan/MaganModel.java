package org.gimvi.model.baselines.magan;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.random.Rng;

/**
 * MAGAN (Amodio &amp; Krishnaswamy 2018; {@code KrishnaswamyLab/MAGAN}, {@code MAGAN/model.py}): two
 * generators G12 (domain 1 → 2) and G21 (2 → 1), two discriminators D1, D2, and the two losses of the
 * authors' code, each with an explicit forward and backward pass:
 *
 * <pre>
 *   loss_G = mean of six terms: BCE(D1(G21(x2)), 1), BCE(D2(G12(x1)), 1),
 *            mse(x1, G21(G12(x1))), mse(x2, G12(G21(x2))),          (reconstruction: all elements)
 *            corr(x1, G12(x1)), corr(x2, G21(x2))                   (correspondence)
 *   loss_D = mean of four terms: BCE(D1(x1), 1), BCE(D2(x2), 1), BCE(D1(G21(x2)), 0), BCE(D2(G12(x1)), 0)
 * </pre>
 *
 * BCE is {@code sigmoid_cross_entropy_with_logits} averaged over the batch. The correspondence loss
 * is the authors' form Σ_c mean_i (a_ic − b_ic)² over corresponding columns; here the two domains are
 * the same training genes, so every column corresponds to itself. Networks as the authors': generators
 * in→200→100→50→out, discriminators in→800→400→200→100→50→1, ReLU (see {@link ReluNetwork}).
 *
 * <p>Every buffer is allocated at construction for batches of at most {@code maxBatch} rows.
 */
final class MaganModel {
    static final int[] GENERATOR_HIDDEN = {200, 100, 50};
    static final int[] DISCRIMINATOR_HIDDEN = {800, 400, 200, 100, 50};

    final ReluNetwork g12;
    final ReluNetwork g21;
    final ReluNetwork d1;
    final ReluNetwork d2;
    private final int dim1;
    private final int dim2;

    // generator call sites: G12(x1), G21(x2), G12(G21(x2)), G21(G12(x1))
    private final ReluNetwork.Activations g12OnX1;
    private final ReluNetwork.Activations g21OnX2;
    private final ReluNetwork.Activations g12OnFake1;
    private final ReluNetwork.Activations g21OnFake2;
    // discriminator call sites: D1(x1), D1(G21(x2)), D2(x2), D2(G12(x1))
    private final ReluNetwork.Activations d1OnReal;
    private final ReluNetwork.Activations d1OnFake;
    private final ReluNetwork.Activations d2OnReal;
    private final ReluNetwork.Activations d2OnFake;
    private final FMatrixRMaj gradFake1; // ∂loss/∂G21(x2)
    private final FMatrixRMaj gradFake2; // ∂loss/∂G12(x1)
    private final FMatrixRMaj gradRecon1;
    private final FMatrixRMaj gradRecon2;
    private final FMatrixRMaj gradLogits1;
    private final FMatrixRMaj gradLogits2;
    private final FMatrixRMaj inputGradScratch1;
    private final FMatrixRMaj inputGradScratch2;

    MaganModel(ComputeBackend backend, int dim1, int dim2, int maxBatch, int[] generatorHidden,
               int[] discriminatorHidden, Rng rng) {
        if (dim1 != dim2) {
            throw new IllegalArgumentException("magan: the correspondence loss pairs every column of the two domains, "
                    + "so both need the same genes (got " + dim1 + " and " + dim2 + ")");
        }
        this.dim1 = dim1;
        this.dim2 = dim2;
        g12 = new ReluNetwork(backend, "G12", widths(dim1, generatorHidden, dim2), rng);
        g21 = new ReluNetwork(backend, "G21", widths(dim2, generatorHidden, dim1), rng);
        d1 = new ReluNetwork(backend, "D1", widths(dim1, discriminatorHidden, 1), rng);
        d2 = new ReluNetwork(backend, "D2", widths(dim2, discriminatorHidden, 1), rng);
        g12OnX1 = g12.newActivations(maxBatch);
        g21OnX2 = g21.newActivations(maxBatch);
        g12OnFake1 = g12.newActivations(maxBatch);
        g21OnFake2 = g21.newActivations(maxBatch);
        d1OnReal = d1.newActivations(maxBatch);
        d1OnFake = d1.newActivations(maxBatch);
        d2OnReal = d2.newActivations(maxBatch);
        d2OnFake = d2.newActivations(maxBatch);
        gradFake1 = backend.allocate(maxBatch, dim1);
        gradFake2 = backend.allocate(maxBatch, dim2);
        gradRecon1 = backend.allocate(maxBatch, dim1);
        gradRecon2 = backend.allocate(maxBatch, dim2);
        gradLogits1 = backend.allocate(maxBatch, 1);
        gradLogits2 = backend.allocate(maxBatch, 1);
        inputGradScratch1 = backend.allocate(maxBatch, dim1);
        inputGradScratch2 = backend.allocate(maxBatch, dim2);
    }

    private static int[] widths(int in, int[] hidden, int out) {
        int[] w = new int[hidden.length + 2];
        w[0] = in;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = out;
        return w;
    }

    List<Parameter> generatorParameters() {
        List<Parameter> p = new ArrayList<>();
        g12.collectParameters(p);
        g21.collectParameters(p);
        return p;
    }

    List<Parameter> discriminatorParameters() {
        List<Parameter> p = new ArrayList<>();
        d1.collectParameters(p);
        d2.collectParameters(p);
        return p;
    }

    /**
     * loss_G and its gradient, accumulated into the generators' parameters (the discriminators'
     * gradients are touched too and must be zeroed before their own step).
     */
    double generatorLossAndBackward(FMatrixRMaj x1, FMatrixRMaj x2) {
        int b1 = x1.numRows;
        int b2 = x2.numRows;
        FMatrixRMaj fake2 = g12.forward(x1, g12OnX1);   // G12(x1), b1 × dim2
        FMatrixRMaj fake1 = g21.forward(x2, g21OnX2);   // G21(x2), b2 × dim1
        FMatrixRMaj recon2 = g12.forward(fake1, g12OnFake1); // G12(G21(x2)), b2 × dim2
        FMatrixRMaj recon1 = g21.forward(fake2, g21OnFake2); // G21(G12(x1)), b1 × dim1
        FMatrixRMaj logitsFake1 = d1.forward(fake1, d1OnFake);
        FMatrixRMaj logitsFake2 = d2.forward(fake2, d2OnFake);
        final double w = 1.0 / 6;
        double loss = 0;
        loss += bce(logitsFake1, 1, gradLogits1, w);
        loss += bce(logitsFake2, 1, gradLogits2, w);
        loss += squaredError(recon1, x1, gradRecon1, w / ((double) b1 * dim1), w / ((double) b1 * dim1));
        loss += squaredError(recon2, x2, gradRecon2, w / ((double) b2 * dim2), w / ((double) b2 * dim2));
        // ---- backward, from the losses to the fakes
        gradFake1.reshape(b2, dim1);
        gradFake2.reshape(b1, dim2);
        d1.backward(fake1, d1OnFake, gradLogits1, gradFake1);
        d2.backward(fake2, d2OnFake, gradLogits2, gradFake2);
        inputGradScratch2.reshape(b1, dim2);
        g21.backward(fake2, g21OnFake2, gradRecon1, inputGradScratch2); // reconstruction of x1 → G12(x1)
        addInto(inputGradScratch2, gradFake2);
        inputGradScratch1.reshape(b2, dim1);
        g12.backward(fake1, g12OnFake1, gradRecon2, inputGradScratch1); // reconstruction of x2 → G21(x2)
        addInto(inputGradScratch1, gradFake1);
        // correspondence: Σ_c mean_i (x_ic − G(x)_ic)², gradient added to the fakes directly
        loss += correspondence(x1, fake2, gradFake2, w / b1);
        loss += correspondence(x2, fake1, gradFake1, w / b2);
        // ---- from the fakes into the generators
        g12.backward(x1, g12OnX1, gradFake2, null);
        g21.backward(x2, g21OnX2, gradFake1, null);
        return loss;
    }

    /** loss_D and its gradient, accumulated into the discriminators' parameters. */
    double discriminatorLossAndBackward(FMatrixRMaj x1, FMatrixRMaj x2) {
        FMatrixRMaj fake2 = g12.forward(x1, g12OnX1);
        FMatrixRMaj fake1 = g21.forward(x2, g21OnX2);
        final double w = 1.0 / 4;
        double loss = 0;
        loss += bce(d1.forward(x1, d1OnReal), 1, gradLogits1, w);
        d1.backward(x1, d1OnReal, gradLogits1, null);
        loss += bce(d2.forward(x2, d2OnReal), 1, gradLogits2, w);
        d2.backward(x2, d2OnReal, gradLogits2, null);
        loss += bce(d1.forward(fake1, d1OnFake), 0, gradLogits1, w);
        d1.backward(fake1, d1OnFake, gradLogits1, null);
        loss += bce(d2.forward(fake2, d2OnFake), 0, gradLogits2, w);
        d2.backward(fake2, d2OnFake, gradLogits2, null);
        return loss;
    }

    /**
     * weight · mean_i BCE(σ(z_i), label), stable form: softplus(−z) for label 1, softplus(z) for 0;
     * writes its gradient weight·(σ(z) − label)/n into {@code grad}.
     */
    private static double bce(FMatrixRMaj logits, int label, FMatrixRMaj grad, double weight) {
        int n = logits.numRows;
        grad.reshape(n, 1);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double z = logits.data[i];
            double signed = label == 1 ? -z : z;
            s += Math.max(signed, 0) + Math.log1p(Math.exp(-Math.abs(signed)));
            double sigmoid = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
            grad.data[i] = (float) (weight * (sigmoid - label) / n);
        }
        return weight * s / n;
    }

    /** lossScale · Σ (a − b)²; writes gradScale · 2(a − b) (the gradient with respect to a) into grad. */
    private static double squaredError(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj grad, double lossScale,
                                       double gradScale) {
        int n = a.numRows * a.numCols;
        grad.reshape(a.numRows, a.numCols);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = a.data[i] - b.data[i];
            s += d * d;
            grad.data[i] = (float) (gradScale * 2 * d);
        }
        return lossScale * s;
    }

    /** scale · Σ (fake − x)² over corresponding columns; adds its gradient into {@code gradFake}. */
    private static double correspondence(FMatrixRMaj x, FMatrixRMaj fake, FMatrixRMaj gradFake, double scale) {
        int n = x.numRows * x.numCols;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = fake.data[i] - x.data[i];
            s += d * d;
            gradFake.data[i] += (float) (scale * 2 * d);
        }
        return scale * s;
    }

    private static void addInto(FMatrixRMaj from, FMatrixRMaj into) {
        int n = from.numRows * from.numCols;
        for (int i = 0; i < n; i++) {
            into.data[i] += from.data[i];
        }
    }

    /** G12 applied to x (rows ≤ maxBatch) at the G12(x1) call site; the returned buffer is reused. */
    FMatrixRMaj mapToDomain2(FMatrixRMaj x) {
        return g12.forward(x, g12OnX1);
    }
}
