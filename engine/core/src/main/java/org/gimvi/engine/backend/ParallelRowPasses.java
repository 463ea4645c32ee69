package org.gimvi.engine.backend;

import jdk.incubator.vector.FloatVector;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.kernels.VectorMath;
import org.gimvi.engine.matrix.NonZeroEntries;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * The passes over a wide decoder block (cells × genes) split into row ranges on the worker pool:
 * the exponentials of log ρ, the log-softmax, μ = exp(log ρ + ℓ), the library/softmax backward, and
 * the minibatch's non-zero index by row.
 * With many genes the training plan runs the datasets one after another, and these passes ran on
 * the calling thread while the second core idled (JFR of a 2,150-gene step: two thirds of the main
 * thread's samples outside any parallel loop). Every element's result and every row's sum are
 * position-independent, so any split gives the same bits; with the pool busy (datasets side by
 * side) {@link WorkerPool#forEach} runs the ranges on the caller.
 *
 * <p>One instance per calling thread (in {@link BackendScratch}); operands are fields, so
 * dispatching allocates nothing. Ranges use the executing thread's scratch.
 */
final class ParallelRowPasses implements WorkerPool.Task {
    /** Below this many elements one thread is faster than a dispatch (~0.5 ns per element for an exp). */
    static final int MIN_ELEMENTS = 131_072;

    private enum Pass { EXP, SOFTMAX, LOG_SOFTMAX, ADD_TO_ROWS_EXP, SOFTMAX_LIBRARY_BACKWARD, INDEX_ROWS }

    private final SimdBackend owner; // runs each range, with the executing thread's scratch
    private Pass pass;
    private int rows;
    private int rowsPerTask;
    private float[] flatIn;
    private float[] flatOut;
    private int flatLength;
    private int flatChunk;
    private FMatrixRMaj a;
    private FMatrixRMaj b;
    private FMatrixRMaj out;
    private float[] rowValues;
    private float scale;
    private NonZeroEntries entries;

    ParallelRowPasses(SimdBackend owner) {
        this.owner = owner;
    }

    /** Whether a pass over {@code elements} elements in {@code rows} rows is worth splitting over {@code pool}. */
    static boolean worthSplitting(WorkerPool pool, int rows, int elements) {
        return rows > 1 && worthSplitting(pool, elements);
    }

    /** Whether an elementwise pass over {@code elements} elements is worth splitting over {@code pool}. */
    static boolean worthSplitting(WorkerPool pool, int elements) {
        return pool != null && pool.threads() > 1 && elements >= MIN_ELEMENTS;
    }

    /** y = exp(x) over n elements, split into one range of whole vectors per thread. */
    void exp(WorkerPool pool, float[] x, float[] y, int n) {
        flatIn = x;
        flatOut = y;
        flatLength = n;
        int l = FloatVector.SPECIES_PREFERRED.length();
        flatChunk = ((n + pool.threads() - 1) / pool.threads() + l - 1) / l * l;
        run(pool, Pass.EXP, (n + flatChunk - 1) / flatChunk);
    }

    void softmax(WorkerPool pool, FMatrixRMaj x, FMatrixRMaj y, SoftmaxForm form) {
        a = x;
        out = y;
        run(pool, form == SoftmaxForm.LOG_PROBABILITIES ? Pass.LOG_SOFTMAX : Pass.SOFTMAX, x.numRows);
    }

    void addToRowsExp(WorkerPool pool, FMatrixRMaj x, float[] v, FMatrixRMaj y) {
        a = x;
        rowValues = v;
        out = y;
        run(pool, Pass.ADD_TO_ROWS_EXP, x.numRows);
    }

    void softmaxLibraryBackward(WorkerPool pool, FMatrixRMaj p, FMatrixRMaj g, float scale, float[] dEll,
                                FMatrixRMaj dLogits) {
        a = p;
        b = g;
        this.scale = scale;
        rowValues = dEll;
        out = dLogits;
        run(pool, Pass.SOFTMAX_LIBRARY_BACKWARD, g.numRows);
    }

    /** Fills the rows of a minibatch's non-zero index laid out by {@link NonZeroEntries#beginIndex}. */
    void indexRows(WorkerPool pool, FMatrixRMaj x, NonZeroEntries out) {
        a = x;
        entries = out;
        run(pool, Pass.INDEX_ROWS, x.numRows);
    }

    private void run(WorkerPool pool, Pass pass, int rows) {
        this.pass = pass;
        this.rows = rows;
        int tasks = Math.min(pool.threads(), rows);
        rowsPerTask = (rows + tasks - 1) / tasks;
        try {
            pool.forEach((rows + rowsPerTask - 1) / rowsPerTask, this);
        } finally {
            flatIn = null;
            flatOut = null;
            a = null;
            b = null;
            out = null;
            rowValues = null;
            entries = null;
        }
    }

    @Override
    public void run(int task) {
        int r0 = task * rowsPerTask;
        int r1 = Math.min(rows, r0 + rowsPerTask);
        switch (pass) {
            case EXP -> { // the "rows" are chunks of the flat array
                int start = task * flatChunk;
                VectorMath.exp(flatIn, start, flatOut, start, Math.min(flatLength, start + flatChunk) - start);
            }
            case SOFTMAX -> owner.softmaxRows(a, out, SoftmaxForm.PROBABILITIES, r0, r1);
            case LOG_SOFTMAX -> owner.softmaxRows(a, out, SoftmaxForm.LOG_PROBABILITIES, r0, r1);
            case ADD_TO_ROWS_EXP -> SimdBackend.addToRowsExp(a, rowValues, out, r0, r1);
            case SOFTMAX_LIBRARY_BACKWARD -> SimdBackend.softmaxLibraryBackward(a, b, scale, rowValues, out, r0, r1);
            case INDEX_ROWS -> entries.indexRows(a, r0, r1);
            default -> throw new IllegalStateException("unknown pass " + pass);
        }
    }
}
