package org.gimvi.model.gimvi;

import java.util.Objects;

/**
 * How a gimVI model is built: the network architecture, how gene names are matched to the
 * reference, which compute backend runs it, and the one seed every random draw of the model derives
 * from (initial weights, data splits, minibatch order, dropout, latent samples).
 *
 * <pre>{@code
 * GimviOptions.defaults().withSeed(7).withBackend("scalar")
 * }</pre>
 *
 * @param backend {@code simd} (default: the Vector API kernels) or {@code scalar} (the reference
 *                definition); both give bit-identical results
 */
public record GimviOptions(GimviArchitecture architecture, GeneNameMatching geneNames, String backend, long seed) {

    public GimviOptions {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(geneNames, "geneNames");
        Objects.requireNonNull(backend, "backend");
    }

    /** The scvi-tools defaults, case-insensitive gene names, the SIMD backend, seed 0. */
    public static GimviOptions defaults() {
        return new GimviOptions(GimviArchitecture.defaults(), GeneNameMatching.IGNORE_CASE, "simd", 0L);
    }

    public GimviOptions withSeed(long seed) {
        return new GimviOptions(architecture, geneNames, backend, seed);
    }

    public GimviOptions withArchitecture(GimviArchitecture architecture) {
        return new GimviOptions(architecture, geneNames, backend, seed);
    }

    public GimviOptions withGeneNames(GeneNameMatching geneNames) {
        return new GimviOptions(architecture, geneNames, backend, seed);
    }

    public GimviOptions withBackend(String backend) {
        return new GimviOptions(architecture, geneNames, backend, seed);
    }
}
