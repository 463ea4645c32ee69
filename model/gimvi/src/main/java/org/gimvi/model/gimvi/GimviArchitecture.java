package org.gimvi.model.gimvi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Network sizes of the joint VAE. Defaults are those of the current scvi-tools GIMVI/JVAE
 * (gimvi-spec.md §3): latent 10, encoder 64 wide with one dataset-specific and one shared layer,
 * a purely linear decoder (no hidden layers), dropout 0.2, θ per gene and batch, and a library encoder
 * 128 wide.
 */
public final class GimviArchitecture {
    public int nLatent = 10;
    public int hiddenEncoder = 64;
    public int layersEncoderIndividual = 1;
    public int layersEncoderShared = 1;
    public int layersDecoderIndividual = 0;
    public int layersDecoderShared = 0;
    public int hiddenDecoderIndividual = 64;
    public int hiddenDecoderShared = 64;
    public float dropoutEncoder = 0.2f;
    public float dropoutDecoder = 0.2f;
    public int hiddenLibraryEncoder = 128;
    public Dispersion dispersion = Dispersion.GENE_BATCH;

    public static GimviArchitecture defaults() {
        return new GimviArchitecture();
    }

    /**
     * The single-dataset scVI VAE used by baselines and for k-NN purity references: 128 hidden units,
     * one encoder and one decoder layer (the decoder conditioned on the batch), dropout 0.1,
     * θ per gene.
     */
    public static GimviArchitecture scviDefaults() {
        GimviArchitecture a = new GimviArchitecture();
        a.hiddenEncoder = 128;
        a.layersEncoderIndividual = 1;
        a.layersEncoderShared = 0;
        a.layersDecoderIndividual = 1;
        a.layersDecoderShared = 0;
        a.hiddenDecoderIndividual = 128;
        a.hiddenDecoderShared = 128;
        a.dropoutEncoder = 0.1f;
        a.dropoutDecoder = 0f;
        a.dispersion = Dispersion.GENE;
        return a;
    }

    public void validate() {
        require(nLatent >= 1, "n_latent must be at least 1");
        require(hiddenEncoder >= 1 && hiddenDecoderIndividual >= 1 && hiddenDecoderShared >= 1
                && hiddenLibraryEncoder >= 1, "hidden sizes must be at least 1");
        require(layersEncoderIndividual >= 1, "the encoder needs at least one dataset-specific layer");
        require(layersEncoderShared >= 0 && layersDecoderIndividual >= 0 && layersDecoderShared >= 0,
                "layer counts must not be negative");
        require(dropoutEncoder >= 0 && dropoutEncoder < 1 && dropoutDecoder >= 0 && dropoutDecoder < 1,
                "dropout rates must be in [0, 1)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("architecture: " + message);
        }
    }

    /** Width of the decoder's last hidden representation (n_latent for the linear decoder). */
    public int decoderOutputWidth() {
        if (layersDecoderShared > 0) {
            return hiddenDecoderShared;
        }
        if (layersDecoderIndividual > 0) {
            return hiddenDecoderShared;
        }
        return nLatent;
    }

    /** Key/value form for model files and reports (stable key order). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("n_latent", Integer.toString(nLatent));
        m.put("hidden_encoder", Integer.toString(hiddenEncoder));
        m.put("layers_encoder_individual", Integer.toString(layersEncoderIndividual));
        m.put("layers_encoder_shared", Integer.toString(layersEncoderShared));
        m.put("layers_decoder_individual", Integer.toString(layersDecoderIndividual));
        m.put("layers_decoder_shared", Integer.toString(layersDecoderShared));
        m.put("hidden_decoder_individual", Integer.toString(hiddenDecoderIndividual));
        m.put("hidden_decoder_shared", Integer.toString(hiddenDecoderShared));
        m.put("dropout_encoder", Float.toString(dropoutEncoder));
        m.put("dropout_decoder", Float.toString(dropoutDecoder));
        m.put("hidden_library_encoder", Integer.toString(hiddenLibraryEncoder));
        m.put("dispersion", dispersion.id());
        return m;
    }

    public static GimviArchitecture fromMap(Map<String, String> m) {
        GimviArchitecture a = new GimviArchitecture();
        a.nLatent = Integer.parseInt(m.get("n_latent"));
        a.hiddenEncoder = Integer.parseInt(m.get("hidden_encoder"));
        a.layersEncoderIndividual = Integer.parseInt(m.get("layers_encoder_individual"));
        a.layersEncoderShared = Integer.parseInt(m.get("layers_encoder_shared"));
        a.layersDecoderIndividual = Integer.parseInt(m.get("layers_decoder_individual"));
        a.layersDecoderShared = Integer.parseInt(m.get("layers_decoder_shared"));
        a.hiddenDecoderIndividual = Integer.parseInt(m.get("hidden_decoder_individual"));
        a.hiddenDecoderShared = Integer.parseInt(m.get("hidden_decoder_shared"));
        a.dropoutEncoder = Float.parseFloat(m.get("dropout_encoder"));
        a.dropoutDecoder = Float.parseFloat(m.get("dropout_decoder"));
        a.hiddenLibraryEncoder = Integer.parseInt(m.get("hidden_library_encoder"));
        a.dispersion = Dispersion.parse(m.get("dispersion"));
        a.validate();
        return a;
    }
}
