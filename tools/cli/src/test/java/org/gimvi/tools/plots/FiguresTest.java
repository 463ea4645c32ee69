package org.gimvi.tools.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.gimvi.model.io.InputFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every figure kind writes a valid, non-blank PNG (and its SVG) from small made-up data. */
class FiguresTest {

    @Test
    void viridisHasThePublishedEndsAndBrightensMonotonically() {
        assertEquals(new Color(0.267004f, 0.004874f, 0.329415f), Viridis.at(0));
        assertEquals(new Color(0.993248f, 0.906157f, 0.143936f), Viridis.at(1));
        assertEquals(Viridis.at(0), Viridis.at(Double.NaN));
        assertEquals(Viridis.at(1), Viridis.at(7));
        double last = -1;
        for (int i = 0; i <= 100; i++) {
            Color c = Viridis.at(i / 100.0);
            double luminance = 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
            assertTrue(luminance > last, "luminance rises at " + i);
            last = luminance;
        }
    }

    @Test
    void spatialMapKeepsTheTissueAspectAndSharesOneScale(@TempDir Path dir) throws IOException {
        Random r = new Random(1);
        int n = 3405;
        float[][] tall = new float[n][];
        double[] measured = new double[n];
        double[] imputed = new double[n];
        for (int i = 0; i < n; i++) {
            tall[i] = new float[]{r.nextFloat() * 1000, r.nextFloat() * 2000};
            measured[i] = tall[i][1] > 1000 ? r.nextDouble() : 0.1 * r.nextDouble();
            imputed[i] = tall[i][1] / 2000.0;
        }
        measured[0] = Double.NaN; // a cell without a value is drawn grey, not dropped
        List<SpatialMapFigure.Panel> panels = List.of(new SpatialMapFigure.Panel("measured", measured),
                new SpatialMapFigure.Panel("gimvi", imputed));
        BufferedImage img = PngChecks.assertFigure(SpatialMapFigure.write(dir.resolve("tall"), "Lamp5 on test", tall,
                panels, "x / L"));
        float[][] wide = new float[n][];
        for (int i = 0; i < n; i++) {
            wide[i] = new float[]{tall[i][1], tall[i][0]};
        }
        BufferedImage wideImg = PngChecks.assertFigure(SpatialMapFigure.write(dir.resolve("wide"), "Lamp5 on test", wide,
                panels, "x / L"));
        assertTrue(img.getHeight() > wideImg.getHeight() + 150, "a tall tissue gives a taller figure");
        assertTrue(wideImg.getWidth() > img.getWidth() + 300, "a wide tissue gives a wider figure");
        assertThrows(IllegalArgumentException.class, () -> SpatialMapFigure.write(dir.resolve("bad"), "t", tall,
                List.of(new SpatialMapFigure.Panel("short", new double[3])), "x"));
    }

