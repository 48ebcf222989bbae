package org.lnpsaxs.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The lines of a text file, read as a stream (the text is never held whole): UTF-8 with or
 * without a byte-order mark, lines ended by LF, CRLF or CR. Each line is checked as it is read:
 * bytes that are not UTF-8 and control characters (other than tab, vertical tab and form feed)
 * raise a {@link CurveFormatException} at that line and column, with a hint at what the file
 * looks like when the first bytes say so ({@link FileSniffer}); so do a line longer than
 * {@link #MAX_LINE_CHARS} characters and more bytes than the reader's limit.
 */
abstract class TextLines {

    /** The longest line accepted, in characters (bytes for a byte stream). */
    static final int MAX_LINE_CHARS = 1 << 20;

    final String name;
    final String looksLike;
    int lineNo;

    TextLines(String name, String looksLike) {
        this.name = name;
        this.looksLike = looksLike;
    }

    /** The next line without its end, or null at the end of the input. */
    abstract String next() throws IOException;

    /** The 1-based number of the line last returned (0 before the first). */
    final int line() {
        return lineNo;
    }

    /** Lines of a byte stream decoded as UTF-8, at most {@code maxBytes} bytes in all. */
    static TextLines of(InputStream in, String name, long maxBytes, String looksLike) {
        return new Bytes(in, name, maxBytes, looksLike);
    }

    /** Lines of a character stream. */
    static TextLines of(Reader in, String name, String looksLike) {
        return new Chars(in, name, looksLike);
    }

    final String hint() {
        return looksLike == null ? "" : "; the file looks like " + looksLike;
    }

    final void checkText(String line) throws CurveFormatException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\f' && c != 0x0B) || c == 0x7F) {
                throw new CurveFormatException(name, lineNo, String.format(Locale.ROOT,
                        "control character U+%04X at column %d: a binary file, not a text curve file", (int) c, i + 1)
                        + hint());
            }
        }
    }

    final CurveFormatException tooLong() {
        return new CurveFormatException(name, lineNo, "the line is longer than " + MAX_LINE_CHARS
                + " characters: not a text curve file" + hint());
    }

    /** UTF-8 bytes, split into lines before decoding so that a bad byte is placed exactly. */
    private static final class Bytes extends TextLines {
        private final InputStream in;
        private final long maxBytes;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int end;
        private long consumed;
        private byte[] line = new byte[256];
        private boolean eof;
        private boolean first = true;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        Bytes(InputStream in, String name, long maxBytes, String looksLike) {
            super(name, looksLike);
            this.in = in;
            this.maxBytes = maxBytes;
        }

        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                eof = true;
                return false;
            }
            consumed += n;
            if (consumed > maxBytes) {
                throw new CurveFormatException(name, "file size", "more than " + ReadLimits.bytes(maxBytes)
                        + " (the reader's limit of " + maxBytes + " bytes, ReadLimits.maxBytes)", null);
            }
            pos = 0;
            end = n;
            return true;
        }

        @Override
        String next() throws IOException {
            int len = 0;
            boolean any = false;
            while (true) {
                if (pos >= end && !fill()) {
                    if (!any) {
                        return null;
                    }
                    break;
                }
                any = true;
                byte b = buf[pos++];
                if (b == '\n') {
                    break;
                }
                if (b == '\r') {
                    if (pos >= end) {
                        fill();
                    }
                    if (pos < end && buf[pos] == '\n') {
                        pos++;
                    }
                    break;
                }
                if (len == line.length) {
                    if (len >= MAX_LINE_CHARS) {
                        lineNo++;
                        throw tooLong();
                    }
                    line = Arrays.copyOf(line, Math.min(len * 2, MAX_LINE_CHARS));
                }
                line[len++] = b;
            }
            lineNo++;
            int start = 0;
            if (first) {
                first = false;
                if (len >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
                    start = 3;
                }
            }
            String s = decode(start, len);
            checkText(s);
            return s;
        }

        private String decode(int start, int len) throws CurveFormatException {
            boolean ascii = true;
            for (int i = start; i < len; i++) {
                if (line[i] < 0) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                return new String(line, start, len - start, StandardCharsets.ISO_8859_1);
            }
            decoder.reset();
            ByteBuffer bb = ByteBuffer.wrap(line, start, len - start);
            CharBuffer cb = CharBuffer.allocate(len - start);
            CoderResult r = decoder.decode(bb, cb, true);
            if (!r.isError()) {
                r = decoder.flush(cb);
            }
            if (r.isError()) {
                int offset = bb.position();
                throw new CurveFormatException(name, lineNo, String.format(Locale.ROOT,
                        "byte 0x%02X at column %d is not UTF-8: a binary file, or text in another encoding"
                                + " (such as Latin-1); curve files must be UTF-8 text",
                        line[offset] & 0xFF, offset + 1) + hint());
            }
            cb.flip();
            return cb.toString();
        }
    }

    /** Characters from a {@link Reader}. */
    private static final class Chars extends TextLines {
        private final Reader in;
        private final char[] buf = new char[1 << 14];
        private int pos;
        private int end;
        private boolean eof;
        private boolean first = true;
        private final StringBuilder sb = new StringBuilder(256);

        Chars(Reader in, String name, String looksLike) {
            super(name, looksLike);
            this.in = in;
        }

        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            int n;
            try {
                n = in.read(buf, 0, buf.length);
            } catch (CharacterCodingException e) {
                throw new CurveFormatException(name, lineNo + 1, "not valid text in the reader's encoding (" + e
                        + "); a curve file must be UTF-8 text", e);
            }
            if (n <= 0) {
                eof = true;
                return false;
            }
            pos = 0;
            end = n;
            return true;
        }

        @Override
        String next() throws IOException {
            sb.setLength(0);
            boolean any = false;
            while (true) {
                if (pos >= end && !fill()) {
                    if (!any) {
                        return null;
                    }
                    break;
                }
                any = true;
                char c = buf[pos++];
                if (c == '\n') {
                    break;
                }
                if (c == '\r') {
                    if (pos >= end) {
                        fill();
                    }
                    if (pos < end && buf[pos] == '\n') {
                        pos++;
                    }
                    break;
                }
                if (sb.length() >= MAX_LINE_CHARS) {
                    lineNo++;
                    throw tooLong();
                }
                sb.append(c);
            }
            lineNo++;
            if (first) {
                first = false;
                if (sb.length() > 0 && sb.charAt(0) == '\uFEFF') {
                    sb.deleteCharAt(0);
                }
            }
            String s = sb.toString();
            checkText(s);
            return s;
        }
    }
}
