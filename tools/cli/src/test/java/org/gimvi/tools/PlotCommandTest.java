package org.gimvi.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gimvi.model.io.H5adWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gimvi plot}: every bad input is one line naming the file and the field, exit code 2. */
class PlotCommandTest {

    private static Path h5ad(Path dir, boolean withCoordinates) throws IOException {
        float[][] x = {{1, 2}, {3, 4}, {0, 5}};
        H5adWriter.Content c = new H5adWriter.Content(x, new String[]{"a", "b", "c"}, new String[]{"Lamp5", "Gad2"});
        if (withCoordinates) {
            c.obsm("spatial", new float[][]{{0, 0}, {1, 2}, {2, 1}});
        }
        Path f = dir.resolve(withCoordinates ? "with.h5ad" : "without.h5ad");
        H5adWriter.write(f, c);
        return f;
    }

    @Test
    void drawsAMapOfAnyGene(@TempDir Path dir) throws IOException {
        CliCapture r = CliCapture.run("plot", "--h5ad", h5ad(dir, true).toString(), "--gene", "gad2", "--out",
                dir.resolve("gad2.png").toString());
        assertTrue(r.code() == 0, r.err());
        assertTrue(Files.size(dir.resolve("gad2.png")) > 1000 && Files.exists(dir.resolve("gad2.svg")));
    }

    @Test
    void badInputIsOneClearLine(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("x.png");
        CliCapture r = CliCapture.run("plot", "--h5ad", dir.resolve("missing.h5ad").toString(), "--gene", "Lamp5", "--out",
                out.toString());
        assertTrue(r.isOneClearLine() && r.err().contains("missing.h5ad"), r.err());

        r = CliCapture.run("plot", "--h5ad", h5ad(dir, true).toString(), "--gene", "Nope", "--out", out.toString());
        assertTrue(r.isOneClearLine() && r.err().contains("with.h5ad") && r.err().contains("'Nope'")
                && r.err().contains("Lamp5"), r.err());

        r = CliCapture.run("plot", "--h5ad", h5ad(dir, false).toString(), "--gene", "Lamp5", "--out", out.toString());
        assertTrue(r.isOneClearLine() && r.err().contains("without.h5ad") && r.err().contains("obsm['spatial']"), r.err());

        r = CliCapture.run("plot", "--h5ad", h5ad(dir, true).toString(), "--out", out.toString());
        assertTrue(r.isOneClearLine() && r.err().contains("--gene"), r.err());

        r = CliCapture.run("plot", "--out", out.toString());
        assertTrue(r.isOneClearLine() && r.err().contains("exactly one of --h5ad"), r.err());

        Path csv = dir.resolve("history.csv");
        Files.writeString(csv, "epoch,kl_spatial\n0,1\n");
        r = CliCapture.run("plot", "--history", csv.toString(), "--out", out.toString());
        assertTrue(r.isOneClearLine() && r.err().contains("history.csv") && r.err().contains("classifier_accuracy"),
                r.err());

        Path model = dir.resolve("m.gimvi");
        Files.writeString(model, "not read");
        r = CliCapture.run("plot", "--history", model.toString(), "--out", out.toString());
        assertTrue(r.isOneClearLine() && r.err().contains("m.gimvi") && r.err().contains("do not store the training history"),
                r.err());

        r = CliCapture.run("plot", "--history", dir.resolve("none.csv").toString(), "--out", out.toString());
        assertTrue(r.isOneClearLine() && r.err().contains("none.csv"), r.err());
        assertTrue(!Files.exists(out), "nothing written on bad input");
    }
}
