package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.io.H5adReader;
import org.gimvi.tools.plots.PngChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gimvi benchmark} draws its figures into OUT/figures, the report embeds them by relative links
 * that resolve, Table 1 and the versions are there, and {@code gimvi plot} draws maps and training
 * curves from what the benchmark wrote.
 */
class BenchmarkFiguresTest {
    private static final Pattern IMAGE_LINK = Pattern.compile("!\\[[^\\]]*\\]\\(([^)]+)\\)");

    /** A small pair in the benchmark layout, with a Locations.txt so maps can be drawn. */
    static Path pairWithLocations(Path dir) throws IOException {
        Path data = dir.resolve("pair");
        GimviCliTest.writePair(data, 4);
        int cells = Files.readAllLines(data.resolve("Spatial_count.txt")).size() - 1;
        StringBuilder loc = new StringBuilder("X\tY\n");
        Random r = new Random(2);
        for (int i = 0; i < cells; i++) {
            loc.append(1000 + 800 * r.nextDouble()).append('\t').append(3000 * r.nextDouble()).append('\n');
        }
        Files.writeString(data.resolve("Locations.txt"), loc.toString());
        return data;
    }

    @Test
    void theReportEmbedsEveryFigureAndEveryLinkResolves(@TempDir Path dir) throws IOException {
        Path data = pairWithLocations(dir);
        Path out = dir.resolve("out");
        CliCapture r = CliCapture.run("benchmark", "--data", data.toString(), "--out", out.toString(), "--methods",
                "gimvi,gimvi-k0,knn,libsize", "--protocol", "paper", "--epochs", "3", "--seeds", "0");
        assertEquals(0, r.code(), r.out() + r.err());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Table 1 (the gimVI paper's form)"), report);
        assertTrue(report.contains("| gimvi-k0 | 1 |") && report.contains("reference"), "κ = 0 is Table 1's reference");
        assertTrue(report.contains("Java " + System.getProperty("java.version")), "the Java version is stated");
        assertTrue(report.contains(GimviCli.version()), "the gimvi-java version is stated");
        assertTrue(report.contains("Command: `./gimvi benchmark --data "), "the command is stated");
        assertTrue(report.contains("## pair — paper"), "the detailed tables are still there");
        List<String> links = new ArrayList<>();
        Matcher m = IMAGE_LINK.matcher(report);
        while (m.find()) {
            links.add(m.group(1));
        }
        for (String kind : new String[]{"-spatial-", "-integration", "-uncertainty", "-spearman_norm", "-training-gimvi-seed0",
            "-training-gimvi-k0-seed0"}) {
            assertTrue(links.stream().anyMatch(l -> l.contains(kind)), "a figure " + kind + " among " + links);
        }
        for (String link : links) {
            assertFalse(Path.of(link).isAbsolute(), link + " is relative");
            assertTrue(link.startsWith("figures/"), link + " lies under OUT/figures");
            PngChecks.assertFigure(out.resolve(link));
        }
        assertFalse(report.contains("not drawn"), report);
        // the benchmark's h5ad predictions carry the coordinates, so plot can map them
        Path h5ad = out.resolve("predictions/pair/paper/gimvi-seed0.h5ad");
        CellDataset d = H5adReader.read(h5ad);
        assertEquals(d.counts().rows(), d.coordinates().length);
        CliCapture p = CliCapture.run("plot", "--h5ad", h5ad.toString(), "--gene", d.genes()[0], "--out",
                dir.resolve("map.png").toString());
        assertEquals(0, p.code(), p.err());
        PngChecks.assertFigure(dir.resolve("map.png"));
        // and one history CSV per gimVI run, which plot draws
        Path history = out.resolve("histories/pair/paper/gimvi-seed0.csv");
        assertTrue(Files.readAllLines(history).get(0).startsWith("epoch,round,reconstruction_scRNA-seq"));
        p = CliCapture.run("plot", "--history", history.toString(), "--out", dir.resolve("curves").toString());
        assertEquals(0, p.code(), p.err());
        PngChecks.assertFigure(dir.resolve("curves.png"));
    }

    @Test
    void warmRestartRoundsAreWrittenIntoTheHistory(@TempDir Path dir) throws IOException {
        Path data = pairWithLocations(dir);
        Path out = dir.resolve("out");
        CliCapture r = CliCapture.run("benchmark", "--data", data.toString(), "--out", out.toString(), "--methods",
                "gimvi-rounds", "--protocol", "paper", "--epochs", "2", "--seeds", "0");
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> rows = Files.readAllLines(out.resolve("histories/pair/paper/gimvi-rounds-seed0.csv"));
        assertEquals(1 + 6, rows.size(), "3 rounds of 2 epochs");
        assertEquals(List.of("0", "0", "1", "1", "2", "2"), rows.subList(1, 7).stream().map(l -> l.split(",")[1]).toList());
        try (Stream<Path> figures = Files.list(out.resolve("figures"))) {
            assertTrue(figures.anyMatch(f -> f.getFileName().toString().equals("pair-training-gimvi-rounds-seed0.png")));
        }
    }
}
