package org.gimvi.tools;

import java.io.PrintStream;
import java.util.Locale;
import org.gimvi.model.gimvi.EpochRecord;
import org.gimvi.model.gimvi.TrainingListener;

/**
 * One progress line on stderr for a whole command: each step (reading, training, writing) in turn,
 * training as a bar with its ETA and the labelled losses. On a terminal the line is redrawn in
 * place; elsewhere (logs, CI) training prints a line every 10%. {@code --quiet} silences it all.
 * Thread-safe: the members of an ensemble that train side by side report to the same line.
 */
public final class Progress implements TrainingListener {
    private final PrintStream err;
    private final String label;
    private final boolean terminal;
    private final boolean quiet;
    private String[] datasetLabels = {"scRNA-seq", "spatial"};
    private int lastDecile = -1;
    private long trainingStart;
    private boolean lineOpen;

    public Progress(String label) {
        this(System.err, label, System.console() != null, false);
    }

    /** A progress line for a command; {@code quiet} shows nothing. */
    public static Progress forCommand(String label, boolean quiet) {
        return new Progress(System.err, label, System.console() != null, quiet);
    }

    Progress(PrintStream err, String label, boolean terminal, boolean quiet) {
        this.err = err;
        this.label = label;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    /** Names the datasets whose losses are shown, in model order. */
    public Progress labelled(String... datasets) {
        this.datasetLabels = datasets.clone();
        return this;
    }

    /** A step starts (e.g. "reading seq.h5ad"); it replaces the previous step on a terminal. */
    public synchronized void step(String what) {
        if (quiet) {
            return;
        }
        if (terminal) {
            err.print("\r\033[K" + label + ": " + what);
            lineOpen = true;
        } else {
            err.println(label + ": " + what);
        }
        err.flush();
    }

    /**
     * A message for the user on stdout (e.g. how many genes matched): on a terminal the progress line
     * is cleared first so the two do not share a line; the next step redraws it.
     */
    public synchronized void note(String message) {
        if (!quiet && terminal && lineOpen) {
            err.print("\r\033[K");
            err.flush();
            lineOpen = false;
        }
        if (!quiet) {
            System.out.println(message);
            System.out.flush();
        }
    }

    /** The command is done: ends the redrawn line so later output starts on its own line. */
    public synchronized void finish() {
        if (!quiet && terminal && lineOpen) {
            err.println();
            lineOpen = false;
        }
        err.flush();
    }

    @Override
    public synchronized void epochFinished(EpochRecord r, int total) {
        if (quiet) {
            return;
        }
        int done = r.epoch() + 1;
        if (done == 1 || trainingStart == 0) {
            trainingStart = System.nanoTime() - (long) (r.seconds() * 1e9);
        }
        double elapsed = (System.nanoTime() - trainingStart) / 1e9;
        int totalEpochs = Math.max(total, done);
        double eta = done >= totalEpochs ? 0 : elapsed / done * (totalEpochs - done);
        String stats = losses(r) + String.format(Locale.ROOT, ", ETA %s", duration(eta));
        if (terminal) {
            int width = 30;
            int filled = (int) ((long) width * done / Math.max(1, totalEpochs));
            err.print("\r\033[K" + label + ": training [" + "#".repeat(filled) + " ".repeat(width - filled) + "] "
                    + done + "/" + totalEpochs + " " + stats);
            lineOpen = true;
        } else {
            int decile = (int) (10L * done / Math.max(1, totalEpochs));
            if (decile > lastDecile) {
                lastDecile = decile;
                err.println(label + ": training epoch " + done + "/" + totalEpochs + ": " + stats);
            }
        }
        err.flush();
    }

    private String losses(EpochRecord r) {
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < r.reconstruction().length; m++) {
            String name = m < datasetLabels.length ? datasetLabels[m] : "dataset " + m;
            sb.append(m == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s loss %.2f", name, r.elbo(m)));
        }
        if (!Double.isNaN(r.classifierAccuracy())) {
            sb.append(String.format(Locale.ROOT, ", classifier accuracy %.2f", r.classifierAccuracy()));
        }
        return sb.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
