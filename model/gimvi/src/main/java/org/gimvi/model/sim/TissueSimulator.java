package org.gimvi.model.sim;

import org.gimvi.engine.random.Rng;
import org.gimvi.engine.matrix.DenseCountMatrix;

/**
 * Simulates a layered tissue measured twice: by scRNA-seq (all genes, deep, zero-inflated) and by a
 * targeted spatial assay (a gene panel, shallow, with gene-specific capture efficiency).
 *
 * <p>Biology: each cell type has a baseline expression profile (log-normal across genes) and a
 * marker program (its marker genes up 8–20×). Tissue: cells sit in horizontal layers (y), each layer
 * dominated by one or two types, so expression has spatial structure. Measurement: scRNA-seq
 * counts ~ ZINB(library·profile, θ_seq, dropout_g); spatial counts ~ NB(library·efficiency_g·profile,
 * θ_sp) over the panel. Held-out genes are simulated like the rest of the panel and kept as truth.
 *
 * <p>The panel is chosen to contain markers of every type (as real panels do), and the held-out
 * genes are drawn from the panel, so each has a true signal that the other panel genes predict.
 */
public final class TissueSimulator {
    private TissueSimulator() {
    }

    public static SimulatedPair simulate(SimulatorConfig c) {
        c.validate();
        Rng rng = new Rng(c.seed);
        int t = c.cellTypes;
        int g = c.genes;
        String[] genes = new String[g];
        for (int j = 0; j < g; j++) {
            genes[j] = String.format("Gene%03d", j);
        }
        String[] typeNames = new String[t];
        for (int k = 0; k < t; k++) {
            typeNames[k] = "Type" + (char) ('A' + k % 26) + (k >= 26 ? Integer.toString(k / 26) : "");
        }
        // expression profiles: baseline log-normal, markers ×8–20 for their type
        double[][] profile = new double[t][g];
        double[] base = new double[g];
        for (int j = 0; j < g; j++) {
            base[j] = rng.nextGaussian() * 1.0;
        }
        int[] markerOf = new int[g];
        java.util.Arrays.fill(markerOf, -1);
        int[] perm = rng.permutation(g);
        for (int k = 0; k < t; k++) {
            for (int q = 0; q < c.markersPerType; q++) {
                markerOf[perm[k * c.markersPerType + q]] = k;
            }
        }
        for (int k = 0; k < t; k++) {
            double sum = 0;
            for (int j = 0; j < g; j++) {
                double logExpr = base[j] + 0.3 * rng.nextGaussian();
                if (markerOf[j] == k) {
                    logExpr += StrictMath.log(8 + 12 * rng.nextDouble());
                }
                profile[k][j] = StrictMath.exp(logExpr);
                sum += profile[k][j];
            }
            for (int j = 0; j < g; j++) {
                profile[k][j] /= sum;
            }
        }
        // panel: markers of every type first, then random genes
        int[] panel = choosePanel(c, markerOf, perm, rng);
        int trainPanel = c.panelGenes - c.heldOutGenes;
        // held-out genes: a random subset of the panel
        int[] panelPerm = rng.permutation(c.panelGenes);
        int[] heldOut = new int[c.heldOutGenes];
        int[] kept = new int[trainPanel];
        for (int q = 0; q < c.heldOutGenes; q++) {
            heldOut[q] = panel[panelPerm[q]];
        }
        java.util.Arrays.sort(heldOut);
        int kk = 0;
        for (int p : panel) {
            if (java.util.Arrays.binarySearch(heldOut, p) < 0) {
                kept[kk++] = p;
            }
        }
        // tissue composition per layer: one dominant type, one secondary, the rest rare
        double[][] layerMix = new double[c.layers][t];
        for (int l = 0; l < c.layers; l++) {
            for (int k = 0; k < t; k++) {
                layerMix[l][k] = 0.05;
            }
            layerMix[l][l % t] += 3.0;
            layerMix[l][(l + c.layers) % t] += 1.0;
            normalise(layerMix[l]);
        }
        double[] overall = new double[t];
        for (int l = 0; l < c.layers; l++) {
            for (int k = 0; k < t; k++) {
                overall[k] += layerMix[l][k] / c.layers;
            }
        }
        double[] dropout = new double[g];
        double[] efficiency = new double[g];
        for (int j = 0; j < g; j++) {
            dropout[j] = c.maxDropout * rng.nextDouble();
            efficiency[j] = StrictMath.exp(c.captureEfficiencySd * rng.nextGaussian());
        }

        // scRNA-seq
        DenseCountMatrix seq = DenseCountMatrix.zeros(c.seqCells, g);
        int[] seqTypes = new int[c.seqCells];
        for (int i = 0; i < c.seqCells; i++) {
            int k = sample(overall, rng);
            seqTypes[i] = k;
            double lib = StrictMath.exp(c.seqLogLibraryMean + c.seqLogLibrarySd * rng.nextGaussian());
            boolean any = false;
            while (!any) {
                for (int j = 0; j < g; j++) {
                    double v = rng.nextDouble() < dropout[j] ? 0 : negBinomial(lib * profile[k][j], c.seqTheta, rng);
                    seq.set(i, j, (float) v);
                    any |= v > 0;
                }
            }
        }

        // spatial: the panel's library is over panel genes; the truth of held-out genes is kept
        int ns = c.spatialCells;
        DenseCountMatrix spatial = DenseCountMatrix.zeros(ns, trainPanel);
        DenseCountMatrix truth = DenseCountMatrix.zeros(ns, c.heldOutGenes);
        int[] spTypes = new int[ns];
        int[] spLayer = new int[ns];
        float[][] coords = new float[ns][2];
        double layerHeight = 1000.0 / c.layers;
        double[] panelProfile = new double[c.panelGenes];
        for (int i = 0; i < ns; i++) {
            double y = 1000.0 * rng.nextDouble();
            int l = Math.min(c.layers - 1, (int) (y / layerHeight));
            int k = sample(layerMix[l], rng);
            spTypes[i] = k;
            spLayer[i] = l;
            coords[i][0] = (float) (2000.0 * rng.nextDouble());
            coords[i][1] = (float) y;
            double s = 0;
            for (int q = 0; q < c.panelGenes; q++) {
                int j = panel[q];
                panelProfile[q] = profile[k][j] * efficiency[j];
                s += panelProfile[q];
            }
            double lib = StrictMath.exp(c.spatialLogLibraryMean + c.spatialLogLibrarySd * rng.nextGaussian());
            boolean any = false;
            while (!any) {
                int a = 0;
                int b = 0;
                for (int q = 0; q < c.panelGenes; q++) {
                    int j = panel[q];
                    double v = negBinomial(lib * panelProfile[q] / s, c.spatialTheta, rng);
                    if (java.util.Arrays.binarySearch(heldOut, j) >= 0) {
                        truth.set(i, b++, (float) v);
                    } else {
                        spatial.set(i, a++, (float) v);
                        any |= v > 0;
                    }
                }
            }
        }
        String[] spatialGenes = new String[trainPanel];
        for (int q = 0; q < trainPanel; q++) {
            spatialGenes[q] = genes[kept[q]];
        }
        String[] heldOutNames = new String[c.heldOutGenes];
        for (int q = 0; q < c.heldOutGenes; q++) {
            heldOutNames[q] = genes[heldOut[q]];
        }
        return new SimulatedPair(seq, genes, seqTypes, spatial, spatialGenes, heldOutNames, truth, spTypes, spLayer,
                coords, typeNames);
    }

