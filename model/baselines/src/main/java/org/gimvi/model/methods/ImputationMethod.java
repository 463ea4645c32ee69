package org.gimvi.model.methods;

/**
 * One interface for gimVI, its baselines and its peers: impute the task's target genes for every
 * spatial cell. Implementations must be deterministic for a given seed: the same task and seed give
 * bit-identical predictions.
 */
public interface ImputationMethod {
    /** Stable identifier used in benchmark outputs (e.g. {@code gimvi}, {@code knn}). */
    String name();

    ImputationResult impute(ImputationTask task, long seed);

    /**
     * The method's named parameters and their values in this instance (published defaults unless
     * overridden through {@link MethodRegistry#create}); empty for methods without parameters.
     */
    default java.util.Map<String, String> parameters() {
        return java.util.Map.of();
    }

    /**
     * The same method computing on another compute backend ({@code simd}, {@code scalar},
     * {@code opencl[:N]}), what {@code --device} sets; methods that only run on the CPU return themselves.
     */
    default ImputationMethod onBackend(String backend) {
        return this;
    }
}
