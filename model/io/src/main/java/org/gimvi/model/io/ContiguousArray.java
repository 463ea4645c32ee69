package org.gimvi.model.io;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Slices of a one-dimensional numeric HDF5 dataset, read at 64-bit offsets. A contiguous dataset
 * (what anndata writes without compression) is read straight from the file at its data address —
 * jhdf's own slicing walks the slice element by element and maps the whole dataset, which is both
 * slow and limited to 2³¹ bytes; a chunked (e.g. compressed) dataset falls back to jhdf's slicing.
 */
final class ContiguousArray implements AutoCloseable {
    private final Path file;
    private final Dataset dataset;
    private final FileChannel channel; // null: jhdf's slicing
    private final long address;
    private final int size;
    private final boolean floating;
    private final boolean signed;
    private final ByteOrder order;
    private ByteBuffer buffer = ByteBuffer.allocate(0);

    ContiguousArray(Path file, Dataset dataset) {
        this.file = file;
        this.dataset = dataset;
        DataType t = dataset.getDataType();
        boolean direct = dataset instanceof ContiguousDataset && !dataset.isEmpty()
                && (t instanceof FloatingPoint || t instanceof FixedPoint);
        if (direct) {
            this.address = ((ContiguousDataset) dataset).getDataAddress();
            this.size = t.getSize();
            this.floating = t instanceof FloatingPoint;
            this.signed = !(t instanceof FixedPoint fp) || fp.isSigned();
            this.order = t instanceof FloatingPoint fl ? fl.getByteOrder() : ((FixedPoint) t).getByteOrder();
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            this.address = -1;
            this.size = 0;
            this.floating = false;
            this.signed = true;
            this.order = ByteOrder.LITTLE_ENDIAN;
            this.channel = null;
        }
    }

    /** Elements [from, from + len) as floats. */
    float[] floats(long from, int len) {
        if (channel == null) {
            return Hdf5Arrays.floats(file, dataset, dataset.getData(new long[]{from}, new int[]{len}));
        }
        ByteBuffer b = read(from, len);
        float[] out = new float[len];
        for (int k = 0; k < len; k++) {
            out[k] = (float) number(b, k);
        }
        return out;
    }

    /** Elements [from, from + len) as ints (column indices). */
    int[] ints(long from, int len) {
        if (channel == null) {
            return Hdf5Arrays.ints(file, dataset, dataset.getData(new long[]{from}, new int[]{len}));
        }
        ByteBuffer b = read(from, len);
        int[] out = new int[len];
        for (int k = 0; k < len; k++) {
            out[k] = (int) number(b, k);
        }
        return out;
    }

    private double number(ByteBuffer b, int k) {
        int at = k * size;
        if (floating) {
            return size == 4 ? b.getFloat(at) : b.getDouble(at);
        }
        return switch (size) {
            case 1 -> signed ? b.get(at) : b.get(at) & 0xFF;
            case 2 -> signed ? b.getShort(at) : b.getShort(at) & 0xFFFF;
            case 4 -> signed ? b.getInt(at) : b.getInt(at) & 0xFFFFFFFFL;
            default -> b.getLong(at);
        };
    }

    private ByteBuffer read(long from, int len) {
        long bytes = (long) len * size;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(file + ": a read of " + len + " values of '" + dataset.getPath()
                    + "' exceeds 2 GB; use smaller blocks");
        }
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate((int) bytes);
        }
        buffer.clear().limit((int) bytes);
        buffer.order(order);
        long position = address + from * size;
        try {
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position + buffer.position());
                if (n < 0) {
                    throw new InputFormatException(file, "'" + dataset.getPath() + "' ends before its " + len
                            + " values at offset " + from + "; the file is truncated");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": reading '" + dataset.getPath() + "'", e);
        }
        return buffer;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a read-only channel loses nothing
            }
        }
    }
}
