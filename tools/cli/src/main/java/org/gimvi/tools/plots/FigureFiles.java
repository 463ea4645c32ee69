package org.gimvi.tools.plots;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes one figure as {@code NAME.png} and {@code NAME.svg} from a single painting routine, so the
 * raster and the vector copy always show the same thing.
 */
public final class FigureFiles {
    static {
        // the benchmark runs on servers and in CI: never ask for a display
        System.setProperty("java.awt.headless", "true");
    }

    /** Paints a figure of the given size in pixels (the SVG's units are the same pixels). */
    @FunctionalInterface
    public interface Painter {
        void paint(Graphics2D g, int width, int height);
    }

    private FigureFiles() {
    }

    /**
     * @param base the path without extension; {@code base.png} and {@code base.svg} are written
     * @return the PNG's path
     */
    public static Path write(Path base, int width, int height, Painter painter) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path png = base.resolveSibling(base.getFileName() + ".png");
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        prepare(g, width, height);
        painter.paint(g, width, height);
        g.dispose();
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException(png + ": no PNG writer in this JVM");
        }
        VectorGraphics2D vg = new VectorGraphics2D();
        prepare(vg, width, height);
        painter.paint(vg, width, height);
        vg.dispose();
        try (OutputStream os = Files.newOutputStream(svg)) {
            new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, width, height)).writeTo(os);
        }
        return png;
    }

    private static void prepare(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }
}
