package org.lnpsaxs.core.data;

import java.nio.charset.StandardCharsets;

/**
 * Tells a file's kind from its first bytes (content, not name): HDF5 (the signature
 * {@code \211HDF\r\n\032\n} at offset 0, 512, 1024 or 2048, as after a user block), XML (the
 * text starts with {@code <?xml}, {@code <!--}, {@code <!DOCTYPE} or {@code <SASroot}), or text.
 * For files that are neither curves nor text it names what they look like (an image, an
 * archive, a PDF, UTF-16 text), so that an error can say so.
 */
final class FileSniffer {

    /** How many leading bytes {@link #sniff(byte[], int)} wants. */
    static final int PREFIX = 4096;

    enum Kind { HDF5, XML, TEXT }

    /** The kind, and for text what else it may look like (null when it looks like plain text). */
    record Sniff(Kind kind, String looksLike) {
    }

    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};

    private FileSniffer() {
    }

    static Sniff sniff(byte[] head, int n) {
        for (int offset = 0; offset <= 2048; offset = offset == 0 ? 512 : offset * 2) {
            if (startsWith(head, n, offset, HDF5)) {
                return new Sniff(Kind.HDF5, "an HDF5 file");
            }
        }
        int start = n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF ? 3 : 0;
        while (start < n && (head[start] == ' ' || head[start] == '\t' || head[start] == '\r' || head[start] == '\n')) {
            start++;
        }
        String lead = new String(head, start, Math.min(n - start, 16), StandardCharsets.ISO_8859_1);
        if (lead.startsWith("<?xml") || lead.startsWith("<!--") || lead.regionMatches(true, 0, "<!DOCTYPE", 0, 9)
                || lead.startsWith("<SASroot")) {
            return new Sniff(Kind.XML, "an XML document");
        }
        return new Sniff(Kind.TEXT, looksLike(head, n));
    }

    /** What a non-text file looks like, from its magic number; null when nothing is recognised. */
    static String looksLike(byte[] b, int n) {
        if (startsWith(b, n, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G'})) {
            return "a PNG image, not a curve file";
        }
        if (startsWith(b, n, 0, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return "a JPEG image, not a curve file";
        }
        if (startsWith(b, n, 0, new byte[] {'G', 'I', 'F', '8'})) {
            return "a GIF image, not a curve file";
        }
        if (startsWith(b, n, 0, new byte[] {'I', 'I', 42, 0}) || startsWith(b, n, 0, new byte[] {'M', 'M', 0, 42})) {
            return "a TIFF image (a 2D detector image?), not a 1D curve file";
        }
        if (startsWith(b, n, 0, new byte[] {'%', 'P', 'D', 'F'})) {
            return "a PDF document, not a curve file";
        }
        if (startsWith(b, n, 0, new byte[] {0x1F, (byte) 0x8B})) {
            return "gzip-compressed data: decompress it first";
        }
        if (startsWith(b, n, 0, new byte[] {'P', 'K', 3, 4})) {
            return "a ZIP archive (or an .xlsx/.docx document): extract or export the curve as text first";
        }
        if (startsWith(b, n, 0, new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0})) {
            return "an old Microsoft Office document (.xls?): export the curve as text first";
        }
        if (startsWith(b, n, 0, new byte[] {'B', 'Z', 'h'})) {
            return "bzip2-compressed data: decompress it first";
        }
        if (startsWith(b, n, 0, new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z'})) {
            return "xz-compressed data: decompress it first";
        }
        if (n >= 4 && b[0] == 'C' && b[1] == 'D' && b[2] == 'F' && (b[3] == 1 || b[3] == 2 || b[3] == 5)) {
            return "a netCDF file, not a curve file";
        }
        if (n >= 2 && ((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE || (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF)) {
            return "UTF-16 text: save it as UTF-8";
        }
        int zeros = 0;
        int m = Math.min(n, 512);
        for (int i = 0; i < m; i++) {
            if (b[i] == 0) {
                zeros++;
            }
        }
        if (m >= 8 && zeros * 3 >= m && zeros * 5 <= m * 3) {
            return "UTF-16 text (every other byte is zero): save it as UTF-8";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int n, int offset, byte[] magic) {
        if (offset + magic.length > n) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (b[offset + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
