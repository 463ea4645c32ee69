package org.gimvi.model.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.checksum.JenkinsLookup3HashLittle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Fills a CSR group's {@code data}, {@code indices} and {@code indptr} from a {@link CsrRowStream}
 * in bounded memory, in a file jhdf has just written with one-element placeholders for them (jhdf
 * 0.13 writes a dataset only from one whole array, and no empty array at all).
 *
 * <p>The arrays are appended at the end of the file — indptr (int64) while a first pass counts each
 * row's entries, then data (float32) and indices (int32) from a second pass, through 1 MB buffers —
 * and each placeholder's object header is patched to point at them: its dataspace message's one
 * dimension and its contiguous layout message's address and size, then the header's checksum;
 * finally the superblock's end-of-file address and checksum. Only what jhdf writes is accepted
 * (superblock version 2 or 3 with 8-byte offsets and lengths, version 2 object headers in one
 * chunk, simple one-dimensional dataspaces, contiguous layouts); anything else is an error, not a
 * guess. The placeholders' own few bytes stay in the file, unused.
 */
final class Hdf5StreamedCsr {
    private static final int BUFFER = 1 << 20;
    private static final int DATASPACE = 0x0001;
    private static final int LAYOUT = 0x0008;

    private Hdf5StreamedCsr() {
    }

    /** Writes {@code rows} into the placeholders under {@code group} (e.g. "X") of {@code file}. */
    static void fill(Path file, String group, CsrRowStream rows) throws IOException {
        long dataHeader;
        long indicesHeader;
        long indptrHeader;
        try (HdfFile hdf = new HdfFile(file)) {
            dataHeader = address(hdf, group + "/data");
            indicesHeader = address(hdf, group + "/indices");
            indptrHeader = address(hdf, group + "/indptr");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer superblock = read(ch, 0, 48);
            checkSuperblock(file, superblock);
            long end = superblock.getLong(28);
            long indptrAt = align(end);
            int n = rows.rows();
            int cols = rows.cols();
            int[] columns = new int[cols];
            float[] values = new float[cols];
            int[] counts = new int[n]; // each row's entries in the first pass, checked in the second
            Appender indptr = new Appender(ch, indptrAt);
            long nnz = 0;
            rows.restart();
            indptr.putLong(0);
            for (int i = 0; i < n; i++) {
                counts[i] = rows.next(columns, values);
                nnz += counts[i];
                indptr.putLong(nnz);
            }
            indptr.flush();
            long dataAt = align(indptrAt + 8L * (n + 1));
            long indicesAt = align(dataAt + 4 * nnz);
            Appender data = new Appender(ch, dataAt);
            Appender indices = new Appender(ch, indicesAt);
            rows.restart();
            for (int i = 0; i < n; i++) {
                int k = rows.next(columns, values);
                if (k != counts[i]) {
                    throw new IllegalStateException(file + ": row " + i + " has " + k + " entries in the second pass "
                            + "but " + counts[i] + " in the first; the rows must be the same in both passes");
                }
                for (int e = 0; e < k; e++) {
                    if (columns[e] < 0 || columns[e] >= cols) {
                        throw new IllegalArgumentException(file + ": row " + i + " has column " + columns[e]
                                + ", outside the " + cols + " genes");
                    }
                    data.putFloat(values[e]);
                    indices.putInt(columns[e]);
                }
            }
            data.flush();
            indices.flush();
            long fileEnd = indicesAt + 4 * nnz;
            patchDataset(file, ch, indptrHeader, n + 1L, indptrAt, 8);
            patchDataset(file, ch, dataHeader, nnz, dataAt, 4);
            patchDataset(file, ch, indicesHeader, nnz, indicesAt, 4);
            superblock.putLong(28, fileEnd);
            superblock.putInt(44, JenkinsLookup3HashLittle.hash(bytes(superblock, 0, 44)));
            superblock.position(0);
            ch.write(superblock, 0);
            ch.truncate(fileEnd);
        }
    }

    private static long address(HdfFile hdf, String path) {
        Dataset d = hdf.getDatasetByPath(path);
        return d.getAddress();
    }

