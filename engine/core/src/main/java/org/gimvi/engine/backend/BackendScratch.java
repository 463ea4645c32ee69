package org.gimvi.engine.backend;

import org.gimvi.engine.kernels.CountLikelihoodKernels;
import org.gimvi.engine.kernels.ScratchCapacity;
import org.gimvi.engine.kernels.SimdGemm;
import org.gimvi.engine.kernels.SparseGemm;

/**
 * The grow-only scratch space of a CPU backend, one per thread: a model's datasets may run their
 * forward and backward passes on different threads through the same backend (gimVI's training
 * plan does), so no operation may keep temporaries in the backend itself. A buffer sized by the
 * shapes reaches its largest size in the first training step; one sized by a minibatch's non-zero
 * count grows with slack ({@link ScratchCapacity}) and stops within the first steps. Later steps
 * allocate nothing.
 */
final class BackendScratch {
    private float[] general = new float[0];
    private float[] columnsA = new float[0];
    private float[] columnsB = new float[0];
    private float[] columnsC = new float[0];
    private float[] lanes = new float[0];
    private final float[][] likelihood = new float[CountLikelihoodKernels.SCRATCH][0];
    final SimdGemm.Job gemmJob = new SimdGemm.Job();
    final SparseGemm.Job sparseJob = new SparseGemm.Job();
    final ArenaUpdateJob arenaJob = new ArenaUpdateJob();

    float[] general(int n) {
        if (general.length < n) {
            general = new float[ScratchCapacity.grown(general.length, n)];
        }
        return general;
    }

    float[] columnsA(int n) {
        if (columnsA.length < n) {
            columnsA = new float[ScratchCapacity.grown(columnsA.length, n)];
        }
        return columnsA;
    }

    float[] columnsB(int n) {
        if (columnsB.length < n) {
            columnsB = new float[ScratchCapacity.grown(columnsB.length, n)];
        }
        return columnsB;
    }

    float[] columnsC(int n) {
        if (columnsC.length < n) {
            columnsC = new float[ScratchCapacity.grown(columnsC.length, n)];
        }
        return columnsC;
    }

    private int[] ints = new int[0];

    /** Integer scratch (a block's per-row counts). */
    int[] ints(int n) {
        if (ints.length < n) {
            ints = new int[ScratchCapacity.grown(ints.length, n)];
        }
        return ints;
    }

    /** Room for one vector's lanes (the SIMD backend's fixed-order horizontal sums). */
    float[] lanes(int n) {
        if (lanes.length < n) {
            lanes = new float[ScratchCapacity.grown(lanes.length, n)];
        }
        return lanes;
    }

    private ParallelLikelihood likelihoodJob;
    private ParallelRowPasses rowPasses;

    /** This thread's dispatcher of wide row passes (created on first use, with the backend that runs them). */
    ParallelRowPasses rowPasses(SimdBackend owner) {
        if (rowPasses == null) {
            rowPasses = new ParallelRowPasses(owner);
        }
        return rowPasses;
    }

    /** This thread's dispatcher of split likelihoods (created on first use, with the backend that owns the scratch). */
    ParallelLikelihood likelihoodJob(ScalarBackend owner) {
        if (likelihoodJob == null) {
            likelihoodJob = new ParallelLikelihood(owner);
        }
        return likelihoodJob;
    }

    float[][] likelihood(int n) {
        if (likelihood[0].length < n) {
            int capacity = ScratchCapacity.grown(likelihood[0].length, n);
            for (int t = 0; t < likelihood.length; t++) {
                likelihood[t] = new float[capacity];
            }
        }
        return likelihood;
    }
}
