package org.gimvi.tools.plots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gimvi.model.io.AtomicFiles;
import org.gimvi.model.io.InputFormatException;

/**
 * Training curves as CSV, one row per epoch: {@code epoch,round,reconstruction_<dataset>,kl_<dataset>,
 * …,validation_elbo,classifier_accuracy}. The reader finds columns by name, so it also reads
 * {@code TrainingHistory.toCsv()} (no round column: one round).
 */
public final class TrainingCurvesCsv {
    private TrainingCurvesCsv() {
    }

    public static void write(Path file, TrainingCurves c) throws IOException {
        StringBuilder sb = new StringBuilder("epoch,round");
        for (String d : c.datasets()) {
            sb.append(",reconstruction_").append(d).append(",kl_").append(d);
        }
        sb.append(",validation_elbo,classifier_accuracy\n");
        for (int i = 0; i < c.epochs(); i++) {
            sb.append((long) c.epoch()[i]).append(',').append(c.round()[i]);
            for (int m = 0; m < c.datasets().length; m++) {
                sb.append(',').append(c.reconstruction()[m][i]).append(',').append(c.kl()[m][i]);
            }
            sb.append(',').append(c.validationElbo()[i]).append(',').append(c.classifierAccuracy()[i]).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Reads a history CSV; a missing file, column or number is an {@link InputFormatException} naming it. */
    public static TrainingCurves read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new InputFormatException(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (lines.isEmpty()) {
            throw new InputFormatException(file, "is empty; expected a training-history CSV with a header line");
        }
        List<String> header = Arrays.asList(lines.get(0).trim().split(","));
        int epochCol = column(file, header, "epoch");
        int accCol = column(file, header, "classifier_accuracy");
        int valCol = header.indexOf("validation_elbo");
        int roundCol = header.indexOf("round");
        List<String> datasets = new ArrayList<>();
        for (String h : header) {
            if (h.startsWith("reconstruction_")) {
                datasets.add(h.substring("reconstruction_".length()));
            }
        }
        if (datasets.isEmpty()) {
            throw new InputFormatException(file, "has no reconstruction_<dataset> column; expected a training-history CSV "
                    + "(epoch, reconstruction_<dataset>, kl_<dataset>, classifier_accuracy)");
        }
        int[] recCol = new int[datasets.size()];
        int[] klCol = new int[datasets.size()];
        for (int m = 0; m < datasets.size(); m++) {
            recCol[m] = column(file, header, "reconstruction_" + datasets.get(m));
            klCol[m] = column(file, header, "kl_" + datasets.get(m));
        }
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        int n = rows.size();
        if (n == 0) {
            throw new InputFormatException(file, "has a header but no epoch rows");
        }
        double[] epoch = new double[n];
        double[][] rec = new double[datasets.size()][n];
        double[][] kl = new double[datasets.size()][n];
        double[] val = new double[n];
        double[] acc = new double[n];
        int[] round = new int[n];
        for (int i = 0; i < n; i++) {
            String[] f = rows.get(i).split(",", -1);
            epoch[i] = number(file, f, epochCol, "epoch", i);
            acc[i] = number(file, f, accCol, "classifier_accuracy", i);
            val[i] = valCol < 0 ? Double.NaN : number(file, f, valCol, "validation_elbo", i);
            round[i] = roundCol < 0 ? 0 : (int) number(file, f, roundCol, "round", i);
            for (int m = 0; m < datasets.size(); m++) {
                rec[m][i] = number(file, f, recCol[m], header.get(recCol[m]), i);
                kl[m][i] = number(file, f, klCol[m], header.get(klCol[m]), i);
            }
        }
        return new TrainingCurves(datasets.toArray(new String[0]), epoch, rec, kl, val, acc, round);
    }

    private static int column(Path file, List<String> header, String name) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new InputFormatException(file, "has no '" + name + "' column; expected a training-history CSV "
                    + "(epoch, reconstruction_<dataset>, kl_<dataset>, classifier_accuracy)");
        }
        return c;
    }

    private static double number(Path file, String[] fields, int col, String name, int row) {
        if (col >= fields.length) {
            throw new InputFormatException(file, "row " + (row + 2) + " has no '" + name + "' value");
        }
        String s = fields[col].trim();
        if (s.equals("NaN") || s.equals("NA") || s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new InputFormatException(file, "row " + (row + 2) + ", column '" + name + "': '" + s + "' is not a number");
        }
    }
}
