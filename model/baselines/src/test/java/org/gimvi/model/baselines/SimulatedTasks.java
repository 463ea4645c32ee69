package org.gimvi.model.baselines;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.metrics.imputation.Correlation;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.methods.ImputationResult;
import org.gimvi.model.methods.ImputationTask;
import org.gimvi.model.sim.SimulatedPair;
import org.gimvi.model.sim.SimulatorConfig;
import org.gimvi.model.sim.TissueSimulator;

/** A small simulated pair as an imputation task, and the scores the tests compare methods by. */
final class SimulatedTasks {
    private SimulatedTasks() {
    }

    static SimulatedPair pair() {
        SimulatorConfig c = new SimulatorConfig();
        c.seqCells = 800;
        c.spatialCells = 700;
        c.genes = 80;
        c.seed = 7;
        return TissueSimulator.simulate(c);
    }

    static ImputationTask task(SimulatedPair p) {
        return new ImputationTask("sim", p.seqCounts(), p.seqGenes(), p.spatialCounts(), p.spatialGenes(), p.heldOutGenes());
    }

    /** Median over target genes of the Spearman correlation after dividing truth and prediction by L. */
    static double medianSpearmanNorm(DenseCountMatrix truth, FMatrixRMaj predictions, double[] library) {
        int n = truth.rows();
        int g = truth.cols();
        double[] per = new double[g];
        for (int t = 0; t < g; t++) {
            double[] a = new double[n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                double l = library[i] > 0 ? library[i] : 1;
                a[i] = truth.get(i, t) / l;
                b[i] = predictions.get(i, t) / l;
            }
            per[t] = Correlation.spearman(a, b);
        }
        return Correlation.median(per);
    }

    static boolean allFinite(FMatrixRMaj m) {
        for (int i = 0; i < m.getNumElements(); i++) {
            if (!Float.isFinite(m.data[i])) {
                return false;
            }
        }
        return true;
    }

    static void assertBitIdentical(ImputationResult a, ImputationResult b) {
        if (!Arrays.equals(a.predictions().data, b.predictions().data)) {
            throw new AssertionError("predictions differ between two runs with the same seed");
        }
        if ((a.latentSeq() == null) != (b.latentSeq() == null)
                || a.latentSeq() != null && !Arrays.equals(a.latentSeq().data, b.latentSeq().data)
                || a.latentSpatial() != null && !Arrays.equals(a.latentSpatial().data, b.latentSpatial().data)) {
            throw new AssertionError("latent spaces differ between two runs with the same seed");
        }
    }

    /** The task with extra genes: all zero everywhere (a shared gene and a target), and one expressed only in scRNA-seq. */
    static ImputationTask withDegenerateGenes(SimulatedPair p) {
        DenseCountMatrix seq = p.seqCounts();
        DenseCountMatrix sp = p.spatialCounts();
        int gs = seq.cols();
        int gp = sp.cols();
        float[] seqData = new float[seq.rows() * (gs + 3)];
        for (int i = 0; i < seq.rows(); i++) {
            for (int j = 0; j < gs; j++) {
                seqData[i * (gs + 3) + j] = seq.get(i, j);
            }
            seqData[i * (gs + 3) + gs + 2] = i % 3; // varies in scRNA-seq, constant in space
            // gs: all-zero shared gene; gs + 1: all-zero target gene
        }
        float[] spData = new float[sp.rows() * (gp + 2)];
        for (int i = 0; i < sp.rows(); i++) {
            for (int j = 0; j < gp; j++) {
                spData[i * (gp + 2) + j] = sp.get(i, j);
            }
            // gp + 1 stays 0: a gene with variance in scRNA-seq but none in space (a constant non-zero count
            // would still vary after library-size normalisation)
        }
        String[] seqGenes = Arrays.copyOf(p.seqGenes(), gs + 3);
        seqGenes[gs] = "zeroShared";
        seqGenes[gs + 1] = "zeroTarget";
        seqGenes[gs + 2] = "flatInSpace";
        String[] spGenes = Arrays.copyOf(p.spatialGenes(), gp + 2);
        spGenes[gp] = "zeroShared";
        spGenes[gp + 1] = "flatInSpace";
        String[] targets = Arrays.copyOf(p.heldOutGenes(), p.heldOutGenes().length + 1);
        targets[targets.length - 1] = "zeroTarget";
        return new ImputationTask("sim-degenerate", new DenseCountMatrix(seq.rows(), gs + 3, seqData), seqGenes,
                new DenseCountMatrix(sp.rows(), gp + 2, spData), spGenes, targets);
    }
}
