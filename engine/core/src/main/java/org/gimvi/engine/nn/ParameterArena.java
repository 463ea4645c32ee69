package org.gimvi.engine.nn;

import java.util.List;
import org.gimvi.engine.backend.ComputeBackend;

/**
 * One flat float buffer per kind — values, gradient lanes, Adam's two moments — laid out once by a
 * {@link ParameterLayout}, as llm.c lays out its parameters: every {@link Parameter} is a view at its
 * offset in these buffers. A training step then zeroes gradients with one fill, folds each gradient
 * lane into lane 0 with one call, and updates each optimiser group (a contiguous run of the layout)
 * with one Adam call; a device backend can keep the four kinds of buffer resident for the whole step
 * and address every tensor by (buffer, offset).
 *
 * <p>The buffers are allocated through the backend ({@link ComputeBackend#allocate}). A freshly
 * created parameter has an arena of its own; {@link #pack} gathers a model's parameters into one.
 */
public final class ParameterArena {
    private final ParameterLayout layout;
    private final List<Parameter> parameters;
    private final float[] values;
    private float[][] gradients; // lane 0 = the summed gradient
    private float[] firstMoments;  // allocated on the first optimiser over this arena
    private float[] secondMoments;

    private ParameterArena(ParameterLayout layout, List<Parameter> parameters, float[] values, float[] gradients) {
        this.layout = layout;
        this.parameters = List.copyOf(parameters);
        this.values = values;
        this.gradients = new float[][] {gradients};
    }

    /** Gives a new parameter an arena of its own over the given buffers (no copy). */
    static void own(Parameter p, float[] values, float[] gradients) {
        ParameterArena a = new ParameterArena(new ParameterLayout(List.of(p)), List.of(p), values, gradients);
        p.bind(a, 0);
    }

    /**
     * Lays {@code params} out in list order in one new arena, copies their values (and gradients) in,
     * and re-points them at it. Called once, when a model has created all its layers and before any
     * step; every parameter must still be in an arena of its own with a single gradient lane.
     */
    public static ParameterArena pack(ComputeBackend backend, List<Parameter> params) {
        for (Parameter p : params) {
            ParameterArena own = p.arena();
            if (own.parameters.size() != 1 || own.lanes() != 1) {
                throw new IllegalStateException("parameter " + p.name() + " is already packed or has gradient lanes: "
                        + "pack a model's parameters once, right after its layers are built");
            }
        }
        ParameterLayout layout = new ParameterLayout(params);
        int n = Math.max(layout.size(), 1);
        ParameterArena arena = new ParameterArena(layout, params, backend.allocate(1, n).data, backend.allocate(1, n).data);
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            int offset = layout.entries().get(i).offset();
            System.arraycopy(p.value().array(), p.value().offset(), arena.values, offset, p.size());
            System.arraycopy(p.grad().array(), p.grad().offset(), arena.gradients[0], offset, p.size());
            p.bind(arena, offset);
        }
        // written on the host (initial or loaded values): a device backend gets them now
        backend.upload(arena.values, n);
        backend.upload(arena.gradients[0], n);
        return arena;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** The parameters in layout order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Floats in each buffer. */
    public int size() {
        return layout.size();
    }

    public float[] values() {
        return values;
    }

    /** Gradient lane {@code lane}'s buffer (lane 0: the summed gradient). */
    public float[] gradients(int lane) {
        return gradients[lane];
    }

    public int lanes() {
        return gradients.length;
    }

    /** Makes gradient lanes 0..lanes−1 available, each one backend-allocated buffer (once; never shrinks). */
    public void ensureLanes(ComputeBackend backend, int lanes) {
        if (lanes <= gradients.length) {
            return;
        }
        float[][] grown = java.util.Arrays.copyOf(gradients, lanes);
        for (int l = gradients.length; l < lanes; l++) {
            grown[l] = backend.allocate(1, Math.max(size(), 1)).data;
        }
        gradients = grown;
        for (Parameter p : parameters) {
            p.rebindLanes();
        }
    }

    /** Lane 0 += lane 1 + lane 2 + … (in that order) over the whole arena, one backend call per lane, which also zeroes the lanes. */
    public void reduceLanes(ComputeBackend backend) {
        for (int l = 1; l < gradients.length; l++) {
            backend.addAndZero(gradients[l], gradients[0], size());
        }
    }

    /**
     * Adam's first and second moments, laid out like the values (allocated on first use). Each
     * optimiser zeroes its own group's range when it is created, so a new optimiser over the same
     * parameters (another training round) starts from fresh state; two live optimisers must not
     * share a range.
     */
    float[] firstMoments(ComputeBackend backend) {
        allocateMoments(backend);
        return firstMoments;
    }

    float[] secondMoments(ComputeBackend backend) {
        allocateMoments(backend);
        return secondMoments;
    }

    private void allocateMoments(ComputeBackend backend) {
        if (firstMoments == null) {
            firstMoments = backend.allocate(1, Math.max(size(), 1)).data;
            secondMoments = backend.allocate(1, Math.max(size(), 1)).data;
        }
    }

    @Override
    public String toString() {
        return "parameter arena, " + lanes() + " gradient lane(s):\n" + layout;
    }
}
