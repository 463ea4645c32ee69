package org.gimvi.tools.spark;

import java.io.Serializable;

/**
 * One row of the slides table: the slide's name (its output is {@code NAME.h5ad}) and the file it
 * is read from (h5ad, loom, 10x folder or text table — whatever {@code gimvi impute} reads).
 * Paths stay strings so an executor sees exactly what the table said (they are recorded in the
 * output's provenance, as {@code impute} records its {@code --spatial}).
 */
public record Slide(String name, String path) implements Serializable {
}
