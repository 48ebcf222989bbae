package org.lnpsaxs.surrogate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.io.AtomicFiles;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.internal.Graphs;
import org.lnpsaxs.surrogate.internal.Json;
import org.lnpsaxs.surrogate.internal.Json.ParameterJson;
import org.lnpsaxs.surrogate.internal.JsonValues;
import org.lnpsaxs.surrogate.internal.Npy;
import org.lnpsaxs.surrogate.lnp.LnpFeatures;
import org.lnpsaxs.surrogate.lnp.RadialOperator;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;

/**
 * The model file (format version {@value ModelMetadata#FORMAT_VERSION}): a zip archive with these
 * entries, in this order,
 * <ul>
 *   <li>{@value #METADATA}: the {@link ModelMetadata} as JSON (format and version, parameter space
 *       with the training box, q grid, intensity unit, network shape with the simulator settings
 *       of the closed-form term, provenance);</li>
 *   <li>{@value #NETWORK}: the SameDiff inference graph with its float32 weights
 *       ({@code SameDiff.save}, FlatBuffers, no updater state), for ND4J users;</li>
 *   <li>{@code weights/<tensor>.npy}, one per weight tensor of the network shape
 *       ({@link NetworkSpec#tensors()}): the same float32 values as NumPy {@code .npy} (version
 *       1.0, little-endian {@code <f4}, C order, shape {@code (rows, columns)}), read by
 *       {@code numpy.load} as they are and by this library without ND4J;</li>
 *   <li>{@value #ERROR_MODEL} (optional): the surrogate's measured error ({@link ErrorModel}: σ(q)
 *       in ln I, its correlation along q and how it was measured), which the {@code loglik}
 *       likelihood uses; files without it still load, and say so where it is needed;</li>
 *   <li>{@value #CHECKSUMS}: the SHA-256 of every other entry, one line each,
 *       {@code <64 hex digits><two spaces><entry name>} (the format of {@code sha256sum}, so
 *       {@code sha256sum -c checksums.sha256} checks an unzipped copy).</li>
 * </ul>
 *
 * <p><b>Reading</b> ({@link #read}) checks, in this order: the archive (zip CRCs; entry names,
 * count and sizes within limits, see {@link ModelArchive}), the format name and version (a file
 * of another version gets a message saying so), the SHA-256 of every entry (so an edited training
 * box, q grid or simulator setting in the metadata is refused, as is a changed weight), the shape
 * of every weight tensor against the network shape, and the consistency of parameter space, q
 * grid and simulator settings; anything wrong is an {@link IOException} naming the source and the
 * problem. Reading takes the weights from the {@code .npy} entries and never starts ND4J.
 *
 * <p><b>Writing</b> ({@link #write}) builds the SameDiff graph, so it needs ND4J (as training
 * does); the bytes depend only on the metadata and the weights (entry times are fixed). A file of
 * format version 2 (the network entry only, its SHA-256 in the metadata) is refused by
 * {@link #read}; {@link #upgrade} converts it once. {@link #withErrorModel} adds or replaces the
 * error model of a file without ND4J, copying every other entry byte for byte.
 */
public final class ModelFile {

    /** The metadata entry. */
    public static final String METADATA = "metadata.json";
    /** The network entry (SameDiff). */
    public static final String NETWORK = "network.sd";
    /** The folder of the {@code .npy} weight entries. */
    public static final String WEIGHTS = "weights/";
    /** The checksum entry. */
    public static final String CHECKSUMS = "checksums.sha256";
    /** The optional error-model entry ({@link ErrorModel}). */
    public static final String ERROR_MODEL = "error-model.json";
    /** The file name ending of a weight entry. */
    static final String NPY = ".npy";

    /** The format version before the weights were stored as {@code .npy} and every entry hashed. */
    private static final int VERSION_NETWORK_HASH_ONLY = 2;
    /** The DOS time of every entry, so that the same model gives the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2020, 1, 1, 0, 0);

    private ModelFile() {
    }

    /**
     * A model read from a file: its metadata, weights and (when the file has one) error model.
     *
     * @param metadata   the metadata
     * @param weights    the network weights
     * @param errorModel the measured error, or {@code null} when the file has none
     */
    public record Contents(ModelMetadata metadata, Weights weights, ErrorModel errorModel) {

        /** Contents without an error model. */
        public Contents(ModelMetadata metadata, Weights weights) {
            this(metadata, weights, null);
        }
    }