    private static int[] choosePanel(SimulatorConfig c, int[] markerOf, int[] markerPerm, Rng rng) {
        int g = c.genes;
        boolean[] in = new boolean[g];
        int[] panel = new int[c.panelGenes];
        int n = 0;
        // up to half the panel: markers, round-robin over types
        int markerSlots = c.panelGenes / 2;
        for (int q = 0; q < c.markersPerType && n < markerSlots; q++) {
            for (int k = 0; k < c.cellTypes && n < markerSlots; k++) {
                int j = markerPerm[k * c.markersPerType + q];
                in[j] = true;
                panel[n++] = j;
            }
        }
        int[] perm = rng.permutation(g);
        for (int p = 0; n < c.panelGenes; p++) {
            if (!in[perm[p]]) {
                in[perm[p]] = true;
                panel[n++] = perm[p];
            }
        }
        java.util.Arrays.sort(panel);
        return panel;
    }

    private static void normalise(double[] p) {
        double s = 0;
        for (double v : p) {
            s += v;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= s;
        }
    }

    private static int sample(double[] p, Rng rng) {
        double u = rng.nextDouble();
        double acc = 0;
        for (int k = 0; k < p.length; k++) {
            acc += p[k];
            if (u < acc) {
                return k;
            }
        }
        return p.length - 1;
    }

    /** NB(mean, θ) as a Gamma–Poisson mixture. */
    static double negBinomial(double mean, double theta, Rng rng) {
        if (mean <= 0) {
            return 0;
        }
        double rate = gamma(theta, rng) * mean / theta;
        return poisson(rate, rng);
    }

    /** Marsaglia–Tsang gamma(shape, 1). */
    static double gamma(double shape, Rng rng) {
        if (shape < 1) {
            double u = rng.nextDouble();
            return gamma(shape + 1, rng) * StrictMath.pow(Math.max(u, 1e-300), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double cc = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + cc * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || StrictMath.log(Math.max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
                return d * v;
            }
        }
    }

    /** Poisson variate: inversion for small rates, normal approximation (rounded, ≥ 0) above 500. */
    static double poisson(double rate, Rng rng) {
        if (rate <= 0) {
            return 0;
        }
        if (rate > 500) {
            return Math.max(0, Math.rint(rate + Math.sqrt(rate) * rng.nextGaussian()));
        }
        if (rate > 30) {
            // split to keep exp(−rate) well inside double range and the loop short
            double half = rate / 2;
            return poisson(half, rng) + poisson(rate - half, rng);
        }
        double l = StrictMath.exp(-rate);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= rng.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
