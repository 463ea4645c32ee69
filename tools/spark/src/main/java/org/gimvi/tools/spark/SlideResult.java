package org.gimvi.tools.spark;

import java.io.Serializable;

/**
 * What became of one slide: {@code OK} with its output file and cell count, or {@code FAILED} with
 * the one-line reason (the other slides go on regardless).
 */
public record SlideResult(String slide, String input, String output, Status status, long cells, double seconds,
                          String message) implements Serializable {

    public enum Status { OK, FAILED }

    static SlideResult ok(Slide s, String output, long cells, double seconds) {
        return new SlideResult(s.name(), s.path(), output, Status.OK, cells, seconds, "");
    }

    static SlideResult failed(Slide s, String output, double seconds, String message) {
        return new SlideResult(s.name(), s.path(), output, Status.FAILED, 0, seconds, message);
    }
}
