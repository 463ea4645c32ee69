package org.gimvi.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.ScalarBackend;
import org.gimvi.engine.backend.SimdBackend;
import org.gimvi.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite-difference checks of every layer's backward pass. The loss is L = Σ y ⊙ R for a fixed
 * random R, so dL/dy = R. The numerical gradient re-evaluates the forward pass with each parameter
 * (and input) nudged by ±h, with a double-precision reference of the layer's forward pass.
 */
class LayerGradientTest {
    private static final double H = 1e-3;

    private static FMatrixRMaj random(int rows, int cols, long seed) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        new Rng(seed).fillUniform(m.data, rows * cols, -1f, 1f);
        return m;
    }

    static double dot(FMatrixRMaj y, FMatrixRMaj r) {
        double s = 0;
        for (int i = 0; i < y.numRows * y.numCols; i++) {
            s += (double) y.data[i] * r.data[i];
        }
        return s;
    }

    /** Central difference of {@code loss} with respect to {@code data[i]}, evaluated in double. */
    static void fillUniform(Parameter p, Rng rng, float lo, float hi) {
        rng.fillUniform(p.value().array(), p.value().offset(), p.size(), lo, hi);
    }

    static double numeric(float[] data, int i, DoubleSupplier loss) {
        float orig = data[i];
        data[i] = (float) (orig + H);
        double up = loss.getAsDouble();
        data[i] = (float) (orig - H);
        double down = loss.getAsDouble();
        data[i] = orig;
        double realStep = (double) (float) (orig + H) - (double) (float) (orig - H);
        return (up - down) / realStep;
    }

    /**
     * For piecewise-linear networks: a central difference that straddles a ReLU kink is meaningless.
     * There the forward and backward one-sided differences disagree; such elements are skipped and
     * counted (the caller bounds the count).
     */
    static boolean checkUnlessKink(float[] data, int i, DoubleSupplier loss, float analytic, String what) {
        final double h = 1e-5; // the reference is exact to ~1e-15, so a small step is safe
        float orig = data[i];
        double center = loss.getAsDouble();
        data[i] = (float) (orig + h);
        double up = loss.getAsDouble();
        data[i] = (float) (orig - h);
        double down = loss.getAsDouble();
        data[i] = orig;
        double hUp = (double) (float) (orig + h) - orig;
        double hDown = orig - (double) (float) (orig - h);
        double forward = (up - center) / hUp;
        double backward = (center - down) / hDown;
        if (Math.abs(forward - backward) > 2e-3 * (1 + Math.abs(forward))) {
            return false;
        }
        assertGradient((up - down) / (hUp + hDown), analytic, what);
        return true;
    }

    static void assertGradient(double numeric, float analytic, String what) {
        assertEquals(numeric, analytic, 2e-3 + 2e-3 * Math.abs(numeric), what);
    }

    // ---------------------------------------------------------------- double references

    /** y = x·W + b (+ C[s]) in double. */
    static double[] linearRef(FMatrixRMaj x, Parameter w, Parameter b, Parameter c, int[] cat) {
        int rows = x.numRows;
        int in = w.value().rows();
        int out = w.value().cols();
        double[] y = new double[rows * out];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < out; j++) {
                double s = b.value().get(j);
                for (int p = 0; p < in; p++) {
                    s += (double) x.data[i * in + p] * w.value().get(p * out + j);
                }
                if (c != null) {
                    s += c.value().get(cat[i] * out + j);
                }
                y[i * out + j] = s;
            }
        }
        return y;
    }

    /** Training-mode batch norm in double, in place. */
    static void batchNormRef(double[] y, int rows, int cols, Parameter gamma, Parameter beta, double eps) {
        for (int j = 0; j < cols; j++) {
            double mean = 0;
            for (int i = 0; i < rows; i++) {
                mean += y[i * cols + j];
            }
            mean /= rows;
            double var = 0;
            for (int i = 0; i < rows; i++) {
                double d = y[i * cols + j] - mean;
                var += d * d;
            }
            var /= rows;
            double inv = 1.0 / Math.sqrt(var + eps);
            for (int i = 0; i < rows; i++) {
                y[i * cols + j] = gamma.value().get(j) * (y[i * cols + j] - mean) * inv + beta.value().get(j);
            }
        }
    }

    /**
     * Double-precision forward of a FullyConnectedStack in training mode, with the dropout masks the
     * float forward pass drew. Parameters come in collection order: per layer weight, bias,
     * covariate weight, BN weight, BN bias.
     */
    static double[] stackRef(FMatrixRMaj x, int[] cat, List<Parameter> ps, FullyConnectedStack.Activations acts, int layers) {
        int rows = x.numRows;
        double[] h = new double[rows * x.numCols];
        for (int i = 0; i < h.length; i++) {
            h[i] = x.data[i];
        }
        int width = x.numCols;
        for (int l = 0; l < layers; l++) {
            Parameter w = ps.get(5 * l);
            Parameter b = ps.get(5 * l + 1);
            Parameter c = ps.get(5 * l + 2);
            int out = w.value().cols();
            double[] y = new double[rows * out];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < out; j++) {
                    double s = b.value().get(j) + c.value().get(cat[i] * out + j);
                    for (int p = 0; p < width; p++) {
                        s += h[i * width + p] * w.value().get(p * out + j);
                    }
                    y[i * out + j] = s;
                }
            }
            batchNormRef(y, rows, out, ps.get(5 * l + 3), ps.get(5 * l + 4), BatchNorm1d.DEFAULT_EPS);
            FMatrixRMaj mask = acts.layers[l].mask;
            for (int e = 0; e < y.length; e++) {
                y[e] = Math.max(y[e], 0) * mask.data[e];
            }
            h = y;
            width = out;
        }
        return h;
    }

    static double dot(double[] y, FMatrixRMaj r) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += y[i] * r.data[i];
        }
        return s;
    }

    // ---------------------------------------------------------------- tests

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void linearWithCovariate(String backendName) {
        ComputeBackend backend = backendName.equals("scalar") ? new ScalarBackend() : new SimdBackend(null);
        int rows = 5;
        int in = 7;
        int out = 33;
        Linear lin = new Linear(backend, "lin", in, out, 3, new Rng(1));
        List<Parameter> ps = new ArrayList<>();
        lin.collectParameters(ps);
        ParameterArena.pack(backend, ps); // views at non-zero offsets of one arena, as in a model
        FMatrixRMaj x = random(rows, in, 2);
        FMatrixRMaj r = random(rows, out, 3);
        int[] cat = {0, 2, 1, 2, 0};
        FMatrixRMaj y = new FMatrixRMaj(rows, out);
        FMatrixRMaj dx = new FMatrixRMaj(rows, in);
        lin.forward(x, cat, y);
        lin.backward(x, cat, r, dx);
        DoubleSupplier loss = () -> dot(linearRef(x, ps.get(0), ps.get(1), ps.get(2), cat), r);
        for (Parameter p : ps) {
            for (int i = 0; i < p.size(); i += 3) {
                assertGradient(numeric(p.value().array(), p.value().offset() + i, loss), p.grad().get(i), p.name() + "[" + i + "]");
            }
        }
        for (int i = 0; i < rows * in; i++) {
            assertGradient(numeric(x.data, i, loss), dx.data[i], "x[" + i + "]");
        }
    }

    /**
     * The sparse-input path of a first layer (products over the input's non-zeros): its weight and
     * bias gradients against central differences, and its output and gradients equal to the dense
     * path's bit for bit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void linearOnSparseInput(String backendName) {
        ComputeBackend backend = backendName.equals("scalar") ? new ScalarBackend() : new SimdBackend(null);
        int rows = 6;
        int in = 37;
        int out = 33;
        Linear lin = new Linear(backend, "lin", in, out, new Rng(4));
        List<Parameter> ps = new ArrayList<>();
        lin.collectParameters(ps);
        ParameterArena.pack(backend, ps);
        FMatrixRMaj x = random(rows, in, 5);
        for (int i = 0; i < x.data.length; i++) {
            if (i % 4 != 1) {
                x.data[i] = 0f; // three in four entries zero, as in an expression minibatch
            }
        }
        org.gimvi.engine.matrix.NonZeroEntries nz = new org.gimvi.engine.matrix.NonZeroEntries(rows, in);
        nz.index(x);
        nz.indexColumns();
        FMatrixRMaj r = random(rows, out, 6);
        FMatrixRMaj y = new FMatrixRMaj(rows, out);
        FMatrixRMaj yDense = new FMatrixRMaj(rows, out);
        lin.forward(x, null, yDense);
        lin.backward(x, null, r, null, 0);
        float[] denseGrads = ps.get(0).arena().gradients(0).clone();
        java.util.Arrays.fill(ps.get(0).arena().gradients(0), 0f);
        lin.forward(nz, null, y);
        lin.backward(nz, null, r, 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(yDense.data, y.data, "sparse forward = dense forward");
        org.junit.jupiter.api.Assertions.assertArrayEquals(denseGrads, ps.get(0).arena().gradients(0),
                "sparse gradients = dense gradients");
        DoubleSupplier loss = () -> dot(linearRef(x, ps.get(0), ps.get(1), null, null), r);
        for (Parameter p : ps) {
            for (int i = 0; i < p.size(); i += 5) {
                assertGradient(numeric(p.value().array(), p.value().offset() + i, loss), p.grad().get(i),
                        p.name() + "[" + i + "]");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void batchNorm(String backendName) {
        ComputeBackend backend = backendName.equals("scalar") ? new ScalarBackend() : new SimdBackend(null);
        int rows = 6;
        int cols = 17;
        BatchNorm1d bn = new BatchNorm1d(backend, "bn", cols);
        List<Parameter> ps = new ArrayList<>();
        bn.collectParameters(ps);
        ParameterArena.pack(backend, ps); // views at non-zero offsets of one arena, as in a model
        fillUniform(ps.get(0), new Rng(9), 0.5f, 1.5f);
        fillUniform(ps.get(1), new Rng(10), -0.5f, 0.5f);
        FMatrixRMaj x = random(rows, cols, 4);
        FMatrixRMaj r = random(rows, cols, 5);
        BatchNorm1d.Cache cache = new BatchNorm1d.Cache(backend, rows, cols);
        FMatrixRMaj y = new FMatrixRMaj(rows, cols);
        FMatrixRMaj dx = new FMatrixRMaj(rows, cols);
        bn.forward(x, y, cache, ForwardMode.TRAINING);
        bn.backward(cache, r, dx);
        DoubleSupplier loss = () -> {
            double[] v = new double[rows * cols];
            for (int i = 0; i < v.length; i++) {
                v[i] = x.data[i];
            }
            batchNormRef(v, rows, cols, ps.get(0), ps.get(1), BatchNorm1d.DEFAULT_EPS);
            return dot(v, r);
        };
        for (Parameter p : ps) {
            for (int i = 0; i < p.size(); i++) {
                assertGradient(numeric(p.value().array(), p.value().offset() + i, loss), p.grad().get(i), p.name() + "[" + i + "]");
            }
        }
        for (int i = 0; i < rows * cols; i++) {
            assertGradient(numeric(x.data, i, loss), dx.data[i], "x[" + i + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "simd"})
    void fullyConnectedStackWithDropout(String backendName) {
        ComputeBackend backend = backendName.equals("scalar") ? new ScalarBackend() : new SimdBackend(null);
        int rows = 8;
        int in = 5;
        int hidden = 9;
        int out = 4;
        FullyConnectedStack stack = new FullyConnectedStack(backend, "fc", in, hidden, out, 3, 2, 0.3f, new Rng(11));
        List<Parameter> ps = new ArrayList<>();
        stack.collectParameters(ps);
        ParameterArena.pack(backend, ps); // views at non-zero offsets of one arena, as in a model
        FMatrixRMaj x = random(rows, in, 6);
        FMatrixRMaj r = random(rows, out, 7);
        int[] cat = {0, 1, 1, 0, 1, 0, 0, 1};
        FullyConnectedStack.Activations acts = stack.newActivations(backend, rows);
        FMatrixRMaj dx = new FMatrixRMaj(rows, in);
        // The same seed before every forward pass reproduces the dropout masks exactly.
        stack.forward(x, cat, acts, new Rng(99), ForwardMode.TRAINING);
        FMatrixRMaj yCopy = acts.output().copy();
        stack.backward(x, cat, acts, r, dx);
        DoubleSupplier loss = () -> dot(stackRef(x, cat, ps, acts, 3), r);
        assertEquals(dot(yCopy, r), loss.getAsDouble(), 1e-3 * (1 + Math.abs(dot(yCopy, r))),
                "the double reference must reproduce the float forward pass");
        int checked = 0;
        int kinks = 0;
        for (Parameter p : ps) {
            for (int i = 0; i < p.size(); i += 2) {
                if (checkUnlessKink(p.value().array(), p.value().offset() + i, loss, p.grad().get(i), p.name() + "[" + i + "]")) {
                    checked++;
                } else {
                    kinks++;
                }
            }
        }
        for (int i = 0; i < rows * in; i++) {
            if (checkUnlessKink(x.data, i, loss, dx.data[i], "x[" + i + "]")) {
                checked++;
            } else {
                kinks++;
            }
        }
        assertTrue(checked > 100, "checked " + checked);
        assertTrue(kinks <= checked / 20, kinks + " elements straddled a ReLU kink out of " + (checked + kinks));
    }
}
