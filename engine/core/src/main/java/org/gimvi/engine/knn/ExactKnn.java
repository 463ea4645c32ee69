package org.gimvi.engine.knn;

import org.gimvi.engine.kernels.SimdGemm;
import org.gimvi.engine.parallel.WorkerPool;

/**
 * Exact k nearest neighbours by brute force, organised like a GEMM: queries and references are cut
 * into blocks, each block of dot products is one register-tiled product (references pre-transposed
 * once), distances follow from the norms, and each query keeps its best k in a bounded max-heap.
 *
 * <p>Deterministic: every query's neighbours depend only on the data (ties broken by index), and query
 * blocks are independent tasks, so the result is the same for any thread count.
 */
public final class ExactKnn {
    private ExactKnn() {
    }

    private static final int QUERY_BLOCK = 64;
    private static final int REF_BLOCK = 2048;

    /**
     * @param queries    nq × d, row-major
     * @param references nr × d, row-major
     * @param excludeSelf when queries and references are the same rows, skip each query's own row
     */
    public static KnnResult search(float[] queries, int nq, float[] references, int nr, int d, int k,
                                   KnnMetric metric, boolean excludeSelf, WorkerPool pool) {
        int available = excludeSelf ? nr - 1 : nr;
        if (k < 1 || k > available) {
            throw new IllegalArgumentException("k = " + k + " neighbours requested but only " + available
                    + " reference cells are available");
        }
        float[] q = metric == KnnMetric.COSINE ? normalisedRows(queries, nq, d) : queries;
        float[] r = metric == KnnMetric.COSINE ? normalisedRows(references, nr, d) : references;
        float[] qNorm = squaredNorms(q, nq, d);
        float[] rNorm = squaredNorms(r, nr, d);
        // references transposed once (d × nr) so every block product is a plain A·B
        float[] rT = new float[d * nr];
        for (int i = 0; i < nr; i++) {
            for (int j = 0; j < d; j++) {
                rT[j * nr + i] = r[i * d + j];
            }
        }
        int[] index = new int[nq * k];
        float[] dist = new float[nq * k];
        int blocks = (nq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        WorkerPool.Task task = b -> {
            int q0 = b * QUERY_BLOCK;
            int q1 = Math.min(nq, q0 + QUERY_BLOCK);
            int rows = q1 - q0;
            float[] dots = new float[rows * REF_BLOCK];
            float[] tile = new float[d * REF_BLOCK];
            float[] heapD = new float[rows * k];
            int[] heapI = new int[rows * k];
            int[] size = new int[rows];
            for (int r0 = 0; r0 < nr; r0 += REF_BLOCK) {
                int cols = Math.min(REF_BLOCK, nr - r0);
                for (int j = 0; j < d; j++) {
                    System.arraycopy(rT, j * nr + r0, tile, j * cols, cols);
                }
                SimdGemm.gemm(rows, cols, d, q, q0 * d, d, 1, tile, 0, cols, dots, 0, cols, null, false);
                for (int i = 0; i < rows; i++) {
                    int query = q0 + i;
                    for (int c = 0; c < cols; c++) {
                        int ref = r0 + c;
                        if (excludeSelf && ref == query) {
                            continue;
                        }
                        float dot = dots[i * cols + c];
                        float v = metric == KnnMetric.COSINE
                                ? cosineDistance(dot, qNorm[query], rNorm[ref])
                                : Math.max(0f, qNorm[query] + rNorm[ref] - 2f * dot);
                        offer(heapD, heapI, i * k, size, i, k, v, ref);
                    }
                }
            }
            for (int i = 0; i < rows; i++) {
                sortHeap(heapD, heapI, i * k, k);
                int query = q0 + i;
                for (int rank = 0; rank < k; rank++) {
                    float v = heapD[i * k + rank];
                    dist[query * k + rank] = metric == KnnMetric.EUCLIDEAN ? (float) Math.sqrt(v) : v;
                    index[query * k + rank] = heapI[i * k + rank];
                }
            }
        };
        if (pool == null) {
            for (int b = 0; b < blocks; b++) {
                task.run(b);
            }
        } else {
            pool.forEach(blocks, task);
        }
        return new KnnResult(nq, k, index, dist);
    }

    private static float cosineDistance(float dot, float qq, float rr) {
        // rows are unit length (or zero); a zero row is orthogonal to everything
        if (qq == 0f || rr == 0f) {
            return 1f;
        }
        return 1f - dot;
    }

    /** (distance, index) order: smaller distance first, then smaller index. */
    private static boolean worse(float d1, int i1, float d2, int i2) {
        return d1 > d2 || (d1 == d2 && i1 > i2);
    }

    /** Bounded max-heap insert: keeps the k best (distance, index) pairs seen so far. */
    private static void offer(float[] hd, int[] hi, int off, int[] size, int row, int k, float d, int idx) {
        int n = size[row];
        if (n < k) {
            int c = n;
            hd[off + c] = d;
            hi[off + c] = idx;
            while (c > 0) {
                int parent = (c - 1) >> 1;
                if (worse(hd[off + c], hi[off + c], hd[off + parent], hi[off + parent])) {
                    swap(hd, hi, off + c, off + parent);
                    c = parent;
                } else {
                    break;
                }
            }
            size[row] = n + 1;
            return;
        }
        if (!worse(hd[off], hi[off], d, idx)) {
            return; // not better than the current worst
        }
        hd[off] = d;
        hi[off] = idx;
        siftDown(hd, hi, off, 0, k);
    }

    private static void siftDown(float[] hd, int[] hi, int off, int c, int n) {
        while (true) {
            int l = 2 * c + 1;
            if (l >= n) {
                return;
            }
            int r = l + 1;
            int big = (r < n && worse(hd[off + r], hi[off + r], hd[off + l], hi[off + l])) ? r : l;
            if (worse(hd[off + big], hi[off + big], hd[off + c], hi[off + c])) {
                swap(hd, hi, off + c, off + big);
                c = big;
            } else {
                return;
            }
        }
    }

    /** Heap sort in place: ascending (distance, index). */
    private static void sortHeap(float[] hd, int[] hi, int off, int n) {
        for (int end = n - 1; end > 0; end--) {
            swap(hd, hi, off, off + end);
            siftDown(hd, hi, off, 0, end);
        }
    }

    private static void swap(float[] hd, int[] hi, int a, int b) {
        float td = hd[a];
        hd[a] = hd[b];
        hd[b] = td;
        int ti = hi[a];
        hi[a] = hi[b];
        hi[b] = ti;
    }

    static float[] squaredNorms(float[] x, int n, int d) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) x[i * d + j] * x[i * d + j];
            }
            out[i] = (float) s;
        }
        return out;
    }

    static float[] normalisedRows(float[] x, int n, int d) {
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) x[i * d + j] * x[i * d + j];
            }
            if (s > 0) {
                float inv = (float) (1.0 / Math.sqrt(s));
                for (int j = 0; j < d; j++) {
                    out[i * d + j] = x[i * d + j] * inv;
                }
            }
        }
        return out;
    }
}