    /** The entry name of a weight tensor. */
    static String weightEntry(String tensor) {
        return WEIGHTS + tensor + NPY;
    }

    /**
     * Writes a model file atomically, never through a link ({@link AtomicFiles}); the directory is
     * created when missing.
     */
    public static void write(Path file, ModelMetadata metadata, Weights weights) throws IOException {
        write(file, metadata, weights, null);
    }

    /**
     * Writes a model file with an error model (or none, {@code null}) atomically, never through a
     * link; the directory is created when missing.
     */
    public static void write(Path file, ModelMetadata metadata, Weights weights, ErrorModel errorModel)
            throws IOException {
        AtomicFiles.outputFile(file);
        AtomicFiles.write(file, out -> write(out, metadata, weights, errorModel));
    }

    /**
     * Writes a model file to a stream (flushed, not closed).
     *
     * @throws IllegalArgumentException if metadata and weights do not fit together or the
     *                                  metadata is not of the current format
     */
    public static void write(OutputStream out, ModelMetadata metadata, Weights weights) throws IOException {
        write(out, metadata, weights, null);
    }

    /**
     * Writes a model file with an error model (or none, {@code null}) to a stream (flushed, not
     * closed).
     *
     * @throws IllegalArgumentException if metadata and weights do not fit together or the
     *                                  metadata is not of the current format
     */
    public static void write(OutputStream out, ModelMetadata metadata, Weights weights, ErrorModel errorModel)
            throws IOException {
        if (!ModelMetadata.FORMAT.equals(metadata.format()) || metadata.formatVersion() != ModelMetadata.FORMAT_VERSION) {
            throw new IllegalArgumentException("model metadata of format " + metadata.format() + " version "
                    + metadata.formatVersion() + " cannot be written; this library writes " + ModelMetadata.FORMAT
                    + " version " + ModelMetadata.FORMAT_VERSION + " (see ModelMetadata.of)");
        }
        checkShape(metadata, weights.spec());
        RadialOperator.of(metadata.q(), metadata.network().voxel(), metadata.network().plane(),
                metadata.network().refine());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(METADATA, Json.write(metadata).getBytes(StandardCharsets.UTF_8));
        entries.put(NETWORK, Graphs.inferenceBytes(weights));
        for (NetworkSpec.Tensor t : weights.spec().tensors()) {
            entries.put(weightEntry(t.name()), Npy.write(weights.get(t.name()), t.rows(), t.columns()));
        }
        if (errorModel != null) {
            entries.put(ERROR_MODEL, errorModel.toJson());
        }
        zip(out, entries);
    }

