package org.gimvi.engine.opencl;

/**
 * Every operation of a training step as one OpenCL kernel over one device-resident arena.
 *
 * <p>Why one kernel: Aparapi 3.0.2 gives each kernel object and array field its own device buffer and
 * never shares a buffer between kernel objects, so data stay on the device across operations only if
 * every operation is a launch of the same object on the same arrays. {@link #mem} holds every float
 * buffer the backend owns (parameters, gradients, Adam moments, activations, workspaces), each at an
 * offset laid out by {@link ArenaLayout}; {@link #imem} holds the index buffers (gene maps, batch
 * codes, labels). The staging arrays are the only fields that cross to the host: an upload puts a
 * staging array and copies it into the arena on the device, a download copies a range out into a
 * staging array and gets that array. Which operation a launch runs is {@link #op}; its operands are
 * offsets and sizes in the generic slots below, named at the top of each operation's method.
 *
 * <p>Arithmetic: each operation is the CPU backends' definition with the same order of additions
 * wherever one work item owns a result (GEMM's fma chain, column sums, BatchNorm's column walks,
 * scatter-adds in row order, so those keep the CPU's bits); OpenCL's exp/log/log1p/sqrt are within a
 * few ulp of the CPU's float kernels, so operations built on them agree within a tolerance. Scatters
 * whose targets can coincide are owned by one work item per target, which walks the sources in the
 * host's order: deterministic, no atomics.
 */
public final class ArenaKernel extends DeviceMath {
    // ------------------------------------------------------------------ op codes
    /** mem[o0 + t] = staging[t], t &lt; n (staging chosen by i0). */
    static final int UPLOAD = 0;
    /** staging[t] = mem[o0 + t], t &lt; n. */
    static final int DOWNLOAD = 1;
    /** imem[o0 + t] = stageInt[t], t &lt; n. */
    static final int UPLOAD_INT = 2;
    /** mem[o0 + t] = s0. */
    static final int FILL = 3;
    /** mem[o1 + t] = mem[o0 + t] (ranges equal or disjoint). */
    static final int COPY = 4;
    /** C = init + op(A)·op(B), one work item per element (CPU devices). */
    static final int GEMM_DIRECT = 5;
    /** The same in 16×16 local-memory tiles (GPUs). */
    static final int GEMM_TILED = 6;
    /** out = fn(x, z), one work item per element; fn in {@link #fn}. */
    static final int MAP = 7;
    /**
     * Row-wise operations, one group of {@link #GROUP} per row (softmax, log-softmax, sums, the
     * library gradient, renormalising); fn in {@link #fn}.
     */
    static final int ROWS = 8;
    /** out[o1 + j] (+)= Σ_i x[i][j], rows in order. */
    static final int SUM_COLS = 9;
    static final int BN_TRAIN = 10;
    static final int BN_EVAL = 11;
    static final int BN_BACKWARD = 12;
    /** NB, ZINB or Poisson log-likelihood and gradients, fn says which. */
    static final int COUNT_LIKELIHOOD = 13;
    static final int GAUSSIAN = 14;
    static final int ADAM = 15;
    static final int ADD_INDEXED_ROWS = 16;
    /** One work item per table column, walking the rows in order. */
    static final int SCATTER_ADD_INDEXED_ROWS = 17;
    static final int GATHER_COLUMNS = 18;
    static final int SCATTER_ADD_COLUMNS = 19;
    static final int GATHER_EXP = 20;
    /** One work item per listed column, walking the rows in order. */
    static final int SCATTER_ADD_SCALED_BY_GROUP = 21;
    static final int REPARAMETERIZE = 22;
    static final int REPARAMETERIZE_BACKWARD = 23;
    static final int NORMAL_KL = 24;
    static final int LIBRARY_REPARAMETERIZE = 25;
    static final int LIBRARY_BACKWARD = 26;
    static final int LIBRARY_KL = 27;
    static final int DROPOUT_MASK = 28;

