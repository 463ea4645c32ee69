package org.gimvi.engine.backend;

import java.util.List;
import java.util.function.IntConsumer;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.kernels.AdamUpdate;
import org.gimvi.engine.matrix.NonZeroEntries;

/**
 * Gets the SIMD backend's vector kernels compiled by C2 the normal way (by invocation count, on
 * short calls), as {@code SimdGemm}'s warm-up does for the products: in full, blocking, by
 * {@link SimdBackend#warmUpKernels} when a process asks for it; shorter and on a daemon thread by
 * {@link #startInBackground} when a training plan is made.
 *
 * <p>Why: a training step calls every elementwise kernel on arrays of minibatch × width elements,
 * hundreds of vectors per call, so HotSpot reaches the on-stack-replacement threshold of a kernel's
 * loop (40,000 back edges, around its 150th call at 64 × 64) long before the invocation threshold
 * of a normal compilation. On JDK 17 the vector code compiled that way can stay boxed for good:
 * {@code VectorMath.exp} over 200,000 floats ran at 925–943 µs instead of 81 µs in 7 of 16 fresh
 * JVMs whose first calls were long (60–70 collections per run: vectors allocated), and in 0 of 16
 * after 12,000 short calls; the allocation test's intermittent ~400 KB per step in
 * {@code SimdBackend.mul} looks the same.
 *
 * <p>A training plan starts a shorter run of it in the background ({@link #startInBackground}): a fresh
 * JVM's first epoch is spent mostly in the interpreter, running the kernels' Vector API code in its
 * slow Java fallback, because a kernel called a few times per step needs about a hundred calls before
 * C1 compiles it and six hundred before C2 does (JFR, osmFISH/Allen on two cores: {@code VectorMath.log}
 * reached C1 1.7 s into training, while C2 spent a second compiling the fallback's own methods and
 * then idled for half a second). Short calls on a second thread supply those invocations in a fraction
 * of that time; the fit's own calls supply the loops' back edges.
 *
 * <p>Every kernel is called on operands of two shapes in turn, one whole vector and one vector plus a
 * scalar tail per row, so the profile C2 compiles from has seen both. The calls write only the
 * warm-up's own arrays; what they compute is discarded.
 */
final class SimdKernelWarmUp {
    private SimdKernelWarmUp() {
    }

    /**
     * Calls per kernel: past C2's invocation threshold (5,000), since calls this short add few back
     * edges. Each call is one or two vectors: until C2 has compiled a kernel, its cost is the Vector
     * API's Java fallback, which allocates per vector, so short calls keep the warm-up cheap.
     */
    static final int CALLS = 5_500;

    /**
     * Calls per kernel of the background warm-up: past the six hundred invocations C2 needs before it
     * looks at a method's back edges, with the training thread's own calls running meanwhile. Fewer
     * than {@link #CALLS}, which has to reach C2 without help: measured on osmFISH/Allen fits (two cores),
     * 2,000 calls were faster than 5,500 in three of three pairs.
     */
    static final int BACKGROUND_CALLS = 2_000;

    /** {@code -Dgimvi.backgroundWarmUp=false} turns the background warm-up off. */
    static final String SWITCH = "gimvi.backgroundWarmUp";

    private static Thread background;
    /** What stopped the background warm-up early, if anything (tests read it; a fit never depends on it). */
    private static volatile Throwable backgroundFailure;

    /**
     * Starts, once per JVM, a daemon thread that warms the products ({@code SimdGemm}'s own warm-up)
     * and then every kernel with {@link #BACKGROUND_CALLS} short calls, on its own operands and a
     * single-threaded backend: nothing it computes is read, so a fit's results are the same bits with
     * or without it. Not started on one CPU (it would take the only core from the fit) or when
     * switched off. Returns whether this call started it.
     */
    static synchronized boolean startInBackground() {
        if (background != null || "false".equalsIgnoreCase(System.getProperty(SWITCH))
                || Runtime.getRuntime().availableProcessors() < 2) {
            return false;
        }
        background = new Thread(() -> {
            try {
                SimdBackend single = new SimdBackend(null);
                float[] one = new float[1];
                single.gemm(Transpose.NONE, Transpose.NONE, 1, 1, 1, one, 0, one, 0, new float[1], 0, null, 0,
                        Accumulation.OVERWRITE); // the products' warm-up, once per JVM (SimdGemm)
                run(single, BACKGROUND_CALLS);
            } catch (RuntimeException | Error e) {
                // only the compile times depend on this thread: kept for the tests, not printed into a user's fit
                backgroundFailure = e;
            }
        }, "gimvi-kernel-warm-up");
        background.setDaemon(true);
        background.start();
        return true;
    }

    /** The background warm-up's thread, or null before it was started (for tests). */
    static synchronized Thread background() {
        return background;
    }

    /** What ended the background warm-up early, or null (for tests). */
    static Throwable backgroundFailure() {
        return backgroundFailure;
    }

    /** Warms a single-threaded SIMD backend (no pool hand-offs to warm); once per JVM. */
    static boolean run() {
        run(new SimdBackend(null), CALLS);
        return true;
    }

