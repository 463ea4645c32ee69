package org.gimvi.tools.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One slide's result for the report and, when the job writes a Parquet table, the slide's rows of
 * it (every input cell, in input order; none when the slide failed or was written as h5ad).
 */
record SlideOutcome(SlideResult result, List<Row> rows) implements Serializable {
    static SlideOutcome of(SlideResult result) {
        return new SlideOutcome(result, List.of());
    }
}
