package org.gimvi.engine.backend;

import org.ejml.data.FMatrixRMaj;

/**
 * A row-major rows×cols block of floats inside a larger buffer: {@code array()[offset() + i·cols() + j]}.
 * Parameters and their gradients are views into one flat arena (see
 * {@link org.gimvi.engine.nn.ParameterArena}); the backend's view-taking operations read and write
 * exactly this range, so a device backend can keep the whole arena resident and address a tensor by
 * its offset.
 *
 * <p>Immutable: the buffer's contents change, the view does not. Deliberately has no {@code data}
 * field: code written for EJML matrices (whose data start at index 0) does not compile against a view
 * and so cannot silently ignore the offset.
 */
public final class TensorView {
    private final float[] array;
    private final int offset;
    private final int rows;
    private final int cols;

    public TensorView(float[] array, int offset, int rows, int cols) {
        if (rows < 0 || cols < 0 || offset < 0 || (long) offset + (long) rows * cols > array.length) {
            throw new IllegalArgumentException("view " + rows + "x" + cols + " at offset " + offset
                    + " does not fit a buffer of " + array.length + " floats");
        }
        this.array = array;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
    }

    /** The whole of an EJML matrix's current shape, from index 0 (allocates: not for hot paths). */
    public static TensorView of(FMatrixRMaj m) {
        return new TensorView(m.data, 0, m.numRows, m.numCols);
    }

    public float[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int size() {
        return rows * cols;
    }

    /** Element i of the view (row-major), for tests and host-side reads. */
    public float get(int i) {
        return array[offset + checkIndex(i)];
    }

    public float get(int row, int col) {
        return get(row * cols + col);
    }

    public void set(int i, float value) {
        array[offset + checkIndex(i)] = value;
    }

    /** A copy of the view's elements (host side; for tests and model files). */
    public float[] toArray() {
        float[] out = new float[size()];
        System.arraycopy(array, offset, out, 0, out.length);
        return out;
    }

    /** Copies {@code src[0 .. size())} into the view. */
    public void copyFrom(float[] src) {
        if (src.length < size()) {
            throw new IllegalArgumentException("view of " + size() + " floats, source has " + src.length);
        }
        System.arraycopy(src, 0, array, offset, size());
    }

    /** Whether this view and [otherOff, otherOff + otherLen) of {@code other} share an element. */
    public boolean overlaps(float[] other, int otherOff, int otherLen) {
        return other == array && otherOff < offset + size() && offset < otherOff + otherLen;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("index " + i + " outside a view of " + size() + " elements");
        }
        return i;
    }

    @Override
    public String toString() {
        return rows + "x" + cols + " @" + offset;
    }
}