    // ------------------------------------------------------------------ MAP functions
    static final int EXP = 0;
    static final int LOG = 1;
    static final int LOG1P = 2;
    static final int SOFTPLUS = 3;
    static final int SIGMOID = 4;
    static final int LGAMMA = 5;
    static final int DIGAMMA = 6;
    static final int RELU = 7;
    /** out = z where x &gt; 0 (x: the ReLU output, z: dy), else 0. */
    static final int RELU_BACKWARD = 8;
    static final int MUL = 9;
    /** out = fma(s0, x, out). */
    static final int AXPY = 10;
    /** out = s0·x. */
    static final int SCALE = 11;
    /** out = x + z[i / cols]. */
    static final int ADD_TO_ROWS = 12;
    /** out = x · z[i / cols]. */
    static final int SCALE_ROWS = 13;
    /** out = s0·out + x. */
    static final int DECAY_ADD = 14;
    /** out = out + x, then x = 0 (a gradient lane folded into its sum). */
    static final int ADD_AND_ZERO = 15;
    /** out = (float) exp((double) x). */
    static final int EXP_DOUBLE = 16;
    /** x = relu(x) in place, out = x · z (z the dropout mask): relu then mul in one launch, same bits. */
    static final int RELU_DROPOUT = 17;
    /** out = x &gt; 0 ? z · mem[o3] : 0 (x the ReLU output, z dy, o3 the mask): mul then reluBackward in one launch. */
    static final int DROPOUT_RELU_BACKWARD = 18;

    // ------------------------------------------------------------------ ROWS functions
    static final int SOFTMAX = 0;
    static final int LOG_SOFTMAX = 1;
    static final int SUM = 2;
    /**
     * The library gradient of a softmax decoder: dℓ = −s0·Σ_j g (o1 g, dℓ to o2), then
     * dLogits = −s0·g − p·dℓ (o0 p, o3 dLogits). The row sum is the group's tree, not the CPU's
     * left-to-right order: within a few ulp of it.
     */
    static final int LIBRARY_BACKWARD_ROWS = 3;
    /** x (o0) row by row times 1 / (double Σ of its k listed columns, imem o1, in order). */
    static final int RENORMALISE = 4;

    // ------------------------------------------------------------------ COUNT_LIKELIHOOD functions
    static final int NB = 0;
    static final int ZINB = 1;
    static final int POISSON = 2;

    static final int TILE = 16;
    static final int GROUP = 64;
    static final float EPS = 1e-8f;
    static final int PHI = 0x9E3779B9;
    static final int FMIX_M1 = 0x85EBCA6B;
    static final int FMIX_M2 = 0xC2B2AE35;

    // ------------------------------------------------------------------ memory
    /** The float arena: every float buffer the backend owns. */
    float[] mem = new float[1];
    /** The index arena. */
    int[] imem = new int[1];
    /** Staging for transfers, three sizes so a small transfer never moves a large array. */
    float[] stage0 = new float[1];
    float[] stage1 = new float[1];
    float[] stage2 = new float[1];
    int[] stageInt = new int[1];

    // ------------------------------------------------------------------ the launch's operands
    int op;
    int fn;
    /** Work items that do something (elements, rows or columns, by op). */
    int n;
    int rows;
    int cols;
    int k;
    /** Offsets into {@link #mem} (or {@link #imem} for index operands); -1: absent. */
    int o0;
    int o1;
    int o2;
    int o3;
    int o4;
    int o5;
    int o6;
    int o7;
    int o8;
    int i0;
    int i1;
    int i2;
    int i3;
    float s0;
    float s1;
    float s2;
    float s3;
    float s4;
    float s5;
    float s6;
    float s7;

    @Local
    final float[] tileA = new float[TILE * TILE];
    @Local
    final float[] tileB = new float[TILE * TILE];
    @Local
    final float[] partial = new float[GROUP];

