package org.gimvi.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gimvi.engine.matrix.DenseCountMatrix;
import org.junit.jupiter.api.Test;

class PseudoSpotsTest {

    @Test
    void cellsInOneSquareAreSummedAndSpotsFollowTheirFirstCell() {
        // five cells, two genes; squares of side 10 anchored at the origin
        DenseCountMatrix cells = new DenseCountMatrix(5, 2, new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        float[][] xy = {{2, 3}, {20, 3}, {9.9f, 9.9f}, {29.9f, 4}, {10, 10}};
        PseudoSpots p = PseudoSpots.of(cells, xy, 10);
        assertEquals(3, p.counts().rows());
        // cells 1 and 3 share square (0, 0), cells 2 and 4 square (2, 0), cell 5 square (1, 1)
        assertArrayEquals(new float[]{6, 8, 10, 12, 9, 10}, p.counts().data());
        assertArrayEquals(new int[]{2, 2, 1}, p.cellsPerSpot());
        assertArrayEquals(new String[]{"spot_0_0", "spot_2_0", "spot_1_1"}, p.names());
        assertArrayEquals(new float[]{5, 5}, p.coordinates()[0]);
        assertArrayEquals(new float[]{15, 15}, p.coordinates()[2]);
        assertEquals(5 / 3.0, p.meanCellsPerSpot(), 1e-12);
    }

    @Test
    void totalsArePreserved() {
        DenseCountMatrix cells = new DenseCountMatrix(4, 3, new float[]{1, 0, 2, 0, 5, 0, 3, 3, 3, 7, 0, 1});
        float[][] xy = {{0, 0}, {0.5f, 0.5f}, {100, 100}, {0.1f, 99}};
        // negative coordinates fall into their own squares
        PseudoSpots p = PseudoSpots.of(cells, xy, 1);
        float total = 0;
        for (float v : p.counts().data()) {
            total += v;
        }
        assertEquals(25, total);
        assertEquals(3, p.counts().rows());
        PseudoSpots negative = PseudoSpots.of(cells, new float[][]{{-0.5f, 0}, {0.5f, 0}, {-0.5f, -0.5f}, {-1.5f, 0}}, 1);
        assertArrayEquals(new String[]{"spot_-1_0", "spot_0_0", "spot_-1_-1", "spot_-2_0"}, negative.names());
    }

    @Test
    void badSideOrCoordinatesAreRefusedWithTheReason() {
        DenseCountMatrix cells = DenseCountMatrix.zeros(2, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PseudoSpots.of(cells, new float[][]{{0, 0}, {1, 1}}, 0))
                .getMessage().contains("positive"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PseudoSpots.of(cells, null, 5))
                .getMessage().contains("no coordinates"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PseudoSpots.of(cells, new float[][]{{0, 0}, {Float.NaN, 1}}, 5)).getMessage().contains("cell 2"));
    }
}
