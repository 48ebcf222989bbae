package org.lnpsaxs.surrogate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.lnpsaxs.core.io.AtomicFiles;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.internal.Json;
import org.lnpsaxs.surrogate.nn.Graphs;
import org.lnpsaxs.surrogate.lnp.LnpFeatures;
import org.lnpsaxs.surrogate.lnp.RadialOperator;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The model file: a zip archive with two entries,
 * <ul>
 *   <li>{@value #METADATA}: the {@link ModelMetadata} as JSON (format and version, parameter space,
 *       q grid, network shape with the simulator settings of the closed-form term, provenance,
 *       SHA-256 of the network entry);</li>
 *   <li>{@value #NETWORK}: the SameDiff inference graph with its float32 weights
 *       ({@code SameDiff.save}, FlatBuffers, no updater state).</li>
 * </ul>
 * Reading accepts only these two entries, each once, and inflates each to at most
 * {@link #MAX_METADATA_BYTES} or {@link #MAX_NETWORK_BYTES} (counted while inflating, so a zip
 * bomb is refused after reading at most that much). It checks the archive (zip CRCs), the format
 * name and version (before anything else, so a
 * file of another version gets a message saying so), the SHA-256 of the network, the shapes of all
 * weight tensors against the network shape, and the consistency of parameter space, q grid and
 * simulator settings; anything wrong is an {@link IOException} naming the source and the problem.
 */
public final class ModelFile {

    /** The metadata entry. */
    public static final String METADATA = "metadata.json";
    /** The network entry. */
    public static final String NETWORK = "network.sd";

    /** The largest metadata entry read, bytes (uncompressed). */
    public static final long MAX_METADATA_BYTES = 8L << 20;
    /** The largest network entry read, bytes (uncompressed); the default model's is 0.2 MiB. */
    public static final long MAX_NETWORK_BYTES = 64L << 20;

    private static final Map<String, Long> ENTRY_LIMITS = Map.of(METADATA, MAX_METADATA_BYTES, NETWORK, MAX_NETWORK_BYTES);

    private ModelFile() {
    }

    /**
     * A model read from a file: its metadata and weights.
     *
     * @param metadata the metadata
     * @param weights  the network weights
     */
    public record Contents(ModelMetadata metadata, Weights weights) {
    }

    /**
     * Writes a model file atomically, never through a link ({@link AtomicFiles}); the directory is
     * created when missing.
     */
    public static void write(Path file, ModelMetadata metadata, Weights weights) throws IOException {
        AtomicFiles.outputFile(file);
        AtomicFiles.write(file, out -> write(out, metadata, weights));
    }

    /** Writes a model file to a stream (not closed). */
    public static void write(OutputStream out, ModelMetadata metadata, Weights weights) throws IOException {
        check(metadata, weights.spec(), "the model to write");
        ByteArrayOutputStream net = new ByteArrayOutputStream();
        Graphs.inference(weights).save(net, false);
        byte[] netBytes = net.toByteArray();
        ModelMetadata m = metadata.withNetworkSha256(sha256(netBytes));
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry(METADATA));
        zip.write(Json.write(m).getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(NETWORK));
        zip.write(netBytes);
        zip.closeEntry();
        zip.finish();
        out.flush();
    }

    /** Reads and checks a model file. */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such model file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads and checks a model file from a stream.
     *
     * @param source the name used in messages (a path or resource name)
     */
    public static Contents read(InputStream in, String source) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                // known entries only, each once and within its limit: checked before and while inflating
                String name = e.getName();
                Long limit = ENTRY_LIMITS.get(name);
                if (limit == null) {
                    throw new IOException(source + ": not an lnpsaxs model file (unexpected entry '" + abbreviate(name)
                            + "'; a model file holds only " + METADATA + " and " + NETWORK + ")");
                }
                if (entries.containsKey(name)) {
                    throw new IOException(source + ": not an lnpsaxs model file (entry " + name + " appears twice)");
                }
                if (e.getSize() > limit) {
                    throw new IOException(source + ": entry " + name + " declares " + e.getSize()
                            + " bytes uncompressed, more than the limit of " + limit + " bytes");
                }
                entries.put(name, readEntry(zip, name, limit, source));
            }
        } catch (ZipException | EOFException e) {
            throw new IOException(source + ": the model file is truncated or corrupt (" + e.getMessage() + ")", e);
        }
        if (entries.isEmpty()) {
            throw new IOException(source + ": not an lnpsaxs model file (not a zip archive, or empty)");
        }
        byte[] metaBytes = entries.get(METADATA);
        byte[] netBytes = entries.get(NETWORK);
        if (metaBytes == null || netBytes == null) {
            throw new IOException(source + ": not an lnpsaxs model file (entries " + entries.keySet() + "; expected "
                    + METADATA + " and " + NETWORK + ")");
        }
        ModelMetadata m;
        try {
            com.fasterxml.jackson.databind.JsonNode tree = Json.MAPPER.readTree(metaBytes);
            String format = tree.path("format").asText(null);
            if (!ModelMetadata.FORMAT.equals(format)) {
                throw new IOException(source + ": not an lnpsaxs model file (format '" + format + "', expected '"
                        + ModelMetadata.FORMAT + "')");
            }
            int version = tree.path("formatVersion").asInt(-1);
            if (version != ModelMetadata.FORMAT_VERSION) {
                throw new IOException(source + ": model format version " + version + " is not supported (this library"
                        + " reads version " + ModelMetadata.FORMAT_VERSION + (version < ModelMetadata.FORMAT_VERSION
                        ? ": the file was written by an older lnpsaxs; train the model again with 'lnpsaxs train'"
                        : ": the file was written by a newer lnpsaxs") + ")");
            }
            m = Json.MAPPER.treeToValue(tree, ModelMetadata.class);
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": " + METADATA + " is not valid model metadata: " + e.getOriginalMessage(), e);
        }
        if (m.networkSha256() == null || !m.networkSha256().equalsIgnoreCase(sha256(netBytes))) {
            throw new IOException(source + ": the network entry is corrupt (SHA-256 does not match the metadata)");
        }
        if (m.network() == null || m.parameters() == null || m.q() == null) {
            throw new IOException(source + ": " + METADATA + " lacks network, parameters or q");
        }
        SameDiff sd;
        try {
            sd = SameDiff.load(new ByteArrayInputStream(netBytes), false);
        } catch (RuntimeException e) {
            throw new IOException(source + ": the network entry cannot be read by ND4J (" + e + ")", e);
        }
        Weights w;
        try {
            w = Graphs.weights(sd, m.network());
            check(m, m.network(), source);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        return new Contents(m, w);
    }

    /** Consistency of metadata and network shape. */
    private static void check(ModelMetadata m, NetworkSpec spec, String source) {
        ParameterSpace space = m.parameterSpace();
        if (!spec.equals(m.network())) {
            throw new IllegalArgumentException("the weights' network shape " + spec + " is not the metadata's "
                    + m.network());
        }
        double[] q = m.q();
        if (q.length != spec.outputs()) {
            throw new IllegalArgumentException("the network has " + spec.outputs() + " outputs but the q grid has "
                    + q.length + " points");
        }
        m.qGrid();
        new LnpFeatures(space, spec.voxel());
        RadialOperator.of(q, spec.voxel(), spec.plane(), spec.refine());
    }

    /** Inflates one entry, counting while streaming (the sizes in a zip header may lie). */
    private static byte[] readEntry(ZipInputStream zip, String name, long limit, String source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = zip.read(buf)) > 0) {
            total += n;
            if (total > limit) {
                throw new IOException(source + ": entry " + name + " inflates to more than the limit of " + limit
                        + " bytes (" + (limit >> 20) + " MiB)");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 80 ? clean : clean.substring(0, 77) + "...";
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