    @Test
    void theColourScaleStopsAtThe99thPercentile() {
        double[] v = new double[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        v[999] = 1e9; // one outlier cell does not set the scale
        assertEquals(989, SpatialMapFigure.upperLimit(List.of(new SpatialMapFigure.Panel("a", v))), 1);
        assertEquals(1, SpatialMapFigure.upperLimit(List.of(new SpatialMapFigure.Panel("zeros", new double[5]))));
    }

    @Test
    void integrationCurves(@TempDir Path dir) throws IOException {
        double[] k = {50, 100, 150, 200, 250, 300};
        List<IntegrationCurvesFigure.MethodCurves> m = List.of(
                new IntegrationCurvesFigure.MethodCurves("gimvi", k, new double[]{0.9, 0.85, 0.8, 0.78, 0.75, 0.7}, k,
                        new double[]{0.2, 0.25, 0.3, 0.33, 0.35, 0.37}, k, new double[]{0.1, 0.15, 0.2, 0.22, 0.25, 0.3}),
                new IntegrationCurvesFigure.MethodCurves("gimvi-k0", k, new double[]{0.5, 0.45, 0.42, 0.4, 0.38, 0.37}, k,
                        new double[]{0.3, 0.35, 0.4, 0.43, 0.45, 0.47}, k, new double[]{0.2, 0.25, 0.3, 0.32, 0.35, 0.4}));
        BufferedImage img = PngChecks.assertFigure(IntegrationCurvesFigure.write(dir.resolve("fig2"), "Figure 2", m));
        assertTrue(img.getWidth() > 3 * img.getHeight() / 2, "three panels side by side");
        PngChecks.assertFigure(IntegrationCurvesFigure.write(dir.resolve("mixing-only"), "mixing only", List.of(
                new IntegrationCurvesFigure.MethodCurves("gimvi", k, new double[]{0.9, 0.85, 0.8, 0.78, 0.75, 0.7},
                        null, null, null, null))));
    }

    @Test
    void uncertaintyAgainstPredictability(@TempDir Path dir) throws IOException {
        List<UncertaintyFigure.GenePoint> genes = List.of(new UncertaintyFigure.GenePoint("Lamp5", 0.8, 2e-4),
                new UncertaintyFigure.GenePoint("Gad2", 0.5, 1e-4), new UncertaintyFigure.GenePoint("Slc32a1", 0.3, 5e-5),
                new UncertaintyFigure.GenePoint("Crh", 0.9, 3e-4));
        PngChecks.assertFigure(UncertaintyFigure.write(dir.resolve("fig3"), "Figure 3",
                List.of(new UncertaintyFigure.MethodPoints("gimvi", genes, 0.8),
                        new UncertaintyFigure.MethodPoints("gimvi-k0", genes, Double.NaN))));
    }

    @Test
    void perGeneScores(@TempDir Path dir) throws IOException {
        PngChecks.assertFigure(GeneScoresFigure.write(dir.resolve("scores"), "Per-gene spearman_norm", "spearman_norm",
                List.of(new GeneScoresFigure.MethodScores("gimvi", new double[]{0.1, 0.3, 0.25, Double.NaN, 0.4}),
                        new GeneScoresFigure.MethodScores("knn", new double[]{0.05, 0.2, 0.1, 0.15}),
                        new GeneScoresFigure.MethodScores("libsize", new double[]{0, 0, 0, 0}))));
        assertEquals(0.25, GeneScoresFigure.median(new double[]{0.4, 0.1, 0.3, 0.2}), 1e-12);
    }

    static TrainingCurves restartCurves(int epochsPerRound, int rounds, boolean validation) {
        int n = epochsPerRound * rounds;
        double[] epoch = new double[n];
        double[][] rec = new double[2][n];
        double[][] kl = new double[2][n];
        double[] val = new double[n];
        double[] acc = new double[n];
        int[] round = new int[n];
        for (int i = 0; i < n; i++) {
            epoch[i] = i;
            rec[0][i] = 3000 / (1 + 0.05 * i);
            rec[1][i] = 80 / (1 + 0.03 * i);
            kl[0][i] = 20 + 5 * Math.exp(-0.1 * i);
            kl[1][i] = 5 + Math.exp(-0.1 * i);
            val[i] = validation && i % 5 == 0 ? 3100 / (1 + 0.05 * i) : Double.NaN;
            acc[i] = 0.5 + 0.4 * Math.exp(-0.05 * (i % epochsPerRound));
            round[i] = i / epochsPerRound;
        }
        return new TrainingCurves(new String[]{"scRNA-seq", "spatial"}, epoch, rec, kl, val, acc, round);
    }

    @Test
    void trainingCurvesMarkTheRoundsAndSurviveTheirCsv(@TempDir Path dir) throws IOException {
        TrainingCurves c = restartCurves(40, 3, true);
        assertArrayEquals(new double[]{40, 80}, c.roundStarts());
        PngChecks.assertFigure(TrainingCurvesFigure.write(dir.resolve("restarts"), "Training", c));
        PngChecks.assertFigure(TrainingCurvesFigure.write(dir.resolve("single"), "Training",
                restartCurves(60, 1, false)));
        Path csv = dir.resolve("h.csv");
        TrainingCurvesCsv.write(csv, c);
        TrainingCurves back = TrainingCurvesCsv.read(csv);
        assertArrayEquals(c.epoch(), back.epoch());
        assertArrayEquals(c.round(), back.round());
        assertArrayEquals(c.reconstruction()[1], back.reconstruction()[1]);
        assertArrayEquals(c.datasets(), back.datasets());
        assertTrue(Double.isNaN(back.validationElbo()[1]) && back.validationElbo()[0] > 0);
    }

    @Test
    void aBadHistoryCsvNamesTheFileAndTheField(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "epoch,reconstruction_spatial,kl_spatial\n0,1,2\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> TrainingCurvesCsv.read(csv));
        assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("classifier_accuracy"), e.getMessage());
        Files.writeString(csv, "epoch,reconstruction_spatial,kl_spatial,classifier_accuracy\n0,1,x,0.5\n");
        e = assertThrows(InputFormatException.class, () -> TrainingCurvesCsv.read(csv));
        assertTrue(e.getMessage().contains("kl_spatial") && e.getMessage().contains("row 2"), e.getMessage());
    }
}