    @Override
    public void run() {
        if (op == GEMM_TILED) {
            gemmTiled();
        } else if (op == ROWS) {
            rowOp();
        } else {
            int t = getGlobalId(0);
            if (op == GEMM_DIRECT) {
                gemmDirect();
            } else if (t < n) {
                elementOp(t);
            }
        }
    }

    /** The operations with one independent work item per t &lt; n. */
    private void elementOp(int t) {
        if (op == UPLOAD) {
            if (i0 == 0) {
                mem[o0 + t] = stage0[t];
            } else if (i0 == 1) {
                mem[o0 + t] = stage1[t];
            } else {
                mem[o0 + t] = stage2[t];
            }
        } else if (op == DOWNLOAD) {
            if (i0 == 0) {
                stage0[t] = mem[o0 + t];
            } else if (i0 == 1) {
                stage1[t] = mem[o0 + t];
            } else {
                stage2[t] = mem[o0 + t];
            }
        } else if (op == UPLOAD_INT) {
            imem[o0 + t] = stageInt[t];
        } else if (op == FILL) {
            mem[o0 + t] = s0;
        } else if (op == COPY) {
            mem[o1 + t] = mem[o0 + t];
        } else if (op == MAP) {
            map(t);
        } else if (op == SUM_COLS) {
            sumColumn(t);
        } else if (op == BN_TRAIN) {
            batchNormTrain(t);
        } else if (op == BN_EVAL) {
            batchNormEval(t);
        } else if (op == BN_BACKWARD) {
            batchNormBackward(t);
        } else if (op == COUNT_LIKELIHOOD) {
            countLikelihood(t);
        } else if (op == GAUSSIAN) {
            gaussian(t);
        } else if (op == ADAM) {
            adam(t);
        } else {
            exactOp(t);
        }
    }

