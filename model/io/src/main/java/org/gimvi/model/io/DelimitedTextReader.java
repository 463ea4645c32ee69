package org.gimvi.model.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a numeric table from comma- or tab-separated text, optionally gzipped (detected from the
 * file's magic bytes, not its name). The first line is a header of column names; whether the first
 * column holds row names is detected: the header is one field shorter than the data rows, or its first
 * field is empty, or the data rows' first field is not a number.
 */
public final class DelimitedTextReader {
    private DelimitedTextReader() {
    }

    /** Opens plain or gzip-compressed text. */
    public static BufferedReader open(Path file) throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new InputFormatException(file, "file not found");
        }
        in = new java.io.BufferedInputStream(in, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    /**
     * Reads the table. Separator: a tab if the first line has one, else a comma if it has one, else runs
     * of spaces. A first line whose fields (after an optional row name) are all numbers is data, not a
     * header: the columns are then named col1, col2, ….
     */
    public static TextTable read(Path file) {
        try (BufferedReader r = open(file)) {
            String header = r.readLine();
            if (header == null) {
                throw new InputFormatException(file, "the file is empty; expected a header line of column names");
            }
            if (header.startsWith("\uFEFF")) {
                header = header.substring(1);
            }
            char sep = header.indexOf('\t') >= 0 ? '\t' : header.indexOf(',') >= 0 ? ',' : ' ';
            String[] head = split(header, sep);
            String pendingFirstRow = null;
            if (looksLikeData(head)) {
                pendingFirstRow = header;
                int named = isNumber(head[0]) ? 0 : 1;
                head = new String[head.length - named];
                for (int j = 0; j < head.length; j++) {
                    head[j] = "col" + (j + 1);
                }
                if (named == 1) {
                    String[] withName = new String[head.length + 1];
                    withName[0] = "";
                    System.arraycopy(head, 0, withName, 1, head.length);
                    head = withName; // an empty first name marks the row-name column
                }
            }
            List<String> rowNames = new ArrayList<>();
            FloatList values = new FloatList();
            Boolean hasRowNames = null;
            int cols = -1;
            String line = null;
            long lineNo = 1; // a headerless first row is line 1 as well
            while (pendingFirstRow != null || (line = r.readLine()) != null) {
                if (pendingFirstRow != null) {
                    line = pendingFirstRow;
                    pendingFirstRow = null;
                } else {
                    lineNo++;
                }
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = split(line, sep);
                if (hasRowNames == null) {
                    hasRowNames = f.length == head.length + 1 || (f.length == head.length
                            && (head[0].isEmpty() || !isNumber(f[0])));
                    cols = hasRowNames ? f.length - 1 : f.length;
                    if (hasRowNames && f.length == head.length) {
                        head = java.util.Arrays.copyOfRange(head, 1, head.length);
                    }
                    if (head.length != cols) {
                        throw new InputFormatException(file, lineNo, "the header has " + head.length
                                + " column names but the data rows have " + cols + " values; check the separator and "
                                + "that the header names every column");
                    }
                }
                int start = hasRowNames ? 1 : 0;
                if (f.length - start != cols) {
                    throw new InputFormatException(file, lineNo, "expected " + (cols + start) + " fields like the lines "
                            + "above, found " + f.length + " (a truncated or ragged file?)");
                }
                rowNames.add(hasRowNames ? f[0] : "row" + (rowNames.size() + 1));
                for (int j = start; j < f.length; j++) {
                    values.add(parse(file, lineNo, head[j - start], f[j]));
                }
            }
            if (rowNames.isEmpty()) {
                throw new InputFormatException(file, "no data rows after the header");
            }
            float[] v = values.toArray();
            if (!hasRowNames && isRowCounter(v, cols, rowNames.size())) {
                return withCounterAsRowNames(head, v, cols, rowNames.size());
            }
            return new TextTable(rowNames.toArray(new String[0]), head, v);
        } catch (IOException e) {
            throw new InputFormatException(file, "cannot be read (" + e.getMessage() + "); is it a complete text or gzip file?");
        }
    }

    /**
     * True when the first column counts the rows 0, 1, 2, … or 1, 2, 3, …: a pandas index written
     * with a name ({@code df.to_csv()} of a frame whose index is named, e.g. "cell_id"), so a header
     * field, not empty, names it. No gene's counts run through the row numbers.
     */
    private static boolean isRowCounter(float[] v, int cols, int rows) {
        if (cols < 2 || rows < 2) {
            return false;
        }
        float start = v[0];
        if (start != 0 && start != 1) {
            return false;
        }
        for (int i = 0; i < rows; i++) {
            if (v[i * cols] != start + i) {
                return false;
            }
        }
        return true;
    }

    private static TextTable withCounterAsRowNames(String[] head, float[] v, int cols, int rows) {
        String[] names = new String[rows];
        float[] rest = new float[rows * (cols - 1)];
        for (int i = 0; i < rows; i++) {
            names[i] = Integer.toString((int) v[i * cols]);
            System.arraycopy(v, i * cols + 1, rest, i * (cols - 1), cols - 1);
        }
        return new TextTable(names, java.util.Arrays.copyOfRange(head, 1, head.length), rest);
    }

    private static float parse(Path file, long line, String column, String s) {
        String t = s.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("NA") || t.equalsIgnoreCase("nan")) {
            throw new InputFormatException(file, line, "missing value in column '" + column + "'; fill it or drop the row");
        }
        try {
            return Float.parseFloat(t);
        } catch (NumberFormatException e) {
            throw new InputFormatException(file, line, "column '" + column + "' holds '" + (t.length() > 40 ? t.substring(0, 40) + "…" : t)
                    + "', which is not a number");
        }
    }

    /** True when every field after the first is a number (a headerless table's first row). */
    static boolean looksLikeData(String[] fields) {
        if (fields.length < 2) {
            return isNumber(fields[0]);
        }
        for (int j = 1; j < fields.length; j++) {
            if (!isNumber(fields[j])) {
                return false;
            }
        }
        return true;
    }

    static boolean isNumber(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            return false;
        }
        try {
            Double.parseDouble(t);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Splits on sep (a space means runs of spaces), removing surrounding double quotes from each field. */
    static String[] split(String line, char sep) {
        if (sep == ' ') {
            String[] f = line.trim().split(" +");
            for (int i = 0; i < f.length; i++) {
                if (f[i].length() >= 2 && f[i].charAt(0) == '"' && f[i].charAt(f[i].length() - 1) == '"') {
                    f[i] = f[i].substring(1, f[i].length() - 1);
                }
            }
            return f;
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
            n--;
        }
        for (int i = 0; i <= n; i++) {
            if (i == n || line.charAt(i) == sep) {
                String f = line.substring(start, i);
                if (f.length() >= 2 && f.charAt(0) == '"' && f.charAt(f.length() - 1) == '"') {
                    f = f.substring(1, f.length() - 1);
                }
                out.add(f);
                start = i + 1;
            }
        }
        return out.toArray(new String[0]);
    }

    /** Growable float array (avoids boxing millions of values). */
    static final class FloatList {
        private float[] a = new float[1024];
        private int n;

        void add(float v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
