package org.gimvi.tools.plots;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** What every written figure must be: a decodable PNG of a sensible size with something drawn, and its SVG. */
public final class PngChecks {
    private PngChecks() {
    }

    /** @return the decoded image, for further checks */
    public static BufferedImage assertFigure(Path png) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " exists");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " decodes as an image");
        assertTrue(img.getWidth() >= 300 && img.getWidth() <= 4000, png + " width " + img.getWidth());
        assertTrue(img.getHeight() >= 200 && img.getHeight() <= 3000, png + " height " + img.getHeight());
        int white = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb == 0xFFFFFF) {
                    white++;
                }
            }
        }
        int sampled = ((img.getHeight() + 1) / 2) * ((img.getWidth() + 1) / 2);
        assertTrue(white < 0.985 * sampled, png + " is not blank: " + white + " of " + sampled + " sampled pixels white");
        assertTrue(colours.size() > 20, png + " has " + colours.size() + " colours: more than text on white");
        String name = png.getFileName().toString();
        Path svg = png.resolveSibling(name.substring(0, name.length() - 4) + ".svg");
        assertTrue(Files.isRegularFile(svg), svg + " exists beside the PNG");
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.trim().endsWith("</svg>"), svg + " is a complete SVG document");
        return img;
    }
}
