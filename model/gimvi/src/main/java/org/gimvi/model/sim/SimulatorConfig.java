package org.gimvi.model.sim;

/**
 * Knobs of the paired-tissue simulator. Defaults give a small, fast pair: 6 cell types in 4 layers,
 * 1,500 scRNA-seq cells × 150 genes, 1,500 spatial cells measuring a 30-gene panel of which 6 genes
 * are held out for scoring.
 */
public final class SimulatorConfig {
    public int cellTypes = 6;
    public int layers = 4;
    public int genes = 150;
    public int markersPerType = 6;
    public int seqCells = 1500;
    public int spatialCells = 1500;
    public int panelGenes = 30;
    public int heldOutGenes = 6;
    /** log-normal library size of scRNA-seq cells: mean and sd of log total counts. */
    public double seqLogLibraryMean = 8.0;
    public double seqLogLibrarySd = 0.5;
    /** Spatial assays capture far fewer molecules per cell (over the panel). */
    public double spatialLogLibraryMean = 5.0;
    public double spatialLogLibrarySd = 0.4;
    /** sd of the per-gene log capture efficiency of the spatial platform relative to scRNA-seq. */
    public double captureEfficiencySd = 0.5;
    /** Inverse dispersion of the scRNA-seq NB. */
    public double seqTheta = 3.0;
    /** Inverse dispersion of the spatial NB (closer to Poisson). */
    public double spatialTheta = 20.0;
    /** Upper bound of the per-gene zero-inflation probability of scRNA-seq (drawn uniformly from 0). */
    public double maxDropout = 0.3;
    public long seed = 0;

    public void validate() {
        require(cellTypes >= 2, "at least 2 cell types");
        require(layers >= 1, "at least 1 layer");
        require(markersPerType >= 1 && markersPerType * cellTypes <= genes, "markers per type × cell types must fit in the genes");
        require(seqCells >= 10 && spatialCells >= 10, "at least 10 cells per dataset");
        require(panelGenes >= 2 && panelGenes <= genes, "panel must have between 2 genes and all genes");
        require(heldOutGenes >= 1 && heldOutGenes < panelGenes, "held-out genes must be at least 1 and fewer than the panel");
        require(seqTheta > 0 && spatialTheta > 0, "inverse dispersions must be positive");
        require(maxDropout >= 0 && maxDropout < 1, "dropout must be in [0, 1)");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("simulator: " + message);
        }
    }
}
