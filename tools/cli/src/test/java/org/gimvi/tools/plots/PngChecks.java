package org.gimvi.tools.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/** What every written figure must be: a decodable PNG of a sensible size with something drawn, and its SVG. */
public final class PngChecks {
    private PngChecks() {
    }

    /** The SVG parses as XML, its root is an svg element, and its size is the PNG's. */
    static void assertSvg(Path svg, int width, int height) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // the DOCTYPE names the W3C DTD; nothing is fetched from the network in a test
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            Element root = f.newDocumentBuilder().parse(svg.toFile()).getDocumentElement();
            assertEquals("svg", root.getTagName(), svg + " root element");
            assertEquals(width + "px", root.getAttribute("width"), svg + " width");
            assertEquals(height + "px", root.getAttribute("height"), svg + " height");
        } catch (ParserConfigurationException | SAXException e) {
            throw new AssertionError(svg + " is not well-formed XML: " + e.getMessage(), e);
        }
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
        assertSvg(svg, img.getWidth(), img.getHeight());
        return img;
    }
}
