package org.lnpsaxs.surrogate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * The entries of a model file's zip archive, read within limits, each with the SHA-256 of its
 * bytes; the check of {@value ModelFile#CHECKSUMS} against them. A file over
 * {@value #MAX_FILE} bytes, entry names outside the model file's layout, repeated names, more than
 * {@value #MAX_ENTRIES} entries, an entry over its size limit or more than {@value #MAX_TOTAL}
 * bytes in all are refused as soon as they are met, before the rest is read. The archive must end
 * with its central directory listing exactly the entries read (so a file cut short is refused even
 * where every entry before the cut is whole). The network entry is hashed as it streams by and kept
 * only when asked for (only ND4J reads it).
 */
final class ModelArchive {

    /** Most entries a model file may have (the default model has 20). */
    static final int MAX_ENTRIES = 256;
    /** Most bytes of one weight or network entry (uncompressed). */
    static final long MAX_ENTRY = 256L << 20;
    /** Most bytes of the metadata, the error-model or the checksum entry. */
    static final long MAX_TEXT = 16L << 20;
    /** Most bytes of all entries together (uncompressed). */
    static final long MAX_TOTAL = 512L << 20;
    /** Most bytes of the file itself (compressed). */
    static final int MAX_FILE = 256 << 20;
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int EOCD_LENGTH = 22;

    private static final Pattern WEIGHT_ENTRY = Pattern.compile(Pattern.quote(ModelFile.WEIGHTS) + "[A-Za-z0-9_]{1,64}"
            + Pattern.quote(ModelFile.NPY));
    private static final Pattern CHECKSUM_LINE = Pattern.compile("([0-9a-f]{64}) {2}(\\S+)");

    private final String source;
    private final Map<String, byte[]> held;
    private final Map<String, String> sha256;

    private ModelArchive(String source, Map<String, byte[]> held, Map<String, String> sha256) {
        this.source = source;
        this.held = held;
        this.sha256 = sha256;
    }

    /**
     * Reads the archive.
     *
     * @param keepNetwork whether to keep the network entry's bytes (else only its hash)
     * @throws IOException naming the source: not a zip archive, truncated or corrupt (zip CRC),
     *                     an unexpected or repeated entry, or a limit passed
     */
    static ModelArchive read(InputStream in, String source, boolean keepNetwork) throws IOException {
        byte[] raw = in.readNBytes(MAX_FILE + 1);
        if (raw.length > MAX_FILE) {
            throw new IOException(source + ": larger than " + (MAX_FILE >> 20) + " MB, the limit for a model file");
        }
        Map<String, byte[]> held = new LinkedHashMap<>();
        Map<String, String> sha = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(raw))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (!allowed(name)) {
                    throw new IOException(source + ": unexpected entry '" + name + "' (a model file holds "
                            + ModelFile.METADATA + ", " + ModelFile.NETWORK + ", " + ModelFile.WEIGHTS + "<tensor>"
                            + ModelFile.NPY + ", " + ModelFile.CHECKSUMS + " and optionally " + ModelFile.ERROR_MODEL + ")");
                }
                if (sha.containsKey(name)) {
                    throw new IOException(source + ": entry " + name + " appears twice");
                }
                if (sha.size() == MAX_ENTRIES) {
                    throw new IOException(source + ": more than " + MAX_ENTRIES + " entries");
                }
                long limit = name.equals(ModelFile.METADATA) || name.equals(ModelFile.CHECKSUMS)
                        || name.equals(ModelFile.ERROR_MODEL) ? MAX_TEXT : MAX_ENTRY;
                boolean keep = keepNetwork || !name.equals(ModelFile.NETWORK);
                MessageDigest md = digest();
                ByteArrayOutputStream out = keep ? new ByteArrayOutputStream() : null;
                byte[] buf = new byte[1 << 16];
                long size = 0;
                int n;
                while ((n = zip.read(buf)) > 0) {
                    size += n;
                    total += n;
                    if (size > limit) {
                        throw new IOException(source + ": entry " + name + " is larger than " + (limit >> 20)
                                + " MB, the limit for it");
                    }
                    if (total > MAX_TOTAL) {
                        throw new IOException(source + ": the entries hold more than " + (MAX_TOTAL >> 20)
                                + " MB in all, the limit for a model file");
                    }
                    md.update(buf, 0, n);
                    if (out != null) {
                        out.write(buf, 0, n);
                    }
                }
                sha.put(name, HexFormat.of().formatHex(md.digest()));
                if (out != null) {
                    held.put(name, out.toByteArray());
                }
            }
        } catch (ZipException | EOFException e) {
            throw new IOException(source + ": the model file is truncated or corrupt (" + e.getMessage() + ")", e);
        }
        if (sha.isEmpty()) {
            throw new IOException(source + ": not an lnpsaxs model file (not a zip archive, or empty)");
        }
        checkEnd(raw, sha.size(), source);
        return new ModelArchive(source, held, sha);
    }

    /**
     * The end-of-central-directory record must close the file, list {@code entries} entries and
     * sit right after the central directory it describes.
     */
    private static void checkEnd(byte[] raw, int entries, String source) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (int pos = raw.length - EOCD_LENGTH; pos >= Math.max(0, raw.length - EOCD_LENGTH - 0xFFFF); pos--) {
            if (b.getInt(pos) == EOCD_SIGNATURE && pos + EOCD_LENGTH + Short.toUnsignedInt(b.getShort(pos + 20))
                    == raw.length) {
                int listed = Short.toUnsignedInt(b.getShort(pos + 10));
                long size = Integer.toUnsignedLong(b.getInt(pos + 12));
                long offset = Integer.toUnsignedLong(b.getInt(pos + 16));
                if (listed != entries || offset + size != pos) {
                    throw new IOException(source + ": the model file is corrupt (its zip directory lists " + listed
                            + " entries, " + entries + " were read)");
                }
                return;
            }
        }
        throw new IOException(source + ": the model file is truncated or corrupt (no zip directory at its end)");
    }

    private static boolean allowed(String name) {
        return name.equals(ModelFile.METADATA) || name.equals(ModelFile.NETWORK) || name.equals(ModelFile.CHECKSUMS)
                || name.equals(ModelFile.ERROR_MODEL) || WEIGHT_ENTRY.matcher(name).matches();
    }

    /** Whether the archive has this entry. */
    boolean has(String name) {
        return sha256.containsKey(name);
    }

    /** The bytes of an entry that was kept, or null if the archive lacks it. */
    byte[] bytes(String name) {
        return held.get(name);
    }

    /** The SHA-256 (hex) of an entry, or null if the archive lacks it. */
    String sha256(String name) {
        return sha256.get(name);
    }

    /** The entry names in archive order. */
    List<String> names() {
        return new ArrayList<>(sha256.keySet());
    }

    /** The weight entries' names in archive order. */
    List<String> weightEntries() {
        List<String> w = new ArrayList<>();
        for (String n : sha256.keySet()) {
            if (n.startsWith(ModelFile.WEIGHTS)) {
                w.add(n);
            }
        }
        return w;
    }

    /**
     * Checks {@value ModelFile#CHECKSUMS}: it lists every other entry exactly once, with the
     * SHA-256 of its bytes.
     *
     * @throws IOException naming the source and the first entry that is missing, not listed or
     *                     changed
     */
    void verifyChecksums() throws IOException {
        byte[] list = held.get(ModelFile.CHECKSUMS);
        if (list == null) {
            throw new IOException(source + ": the model file has no " + ModelFile.CHECKSUMS + " entry, so its"
                    + " integrity cannot be checked");
        }
        Map<String, String> listed = new LinkedHashMap<>();
        String[] lines = new String(list, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                break;
            }
            Matcher m = CHECKSUM_LINE.matcher(line);
            if (!m.matches()) {
                throw new IOException(source + ": " + ModelFile.CHECKSUMS + " line " + (i + 1) + " is not '<SHA-256"
                        + " in hex>  <entry>': " + abbreviate(line));
            }
            if (listed.put(m.group(2), m.group(1)) != null) {
                throw new IOException(source + ": " + ModelFile.CHECKSUMS + " lists " + m.group(2) + " twice");
            }
        }
        for (Map.Entry<String, String> e : listed.entrySet()) {
            String name = e.getKey();
            String actual = sha256.get(name);
            if (name.equals(ModelFile.CHECKSUMS) || actual == null) {
                throw new IOException(source + ": " + ModelFile.CHECKSUMS + " lists " + name + ", which the model file"
                        + " does not hold");
            }
            if (!actual.equals(e.getValue())) {
                throw new IOException(source + ": " + name + " was changed after the model was written (its SHA-256"
                        + " does not match " + ModelFile.CHECKSUMS + ")" + (name.equals(ModelFile.METADATA)
                        ? "; the metadata (parameter box, q grid, simulator settings) cannot be edited: write or"
                        + " train the model again" : "; the file is damaged or was edited"));
            }
        }
        for (String name : sha256.keySet()) {
            if (!name.equals(ModelFile.CHECKSUMS) && !listed.containsKey(name)) {
                throw new IOException(source + ": entry " + name + " is not covered by " + ModelFile.CHECKSUMS);
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /** A SHA-256 digest. */
    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
        }
    }

    /** The SHA-256 of some bytes, hex. */
    static String hash(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }
}