    /** Adds the checksum entry to {@code entries} and writes them as a zip archive (fixed entry times). */
    private static void zip(OutputStream out, Map<String, byte[]> entries) throws IOException {
        StringBuilder sums = new StringBuilder();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            sums.append(ModelArchive.hash(e.getValue())).append("  ").append(e.getKey()).append('\n');
        }
        entries.put(CHECKSUMS, sums.toString().getBytes(StandardCharsets.UTF_8));
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            ZipEntry z = new ZipEntry(e.getKey());
            z.setTimeLocal(ENTRY_TIME);
            zip.putNextEntry(z);
            zip.write(e.getValue());
            zip.closeEntry();
        }
        zip.finish();
        out.flush();
    }

    /** Reads and checks a model file (see the class comment); never starts ND4J. */
    public static Contents read(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return read(in, file.toString());
        }
    }

    /** Opens a model file: a regular file within the size limit (checked before reading). */
    static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such model file");
        }
        long size = Files.size(file);
        if (size > ModelArchive.MAX_FILE) {
            throw new IOException(file + ": " + size + " bytes, larger than " + (ModelArchive.MAX_FILE >> 20)
                    + " MB, the limit for a model file");
        }
        return Files.newInputStream(file);
    }

    /**
     * Reads and checks a model file from a stream (see the class comment); never starts ND4J.
     *
     * @param source the name used in messages (a path or resource name)
     */
    public static Contents read(InputStream in, String source) throws IOException {
        Loaded l = load(in, source);
        ModelMetadata m = l.metadata();
        try {
            RadialOperator.of(m.q(), m.network().voxel(), m.network().plane(), m.network().refine());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        return new Contents(m, l.weights(), l.errorModel());
    }

    /**
     * Writes {@code to} (atomically; it may be {@code from}) as {@code from} with its error model
     * replaced by {@code errorModel} ({@code null} removes it): every other entry is copied byte
     * for byte (so the network and weights are unchanged and ND4J is not needed) and the checksums
     * are computed again. {@code from} is checked in full first.
     *
     * @throws IOException if {@code from} is not a valid model file of the current version
     */
    public static void withErrorModel(Path from, Path to, ErrorModel errorModel) throws IOException {
        read(from);
        ModelArchive archive;
        try (InputStream in = open(from)) {
            archive = ModelArchive.read(in, from.toString(), true);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String name : archive.names()) {
            if (!name.equals(CHECKSUMS) && !name.equals(ERROR_MODEL)) {
                entries.put(name, archive.bytes(name));
            }
        }
        if (errorModel != null) {
            entries.put(ERROR_MODEL, errorModel.toJson());
        }
        AtomicFiles.outputFile(to);
        AtomicFiles.write(to, out -> zip(out, entries));
        read(to);
    }

    /**
     * A model file read for a surrogate: the metadata without its provenance ({@code header},
     * read without Jackson databind, whose start-up costs more than the rest of loading), the
     * weights, and the metadata entry for the full record on demand. Everything but the radial
     * operator, which the surrogate builds anyway, is checked.
     */
    record Loaded(ModelMetadata header, Weights weights, byte[] metadataJson, String source, ErrorModel errorModel) {

        /**
         * The full metadata, provenance included.
         *
         * @throws IOException if the metadata entry is not valid model metadata
         */
        ModelMetadata metadata() throws IOException {
            try {
                return Json.MAPPER.readValue(metadataJson, ModelMetadata.class);
            } catch (JsonProcessingException e) {
                throw new IOException(source + ": " + METADATA + " is not valid model metadata: "
                        + e.getOriginalMessage(), e);
            }
        }
    }

    /** Reads a model file for a surrogate (see {@link Loaded}); never starts ND4J. */
    static Loaded load(InputStream in, String source) throws IOException {
        ModelArchive archive = ModelArchive.read(in, source, false);
        Map<String, Object> json = header(archive, source);
        int version = json.get("formatVersion") instanceof Long v ? v.intValue() : -1;
        if (version != ModelMetadata.FORMAT_VERSION) {
            throw new IOException(source + ": model format version " + version + " is not supported (this library"
                    + " reads version " + ModelMetadata.FORMAT_VERSION + versionAdvice(version) + ")");
        }
        archive.verifyChecksums();
        if (!archive.has(NETWORK)) {
            throw new IOException(source + ": the model file lacks its network entry " + NETWORK);
        }
        try {
            ModelMetadata m = MetadataHeader.read(json);
            NetworkSpec spec = m.network();
            Map<String, float[]> arrays = new LinkedHashMap<>();
            for (NetworkSpec.Tensor t : spec.tensors()) {
                String name = weightEntry(t.name());
                byte[] bytes = archive.bytes(name);
                if (bytes == null) {
                    throw new IOException(source + ": the model file lacks the weight entry " + name + " that its"
                            + " network shape needs");
                }
                arrays.put(t.name(), Npy.read(bytes, t.rows(), t.columns(), name));
            }
            for (String name : archive.weightEntries()) {
                String tensor = name.substring(WEIGHTS.length(), name.length() - NPY.length());
                if (!arrays.containsKey(tensor)) {
                    throw new IOException(source + ": weight entry " + name + " is not a tensor of the network shape"
                            + " (tensors: " + arrays.keySet() + ")");
                }
            }
            Weights w = Weights.of(spec, arrays);
            checkShape(m, spec);
            byte[] err = archive.bytes(ERROR_MODEL);
            ErrorModel e = err == null ? null : ErrorModel.fromJson(err, source);
            return new Loaded(m, w, archive.bytes(METADATA), source, e);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Converts a model file of format version 2 (its SHA-256 covered the network entry only) to
     * the current version, keeping metadata and weights: reads it through ND4J (which must be
     * available), checks the network entry's SHA-256 and the weights, and writes {@code to}
     * (atomically; {@code to} may be {@code from}). A file of the current version is read and
     * written again. Only convert a file whose metadata you trust: version 2 did not protect it.
     *
     * @throws IOException if {@code from} cannot be read or is of another version
     */
    public static void upgrade(Path from, Path to) throws IOException {
        ModelArchive archive;
        try (InputStream in = open(from)) {
            archive = ModelArchive.read(in, from.toString(), true);
        }
        String source = from.toString();
        Map<String, Object> json = header(archive, source);
        int version = json.get("formatVersion") instanceof Long v ? v.intValue() : -1;
        if (version == ModelMetadata.FORMAT_VERSION) {
            Contents c = read(from);
            write(to, c.metadata(), c.weights(), c.errorModel());
            return;
        }
        if (version != VERSION_NETWORK_HASH_ONLY) {
            throw new IOException(source + ": model format version " + version + " cannot be converted (this library"
                    + " converts version " + VERSION_NETWORK_HASH_ONLY + " to " + ModelMetadata.FORMAT_VERSION + ")");
        }
        byte[] net = archive.bytes(NETWORK);
        if (net == null) {
            throw new IOException(source + ": the model file lacks its network entry " + NETWORK);
        }
        Object expected = json.get("networkSha256");
        if (!(expected instanceof String sha) || !sha.equalsIgnoreCase(archive.sha256(NETWORK))) {
            throw new IOException(source + ": the network entry is corrupt (SHA-256 does not match the metadata)");
        }
        ModelMetadata m;
        try {
            ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(archive.bytes(METADATA));
            tree.remove("networkSha256");
            tree.put("formatVersion", ModelMetadata.FORMAT_VERSION);
            m = Json.MAPPER.treeToValue(tree, ModelMetadata.class);
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": " + METADATA + " is not valid model metadata: " + e.getOriginalMessage(), e);
        }
        Weights w;
        try {
            w = Graphs.weights(net, m.network());
            checkShape(m, m.network());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        write(to, m, w);
    }

    private static String versionAdvice(int version) {
        if (version < 1) {
            return ": the metadata has no valid formatVersion";
        }
        if (version == VERSION_NETWORK_HASH_ONLY) {
            return ": its checksum does not cover the metadata; convert the file once with ModelFile.upgrade, which"
                    + " needs ND4J, or train the model again";
        }
        return version < ModelMetadata.FORMAT_VERSION
                ? ": the file was written by an older lnpsaxs; train the model again with 'lnpsaxs train'"
                : ": the file was written by a newer lnpsaxs";
    }

    /**
     * The metadata entry as plain JSON values, of the right format (the version is checked by
     * the caller).
     */
    private static Map<String, Object> header(ModelArchive archive, String source) throws IOException {
        byte[] bytes = archive.bytes(METADATA);
        if (bytes == null) {
            throw new IOException(source + ": not an lnpsaxs model file (entries " + archive.names() + "; expected "
                    + METADATA + ", " + NETWORK + ", " + WEIGHTS + "*" + NPY + " and " + CHECKSUMS + ")");
        }
        Object json;
        try {
            json = JsonValues.read(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": " + METADATA + " is not valid model metadata: " + e.getOriginalMessage(), e);
        }
        Object format = json instanceof Map<?, ?> m ? m.get("format") : null;
        if (!ModelMetadata.FORMAT.equals(format)) {
            throw new IOException(source + ": not an lnpsaxs model file (format '" + format + "', expected '"
                    + ModelMetadata.FORMAT + "')");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) json;
        return map;
    }

    /** The parameter space of metadata (without the JSON mapper, so that loading stays light). */
    static ParameterSpace space(ModelMetadata m) {
        if (m.parameters() == null || m.parameters().isEmpty()) {
            throw new IllegalArgumentException(METADATA + ": the parameter list is missing or empty");
        }
        List<Parameter> ps = new ArrayList<>();
        for (ParameterJson p : m.parameters()) {
            ps.add(p.toParameter());
        }
        return ParameterSpace.of(ps);
    }

    private static void checkShape(ModelMetadata m, NetworkSpec spec) {
        ParameterSpace space = space(m);
        if (!spec.equals(m.network())) {
            throw new IllegalArgumentException("the weights' network shape " + spec + " is not the metadata's "
                    + m.network());
        }
        double[] q = m.q();
        if (q.length != spec.outputs()) {
            throw new IllegalArgumentException("the network has " + spec.outputs() + " outputs but the q grid has "
                    + q.length + " points");
        }
        QGrid.of(q);
        new LnpFeatures(space, spec.voxel());
    }
}
