package org.gimvi.tools.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.gimvi.model.io.AtomicFiles;
import org.gimvi.model.io.DatasetReaders;
import org.gimvi.model.io.InputFormatException;
import org.gimvi.model.io.SpatialBenchmarkPair;
import org.gimvi.model.methods.ImputationMethod;
import org.gimvi.model.methods.MethodParameters;
import org.gimvi.model.methods.MethodRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gimvi benchmark}: every method × seed × protocol on one dataset folder or a folder of them.
 * Output contract (scripts rely on it): {@code OUT/per_gene.csv}, {@code OUT/summary.csv},
 * {@code OUT/report.md} (with the figures of {@code OUT/figures/}, PNG and SVG),
 * {@code OUT/predictions/<dataset>/<protocol>/<method>-seed<S>.csv} (and {@code .h5ad}) and {@code truth.csv},
 * {@code OUT/histories/<dataset>/<protocol>/<method>-seed<S>[-fold<F>].csv} for every gimVI run.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Hold out spatial genes, impute them with each method and seed, score them (Spearman, "
                + "Spearman after removing cell size, Pearson), and write per-gene scores, summaries, a report with "
                + "figures (OUT/figures, PNG and SVG), the training histories and the predictions.")
public final class BenchmarkCommand implements Callable<Integer> {

    @Option(names = "--data", description = "A dataset folder (scRNA_count.txt, Spatial_count.txt, "
            + "optional Locations.txt; gzip allowed) or a folder of such folders.")
    Path data;

    @Option(names = "--seq", description = "Instead of --data: a scRNA-seq reference file (h5ad, loom, text, 10x) …")
    Path seqFile;

    @Option(names = "--spatial", description = "… and a spatial file with every panel gene measured (the truth).")
    Path spatialFile;

    @Option(names = "--name", description = "The pair's name in the outputs with --seq/--spatial (default: the spatial "
            + "file's name).")
    String pairName;

    @Option(names = "--out", required = true, description = "Output folder (created if needed).")
    Path out;

    @Option(names = "--methods", defaultValue = "gimvi,knn,libsize",
            // no bare percent sign in picocli descriptions: they are format strings (write %%)
            description = "Comma-separated methods: gimvi (the default: five κ=5 fits of --epochs, each without a "
                    + "fold of the panel genes, read at three checkpoints and blended with knn and spage on the "
                    + "held-out panel genes), gimvi-k0, gimvi-k1 (κ variants of it), gimvi-rounds (one model, three "
                    + "warm-restart rounds of --epochs: what train saves), gimvi-spec (one run of --epochs, "
                    + "scvi-tools' step), gimvi-paper2019 (the authors' 2019 three-step trainer, n_latent 8, "
                    + "95%% split), gimvi-kbest (κ chosen on training genes), knn, libsize, spage, seurat, coral, "
                    + "scvi-knn, liger, tangram, tangram-clusters, magan. Default: ${DEFAULT-VALUE}.")
    String methods;

    @Option(names = "--param", paramLabel = "METHOD.NAME=VALUE", description = "A method's parameter (repeatable), "
            + "e.g. --param seurat.k_filter=200; each method lists its own, an unknown name is refused.")
    List<String> params = new ArrayList<>();

    @Option(names = "--protocol", defaultValue = "paper", description = "paper, kfold or both. Default: ${DEFAULT-VALUE}.")
    String protocol;

    @Option(names = "--epochs", defaultValue = "200", description = "Training epochs for gimVI. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--seeds", defaultValue = "0", description = "Comma-separated seeds; each method runs once per seed. "
            + "Default: ${DEFAULT-VALUE}.")
    String seeds;

    @picocli.CommandLine.Mixin
    org.gimvi.tools.DeviceOption device = new org.gimvi.tools.DeviceOption();

    @Option(names = "--no-purity", description = "Skip k-NN purity (it fits two extra single-dataset VAEs per dataset "
            + "and seed); the purity column is then empty.")
    boolean noPurity;

    @Option(names = "--pseudo-spots", paramLabel = "SIDE", description = "Sum the spatial cells over squares of SIDE "
            + "coordinate units into spots (a spot assay made from a single-cell one, truth still known, as Li et al. "
            + "2022 simulate spots) before benchmarking; needs the cells' coordinates. The pair is named NAME-spotsSIDE.")
    Double pseudoSpotSide;

