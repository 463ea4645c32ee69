package org.gimvi.model.gimvi;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.gimvi.engine.backend.Backends;
import org.gimvi.engine.backend.ComputeBackend;
import org.gimvi.engine.backend.TensorView;
import org.gimvi.engine.nn.NamedBuffer;
import org.gimvi.engine.nn.Parameter;
import org.gimvi.engine.random.Rng;

/**
 * The byte format of a gimvi-java model ({@code .gimvi} files; reading and writing files is
 * {@code org.gimvi.model.io.ModelFile}), version 1. Big-endian (Java's DataOutput):
 * <pre>
 *   8 bytes   magic "GIMVI-J\n"
 *   int       format version (1)
 *   int n, n × (UTF key, UTF value)        metadata: kind, architecture, datasets, …
 *   int n, n × (UTF name, int k, k × UTF)  string arrays: output genes, each dataset's genes
 *   int n, n × (UTF name, int k, k × int)  int arrays: each dataset's gene mapping
 *   int n, n × (UTF name, int rows, int cols, rows·cols × float)   tensors: parameters, buffers, priors
 *   long      CRC32 of every byte before it
 * </pre>
 * Parameters are stored by name, so a file is checked name by name and shape by shape against the
 * architecture it declares. Optimiser state and the adversarial classifier are not saved (as in
 * scvi-tools); a loaded model gives identical outputs and can be trained further from its weights.
 */
public final class ModelFormat {
    private ModelFormat() {
    }

    static final byte[] MAGIC = "GIMVI-J\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    public static final int VERSION = 1;

    /** The model's bytes in this format (what a {@code .gimvi} file holds). */
    public static byte[] encode(Gimvi model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        JointVae vae = model.module();
        out.write(MAGIC);
        out.writeInt(VERSION);

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kind", "gimvi");
        meta.put("writer", "gimvi-java");
        meta.put("output_genes", Integer.toString(vae.genes()));
        meta.put("datasets", Integer.toString(vae.datasets()));
        for (Map.Entry<String, String> e : vae.architecture().toMap().entrySet()) {
            meta.put("architecture." + e.getKey(), e.getValue());
        }
        for (int m = 0; m < vae.datasets(); m++) {
            DatasetSpec s = vae.spec(m);
            meta.put("dataset" + m + ".name", s.name());
            meta.put("dataset" + m + ".likelihood", s.likelihood().id());
            meta.put("dataset" + m + ".model_library", Boolean.toString(s.modelsLibrary())); // the file keeps scvi's flag
            meta.put("dataset" + m + ".batch_offset", Integer.toString(s.batchOffset()));
            meta.put("dataset" + m + ".n_batches", Integer.toString(s.nBatches()));
        }
        meta.put("trained", Boolean.toString(model.isTrained()));
        out.writeInt(meta.size());
        for (Map.Entry<String, String> e : meta.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }

        out.writeInt(1 + vae.datasets());
        writeStrings(out, "output_genes", model.outputGenes());
        for (int m = 0; m < vae.datasets(); m++) {
            writeStrings(out, "dataset" + m + ".genes", model.datasetGenes(m));
        }
        out.writeInt(vae.datasets());
        for (int m = 0; m < vae.datasets(); m++) {
            int[] map = vae.spec(m).geneMapping();
            out.writeUTF("dataset" + m + ".mapping");
            out.writeInt(map.length);
            for (int v : map) {
                out.writeInt(v);
            }
        }

        List<Parameter> params = vae.parameters();
        List<NamedBuffer> buffers = vae.buffers();
        out.writeInt(params.size() + buffers.size() + 2);
        for (Parameter p : params) {
            TensorView v = p.value();
            writeTensor(out, "param:" + p.name(), v.rows(), v.cols(), v.array(), v.offset());
        }
        for (NamedBuffer b : buffers) {
            writeTensor(out, "buffer:" + b.name(), 1, b.data().length, b.data(), 0);
        }
        float[] pm = vae.libraryPriorMean();
        float[] pv = vae.libraryPriorVar();
        writeTensor(out, "library_prior_mean", 1, pm.length, pm);
        writeTensor(out, "library_prior_var", 1, pv.length, pv);
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeStrings(DataOutputStream out, String name, String[] v) throws IOException {
        out.writeUTF(name);
        out.writeInt(v.length);
        for (String s : v) {
            out.writeUTF(s);
        }
    }

    private static void writeTensor(DataOutputStream out, String name, int rows, int cols, float[] data)
            throws IOException {
        writeTensor(out, name, rows, cols, data, 0);
    }

    /** A rows×cols tensor stored from {@code data[offset ..]} (a parameter's view into the arena). */
    private static void writeTensor(DataOutputStream out, String name, int rows, int cols, float[] data, int offset)
            throws IOException {
        out.writeUTF(name);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < rows * cols; i++) {
            out.writeFloat(data[offset + i]);
        }
    }

