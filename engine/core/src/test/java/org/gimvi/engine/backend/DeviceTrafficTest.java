package org.gimvi.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceTrafficTest {

    @Test
    void aDifferenceKeepsWhatHappenedBetweenTheSnapshots() {
        DeviceTraffic before = new DeviceTraffic(10, 2, 100, 1, 8,
                Map.of("gemm", new DeviceTraffic.Operation(6, 600), "fill", new DeviceTraffic.Operation(4, 40)));
        DeviceTraffic after = new DeviceTraffic(25, 3, 150, 4, 20, Map.of("gemm", new DeviceTraffic.Operation(16, 2600),
                "fill", new DeviceTraffic.Operation(4, 40), "adam", new DeviceTraffic.Operation(5, 500)));
        DeviceTraffic d = after.since(before);
        assertEquals(new DeviceTraffic(15, 1, 50, 3, 12, Map.of("gemm", new DeviceTraffic.Operation(10, 2000),
                "adam", new DeviceTraffic.Operation(5, 500))), d, "fill did not run in between, so it is not listed");
    }

    @Test
    void theTableListsOperationsByTimeWhenTimedAndByLaunchesOtherwise() {
        DeviceTraffic timed = new DeviceTraffic(15, 0, 0, 0, 0, Map.of("gemm", new DeviceTraffic.Operation(10, 3_000_000),
                "adam", new DeviceTraffic.Operation(5, 1_000_000)));
        String[] lines = timed.table("> ", "step").split(System.lineSeparator());
        assertEquals("> step: 4.0 ms in launches", lines[0]);
        assertTrue(lines[1].startsWith(">   gemm") && lines[1].contains("75.0 %"), lines[1]);
        assertTrue(lines[2].startsWith(">   adam") && lines[2].contains("25.0 %"), lines[2]);
        DeviceTraffic counted = new DeviceTraffic(15, 0, 0, 0, 0, Map.of("gemm", new DeviceTraffic.Operation(2, 0),
                "adam", new DeviceTraffic.Operation(13, 0)));
        String[] c = counted.table("", "step").split(System.lineSeparator());
        assertEquals("step", c[0]);
        assertTrue(c[1].startsWith("  adam") && !c[1].contains(" ms"), c[1]);
        assertEquals("", DeviceTraffic.NONE.table("> ", "nothing"));
    }
}