    @Override
    public Integer call() throws IOException {
        List<String> protocols = switch (protocol) {
            case "paper" -> List.of("paper");
            case "kfold" -> List.of("kfold");
            case "both" -> List.of("paper", "kfold");
            default -> throw new IllegalArgumentException("--protocol must be paper, kfold or both, not '" + protocol + "'");
        };
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1");
        }
        long[] seedList = parseSeeds(seeds);
        device.check();
        List<ImputationMethod> ms = onDevice(MethodRegistry.parse(methods, epochs, parameterOverrides(params)));
        if ((data == null) == (seqFile == null || spatialFile == null) || (data != null && (seqFile != null
                || spatialFile != null))) {
            throw new IllegalArgumentException("give either --data FOLDER or both --seq FILE and --spatial FILE");
        }
        List<Path> dirs = data != null ? discover(data) : List.of();
        Files.createDirectories(out);
        BenchmarkRunner runner = new BenchmarkRunner(out, ms, seedList, System.out::println);
        runner.setSingleDatasetEpochs(epochs);
        runner.setPurity(!noPurity);
        runner.setEpochsPerRound(epochs);
        for (Path dir : dirs) {
            runner.runDataset(asSpots(PairedDataset.read(dir), dir.resolve("Locations.txt")), protocols);
        }
        if (seqFile != null) {
            String name = pairName != null ? pairName : spatialFile.getFileName().toString();
            runner.runDataset(asSpots(PairedDataset.of(name, DatasetReaders.read(seqFile),
                    DatasetReaders.read(spatialFile)), spatialFile), protocols);
        }
        CsvOutputs.writePerGene(out.resolve("per_gene.csv"), runner.geneScores());
        CsvOutputs.writeSummary(out.resolve("summary.csv"), runner.summaries());
        String command = "./gimvi benchmark " + (data != null ? "--data " + data : "--seq " + seqFile + " --spatial "
                + spatialFile + (pairName != null ? " --name " + pairName : ""))
                + (pseudoSpotSide != null ? " --pseudo-spots " + spotSideText() : "") + " --out " + out + " --methods " + methods + " --protocol "
                + protocol + " --epochs " + epochs + " --seeds " + seeds + (noPurity ? " --no-purity" : "")
                + params.stream().map(p -> " --param " + p).collect(java.util.stream.Collectors.joining());
        ReportFigures figures = new ReportFigures(out, System.out::println);
        figures.drawAll(runner);
        AtomicFiles.writeString(out.resolve("report.md"), BenchmarkReport.markdown(runner, command, figures));
        System.out.println("wrote " + out.resolve("per_gene.csv") + ", summary.csv, report.md, figures/, histories/ and "
                + "predictions/");
        boolean failed = runner.summaries().stream().anyMatch(r -> !r.status().equals("ok"));
        return failed ? 1 : 0;
    }

    /** {@code METHOD.NAME=VALUE} entries grouped by method. */
    static Map<String, Map<String, String>> parameterOverrides(List<String> entries) {
        Map<String, List<String>> byMethod = new LinkedHashMap<>();
        for (String e : entries) {
            int dot = e.indexOf('.');
            int eq = e.indexOf('=');
            if (dot < 1 || eq < dot + 2) {
                throw new IllegalArgumentException("--param takes METHOD.NAME=VALUE (e.g. spage.k=30), not '" + e + "'");
            }
            byMethod.computeIfAbsent(e.substring(0, dot), k -> new ArrayList<>()).add(e.substring(dot + 1));
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        byMethod.forEach((m, values) -> out.put(m, MethodParameters.parseOverrides(values)));
        return out;
    }

    /** The pair itself, or with {@code --pseudo-spots} its spots; {@code coordinatesFrom} names the file to fix. */
    private PairedDataset asSpots(PairedDataset pair, Path coordinatesFrom) {
        if (pseudoSpotSide == null) {
            return pair;
        }
        if (pair.coordinates() == null) {
            throw new IllegalArgumentException(coordinatesFrom + ": --pseudo-spots needs the spatial cells' coordinates "
                    + "(Locations.txt in a --data folder; obsm['spatial'] or x/y obs columns in an h5ad or loom); "
                    + "give a spatial file with coordinates or drop --pseudo-spots");
        }
        PairedDataset spots = pair.asPseudoSpots(pseudoSpotSide, spotSideText());
        System.out.println(String.format(java.util.Locale.ROOT, "%s: %d cells summed into %d pseudo-spots "
                        + "(squares of side %s, %.1f cells per spot on average)", spots.name(), pair.spatialCounts().rows(),
                spots.spatialCounts().rows(), spotSideText(), spots.spatialCounts().rows() == 0 ? 0
                        : pair.spatialCounts().rows() / (double) spots.spatialCounts().rows()));
        return spots;
    }

    private String spotSideText() {
        double side = pseudoSpotSide;
        return side == Math.rint(side) && Math.abs(side) < 1e15 ? Long.toString((long) side) : Double.toString(side);
    }

    static long[] parseSeeds(String s) {
        try {
            long[] v = Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
            if (v.length == 0) {
                throw new IllegalArgumentException("--seeds names no seed");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seeds must be comma-separated integers, got '" + s + "'");
        }
    }

    /** The folder itself if it is a pair, else its immediate sub-folders that are. */
    static List<Path> discover(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InputFormatException(dir, "not a folder; --data takes a dataset folder or a folder of them");
        }
        if (SpatialBenchmarkPair.isPair(dir)) {
            return List.of(dir);
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).sorted().filter(SpatialBenchmarkPair::isPair).forEach(found::add);
        }
        if (found.isEmpty()) {
            throw new InputFormatException(dir, "no dataset found: expected scRNA_count.txt(.gz) and Spatial_count.txt(.gz) "
                    + "in the folder or in its sub-folders");
        }
        return found;
    }

    /** --device moves the gimVI methods (every gimvi* method's fits) to the device; the others stay on the CPU. */
    private List<ImputationMethod> onDevice(List<ImputationMethod> ms) {
        if (device.backend().equals("simd")) {
            return ms;
        }
        List<ImputationMethod> out = new ArrayList<>();
        for (ImputationMethod m : ms) {
            out.add(m.onBackend(device.backend()));
        }
        return out;
    }
}
