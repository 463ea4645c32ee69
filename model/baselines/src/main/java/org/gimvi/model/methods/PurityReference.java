package org.gimvi.model.methods;

import java.util.function.Supplier;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.model.gimvi.Library;
import org.gimvi.model.gimvi.Likelihood;
import org.gimvi.model.gimvi.SingleDatasetLatent;

/**
 * The single-dataset latent spaces k-NN purity compares a method's joint latent space with: each
 * dataset embedded alone, the way the method would embed it (metrics.md §2: gimVI and scVI a VAE fit on
 * the single dataset, Seurat PCA, LIGER NMF). A method with a joint latent space but no such
 * single-dataset model has none, and its purity is reported as not computed rather than measured
 * against another method's reference.
 */
public sealed interface PurityReference permits PurityReference.SingleDatasetVae, PurityReference.Computed {

    /** What the reference is, for reports (e.g. "single-dataset VAE", "PCA of each dataset, 25 components"). */
    String description();

    /** scRNA-seq cells × d₀ and spatial cells × d₁, each in the task's row order. */
    record Latents(FMatrixRMaj seq, FMatrixRMaj spatial) {
    }

    /**
     * gimVI's architecture on one dataset at a time (no adversary): the scRNA-seq data with its
     * likelihood ZINB and a latent library, the spatial data NB with the observed library. Every method
     * with this reference shares it on a task and seed, so the caller fits it once per task and seed and
     * chooses the epochs (training it is the cost of purity).
     */
    record SingleDatasetVae() implements PurityReference {
        @Override
        public String description() {
            return "single-dataset VAE";
        }

        /**
         * Fits both VAEs, side by side on the host's cores (a one-dataset step has no dataset tasks to
         * split, so each fit runs on one thread anyway); the seeds derive from {@code seed} (the same for
         * every method).
         */
        public Latents fit(ImputationTask task, int epochs, long seed) {
            FMatrixRMaj[] latents = new FMatrixRMaj[2];
            long genes = Math.max(task.seqGenes().length, task.spatialGenes().length);
            long cells = Math.max(task.seqCounts().rows(), task.spatialCounts().rows());
            long bytesPerFit = FitScheduling.gimviModelBytes(genes) + 4L * 10 * cells; // + its latent, library
            FitScheduling.SIDE_BY_SIDE.run(2, bytesPerFit, i -> i == 0
                    ? SingleDatasetLatent.fit("scRNA-seq", task.seqCounts(), task.seqGenes(), Likelihood.ZINB,
                            Library.LATENT, epochs, seed * 7919L + 17)
                    : SingleDatasetLatent.fit("spatial", task.spatialCounts(), task.spatialGenes(), Likelihood.NB,
                            Library.OBSERVED, epochs, seed * 7919L + 18), (z, i) -> latents[i] = z);
            return new Latents(latents[0], latents[1]);
        }
    }

    /**
     * Latents the method computes from its own preprocessing (PCA, NMF), on demand: a benchmark that
     * skips purity never pays for them, and they are not part of the method's timed fit.
     */
    record Computed(String description, Supplier<Latents> latents) implements PurityReference {
    }

    static PurityReference singleDatasetVae() {
        return new SingleDatasetVae();
    }

    static PurityReference computed(String description, Supplier<Latents> latents) {
        return new Computed(description, latents);
    }
}
