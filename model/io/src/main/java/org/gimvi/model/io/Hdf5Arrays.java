package org.gimvi.model.io;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.nio.file.Path;

/** Conversions of the arrays jhdf returns (whatever the stored type) into the types we compute with. */
final class Hdf5Arrays {
    private Hdf5Arrays() {
    }

    static String attribute(Node n, String name) {
        Attribute a = n.getAttribute(name);
        if (a == null) {
            return null;
        }
        Object v = a.getData();
        return v == null ? null : v.toString();
    }

    static float[] floats(Path file, Dataset d) {
        return floats(file, d, d.getDataFlat());
    }

    /** {@code data}: what jhdf returned for all or a slice of {@code d} (named in messages). */
    static float[] floats(Path file, Dataset d, Object data) {
        if (data instanceof float[] f) {
            return f;
        }
        double[] v = doubles(file, d, data);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    static double[] doubles(Path file, Dataset d) {
        return doubles(file, d, d.getDataFlat());
    }

    private static double[] doubles(Path file, Dataset d, Object data) {
        if (data instanceof double[] v) {
            return v;
        }
        if (data instanceof float[] v) {
            double[] o = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                o[i] = v[i];
            }
            return o;
        }
        if (data instanceof long[] v) {
            double[] o = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                o[i] = v[i];
            }
            return o;
        }
        if (data instanceof int[] v) {
            double[] o = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                o[i] = v[i];
            }
            return o;
        }
        if (data instanceof short[] v) {
            double[] o = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                o[i] = v[i];
            }
            return o;
        }
        if (data instanceof byte[] v) {
            double[] o = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                o[i] = v[i];
            }
            return o;
        }
        if (data instanceof boolean[] v) {
            double[] o = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                o[i] = v[i] ? 1 : 0;
            }
            return o;
        }
        throw new InputFormatException(file, "dataset '" + d.getPath() + "' holds " + d.getJavaType().getSimpleName()
                + " values where numbers were expected");
    }

    static int[] ints(Path file, Dataset d) {
        return ints(file, d, d.getDataFlat());
    }

    /** {@code data}: what jhdf returned for all or a slice of {@code d} (named in messages). */
    static int[] ints(Path file, Dataset d, Object data) {
        if (data instanceof int[] v) {
            return v;
        }
        if (data instanceof long[] v) {
            int[] o = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                if (v[i] > Integer.MAX_VALUE || v[i] < Integer.MIN_VALUE) {
                    throw new InputFormatException(file, "'" + d.getPath() + "' has an index beyond 2^31 (" + v[i]
                            + "); matrices with more than 2^31 non-zeros are not supported");
                }
                o[i] = (int) v[i];
            }
            return o;
        }
        double[] v = doubles(file, d, data);
        int[] o = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = (int) v[i];
        }
        return o;
    }

    /** 64-bit offsets (a CSR indptr), whatever integer type they are stored as. */
    static long[] longs(Path file, Dataset d) {
        Object data = d.getDataFlat();
        if (data instanceof long[] v) {
            return v;
        }
        if (data instanceof int[] v) {
            long[] o = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                o[i] = v[i];
            }
            return o;
        }
        throw new InputFormatException(file, "'" + d.getPath() + "' holds " + d.getJavaType().getSimpleName()
                + " values where integer offsets were expected");
    }

    static String[] strings(Path file, Dataset d) {
        Object data = d.getDataFlat();
        if (data instanceof String[] s) {
            return s;
        }
        if (data instanceof Object[] o) {
            String[] s = new String[o.length];
            for (int i = 0; i < o.length; i++) {
                s[i] = o[i] == null ? null : o[i].toString();
            }
            return s;
        }
        double[] v = doubles(file, d);
        String[] s = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = v[i] == Math.rint(v[i]) ? Long.toString((long) v[i]) : Double.toString(v[i]);
        }
        return s;
    }
}
