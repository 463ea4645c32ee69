package org.gimvi.engine.backend;

/**
 * What a device backend has done since it opened: kernel launches and the floats moved between host
 * and device (index arrays counted as elements too). A resident training step should move only its
 * minibatches in and its losses out; CPU backends report {@link #NONE}. Benchmarks difference two
 * snapshots to report per-step traffic.
 */
public record DeviceTraffic(long launches, long uploads, long floatsUp, long downloads, long floatsDown) {
    public static final DeviceTraffic NONE = new DeviceTraffic(0, 0, 0, 0, 0);

    /** This snapshot minus an earlier one. */
    public DeviceTraffic since(DeviceTraffic earlier) {
        return new DeviceTraffic(launches - earlier.launches, uploads - earlier.uploads, floatsUp - earlier.floatsUp,
                downloads - earlier.downloads, floatsDown - earlier.floatsDown);
    }
}
