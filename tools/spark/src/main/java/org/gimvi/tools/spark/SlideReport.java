package org.gimvi.tools.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.gimvi.model.io.AtomicFiles;

/**
 * The job's report: one tab-separated line per slide of the table, in table order — name, status
 * (OK or FAILED), cells, seconds, input, output and the reason a slide failed. Written atomically
 * (temporary file, then rename), like every output.
 */
final class SlideReport {
    static final String HEADER = "slide\tstatus\tcells\tseconds\tinput\toutput\tmessage";

    private SlideReport() {
    }

    static String format(List<SlideResult> results) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (SlideResult r : results) {
            sb.append(String.join("\t", r.slide(), r.status().name(), Long.toString(r.cells()),
                    String.format(Locale.ROOT, "%.3f", r.seconds()), oneField(r.input()), oneField(r.output()),
                    oneField(r.message()))).append('\n');
        }
        return sb.toString();
    }

    static void write(Path file, List<SlideResult> results) throws IOException {
        AtomicFiles.writeString(file, format(results));
    }

    /** Tabs and line breaks inside a field would break the table's columns. */
    private static String oneField(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
