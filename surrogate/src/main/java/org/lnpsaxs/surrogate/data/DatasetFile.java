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
 * A shard file grows by whole records; a partial or torn last record (a run killed while
 * writing) is ignored with a warning; a bad record before the last one is an error.
 */
final class DatasetFile {

    static final byte[] MAGIC = "LNPSAXSD".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
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
     * Reads a whole file (plain or gzip).
     *
     * @throws IOException naming the file and what is wrong with it
     */
    static Contents read(Path file) throws IOException {
        try (InputStream in = open(file)) {
            Contents h = readHeader(in, file);
            int p = h.manifest().parameters().size();
            int q = h.manifest().q().length;
            int size = recordSize(p, q);
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
                if (got < size) {
                    LOG.warn("{}: ignoring a partial last record ({} of {} bytes; a run still writing or killed)",
                            file, got, size);
                    break;
                }
                crc.reset();
                crc.update(rec, 0, size - 4);
                b.clear();
                int stored = b.getInt(size - 4);
                if (stored != (int) crc.getValue()) {
                    if (in.read() < 0) {
                        LOG.warn("{}: ignoring a torn last record (record {}, bad checksum)", file, n);
                        break;
                    }
                    throw new IOException(file + ": record " + n + " (byte offset "
                            + (h.headerBytes() + (long) n * size) + ") is corrupt (checksum mismatch)");
                }
                if (n == cap) {
                    cap = Math.multiplyExact(cap, 2);
                    index = Arrays.copyOf(index, cap);
                    theta = Arrays.copyOf(theta, Math.multiplyExact(cap, p));
                    log10 = Arrays.copyOf(log10, Math.multiplyExact(cap, q));
                }
                index[n] = b.getLong();
                for (int j = 0; j < p; j++) {
                    theta[n * p + j] = b.getDouble();
                }
                for (int k = 0; k < q; k++) {
                    log10[n * q + k] = b.getFloat();
                }
                n++;
            }
            return new Contents(h.manifest(), h.headerBytes(), Arrays.copyOf(index, n),
                    Arrays.copyOf(theta, n * p), Arrays.copyOf(log10, n * q), n);
        } catch (EOFException e) {
            throw new IOException(file + ": file ends too early (truncated?)", e);
        } catch (ZipException e) {
            throw new IOException(file + ": the compressed data is corrupt (" + e.getMessage() + ")", e);
        }
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
        if (p < 1 || q < 1 || len < 2 || len > (1 << 24)) {
            throw new IOException(file + ": the dataset header is corrupt (P=" + p + ", Q=" + q + ", manifest "
                    + len + " bytes)");
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
