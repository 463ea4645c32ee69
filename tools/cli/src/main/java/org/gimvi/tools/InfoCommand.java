package org.gimvi.tools;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.ObsColumn;
import java.util.List;
import org.gimvi.model.gimvi.DatasetSpec;
import org.gimvi.model.gimvi.Gimvi;
import org.gimvi.model.gimvi.GimviOptions;
import org.gimvi.model.gimvi.ModelFormat;
import org.gimvi.model.gimvi.NormalisedDataCheck;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.H5adReader;
import org.gimvi.model.io.ModelFile;
import org.gimvi.model.io.SpatialBenchmarkPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gimvi info}: what an input file is, or one line saying why it cannot be read. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Describe an input (format, cells × genes, integer counts or not, names, metadata columns, "
                + "coordinates, layers) or a .gimvi model file (datasets, genes, architecture, trained or not).")
public final class InfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE|DIR", arity = "0..1", description = "An h5ad, loom or delimited text file, a .gimvi model, or a benchmark-layout folder.")
    Path input;

    @Option(names = "--orientation", defaultValue = "AUTO",
            description = "For text tables: CELLS_BY_GENES, GENES_BY_CELLS or AUTO (default: ${DEFAULT-VALUE}).")
    DatasetReaders.Orientation orientation;

    @Option(names = "--gene-column", description = "Gene names from this h5ad var column / loom row attribute.")
    String geneColumn;

    @Option(names = "--layer", description = "h5ad: describe this layer (or 'raw' for raw/X) instead of X.")
    String layer;

    @Option(names = "--devices", description = "List the compute devices --device can use (the CPU and every "
            + "OpenCL platform's devices) instead of describing a file.")
    boolean devices;

    @Override
    public Integer call() throws java.io.IOException {
        if (devices) {
            org.gimvi.engine.backend.Backends.describeDevices().forEach(System.out::println);
            return 0;
        }
        if (input == null) {
            throw new IllegalArgumentException("give a FILE or DIR to describe, or --devices");
        }
        if (java.nio.file.Files.isDirectory(input) && SpatialBenchmarkPair.isPair(input)) {
            SpatialBenchmarkPair p = SpatialBenchmarkPair.read(input);
            System.out.printf(Locale.ROOT, "%s: benchmark pair (Li et al. 2022 layout)%n", input);
            System.out.printf(Locale.ROOT, "  scRNA-seq: %d cells × %d genes; spatial: %d cells × %d genes%s%n",
                    p.seqCounts().rows(), p.seqCounts().cols(), p.spatialCounts().rows(), p.spatialCounts().cols(),
                    p.coordinates() == null ? "" : ", with coordinates");
            return 0;
        }
        if (DatasetReaders.isModelFile(input)) {
            return describeModel();
        }
        CellDataset d = DatasetReaders.read(input, DatasetReaders.Options.defaults().withOrientation(orientation)
                .withGeneColumn(geneColumn).withMatrix(layer));
        System.out.printf(Locale.ROOT, "%s: %s%n", input, d.format());
        System.out.printf(Locale.ROOT, "  %d cells × %d genes, %s (%s)%n", d.counts().rows(), d.counts().cols(),
                d.counts() instanceof org.gimvi.engine.matrix.CsrMatrix ? "sparse (CSR)" : "dense",
                !d.integerCounts() ? "NOT integer counts: count likelihoods will refuse it"
                        : org.gimvi.model.gimvi.NormalisedDataCheck.reason(d.counts()) != null
                        ? "integers, but they look normalised (" + org.gimvi.model.gimvi.NormalisedDataCheck.reason(d.counts())
                                + "): count likelihoods will refuse them"
                        : "integer counts");
        System.out.println("  genes: " + sample(d.genes()));
        System.out.println("  cells: " + sample(d.cells()));
        if (d.obs().isEmpty()) {
            System.out.println("  metadata: none");
        }
        for (Map.Entry<String, ObsColumn> e : d.obs().entrySet()) {
            ObsColumn c = e.getValue();
            String extra = c instanceof ObsColumn.Categorical cat
                    ? " " + sample(cat.categories()) : "";
            System.out.printf(Locale.ROOT, "  metadata '%s': %s%s%n", e.getKey(), c.typeName(), extra);
        }
        System.out.println("  coordinates: " + (d.coordinates() == null ? "none"
                : d.coordinates()[0].length + "-D, first " + Arrays.toString(d.coordinates()[0])));
        if (d.format().equals("h5ad")) {
            describeOtherMatrices(d);
        }
        return 0;
    }

    /** Where X is not counts, the layers (or raw/X) that are: the user then reads them with --layer. */
    private void describeOtherMatrices(CellDataset shown) {
        List<String> others = H5adReader.otherMatrices(input);
        if (others.isEmpty()) {
            return;
        }
        System.out.println("  other matrices: " + String.join(", ", others));
        if (shown.integerCounts() && NormalisedDataCheck.reason(shown.counts()) == null) {
            return;
        }
        for (String m : others) {
            if (m.equals(layer)) {
                continue;
            }
            CellDataset other = DatasetReaders.read(input, DatasetReaders.Options.defaults().withMatrix(m));
            if (other.integerCounts() && NormalisedDataCheck.reason(other.counts()) == null) {
                System.out.printf(Locale.ROOT, "  %s holds integer counts: read it with --layer %s%n",
                        m.equals("raw") ? "raw/X" : "layer '" + m + "'", m);
            }
        }
    }

    /** A model file: its datasets, genes, architecture, and whether it was trained. */
    private int describeModel() throws java.io.IOException {
        Gimvi m = ModelFile.load(input, GimviOptions.defaults());
        System.out.printf(Locale.ROOT, "%s: gimvi-java model (format version %d), %s%n", input, ModelFormat.VERSION,
                m.isTrained() ? "trained" : "NOT trained");
        System.out.printf(Locale.ROOT, "  output genes (imputed): %d: %s%n", m.outputGenes().length, sample(m.outputGenes()));
        for (int k = 0; k < m.datasetNames().length; k++) {
            DatasetSpec s = m.module().spec(k);
            System.out.printf(Locale.ROOT, "  dataset %d '%s': %d genes (%s), %s likelihood, %s library, %d batch(es)%n",
                    k, s.name(), s.nGenes(), sample(m.datasetGenes(k)), s.likelihood().id(),
                    s.modelsLibrary() ? "latent" : "observed", s.nBatches());
        }
        System.out.println("  architecture: " + m.module().architecture().toMap());
        System.out.println("  a slide needs the genes of dataset 1; impute one with: gimvi impute --model " + input
                + " --spatial SLIDE --out OUT.h5ad");
        return 0;
    }

    private static String sample(String[] names) {
        int n = Math.min(5, names.length);
        String head = String.join(", ", Arrays.copyOf(names, n));
        return names.length > n ? head + ", … (" + names.length + ")" : head;
    }
}