    /** The model's own operations (sampling, KL terms, gathers and scatters, dropout masks). */
    private void exactOp(int t) {
        if (op == ADD_INDEXED_ROWS) {
            // y[i][j] += table[index[i]][j]; o0 table, o1 index (imem), o2 y
            int i = t / cols;
            int j = t - i * cols;
            mem[o2 + t] = mem[o2 + t] + mem[o0 + imem[o1 + i] * cols + j];
        } else if (op == SCATTER_ADD_INDEXED_ROWS) {
            // table[index[i]][j] += dy[i][j], one item per column j; o0 dy, o1 index, o2 table
            for (int i = 0; i < rows; i++) {
                int dst = o2 + imem[o1 + i] * cols + t;
                mem[dst] = mem[dst] + mem[o0 + i * cols + t];
            }
        } else if (op == GATHER_COLUMNS) {
            // dst[r][j] = src[r][columns[j]]; o0 src (k columns), o1 columns, o2 dst (cols columns)
            int r = t / cols;
            int j = t - r * cols;
            mem[o2 + t] = mem[o0 + r * k + imem[o1 + j]];
        } else if (op == SCATTER_ADD_COLUMNS) {
            // dst[r][columns[j]] += src[r][j]; o0 src (cols columns), o1 columns, o2 dst (k columns)
            int r = t / cols;
            int j = t - r * cols;
            int dst = o2 + r * k + imem[o1 + j];
            mem[dst] = mem[dst] + mem[o0 + t];
        } else if (op == GATHER_EXP) {
            // out[t] = exp(table[rows[t]][i0]); o0 table (k columns), o1 rows, o2 out
            mem[o2 + t] = exp(mem[o0 + imem[o1 + t] * k + i0]);
        } else if (op == SCATTER_ADD_SCALED_BY_GROUP) {
            // target[columns[j]][group[i]] += s0·g[i][j], one item per j; o0 g, o1 columns, o2 group (-1: none), o3 target (k columns)
            int dst = o3 + imem[o1 + t] * k;
            for (int i = 0; i < rows; i++) {
                int col = o2 < 0 ? 0 : imem[o2 + i];
                mem[dst + col] = mem[dst + col] + s0 * mem[o0 + i * cols + t];
            }
        } else if (op == REPARAMETERIZE) {
            // z = mean + exp(½ logVar)·ε (i0 = 1) or mean; o0 params (rows × 2d), o1 eps, o2 z; cols = d
            int i = t / cols;
            int c = t - i * cols;
            float mean = mem[o0 + i * 2 * cols + c];
            mem[o2 + t] = i0 == 1 ? mean + exp(0.5f * mem[o0 + i * 2 * cols + cols + c]) * mem[o1 + t] : mean;
        } else if (op == REPARAMETERIZE_BACKWARD) {
            // o0 params, o1 eps, o2 dz, o3 dParams; s0 klScale
            int i = t / cols;
            int c = t - i * cols;
            int pr = o0 + i * 2 * cols;
            float logVar = mem[pr + cols + c];
            float g = mem[o2 + t];
            mem[o3 + i * 2 * cols + c] = g + s0 * mem[pr + c];
            mem[o3 + i * 2 * cols + cols + c] = g * 0.5f * exp(0.5f * logVar) * mem[o1 + t] + s0 * 0.5f * (exp(logVar) - 1f);
        } else if (op == NORMAL_KL) {
            // out[i] = Σ_c ½(σ² + m² − 1 − log σ²) in double; o0 params, o1 out; cols = d
            int pr = o0 + t * 2 * cols;
            double kl = 0;
            for (int c = 0; c < cols; c++) {
                float logVar = mem[pr + cols + c];
                double mean = mem[pr + c];
                kl = kl + 0.5 * ((double) exp(logVar) + mean * mean - 1.0 - logVar);
            }
            mem[o1 + t] = (float) kl;
        } else if (op == LIBRARY_REPARAMETERIZE) {
            // ℓ = m + √(exp(raw) + floor)·ε (i0 = 1) or m; o0 params (rows × 2), o1 eps, o2 ell; s0 floor
            float mean = mem[o0 + 2 * t];
            mem[o2 + t] = i0 == 1 ? mean + sqrt(exp(mem[o0 + 2 * t + 1]) + s0) * mem[o1 + t] : mean;
        } else if (op == LIBRARY_BACKWARD) {
            libraryBackward(t);
        } else if (op == LIBRARY_KL) {
            // o0 params, o1 prior mean, o2 prior variance, o3 out; s0 floor
            double mq = mem[o0 + 2 * t];
            double vq = exp(mem[o0 + 2 * t + 1]) + s0;
            double vp = mem[o2 + t];
            double d = mq - mem[o1 + t];
            mem[o3 + t] = (float) (0.5 * log((float) (vp / vq)) + (vq + d * d) / (2.0 * vp) - 0.5);
        } else if (op == DROPOUT_MASK) {
            // MurmurHash3's finaliser of the element's counter, as DropoutMasks; i0, i1 the key's halves, i2 threshold, s0 scale
            int h = fmix32(fmix32(t * PHI + i0) ^ i1);
            int keep = 1 - (((h >>> 1) - i2) >>> 31);
            mem[o0 + t] = keep * s0;
        }
    }

    private int fmix32(int x) {
        int h = x;
        h = h ^ (h >>> 16);
        h = h * FMIX_M1;
        h = h ^ (h >>> 13);
        h = h * FMIX_M2;
        h = h ^ (h >>> 16);
        return h;
    }

    // ------------------------------------------------------------------ GEMM

