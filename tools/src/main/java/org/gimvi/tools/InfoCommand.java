package org.gimvi.tools;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.ObsColumn;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.SpatialBenchmarkPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gimvi info}: what an input file is, or one line saying why it cannot be read. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Describe an input: format, cells × genes, integer counts or not, names, metadata columns, coordinates.")
public final class InfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE|DIR", description = "An h5ad, loom or delimited text file, or a benchmark-layout folder.")
    Path input;

    @Option(names = "--orientation", defaultValue = "AUTO",
            description = "For text tables: CELLS_BY_GENES, GENES_BY_CELLS or AUTO (default: ${DEFAULT-VALUE}).")
    DatasetReaders.Orientation orientation;

    @Option(names = "--gene-column", description = "Gene names from this h5ad var column / loom row attribute.")
    String geneColumn;

    @Override
    public Integer call() {
        if (java.nio.file.Files.isDirectory(input) && SpatialBenchmarkPair.isPair(input)) {
            SpatialBenchmarkPair p = SpatialBenchmarkPair.read(input);
            System.out.printf(Locale.ROOT, "%s: benchmark pair (Li et al. 2022 layout)%n", input);
            System.out.printf(Locale.ROOT, "  scRNA-seq: %d cells × %d genes; spatial: %d cells × %d genes%s%n",
                    p.seqCounts().rows(), p.seqCounts().cols(), p.spatialCounts().rows(), p.spatialCounts().cols(),
                    p.coordinates() == null ? "" : ", with coordinates");
            return 0;
        }
        CellDataset d = DatasetReaders.read(input, orientation, geneColumn);
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
        return 0;
    }

    private static String sample(String[] names) {
        int n = Math.min(5, names.length);
        String head = String.join(", ", Arrays.copyOf(names, n));
        return names.length > n ? head + ", … (" + names.length + ")" : head;
    }
}