    /**
     * {@code calls} calls of every vector kernel of {@code b} (tests pass a recording backend), one
     * kernel after another: each reaches C2's threshold in turn, so the compiler thread compiles one
     * kernel while this thread calls the next (all kernels at once would queue every compilation
     * together and keep them all in the slow fallback until the queue drains).
     */
    static void run(ComputeBackend b, int calls) {
        Operands o = new Operands();
        // The kernels a fresh fit spends most of its first epoch on in the fallback come first (JFR
        // samples of osmFISH/Allen fits: dropout masks, Adam, BatchNorm, the sparse first-layer
        // products, the likelihoods' log passes); the rest in the backend's order.
        List<IntConsumer> kernels = List.of(
                c -> b.dropoutMask(c, 0.2f, o.z, o.shape(c)),
                c -> b.adamUpdate(o.z, o.x, o.g2, o.counts, 0, o.shape(c), o.adam),
                c -> b.batchNormTrain(o.matrices(c), o.gamma, 0, o.beta, 0, 1e-3f, 0.01f, o.runMean, o.runVar, o.my, o.row,
                        o.g1, o.mz),
                c -> b.batchNormBackward(o.matrices(c), o.g1, o.gamma, 0, o.mz, o.g2, 0, o.g3, 0, o.mw),
                c -> {
                    b.indexNonZeros(o.matrices(c), o.nonZeros(c));
                    b.multBiasSparse(o.nonZeros(c), o.weights(c), o.outBias, o.out);
                },
                c -> {
                    b.indexNonZeros(o.matrices(c), o.nonZeros(c));
                    b.multAddTransASparse(o.nonZeros(c), o.out, o.weightGradient(c));
                },
                c -> b.log1p(o.x, o.y, o.shape(c)),
                c -> b.log(o.counts, o.y, o.shape(c)),
                c -> b.lgamma(o.counts, o.y, o.shape(c)),
                c -> b.digamma(o.counts, o.y, o.shape(c)),
                c -> b.exp(o.x, o.y, o.shape(c)),
                c -> b.softplus(o.x, o.y, o.shape(c)),
                c -> b.sigmoid(o.x, o.y, o.shape(c)),
                c -> b.reluDropout(o.z, o.counts, o.y, o.shape(c)),
                c -> b.dropoutReluBackward(o.counts, o.x, o.z, o.y, o.shape(c)),
                c -> b.sumCols(o.matrices(c), o.row, 0, (c & 1) == 0 ? Accumulation.ADD : Accumulation.OVERWRITE),
                c -> b.zeroInflatedNegBinomial(Operands.ROWS, o.cols(c), 0, o.counts, o.x, o.theta, o.y, o.logp, o.g1,
                        o.g2, o.g3),
                c -> b.negBinomial(Operands.ROWS, o.cols(c), 0, o.counts, o.x, o.theta, o.logp, o.g1, o.g2),
                c -> b.fastExp(o.x, o.y, o.shape(c)),
                c -> b.fastLog(o.counts, o.y, o.shape(c)),
                c -> b.relu(o.x, o.y, o.shape(c)),
                c -> b.reluBackward(o.x, o.counts, o.z, o.shape(c)),
                c -> b.mul(o.x, o.counts, o.z, o.shape(c)),
                c -> b.axpy(0.5f, o.x, o.z, o.shape(c)),
                c -> b.scale(0.5f, o.z, o.shape(c)),
                c -> b.scale(0.5f, o.x, o.z, o.shape(c)),
                c -> b.decayAdd(0.5f, o.x, o.z, o.shape(c)),
                c -> b.addAndZero(o.z, o.y, o.shape(c)),
                c -> b.countNonZeros(o.x, o.shape(c)),
                c -> b.sumRows(o.matrices(c), o.col),
                c -> b.rowSoftmax(o.matrices(c), o.my),
                c -> b.rowLogSoftmax(o.matrices(c), o.my),
                c -> b.scaleRows(o.matrices(c), o.col2, o.my),
                c -> b.renormaliseRows(o.matrices(c), o.columns),
                c -> b.batchNormEval(o.matrices(c), o.gamma, 0, o.beta, 0, 1e-3f, o.runMean, o.runVar, o.mz),
                c -> b.addIndexedRows(o.table(c), o.index, o.my),
                c -> b.scatterAddIndexedRows(o.mz, o.index, o.table(c)),
                c -> b.gatherExp(o.table(c), 1, o.index, o.g1, Operands.ROWS),
                c -> b.softmaxLibraryBackward(o.matrices(c), o.mz, 0.5f, o.col, o.mx),
                c -> b.addToRowsExp(o.matrices(c), o.col, o.my),
                c -> b.indexNonZeros(o.matrices(c), o.nonZeros(c)),
                c -> b.fill(0f, o.z, 0, o.shape(c)),
                c -> b.scatterAddScaledByGroup(0.5f, o.matrices(c), o.run, null, o.geneColumn),
                c -> b.gaussian(Operands.ROWS, o.cols(c), 0, o.counts, o.x, o.theta, o.logp, o.g1, o.g2),
                c -> b.poisson(Operands.ROWS, o.cols(c), o.counts, o.x, o.logp, o.g1),
                c -> b.reparameterize(o.params, o.eps, Posterior.SAMPLE, o.latent),
                c -> b.reparameterizeBackward(o.params, o.eps, o.dLatent, 0.5f, o.dParams),
                c -> b.normalKl(o.params, o.col));
        for (IntConsumer kernel : kernels) {
            for (int call = 0; call < calls; call++) {
                kernel.accept(call);
            }
        }
    }