    /*
     * A(i,p) = mem[o0 + i·i0 + p·i1], B(p,j) = mem[o1 + p·i2 + j·i3], C row-major at o2 (rows × cols),
     * bias at o3; init (fn): 0 zero, 1 bias, 2 C. One fma chain per element over p ascending, stopping
     * at k, so the bits are the CPU backends'.
     */
    private void gemmDirect() {
        int col = getGlobalId(0);
        int row = getGlobalId(1);
        if (row < rows && col < cols) {
            float acc = 0f;
            if (fn == 1) {
                acc = mem[o3 + col];
            } else if (fn == 2) {
                acc = mem[o2 + row * cols + col];
            }
            for (int p = 0; p < k; p++) {
                acc = fma(mem[o0 + row * i0 + p * i1], mem[o1 + p * i2 + col * i3], acc);
            }
            mem[o2 + row * cols + col] = acc;
        }
    }

    private void gemmTiled() {
        int lx = getLocalId(0);
        int ly = getLocalId(1);
        int col = getGroupId(0) * TILE + lx;
        int row = getGroupId(1) * TILE + ly;
        boolean inside = row < rows && col < cols;
        float acc = 0f;
        if (inside) {
            if (fn == 1) {
                acc = mem[o3 + col];
            } else if (fn == 2) {
                acc = mem[o2 + row * cols + col];
            }
        }
        for (int p0 = 0; p0 < k; p0 += TILE) {
            int pa = p0 + lx;
            tileA[ly * TILE + lx] = (row < rows && pa < k) ? mem[o0 + row * i0 + pa * i1] : 0f;
            int pb = p0 + ly;
            tileB[ly * TILE + lx] = (pb < k && col < cols) ? mem[o1 + pb * i2 + col * i3] : 0f;
            localBarrier();
            int len = min(TILE, k - p0);
            for (int q = 0; q < len; q++) {
                acc = fma(tileA[ly * TILE + q], tileB[q * TILE + lx], acc);
            }
            localBarrier();
        }
        if (inside) {
            mem[o2 + row * cols + col] = acc;
        }
    }

    // ------------------------------------------------------------------ elementwise

    /* x at o0, z at o1, out at o2 (o3 a third operand); s0 the scalar of AXPY, SCALE, DECAY_ADD. */
    private void map(int t) {
        float v = mem[o0 + t];
        float r = 0f;
        if (fn == EXP) {
            r = exp(v);
        } else if (fn == LOG) {
            r = log(v);
        } else if (fn == LOG1P) {
            r = log1p(v);
        } else if (fn == SOFTPLUS) {
            r = softplusF(v);
        } else if (fn == SIGMOID) {
            r = sigmoidF(v);
        } else if (fn == LGAMMA) {
            r = lgammaF(v);
        } else if (fn == DIGAMMA) {
            r = digammaF(v);
        } else if (fn == RELU) {
            r = v != v ? v : max(v, 0f); // NaN stays NaN, as Math.max on the CPU
        } else if (fn == RELU_BACKWARD) {
            r = v > 0f ? mem[o1 + t] : 0f;
        } else if (fn == MUL) {
            r = v * mem[o1 + t];
        } else if (fn == AXPY) {
            r = fma(s0, v, mem[o2 + t]);
        } else if (fn == SCALE) {
            r = s0 * v;
        } else if (fn == ADD_TO_ROWS) {
            r = v + mem[o1 + t / cols];
        } else if (fn == SCALE_ROWS) {
            r = v * mem[o1 + t / cols];
        } else if (fn == DECAY_ADD) {
            r = s0 * mem[o2 + t] + v;
        } else if (fn == ADD_AND_ZERO) {
            r = mem[o2 + t] + v;
            mem[o0 + t] = 0f;
        } else if (fn == RELU_DROPOUT) {
            float a = v != v ? v : max(v, 0f);
            mem[o0 + t] = a;
            r = a * mem[o1 + t];
        } else if (fn == DROPOUT_RELU_BACKWARD) {
            float d = mem[o1 + t] * mem[o3 + t];
            r = v > 0f ? d : 0f;
        } else {
            r = (float) exp((double) v);
        }
        mem[o2 + t] = r;
    }