    private static long align(long at) {
        return (at + 7) & ~7L;
    }

    private static void checkSuperblock(Path file, ByteBuffer sb) {
        int version = sb.get(8);
        if ((version != 2 && version != 3) || sb.get(9) != 8 || sb.get(10) != 8) {
            throw new IllegalStateException(file + ": superblock version " + version + " with " + sb.get(9) + "/"
                    + sb.get(10) + "-byte offsets/lengths; the streamed CSR writer patches jhdf's version 2/3 files only");
        }
    }

    /** Points a placeholder's dataspace at {@code length} elements stored at {@code address}. */
    private static void patchDataset(Path file, FileChannel ch, long header, long length, long address, int elementSize)
            throws IOException {
        ByteBuffer prefix = read(ch, header, 8);
        if (prefix.getInt(0) != 0x5244484F || prefix.get(4) != 2) { // "OHDR", version 2
            throw new IllegalStateException(file + ": object header at " + header + " is not a version 2 header");
        }
        int flags = prefix.get(5) & 0xFF;
        int at = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        int sizeBytes = 1 << (flags & 0x03);
        ByteBuffer sizeField = read(ch, header + at, sizeBytes);
        long chunk = sizeBytes == 1 ? sizeField.get(0) & 0xFF : sizeBytes == 2 ? sizeField.getShort(0) & 0xFFFF
                : sizeBytes == 4 ? sizeField.getInt(0) & 0xFFFFFFFFL : sizeField.getLong(0);
        int start = at + sizeBytes;
        int total = (int) (start + chunk + 4);
        ByteBuffer h = read(ch, header, total);
        boolean creationOrder = (flags & 0x04) != 0;
        boolean dataspaceDone = false;
        boolean layoutDone = false;
        int p = start;
        while (p + 4 <= start + chunk) {
            int type = h.get(p) & 0xFF;
            int size = h.getShort(p + 1) & 0xFFFF;
            int body = p + 4 + (creationOrder ? 2 : 0);
            if (type == DATASPACE) {
                if (h.get(body) != 2 || h.get(body + 1) != 1 || h.get(body + 3) != 1) {
                    throw new IllegalStateException(file + ": the placeholder at " + header + " is not a version 2 "
                            + "simple one-dimensional dataspace");
                }
                h.putLong(body + 4, length);
                if ((h.get(body + 2) & 1) != 0) {
                    h.putLong(body + 12, length); // maximum dimension
                }
                dataspaceDone = true;
            } else if (type == LAYOUT) {
                if (h.get(body) != 3 || h.get(body + 1) != 1) {
                    throw new IllegalStateException(file + ": the placeholder at " + header + " is not contiguous");
                }
                h.putLong(body + 2, address);
                h.putLong(body + 10, length * elementSize);
                layoutDone = true;
            }
            p = body + size;
        }
        if (!dataspaceDone || !layoutDone) {
            throw new IllegalStateException(file + ": the placeholder at " + header + " lacks a dataspace or layout "
                    + "message in its first chunk");
        }
        h.putInt(total - 4, JenkinsLookup3HashLittle.hash(bytes(h, 0, total - 4)));
        h.position(0);
        ch.write(h, header);
    }

    private static ByteBuffer read(FileChannel ch, long at, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("unexpected end of file at " + (at + b.position()));
            }
        }
        b.flip();
        return b;
    }

    private static byte[] bytes(ByteBuffer b, int from, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = b.get(from + i);
        }
        return out;
    }

    /** Sequential little-endian writes from a position, through one buffer. */
    private static final class Appender {
        private final FileChannel ch;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private long position;

        Appender(FileChannel ch, long position) {
            this.ch = ch;
            this.position = position;
        }

        void putLong(long v) throws IOException {
            room(8);
            buffer.putLong(v);
        }

        void putInt(int v) throws IOException {
            room(4);
            buffer.putInt(v);
        }

        void putFloat(float v) throws IOException {
            room(4);
            buffer.putFloat(v);
        }

        private void room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                flush();
            }
        }

        void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                position += ch.write(buffer, position);
            }
            buffer.clear();
        }
    }
}