    /**
     * Rebuilds a model from its bytes; its outputs need the data passed explicitly (the bytes hold no
     * data). Every problem is a {@link ModelFormatException} whose message says what is wrong.
     */
    public static Gimvi decode(byte[] all, GimviOptions options) throws IOException {
        if (all.length < MAGIC.length + 12 || !java.util.Arrays.equals(java.util.Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new ModelFormatException("not a gimvi-java model file (bad magic bytes); save models with "
                    + "'gimvi train --save-model', 'gimvi impute --save-model' or ModelFile.save");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = java.nio.ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new ModelFormatException("checksum mismatch: the file is truncated or corrupt; save the model again");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 8))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != VERSION) {
                throw new ModelFormatException("model format version " + version + " is not supported (this build reads "
                        + VERSION + "); retrain and save it with this build's 'gimvi train --save-model'");
            }
            Map<String, String> meta = new HashMap<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                meta.put(in.readUTF(), in.readUTF());
            }
            Map<String, String[]> strings = new HashMap<>();
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                String[] v = new String[in.readInt()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = in.readUTF();
                }
                strings.put(name, v);
            }
            Map<String, int[]> ints = new HashMap<>();
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int[] v = new int[in.readInt()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = in.readInt();
                }
                ints.put(name, v);
            }
            Map<String, float[]> tensors = new HashMap<>();
            Map<String, int[]> shapes = new HashMap<>();
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int rows = in.readInt();
                int cols = in.readInt();
                float[] v = new float[Math.multiplyExact(rows, cols)];
                for (int k = 0; k < v.length; k++) {
                    v[k] = in.readFloat();
                }
                tensors.put(name, v);
                shapes.put(name, new int[]{rows, cols});
            }
            return rebuild(meta, strings, ints, tensors, shapes, options);
        } catch (EOFException e) {
            throw new ModelFormatException("ends early: the file is truncated");
        } catch (NumberFormatException | NullPointerException e) {
            throw new ModelFormatException("metadata is incomplete or malformed (" + e.getMessage() + ")");
        }
    }

    private static Gimvi rebuild(Map<String, String> meta, Map<String, String[]> strings,
                                 Map<String, int[]> ints, Map<String, float[]> tensors, Map<String, int[]> shapes,
                                 GimviOptions options) {
        ComputeBackend backend = Backends.create(options.backend());
        if (!"gimvi".equals(meta.get("kind"))) {
            throw new ModelFormatException("holds a model of kind '" + meta.get("kind") + "', not gimvi");
        }
        Map<String, String> archMap = new HashMap<>();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (e.getKey().startsWith("architecture.")) {
                archMap.put(e.getKey().substring("architecture.".length()), e.getValue());
            }
        }
        GimviArchitecture arch = GimviArchitecture.fromMap(archMap);
        int datasets = Integer.parseInt(meta.get("datasets"));
        int genes = Integer.parseInt(meta.get("output_genes"));
        DatasetSpec[] specs = new DatasetSpec[datasets];
        String[] names = new String[datasets];
        String[][] dsGenes = new String[datasets][];
        for (int m = 0; m < datasets; m++) {
            String p = "dataset" + m + ".";
            names[m] = meta.get(p + "name");
            dsGenes[m] = strings.get(p + "genes");
            specs[m] = new DatasetSpec(names[m], ints.get(p + "mapping"), Likelihood.parse(meta.get(p + "likelihood")),
                    Boolean.parseBoolean(meta.get(p + "model_library")) ? Library.LATENT : Library.OBSERVED, Integer.parseInt(meta.get(p + "batch_offset")),
                    Integer.parseInt(meta.get(p + "n_batches")));
        }
        JointVae vae = new JointVae(backend, arch, specs, genes, tensors.get("library_prior_mean"),
                tensors.get("library_prior_var"), new Rng(0));
        List<String> problems = new ArrayList<>();
        for (Parameter p : vae.parameters()) {
            String key = "param:" + p.name();
            float[] v = tensors.get(key);
            int[] shape = shapes.get(key);
            if (v == null) {
                problems.add("missing " + p.name());
            } else if (shape[0] != p.rows() || shape[1] != p.cols()) {
                problems.add(p.name() + " is " + shape[0] + "x" + shape[1] + ", expected " + p.rows() + "x" + p.cols());
            } else {
                p.value().copyFrom(v);
            }
        }
        for (NamedBuffer b : vae.buffers()) {
            float[] v = tensors.get("buffer:" + b.name());
            if (v == null || v.length != b.data().length) {
                problems.add("buffer " + b.name() + " missing or of the wrong length");
            } else {
                System.arraycopy(v, 0, b.data(), 0, v.length);
            }
        }
        if (!problems.isEmpty()) {
            throw new ModelFormatException("does not match the architecture it declares: "
                    + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
        }
        vae.uploadState(); // the values were written on the host
        Gimvi model = Gimvi.restore(backend, new Rng(options.seed()), vae, strings.get("output_genes"), names, dsGenes);
        if (Boolean.parseBoolean(meta.get("trained"))) {
            model.setHistory(new TrainingHistory(names));
        }
        return model;
    }
}