    // ------------------------------------------------------------------ rows and columns

    /*
     * x at o0 (rows × cols), out at o1 (rows × cols, or rows for SUM). Every loop runs the same
     * number of chunks on every work item (element j = c·GROUP + lid, guarded by j < cols) rather
     * than "for (j = lid; j < cols; j += GROUP)": with that per-item trip count pocl 3.1 (LLVM 15)
     * also ran the last loop for j ≥ cols when cols < GROUP and wrote past the row (measured: the
     * next row's first elements overwritten, which an in-place log-softmax showed).
     */
    private void rowOp() {
        int row = getGroupId(0);
        int lid = getLocalId(0);
        int base = o0 + row * cols;
        int chunks = (cols + GROUP - 1) / GROUP;
        if (fn == LIBRARY_BACKWARD_ROWS) {
            libraryBackwardRow(row, lid, chunks);
        } else if (fn == RENORMALISE) {
            renormaliseRow(row, lid, chunks);
        } else if (fn == SUM) {
            float s = 0f;
            for (int c = 0; c < chunks; c++) {
                int j = c * GROUP + lid;
                if (j < cols) {
                    s += mem[base + j];
                }
            }
            float total = reduceSum(lid, s);
            if (lid == 0) {
                mem[o1 + row] = total;
            }
        } else {
            float mx = -3.4028235e38f;
            for (int c = 0; c < chunks; c++) {
                int j = c * GROUP + lid;
                if (j < cols) {
                    mx = max(mx, mem[base + j]);
                }
            }
            float rowMax = reduceMax(lid, mx);
            float s = 0f;
            for (int c = 0; c < chunks; c++) {
                int j = c * GROUP + lid;
                if (j < cols) {
                    s += exp(mem[base + j] - rowMax);
                }
            }
            float sum = reduceSum(lid, s);
            float logSum = log(sum);
            int outBase = o1 + row * cols;
            for (int c = 0; c < chunks; c++) {
                int j = c * GROUP + lid;
                if (j < cols) {
                    float v = mem[base + j] - rowMax;
                    mem[outBase + j] = fn == LOG_SOFTMAX ? v - logSum : exp(v) / sum;
                }
            }
        }
    }

    private float reduceSum(int lid, float v) {
        partial[lid] = v;
        localBarrier();
        for (int stride = GROUP / 2; stride > 0; stride = stride / 2) {
            if (lid < stride) {
                partial[lid] = partial[lid] + partial[lid + stride];
            }
            localBarrier();
        }
        float r = partial[0];
        localBarrier();
        return r;
    }

    private float reduceMax(int lid, float v) {
        partial[lid] = v;
        localBarrier();
        for (int stride = GROUP / 2; stride > 0; stride = stride / 2) {
            if (lid < stride) {
                partial[lid] = max(partial[lid], partial[lid + stride]);
            }
            localBarrier();
        }
        float r = partial[0];
        localBarrier();
        return r;
    }

    /* x at o0 (rows × n), out at o1; fn 1: accumulate. */
    private void sumColumn(int j) {
        float s = fn == 1 ? mem[o1 + j] : 0f;
        for (int i = 0; i < rows; i++) {
            s += mem[o0 + i * n + j];
        }
        mem[o1 + j] = s;
    }

    private void libraryBackwardRow(int row, int lid, int chunks) {
        int off = row * cols;
        float s = 0f;
        for (int c = 0; c < chunks; c++) {
            int j = c * GROUP + lid;
            if (j < cols) {
                s += mem[o1 + off + j];
            }
        }
        float d = -s0 * reduceSum(lid, s);
        if (lid == 0) {
            mem[o2 + row] = d;
        }
        for (int c = 0; c < chunks; c++) {
            int j = c * GROUP + lid;
            if (j < cols) {
                mem[o3 + off + j] = -s0 * mem[o1 + off + j] - mem[o0 + off + j] * d;
            }
        }
    }

