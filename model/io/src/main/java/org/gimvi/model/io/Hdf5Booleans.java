package org.gimvi.model.io;

import io.jhdf.api.WritableDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Boolean datasets as h5py (and so anndata, pandas, scanpy) write and read them: an HDF5 enum over
 * int8 with members FALSE = 0 and TRUE = 1. jhdf 0.13 writes Java booleans as an HDF5 bitfield,
 * which h5py reads as uint8, so the int8 dataset jhdf writes gets this enum type instead; the values
 * on disk are the same bytes.
 */
final class Hdf5Booleans {
    private Hdf5Booleans() {
    }

    /** The h5py bool type: its datatype message is an enum, its data one signed byte per value. */
    private static final class BoolEnum extends FixedPoint {
        BoolEnum() {
            super(1, true);
        }

        @Override
        public ByteBuffer toBuffer() {
            ByteBuffer b = ByteBuffer.allocate(8 + 12 + 16 + 2).order(ByteOrder.LITTLE_ENDIAN);
            b.put((byte) 0x18).put((byte) 2).put((byte) 0).put((byte) 0).putInt(1); // enum (class 8), v1, 2 members, 1 byte
            b.put((byte) 0x10).put((byte) 0x08).put((byte) 0).put((byte) 0).putInt(1); // base: signed 8-bit integer
            b.putShort((short) 0).putShort((short) 8);
            b.put(padded("FALSE")).put(padded("TRUE")); // names, NUL-terminated, padded to 8 bytes (version 1)
            b.put((byte) 0).put((byte) 1);
            b.flip();
            return b;
        }

        private static byte[] padded(String name) {
            byte[] out = new byte[8];
            System.arraycopy(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, out, 0, name.length());
            return out;
        }
    }

    /** Writes {@code values} as a boolean dataset named {@code name}. */
    static WritableDataset put(io.jhdf.api.WritableGroup group, String name, boolean[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) (values[i] ? 1 : 0);
        }
        WritableDataset d = group.putDataset(name, bytes);
        retype(d);
        return d;
    }

    /** Writes one boolean as a scalar dataset named {@code name}. */
    static WritableDataset putScalar(io.jhdf.api.WritableGroup group, String name, boolean value) {
        WritableDataset d = group.putDataset(name, (byte) (value ? 1 : 0));
        retype(d);
        return d;
    }

    /** Writes one boolean attribute (e.g. a categorical's {@code ordered}, which pandas checks is a bool). */
    static void putAttribute(io.jhdf.api.WritableNode node, String name, boolean value) {
        node.putAttribute(name, (byte) (value ? 1 : 0));
        retype(node.getAttribute(name)); // putAttribute returns the attribute it replaced
    }

    /** jhdf keeps the type it derived from the Java value in a field of the written node. */
    private static void retype(Object d) {
        try {
            Field f = d.getClass().getDeclaredField("dataType");
            f.setAccessible(true);
            f.set(d, (DataType) new BoolEnum());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this jhdf version cannot be given the HDF5 boolean type (" + e + ")", e);
        }
    }
}
