package org.lnpsaxs.surrogate.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One float32 matrix in NumPy's {@code .npy} format, version 1.0: the six bytes
 * {@code \x93NUMPY}, the version bytes 1 and 0, the header length (2 bytes, little-endian), the
 * header (ASCII, a Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (rows,
 * cols), }} padded with spaces and ended by a newline so that the data start at a multiple of 64
 * bytes), then {@code rows × cols} little-endian IEEE-754 float32 values in row-major order. This
 * is what {@code numpy.save} writes for a C-ordered {@code float32} array, so
 * {@code numpy.load} reads these entries as they are. Not a user class.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int PREAMBLE = MAGIC.length + 4;
    private static final int ALIGN = 64;
    private static final Pattern HEADER = Pattern.compile(
            "\\{\\s*'descr'\\s*:\\s*'<f4'\\s*,\\s*'fortran_order'\\s*:\\s*False\\s*,"
            + "\\s*'shape'\\s*:\\s*\\(\\s*(\\d{1,9})\\s*,\\s*(\\d{1,9})\\s*,?\\s*\\)\\s*,?\\s*}\\s*");

    private Npy() {
    }

    /** The {@code .npy} bytes of a {@code rows × cols} row-major float32 matrix. */
    public static byte[] write(float[] values, int rows, int cols) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values are not a " + rows + " x " + cols + " matrix");
        }
        StringBuilder h = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (")
                .append(rows).append(", ").append(cols).append("), }");
        int total = PREAMBLE + h.length() + 1;
        h.append(" ".repeat((ALIGN - total % ALIGN) % ALIGN)).append('\n');
        byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(PREAMBLE + header.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /**
     * The values of a {@code .npy} float32 matrix whose shape must be {@code rows × cols}.
     *
     * @param name the entry's name, for messages
     * @throws IllegalArgumentException naming the entry and what is wrong: not {@code .npy} 1.0,
     *                                  another dtype or order, another shape, or the wrong length
     */
    public static float[] read(byte[] bytes, int rows, int cols, String name) {
        if (bytes.length < PREAMBLE || !startsWithMagic(bytes) || bytes[6] != 1 || bytes[7] != 0) {
            throw new IllegalArgumentException(name + " is not a NumPy .npy file of version 1.0");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(b.getShort(8));
        if (PREAMBLE + headerLength > bytes.length) {
            throw new IllegalArgumentException(name + " is truncated inside its .npy header");
        }
        String header = new String(bytes, PREAMBLE, headerLength, StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " is not a C-ordered little-endian float32 matrix (.npy header "
                    + header.strip() + ")");
        }
        long r = Long.parseLong(m.group(1));
        long c = Long.parseLong(m.group(2));
        if (r != rows || c != cols) {
            throw new IllegalArgumentException(name + " has shape [" + r + ", " + c + "], expected [" + rows + ", " + cols
                    + "]");
        }
        long expected = PREAMBLE + headerLength + 4L * rows * cols;
        if (bytes.length != expected) {
            throw new IllegalArgumentException(name + " holds " + bytes.length + " bytes, expected " + expected + " for a "
                    + rows + " x " + cols + " float32 matrix");
        }
        float[] values = new float[rows * cols];
        b.position(PREAMBLE + headerLength);
        b.asFloatBuffer().get(values);
        return values;
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
