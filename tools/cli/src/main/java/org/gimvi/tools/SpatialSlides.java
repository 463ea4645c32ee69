package org.gimvi.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.gimvi.engine.matrix.DenseCountMatrix;
import org.gimvi.model.data.BatchCodes;
import org.gimvi.model.data.CellDataset;
import org.gimvi.model.data.GeneMatching;

/**
 * Several slides of one panel as one spatial dataset for training: their cells one after the
 * other, each slide a batch of the spatial dataset (or the batches of {@code --spatial-batch-key},
 * merged by value across slides). One dataset with batches rather than one dataset per slide keeps
 * the model's two-dataset layout, so the saved model imputes any later slide of the panel with the
 * one spatial encoder.
 *
 * @param batches null when there is one slide and no batch key
 */
record SpatialSlides(CellDataset combined, BatchCodes batches) {

    static SpatialSlides combine(List<CellDataset> slides, List<Path> files, List<BatchCodes> keyBatches,
                                 GeneMatching.CaseRule caseRule) {
        CellDataset first = slides.get(0);
        if (slides.size() == 1) {
            return new SpatialSlides(first, keyBatches.get(0));
        }
        String[] genes = first.genes();
        List<int[]> columns = new ArrayList<>();
        int rows = 0;
        for (int s = 0; s < slides.size(); s++) {
            CellDataset d = slides.get(s);
            GeneMatching.Result r = GeneMatching.match(genes, d.genes(), caseRule);
            if (!r.missing().isEmpty() || d.genes().length != genes.length) {
                throw new IllegalArgumentException(files.get(s) + ": every --spatial slide must measure the panel of "
                        + files.get(0).getFileName() + " (" + genes.length + " genes); this one has " + d.genes().length
                        + (r.missing().isEmpty() ? "" : ", missing " + GeneMatching.preview(r.missing())));
            }
            columns.add(r.positions());
            rows += d.counts().rows();
        }
        DenseCountMatrix counts = DenseCountMatrix.zeros(rows, genes.length);
        String[] cells = new String[rows];
        int[] slideOf = new int[rows];
        LinkedHashMap<String, Integer> seen = new LinkedHashMap<>();
        int at = 0;
        for (int s = 0; s < slides.size(); s++) {
            CellDataset d = slides.get(s);
            float[] row = new float[d.counts().cols()];
            for (int i = 0; i < d.counts().rows(); i++, at++) {
                d.counts().copyRow(i, row, 0);
                for (int j = 0; j < genes.length; j++) {
                    counts.set(at, j, row[columns.get(s)[j]]);
                }
                // cell names only need to be unique within the combined training set
                String name = seen.containsKey(d.cells()[i]) ? files.get(s).getFileName() + ":" + d.cells()[i] : d.cells()[i];
                seen.put(name, at);
                cells[at] = name;
                slideOf[at] = s;
            }
        }
        BatchCodes batches;
        if (keyBatches.get(0) != null) {
            batches = keyBatches.get(0);
            for (int s = 1; s < slides.size(); s++) {
                batches = BatchCodes.concat(batches, keyBatches.get(s));
            }
        } else {
            String[] names = new String[files.size()];
            for (int s = 0; s < names.length; s++) {
                names[s] = files.get(s).getFileName().toString();
            }
            batches = new BatchCodes(slideOf, names);
        }
        CellDataset combined = new CellDataset(slides.size() + " slides", first.format(), counts, genes, cells,
                new LinkedHashMap<>(), null);
        return new SpatialSlides(combined, batches);
    }
}