    /* The inverse is the CPU's: one double sum in the columns' order (by the first work item). */
    private void renormaliseRow(int row, int lid, int chunks) {
        int off = o0 + row * cols;
        if (lid == 0) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += mem[off + imem[o1 + c]];
            }
            partial[0] = (float) (1.0 / s);
        }
        localBarrier();
        float inv = partial[0];
        localBarrier();
        for (int c = 0; c < chunks; c++) {
            int j = c * GROUP + lid;
            if (j < cols) {
                mem[off + j] = mem[off + j] * inv;
            }
        }
    }

    /* params at o0, eps o1, dEll o2, prior mean o3, prior variance o4, dParams o5; s0 klScale, s1 floor. */
    private void libraryBackward(int i) {
        float mean = mem[o0 + 2 * i];
        float expRaw = exp(mem[o0 + 2 * i + 1]);
        float var = expRaw + s1;
        float std = sqrt(var);
        float pv = mem[o4 + i];
        float dEll = mem[o2 + i];
        float dMean = dEll + s0 * (mean - mem[o3 + i]) / pv;
        float dVar = dEll * mem[o1 + i] / (2f * std) + s0 * (-0.5f / var + 0.5f / pv);
        mem[o5 + 2 * i] = dMean;
        mem[o5 + 2 * i + 1] = dVar * expRaw;
    }

    // ------------------------------------------------------------------ batch normalisation

    /*
     * One work item per column j, walking the rows in order (the CPU's order). x o0, xhat o1, y o2,
     * gamma o3, beta o4 (backward: dBeta), running mean o5, running variance o6, batch mean o7
     * (backward: dGamma), invStd o8; s0 eps, s1 momentum, s2 rows/(rows − 1).
     */
    private void batchNormTrain(int j) {
        float fr = rows;
        float s = 0f;
        for (int i = 0; i < rows; i++) {
            s += mem[o0 + i * cols + j];
        }
        float m = s / fr;
        float v = 0f;
        for (int i = 0; i < rows; i++) {
            float dev = mem[o0 + i * cols + j] - m;
            v += dev * dev;
        }
        float var = v / fr;
        float is = 1f / sqrt(var + s0);
        mem[o7 + j] = m;
        mem[o8 + j] = is;
        float g = mem[o3 + j];
        float bt = mem[o4 + j];
        for (int i = 0; i < rows; i++) {
            float xh = (mem[o0 + i * cols + j] - m) * is;
            mem[o1 + i * cols + j] = xh;
            mem[o2 + i * cols + j] = g * xh + bt;
        }
        float keep = 1f - s1;
        mem[o5 + j] = keep * mem[o5 + j] + s1 * m;
        mem[o6 + j] = keep * mem[o6 + j] + s1 * (var * s2);
    }

    private void batchNormEval(int j) {
        float sc = mem[o3 + j] * (1f / sqrt(mem[o6 + j] + s0));
        float sh = mem[o4 + j] - mem[o5 + j] * sc;
        for (int i = 0; i < rows; i++) {
            mem[o2 + i * cols + j] = mem[o0 + i * cols + j] * sc + sh;
        }
    }

    /* dy at o0, xhat o1, dx o2, gamma o3, dBeta o4, dGamma o7, invStd o8. */
    private void batchNormBackward(int j) {
        float a = 0f;
        float b = 0f;
        for (int i = 0; i < rows; i++) {
            float g = mem[o0 + i * cols + j];
            a += g;
            b += g * mem[o1 + i * cols + j];
        }
        mem[o4 + j] = mem[o4 + j] + a;
        mem[o7 + j] = mem[o7 + j] + b;
        float fr = rows;
        float kk = mem[o3 + j] * mem[o8 + j] / fr;
        for (int i = 0; i < rows; i++) {
            float t = mem[o0 + i * cols + j] * fr - a - mem[o1 + i * cols + j] * b;
            mem[o2 + i * cols + j] = kk * t;
        }
    }

    // ------------------------------------------------------------------ likelihoods

    /*
     * Element e = i0 + t (the run's first element at i0). x o0, mu o1, theta o2 (per column), pi o3,
     * logp o4, muGrad o5, thetaGrad o6, piGrad o7 (-1: not wanted). Formulas and cancellation-free
     * rewrites are CountLikelihoodKernels'.
     */
    private void countLikelihood(int t) {
        int e = i0 + t;
        float xv = mem[o0 + e];
        float m = mem[o1 + e];
        if (fn == POISSON) {
            float xlogm = xv == 0f ? 0f : xv * log(m);
            mem[o4 + e] = xlogm - m - lgammaF(xv + 1f);
            if (o5 >= 0) {
                mem[o5 + e] = xv - m;
            }
            return;
        }
        float th = mem[o2 + t % cols];
        float logRatio = -log1p(m / (th + EPS));
        float logMuRatio = -log1p(th / (m + EPS));
        float nb = th * logRatio + xv * logMuRatio + (lgammaF(xv + th) - lgammaF(th) - lgammaF(xv + 1f));
        float mp = m + EPS;
        float gMu = m * th * (xv - mp) / (mp * (th + mp));
        float ratio = th / (th + EPS);
        float gTheta = th * (logRatio + ratio - (xv + th) / (th + m + EPS) + (digammaF(xv + th) - digammaF(th)));
        float lp = nb;
        float gPi = 0f;
        if (fn == ZINB) {
            float p = mem[o3 + e];
            float c = softplusF(-p);
            float sNegP = sigmoidF(-p);
            if (xv < EPS) {
                float a = -p + th * logRatio;
                float sA = sigmoidF(a);
                float thOverThMu = th / (th + m + EPS);
                lp = softplusF(a) - c;
                gMu = m * (sA * -thOverThMu);
                gTheta = th * (sA * (logRatio + ratio - thOverThMu));
                gPi = sNegP - sA;
            } else {
                lp = nb - c - p;
                gPi = sNegP - 1f;
            }
        }
        mem[o4 + e] = lp;
        if (o5 >= 0) {
            mem[o5 + e] = gMu;
        }
        if (o6 >= 0) {
            mem[o6 + e] = gTheta;
        }
        if (o7 >= 0) {
            mem[o7 + e] = gPi;
        }
    }

    /* x o0, mu o1, variance o2 (per column), logp o4, muGrad o5, varianceGrad o6; element e = i0 + t. */
    private void gaussian(int t) {
        int e = i0 + t;
        float v = mem[o2 + t % cols];
        float m = mem[o1 + e];
        float d = mem[o0 + e] - m;
        mem[o4 + e] = -0.5f * log(6.2831855f * v) - d * d / (2f * v);
        if (o5 >= 0) {
            mem[o5 + e] = m * d / v;
        }
        if (o6 >= 0) {
            mem[o6 + e] = -0.5f + d * d / (2f * v);
        }
    }

    // ------------------------------------------------------------------ Adam

    /*
     * AdamUpdate's definition at element t of w o0, g o1, m o2, v o3: s0 β1, s1 β2, s2 1 − β1,
     * s3 1 − β2, s4 step size, s5 √(bias correction 2), s6 ε, s7 weight decay.
     */
    private void adam(int t) {
        float w = mem[o0 + t];
        float grad = mem[o1 + t];
        if (s7 != 0f) {
            grad = grad + s7 * w;
        }
        float mi = s0 * mem[o2 + t] + s2 * grad;
        float vi = s1 * mem[o3 + t] + s3 * grad * grad;
        mem[o2 + t] = mi;
        mem[o3 + t] = vi;
        float denom = sqrt(vi) / s5 + s6;
        mem[o0 + t] = w - s4 * mi / denom;
    }
}
