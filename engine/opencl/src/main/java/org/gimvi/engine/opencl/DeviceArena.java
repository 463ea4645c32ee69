package org.gimvi.engine.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.FMatrixRMaj;
import org.gimvi.engine.backend.DeviceTraffic;
import org.gimvi.engine.backend.TensorView;

/**
 * The device side of the OpenCL backend: the one {@link ArenaKernel} object, the memory it holds
 * and the launches. Host arrays are placed in the kernel's float or index arena by {@link ArenaLayout}
 * (once, by identity) and addressed by offset; data cross only here, through the staging arrays
 * ({@link #push}, {@link #pull}), which are the only fields put or got. Every launch is checked for
 * Aparapi's silent fallback to Java threads. {@link OpenClBackend} fills the kernel's operand slots
 * and calls {@link #launch1d} and friends; it serialises calls, so this class is not thread-safe.
 */
final class DeviceArena {
    static final int BLOCK = 64;
    private static final int INITIAL_ARENA = 1 << 20;
    private static final int SMALL_STAGE = 4096;
    private static final int MEDIUM_STAGE = 1 << 18;

    private final OpenCLDevice device;
    private final String name;
    /** The device's largest single buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE), in floats: the arena's ceiling. */
    private final long maxBufferFloats;
    private final ArenaKernel kernel = new ArenaKernel();
    private final ArenaLayout floats = new ArenaLayout();
    private final ArenaLayout ints = new ArenaLayout();
    private final Map<Long, Range> ranges = new HashMap<>();
    private final TransferCounts transfers = new TransferCounts();

    /**
     * With {@code -Dgimvi.opencl.profile=true} every launch is timed (a launch returns when the device
     * has finished; {@link #traffic} carries the times) and, when the JVM exits, the time per operation
     * goes to stderr: where a step's time goes on a device, launch overhead included.
     */
    static final boolean PROFILE = Boolean.getBoolean("gimvi.opencl.profile");
    /** Launches and (profiling) nanoseconds per op code × 32 + function. */
    private final long[] opLaunches = new long[64 * 32];
    private final long[] opNanos = new long[64 * 32];

    /** Host↔device traffic since the arena opened, with downloads by size (tests check a step's largest). */
    static final class TransferCounts {
        long launches;
        long uploads;
        long uploadedFloats;
        long downloads;
        long downloadedFloats;
        /** Downloads by size: entry b counts those of 2^(b−1) + 1 to 2^b floats. */
        final long[] downloadsBySize = new long[33];

        /** Downloads so far of more than 2^log2 floats. */
        long downloadsLargerThan(int log2) {
            long sum = 0;
            for (int b = log2 + 1; b < downloadsBySize.length; b++) {
                sum += downloadsBySize[b];
            }
            return sum;
        }
    }

    DeviceArena(OpenCLDevice device, String name) {
        this(device, name, device.getMaxMemAllocSize());
    }