    /** The warm-up's operands, in two shapes: a vector and a scalar tail per row, or one whole vector. */
    private static final class Operands {
        static final int ROWS = 2; // BatchNorm's fewest
        final int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        final int wide = lanes + 3;
        final int n = ROWS * wide;
        final float[] x = filled(n, 0.5f);
        final float[] y = new float[n];
        final float[] z = new float[n];
        final float[] counts = filled(n, 2f);
        final float[] theta = filled(wide, 1.5f);
        final float[] logp = new float[n];
        final float[] g1 = new float[n];
        final float[] g2 = new float[n];
        final float[] g3 = new float[n];
        final float[] row = new float[wide];
        final float[] col = new float[ROWS];
        final float[] col2 = new float[ROWS];
        final float[] gamma = filled(wide, 1f);
        final float[] beta = new float[wide];
        final float[] runMean = new float[wide];
        final float[] runVar = filled(wide, 1f);
        final int[] index = {0, 1};
        final int[] columns = {0, 2};
        final NonZeroEntries wideNonZeros = new NonZeroEntries(ROWS, wide);
        final NonZeroEntries narrowNonZeros = new NonZeroEntries(ROWS, lanes);
        final int[] run = java.util.stream.IntStream.range(0, wide).toArray(); // a contiguous gene run
        final TensorView geneColumn = new TensorView(new float[wide], 0, wide, 1);
        final FMatrixRMaj mx = new FMatrixRMaj(ROWS, wide);
        final FMatrixRMaj my = new FMatrixRMaj(ROWS, wide);
        final FMatrixRMaj mz = new FMatrixRMaj(ROWS, wide);
        final FMatrixRMaj mw = new FMatrixRMaj(ROWS, wide);
        final FMatrixRMaj params = new FMatrixRMaj(ROWS, 2 * lanes + 2);
        final FMatrixRMaj eps = new FMatrixRMaj(ROWS, lanes + 1);
        final FMatrixRMaj latent = new FMatrixRMaj(ROWS, lanes + 1);
        final FMatrixRMaj dLatent = new FMatrixRMaj(ROWS, lanes + 1);
        final FMatrixRMaj dParams = new FMatrixRMaj(ROWS, 2 * lanes + 2);
        final TensorView wideTable = new TensorView(filled(2 * wide, 0.1f), 0, 2, wide);
        // the sparse products: input widths wide or lanes (the indexed rows of mx), output width wide
        final TensorView wideWeights = new TensorView(filled(wide * wide, 0.1f), 0, wide, wide);
        final TensorView narrowWeights = new TensorView(filled(lanes * wide, 0.1f), 0, lanes, wide);
        final TensorView wideWeightGradient = new TensorView(new float[wide * wide], 0, wide, wide);
        final TensorView narrowWeightGradient = new TensorView(new float[lanes * wide], 0, lanes, wide);
        final TensorView outBias = new TensorView(new float[wide], 0, 1, wide);
        final FMatrixRMaj out = new FMatrixRMaj(ROWS, wide);
        final TensorView narrowTable = new TensorView(filled(2 * lanes, 0.1f), 0, 2, lanes);
        final AdamUpdate.Coefficients adam = new AdamUpdate.Coefficients().forStep(1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1);

        int cols(int call) {
            return (call & 1) == 0 ? wide : lanes;
        }

        /** Shapes the matrices for this call; returns the element count of the flat operands. */
        int shape(int call) {
            int cols = cols(call);
            mx.reshape(ROWS, cols);
            my.reshape(ROWS, cols);
            mz.reshape(ROWS, cols);
            mw.reshape(ROWS, cols);
            System.arraycopy(x, 0, mx.data, 0, ROWS * cols);
            return ROWS * cols;
        }

        /** Shapes the matrices for this call and returns the first ({@code mx}, holding x). */
        FMatrixRMaj matrices(int call) {
            shape(call);
            return mx;
        }

        NonZeroEntries nonZeros(int call) {
            return cols(call) == wide ? wideNonZeros : narrowNonZeros;
        }

        TensorView weights(int call) {
            return cols(call) == wide ? wideWeights : narrowWeights;
        }

        TensorView weightGradient(int call) {
            return cols(call) == wide ? wideWeightGradient : narrowWeightGradient;
        }

        TensorView table(int call) {
            shape(call);
            return cols(call) == wide ? wideTable : narrowTable;
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
