package org.lnpsaxs.surrogate.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binary dataset file (little-endian), one per shard or one merged file; optionally
 * gzip-compressed as a whole (detected from the first two bytes).
 *
 * <pre>
 * header:  8 bytes  magic "LNPSAXSD"
 *          int32    format version (1)
 *          int32    P, the number of parameters
 *          int32    Q, the number of q points
 *          int32    L, the length of the manifest
 *          L bytes  the manifest, UTF-8 JSON ({@link DatasetManifest})
 *          int32    CRC-32 of all header bytes before it
 * records: int64    global index g
 *          P x float64  the parameter point
 *          Q x float32  log10 I
 *          int32    CRC-32 of the record's bytes before it
 * </pre>
 * A shard file grows by whole records; its checkpoint {@code <file>.ckpt} ({@code records=N})
 * says how many are durable. Reading is strict: a damaged record is an error, the last one
 * included, unless torn tails are allowed (then a torn last record is dropped with a warning);
 * bytes past the checkpoint of a shard file are not committed yet and are left out. Header
 * counts are checked against {@link #MAX_PARAMETERS}, {@link #MAX_Q_POINTS} and
 * {@link #MAX_MANIFEST_BYTES}, and the memory the records need against the free heap, before
 * anything is allocated for them.
 */
final class DatasetFile {

    static final byte[] MAGIC = "LNPSAXSD".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** The most parameters a dataset header may declare. */
    static final int MAX_PARAMETERS = 1024;
    /** The most q points a dataset header may declare. */
    static final int MAX_Q_POINTS = 100_000;
    /** The longest manifest a dataset header may declare, bytes. */
    static final int MAX_MANIFEST_BYTES = 16 << 20;
    /** The name ending of a shard's checkpoint file. */
    static final String CHECKPOINT_SUFFIX = ".ckpt";
    private static final Logger LOG = LoggerFactory.getLogger(DatasetFile.class);

    private DatasetFile() {
    }

    static int recordSize(int p, int q) {
        return 8 + 8 * p + 4 * q + 4;
    }

    /** The header bytes of a file with this manifest. */
    static byte[] header(DatasetManifest m) {
        byte[] json = m.toJson().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + 16 + json.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(m.parameters().size()).putInt(m.q().length).putInt(json.length).put(json);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Encodes one record into {@code buf} (cleared first), ready to write. */
    static void encode(ByteBuffer buf, long g, double[] theta, float[] log10) {
        buf.clear();
        buf.putLong(g);
        for (double t : theta) {
            buf.putDouble(t);
        }
        for (float v : log10) {
            buf.putFloat(v);
        }
        CRC32 crc = new CRC32();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        buf.flip();
    }

    /** What a file holds. */
    record Contents(DatasetManifest manifest, int headerBytes, long[] index, double[] theta, float[] log10,
                    int records) {
    }

    /** Reads only the header (manifest and its length in bytes). */
    static Contents readHeader(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readHeader(in, file);
        }
    }

    /**
     * Reads a whole file (plain or gzip), strictly: every record must be whole and intact. The
     * only exception is a shard file with a checkpoint ({@code <file>.ckpt}) beside it: bytes after
     * the intact records that lie past the checkpoint are not committed yet (a run is writing the
     * file, or was killed while writing) and are left out with a note in the log.
     *
     * @param allowTornTail whether a torn or corrupt last record, or records missing below the
     *                      checkpoint, are dropped with a warning instead of refused
     * @throws TornRecordException if the last record (or the checkpointed part) is damaged and
     *                             torn tails are not allowed
     * @throws IOException naming the file and what is wrong with it
     */
    static Contents read(Path file, boolean allowTornTail) throws IOException {
        int committed = checkpointBeside(file);
        try (InputStream in = open(file)) {
            Contents h = readHeader(in, file);
            int p = h.manifest().parameters().size();
            int q = h.manifest().q().length;
            int size = recordSize(p, q);
            if (!isGzip(file)) {
                // the number of records is known: check that they fit in memory before reading them
                checkMemory(file, (Files.size(file) - h.headerBytes()) / size, p, q);
            }
            int cap = 1024;
            long[] index = new long[cap];
            double[] theta = new double[cap * p];
            float[] log10 = new float[cap * q];
            byte[] rec = new byte[size];
            ByteBuffer b = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
            int n = 0;
            CRC32 crc = new CRC32();
            while (true) {
                int got = in.readNBytes(rec, 0, size);
                if (got == 0) {
                    break;
                }
                boolean whole = got == size;
                if (whole) {
                    crc.reset();
                    crc.update(rec, 0, size - 4);
                    b.clear();
                    whole = b.getInt(size - 4) == (int) crc.getValue();
                }
                if (!whole) {
                    long offset = h.headerBytes() + (long) n * size;
                    if (got == size && in.read() >= 0) {
                        throw new IOException(file + ": record " + n + " (byte offset " + offset
                                + ") is corrupt (checksum mismatch)");
                    }
                    String what = got < size ? "truncated (" + got + " of " + size + " bytes)"
                            : "corrupt (checksum mismatch)";
                    if (committed >= 0 && n >= committed) {
                        LOG.info("{}: leaving out the bytes after record {}: they lie past the checkpoint ({} records)"
                                + " and are not committed yet (a run is writing the file or was killed)", file, n,
                                committed);
                        break;
                    }
                    String message = file + ": the last record (record " + n + ", byte offset " + offset + ") is "
                            + what + (committed >= 0 ? ", although the checkpoint says " + committed
                            + " records are complete" : "");
                    if (!allowTornTail) {
                        throw new TornRecordException(message + "; the file is damaged, or a copy of a file still"
                                + " being written");
                    }
                    LOG.warn("{}; dropped (torn tails allowed)", message);
                    break;
                }
                if (n == cap) {
                    cap = n > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : 2 * n;
                    checkMemory(file, cap, p, q);
                    index = Arrays.copyOf(index, cap);
                    theta = Arrays.copyOf(theta, Math.multiplyExact(cap, p));
                    log10 = Arrays.copyOf(log10, Math.multiplyExact(cap, q));
                }
                index[n] = b.getLong(0);
                b.position(8);
                for (int j = 0; j < p; j++) {
                    theta[n * p + j] = b.getDouble();
                }
                for (int k = 0; k < q; k++) {
                    log10[n * q + k] = b.getFloat();
                }
                n++;
            }
            if (committed > n) {
                String message = file + " holds " + n + " intact records but its checkpoint says " + committed;
                if (!allowTornTail) {
                    throw new TornRecordException(message + "; the file was damaged or cut short");
                }
                LOG.warn("{}; reading the {} intact records (torn tails allowed)", message, n);
            }
            return new Contents(h.manifest(), h.headerBytes(), Arrays.copyOf(index, n),
                    Arrays.copyOf(theta, n * p), Arrays.copyOf(log10, n * q), n);
        } catch (EOFException e) {
            throw new IOException(file + ": file ends too early (truncated?)", e);
        } catch (ZipException e) {
            throw new IOException(file + ": the compressed data is corrupt (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses to hold {@code records} records of P parameters and Q points in memory when they
     * need more than the Java heap has free (checked before allocating).
     */
    static void checkMemory(Path file, long records, int p, int q) throws IOException {
        long bytesPerRecord = 8L + 8L * p + 4L * q;
        long need = records * bytesPerRecord;
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need > free || records > Integer.MAX_VALUE / Math.max(p, q)) {
            throw new IOException(String.format(Locale.ROOT, "%s: %d curves of %d parameters and %d q points need"
                    + " about %d MiB in memory, more than the %d MiB the Java heap has free (raise -Xmx, or read"
                    + " fewer files at once)", file, records, p, q, need >> 20, free >> 20));
        }
    }

    /**
     * The number of committed records of a shard file according to its checkpoint
     * {@code <file>.ckpt}, or -1 when there is none.
     *
     * @throws IOException if the checkpoint exists but cannot be read
     */
    static int checkpointBeside(Path file) throws IOException {
        Path name = file.getFileName();
        if (name == null || !name.toString().endsWith(Dataset.EXTENSION)) {
            return -1;
        }
        Path ckpt = file.resolveSibling(name + CHECKPOINT_SUFFIX);
        return Files.exists(ckpt) ? readCheckpoint(ckpt, file) : -1;
    }

    /** Reads a checkpoint file ({@code records=N}). */
    static int readCheckpoint(Path ckpt, Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(ckpt)) {
            bytes = in.readNBytes(64);
        }
        String text = new String(bytes, StandardCharsets.US_ASCII).trim();
        if (!text.startsWith("records=")) {
            throw new IOException(ckpt + ": not a checkpoint of " + file.getFileName() + " (expected records=N)");
        }
        try {
            int n = Integer.parseInt(text.substring("records=".length()).trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException(ckpt + ": bad record count '" + text + "'");
        }
    }

    /** The checkpoint text for {@code records} durable records. */
    static byte[] checkpointText(int records) {
        return ("records=" + records + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static Contents readHeader(InputStream in, Path file) throws IOException {
        byte[] fixed = in.readNBytes(24);
        if (fixed.length < 8 || !Arrays.equals(Arrays.copyOf(fixed, 8), MAGIC)) {
            throw new IOException(file + ": not an lnpsaxs dataset file (bad magic; expected 'LNPSAXSD')");
        }
        if (fixed.length < 24) {
            throw new IOException(file + ": the dataset header is truncated");
        }
        ByteBuffer b = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
        b.position(8);
        int version = b.getInt();
        if (version != VERSION) {
            throw new IOException(file + ": dataset file version " + version + " is not supported (this library reads "
                    + VERSION + ")");
        }
        int p = b.getInt();
        int q = b.getInt();
        int len = b.getInt();
        if (p < 1 || q < 1 || len < 2 || p > MAX_PARAMETERS || q > MAX_Q_POINTS || len > MAX_MANIFEST_BYTES) {
            throw new IOException(file + ": the dataset header is corrupt or beyond the limits (P=" + p + ", Q=" + q
                    + ", manifest " + len + " bytes; limits: 1 <= P <= " + MAX_PARAMETERS + ", 1 <= Q <= "
                    + MAX_Q_POINTS + ", manifest <= " + MAX_MANIFEST_BYTES + " bytes)");
        }
        byte[] json = in.readNBytes(len);
        byte[] crcBytes = in.readNBytes(4);
        if (json.length < len || crcBytes.length < 4) {
            throw new IOException(file + ": the dataset header is truncated");
        }
        CRC32 crc = new CRC32();
        crc.update(fixed);
        crc.update(json);
        int stored = ByteBuffer.wrap(crcBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException(file + ": the dataset header is corrupt (checksum mismatch)");
        }
        DatasetManifest m = DatasetManifest.parse(new String(json, StandardCharsets.UTF_8), file);
        if (m.parameters().size() != p || m.q().length != q) {
            throw new IOException(file + ": header says P=" + p + ", Q=" + q + " but the manifest has "
                    + m.parameters().size() + " parameters and " + m.q().length + " q points");
        }
        return new Contents(m, 24 + len + 4, null, null, null, 0);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Writes a complete file (header and records) to a stream. */
    static void write(OutputStream out, DatasetManifest m, long[] index, double[] theta, float[] log10, int n)
            throws IOException {
        int p = m.parameters().size();
        int q = m.q().length;
        out.write(header(m));
        ByteBuffer buf = ByteBuffer.allocate(recordSize(p, q)).order(ByteOrder.LITTLE_ENDIAN);
        double[] t = new double[p];
        float[] y = new float[q];
        for (int i = 0; i < n; i++) {
            System.arraycopy(theta, i * p, t, 0, p);
            System.arraycopy(log10, i * q, y, 0, q);
            encode(buf, index[i], t, y);
            out.write(buf.array(), 0, buf.limit());
        }
    }
}