    /** As above with the largest buffer given (tests try a small device's limit). */
    DeviceArena(OpenCLDevice device, String name, long maxBufferBytes) {
        this.device = device;
        this.name = name;
        this.maxBufferFloats = Math.min(Integer.MAX_VALUE - 8, Math.max(ArenaLayout.ALIGN, maxBufferBytes / Float.BYTES));
        kernel.setExplicit(true);
        kernel.mem = new float[(int) Math.min(INITIAL_ARENA, maxBufferFloats)];
        kernel.imem = new int[ArenaLayout.ALIGN * 64];
        kernel.stage0 = new float[SMALL_STAGE];
        kernel.stage1 = new float[MEDIUM_STAGE];
        kernel.stage2 = new float[1];
        kernel.stageInt = new int[SMALL_STAGE];
        KernelManager.instance().setPreferredDevices(kernel, new LinkedHashSet<>(List.of(device)));
        if (PROFILE) {
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> System.err.print(traffic().table("[opencl profile] ", name + ", the whole run"))));
        }
    }

    /** The traffic so far, with launches (and, when profiling, time) per operation. */
    DeviceTraffic traffic() {
        Map<String, DeviceTraffic.Operation> ops = new LinkedHashMap<>();
        for (int key = 0; key < opLaunches.length; key++) {
            if (opLaunches[key] > 0) {
                ops.put(opName(key / 32, key % 32), new DeviceTraffic.Operation(opLaunches[key], opNanos[key]));
            }
        }
        TransferCounts t = transfers;
        return new DeviceTraffic(t.launches, t.uploads, t.uploadedFloats, t.downloads, t.downloadedFloats, ops);
    }

    /** The profile's names of the op codes and of each op's functions (indexed by code). */
    private static final String[] OP_NAMES = {"upload", "download", "upload-int", "fill", "copy", "gemm",
        "gemm (tiled)", "map", "rows", "sum-cols", "batchnorm-train", "batchnorm-eval", "batchnorm-backward",
        "count-likelihood", "gaussian", "adam", "add-indexed-rows", "scatter-add-indexed-rows", "gather-columns",
        "scatter-add-columns", "gather-exp", "scatter-add-scaled-by-group", "reparameterize",
        "reparameterize-backward", "normal-kl", "library-reparameterize", "library-backward", "library-kl",
        "dropout-mask"};
    private static final String[] MAP_NAMES = {"exp", "log", "log1p", "softplus", "sigmoid", "lgamma", "digamma",
        "relu", "relu-backward", "mul", "axpy", "scale", "add-to-rows", "scale-rows", "decay-add", "add-and-zero",
        "exp-double", "relu-dropout", "dropout-relu-backward"};
    private static final String[] ROWS_NAMES = {"softmax", "log-softmax", "sum", "library-gradient", "renormalise"};
    private static final String[] LIKELIHOOD_NAMES = {"nb", "zinb", "poisson"};
    private static final String[] GEMM_INIT_NAMES = {"", " +bias", " +=C"};

    /** A readable name for an op code and its function, for the profile. */
    static String opName(int op, int fn) {
        String base = op < OP_NAMES.length ? OP_NAMES[op] : "op " + op;
        if (op == ArenaKernel.MAP && fn < MAP_NAMES.length) {
            return "map " + MAP_NAMES[fn];
        }
        if (op == ArenaKernel.ROWS && fn < ROWS_NAMES.length) {
            return "rows " + ROWS_NAMES[fn];
        }
        if (op == ArenaKernel.COUNT_LIKELIHOOD && fn < LIKELIHOOD_NAMES.length) {
            return "likelihood " + LIKELIHOOD_NAMES[fn];
        }
        if ((op == ArenaKernel.GEMM_DIRECT || op == ArenaKernel.GEMM_TILED) && fn < GEMM_INIT_NAMES.length) {
            return base + GEMM_INIT_NAMES[fn];
        }
        return base;
    }

    /** The kernel whose operand slots a launch fills. */
    ArenaKernel kernel() {
        return kernel;
    }

    TransferCounts transfers() {
        return transfers;
    }

    /** Places a new zero-filled array (a reused range may hold an old buffer's values: zero it on the device). */
    void placeZeroed(float[] a) {
        ArenaLayout.Range r = floats.place(a, a.length);
        ensureCapacityFor(floats, a);
        fill(0f, r.offset(), a.length);
    }

    /** Grows the arenas for a new placement, taking the placement back if the device cannot hold it. */
    private void ensureCapacityFor(ArenaLayout layout, Object array) {
        try {
            ensureCapacity();
        } catch (IllegalStateException e) {
            layout.unplace(array);
            throw e;
        }
    }

    /** Host x[0, n) to the device, placing x first if the arena has not seen it. */
    void upload(float[] x, int n) {
        ArenaLayout.Range r = floats.find(x);
        if (r == null) {
            r = floats.place(x, x.length);
            ensureCapacityFor(floats, x);
        }
        push(x, 0, r.offset(), n);
    }

    /** The same for an index array, into the index arena. */
    void upload(int[] x, int n) {
        ArenaLayout.Range r = ints.find(x);
        if (r == null) {
            r = ints.place(x, x.length);
            ensureCapacityFor(ints, x);
        }
        for (int start = 0; start < n; start += kernel.stageInt.length) {
            int len = Math.min(kernel.stageInt.length, n - start);
            System.arraycopy(x, start, kernel.stageInt, 0, len);
            kernel.put(kernel.stageInt);
            set(ArenaKernel.UPLOAD_INT, 0, len);
            kernel.o0 = r.offset() + start;
            launch1d(len);
            transfers.uploads++;
            transfers.uploadedFloats += len;
        }
    }

    /** The device's x[0, n) to the host; x must be placed. */
    void download(float[] x, int n) {
        pull(x, 0, at(x, "download"), n);
    }

    /** Host x[xOff, xOff + n) → arena [offset, offset + n), through a staging array. */
    void push(float[] x, int xOff, int offset, int n) {
        if (n == 0) {
            return;
        }
        float[] stage = stageFor(n);
        System.arraycopy(x, xOff, stage, 0, n);
        kernel.put(stage);
        set(ArenaKernel.UPLOAD, 0, n);
        kernel.i0 = stageIndex(stage);
        kernel.o0 = offset;
        launch1d(n);
        transfers.uploads++;
        transfers.uploadedFloats += n;
    }

    /** Arena [offset, offset + n) → host x[xOff, xOff + n), through a staging array. */
    void pull(float[] x, int xOff, int offset, int n) {
        if (n == 0) {
            return;
        }
        float[] stage = stageFor(n);
        set(ArenaKernel.DOWNLOAD, 0, n);
        kernel.i0 = stageIndex(stage);
        kernel.o0 = offset;
        launch1d(n);
        kernel.get(stage);
        System.arraycopy(stage, 0, x, xOff, n);
        transfers.downloads++;
        transfers.downloadedFloats += n;
        transfers.downloadsBySize[32 - Integer.numberOfLeadingZeros(n - 1)]++;
    }

    private float[] stageFor(int n) {
        if (n <= SMALL_STAGE) {
            return kernel.stage0;
        }
        if (n <= MEDIUM_STAGE) {
            return kernel.stage1;
        }
        if (kernel.stage2.length < n) {
            kernel.stage2 = new float[Integer.highestOneBit(n - 1) << 1];
        }
        return kernel.stage2;
    }

    private int stageIndex(float[] stage) {
        return stage == kernel.stage0 ? 0 : stage == kernel.stage1 ? 1 : 2;
    }

    /** Whether the kernel has run (its arrays are bound on the device, so growing must fetch them first). */
    private boolean launched() {
        return transfers.launches > 0;
    }

    /**
     * Grows the device arenas to the layout's extent: the device copy is fetched (once anything has
     * run), copied into a larger array, and sent back. Happens while a model lays out its buffers,
     * not in a training step.
     */
    private void ensureCapacity() {
        if (floats.end() > kernel.mem.length) {
            if (floats.end() > maxBufferFloats) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "%s: the model needs %.0f MiB of device memory in one buffer, and the device allows at most %.0f MiB"
                                + " per buffer (CL_DEVICE_MAX_MEM_ALLOC_SIZE); train with --device cpu or on a device with"
                                + " more memory", name, floats.end() * (double) Float.BYTES / (1 << 20),
                        maxBufferFloats * (double) Float.BYTES / (1 << 20)));
            }
            if (launched()) {
                kernel.get(kernel.mem);
            }
            int size = (int) Math.min(grown(kernel.mem.length, floats.end()), maxBufferFloats);
            kernel.mem = Arrays.copyOf(kernel.mem, size);
            kernel.put(kernel.mem);
        }
        if (ints.end() > kernel.imem.length) {
            if (launched()) {
                kernel.get(kernel.imem);
            }
            kernel.imem = Arrays.copyOf(kernel.imem, grown(kernel.imem.length, ints.end()));
            kernel.put(kernel.imem);
        }
        if (!launched()) {
            kernel.put(kernel.mem).put(kernel.imem).put(kernel.stage0).put(kernel.stage1).put(kernel.stage2)
                    .put(kernel.stageInt);
        }
    }

    private static int grown(int length, int needed) {
        long size = Math.max(length, 1);
        while (size < needed) {
            size *= 2;
        }
        return (int) Math.min(size, Integer.MAX_VALUE - 8);
    }

    /** The arena offset of x's element 0; x must have been allocated by or uploaded to this backend. */
    int at(float[] x, String op) {
        ArenaLayout.Range r = floats.find(x);
        if (r == null) {
            throw new IllegalStateException(op + " on " + name + ": an operand of " + x.length
                    + " floats was neither allocated by the backend nor uploaded to it (the device would compute on data"
                    + " the host never sent); allocate it with the backend or upload it first");
        }
        return r.offset();
    }

    int at(FMatrixRMaj m, String op) {
        return at(m.data, op);
    }

    int at(TensorView v, String op) {
        return at(v.array(), op) + v.offset();
    }

    int atInt(int[] x, String op) {
        ArenaLayout.Range r = ints.find(x);
        if (r == null) {
            throw new IllegalStateException(op + " on " + name + ": an index operand of " + x.length
                    + " ints was never uploaded to the backend; upload it first");
        }
        return r.offset();
    }

    int atOrAbsent(float[] x, String op) {
        return x == null ? -1 : at(x, op);
    }

    // ================================================================== launching

    /** The launch's op code, function and count of active work items (operand slots are set separately). */
    void set(int op, int fn, int n) {
        ArenaKernel k = kernel;
        k.op = op;
        k.fn = fn;
        k.n = n;
    }

    /** The launch's operand offsets, o0 onwards. */
    void operands(int... o) {
        ArenaKernel k = kernel;
        k.o0 = o[0];
        k.o1 = o.length > 1 ? o[1] : 0;
        k.o2 = o.length > 2 ? o[2] : 0;
        k.o3 = o.length > 3 ? o[3] : 0;
        k.o4 = o.length > 4 ? o[4] : 0;
        k.o5 = o.length > 5 ? o[5] : 0;
        k.o6 = o.length > 6 ? o[6] : 0;
        k.o7 = o.length > 7 ? o[7] : 0;
        k.o8 = o.length > 8 ? o[8] : 0;
    }

    /** One work item per element, in groups of {@link #BLOCK}. */
    void launch1d(int items) {
        launch(range(roundUp(items, BLOCK), BLOCK, 0, 0));
    }

    private Range range(int global0, int local0, int global1, int local1) {
        long key = ((long) global0 << 32) ^ ((long) global1 << 12) ^ local0 ^ ((long) local1 << 8);
        Range r = ranges.get(key);
        if (r == null) {
            r = global1 == 0 ? device.createRange(global0, local0) : device.createRange2D(global0, global1, local0, local1);
            ranges.put(key, r);
        }
        return r;
    }

    private static int roundUp(int n, int block) {
        return (n + block - 1) / block * block;
    }

    /** Runs the kernel on this device and fails if Aparapi ran it anywhere else. */
    private void launch(Range range) {
        long t0 = PROFILE ? System.nanoTime() : 0L;
        launch(kernel, range);
        int key = kernel.op * 32 + kernel.fn;
        opLaunches[key]++;
        if (PROFILE) {
            opNanos[key] += System.nanoTime() - t0;
        }
        transfers.launches++;
    }

    /** Runs k on this device and fails if Aparapi ran it anywhere else. */
    void launch(Kernel k, Range range) {
        try {
            k.execute(range);
        } catch (AssertionError | RuntimeException e) {
            // Aparapi reports some failed fallbacks as an AssertionError ("user supplied Device incompatible …")
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalStateException("OpenCL kernel " + k.getClass().getSimpleName() + " did not run on " + name
                    + " (" + why + "); use --device cpu or another driver");
        }
        Collection<Device> ran = KernelManager.instance().getProfile(k.getClass()).getDevices();
        for (Device d : ran) {
            if (!(d instanceof OpenCLDevice)) {
                throw new IllegalStateException("OpenCL kernel " + k.getClass().getSimpleName() + " ran on " + d.getShortDescription()
                        + " instead of " + name + " (Aparapi fell back; its log says why); use --device cpu or another driver");
            }
        }
    }

    /** Arena [offset, offset + n) = value, on the device. */
    void fill(float value, int offset, int n) {
        if (n == 0) {
            return;
        }
        set(ArenaKernel.FILL, 0, n);
        kernel.o0 = offset;
        kernel.s0 = value;
        launch1d(n);
    }

    /** One work group of {@link ArenaKernel#GROUP} per row. */
    void launchRows(int rows) {
        launch(range(rows * ArenaKernel.GROUP, ArenaKernel.GROUP, 0, 0));
    }

    /** A 2-D range of 16 × 16 groups covering cols × rows (GEMM). */
    void launchTiles(int cols, int rows) {
        int t = ArenaKernel.TILE;
        launch(range(roundUp(cols, t), t, roundUp(rows, t), t));
    }
}
