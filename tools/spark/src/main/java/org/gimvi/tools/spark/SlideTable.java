package org.gimvi.tools.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The job's list of slides: a small text table (tab- or comma-separated, by the file's extension
 * {@code .tsv}/{@code .csv}) whose header names a {@code slide} column and a {@code path} column;
 * other columns are ignored. It is read on the driver, whole, before any work starts, so a wrong
 * table is one error line naming the file, the line and the field, not a failed cluster job.
 * Relative paths are resolved against the table's folder.
 */
final class SlideTable {
    /** Slide names become file names: letters, digits, '.', '_' and '-', not starting with '.'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*");

    private SlideTable() {
    }

    /** A slide's name becomes its output's file name; {@code where} says where the name came from. */
    static boolean isName(String slide) {
        return slide != null && NAME.matcher(slide).matches();
    }

    static void checkName(String slide, String where) {
        if (!isName(slide)) {
            throw new IllegalArgumentException(where + ": slide '" + slide + "' cannot name a file; use letters, "
                    + "digits, '.', '_' and '-' (its output is SLIDE.h5ad)");
        }
    }

    static List<Slide> read(Path table) throws IOException {
        String name = table.getFileName().toString().toLowerCase(Locale.ROOT);
        String sep = name.endsWith(".csv") ? "," : name.endsWith(".tsv") || name.endsWith(".txt") ? "\t" : null;
        if (sep == null) {
            throw new IllegalArgumentException(table + ": the slides table must be a .tsv or .csv file with a header "
                    + "'slide<TAB>path'");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(table, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(table + ": slides table not found");
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(table + ": empty; the first line must be a header naming the columns "
                    + "'slide' and 'path'");
        }
        List<String> header = Arrays.asList(lines.get(0).split(Pattern.quote(sep), -1));
        int slideCol = header.indexOf("slide");
        int pathCol = header.indexOf("path");
        if (slideCol < 0 || pathCol < 0) {
            throw new IllegalArgumentException(table + ":1: the header " + header + " lacks the column '"
                    + (slideCol < 0 ? "slide" : "path") + "'; the table needs 'slide' and 'path'");
        }
        Path folder = table.toAbsolutePath().getParent();
        List<Slide> slides = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(Pattern.quote(sep), -1);
            int at = i + 1;
            if (f.length != header.size()) {
                throw new IllegalArgumentException(table + ":" + at + ": " + f.length + " fields, the header has "
                        + header.size() + "; give every row a value for each column");
            }
            String slide = f[slideCol].trim();
            String path = f[pathCol].trim();
            checkName(slide, table + ":" + at);
            Integer first = seen.putIfAbsent(slide.toLowerCase(Locale.ROOT), at);
            if (first != null) {
                throw new IllegalArgumentException(table + ":" + at + ": slide '" + slide + "' is also on line " + first
                        + " (names are compared ignoring case, as file systems may); give each slide its own name");
            }
            if (path.isEmpty()) {
                throw new IllegalArgumentException(table + ":" + at + ": slide '" + slide + "' has an empty path");
            }
            Path p = Path.of(path);
            slides.add(new Slide(slide, p.isAbsolute() || folder == null ? path : folder.resolve(p).toString()));
        }
        if (slides.isEmpty()) {
            throw new IllegalArgumentException(table + ": no slides listed under the header");
        }
        return slides;
    }
}
