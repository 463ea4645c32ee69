package org.gimvi.tools;

import java.io.PrintStream;
import java.util.Locale;
import org.gimvi.model.gimvi.EpochRecord;
import org.gimvi.model.gimvi.TrainingListener;

/**
 * A training progress indicator on stderr: a redrawn bar on a terminal, a line every 10% elsewhere
 * (CI logs stay short).
 */
public final class Progress implements TrainingListener {
    private final PrintStream err;
    private final String label;
    private final boolean terminal;
    private int lastDecile = -1;

    public Progress(String label) {
        this(System.err, label, System.console() != null);
    }

    Progress(PrintStream err, String label, boolean terminal) {
        this.err = err;
        this.label = label;
        this.terminal = terminal;
    }

    @Override
    public void epochFinished(EpochRecord r, int total) {
        int done = r.epoch() + 1;
        String stats = String.format(Locale.ROOT, "elbo %.2f / %.2f%s", r.elbo(0), r.elbo(1),
                Double.isNaN(r.classifierAccuracy()) ? "" : String.format(Locale.ROOT, ", classifier acc %.2f",
                        r.classifierAccuracy()));
        if (terminal) {
            int width = 30;
            int filled = (int) ((long) width * done / Math.max(1, total));
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total
                    + " " + stats + "   ");
            if (done == total) {
                err.println();
            }
        } else {
            int decile = (int) (10L * done / Math.max(1, total));
            if (decile != lastDecile && (decile > lastDecile)) {
                lastDecile = decile;
                err.println(label + " epoch " + done + "/" + total + ": " + stats);
            }
        }
        err.flush();
    }
}
