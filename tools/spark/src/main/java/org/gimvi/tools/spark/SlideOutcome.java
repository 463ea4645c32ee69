package org.gimvi.tools.spark;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One slide's result for the report and, when the job writes a Parquet table, the slide's rows of
 * it (every input cell, in input order, made as they are taken; none when the slide failed or was
 * written as h5ad). It only passes from an imputing task to the write in the same task, so it is
 * never serialised.
 */
record SlideOutcome(SlideResult result, Iterable<Row> rows) {
    static SlideOutcome of(SlideResult result) {
        return new SlideOutcome(result, List.of());
    }
}
