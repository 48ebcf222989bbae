package org.lnpsaxs.surrogate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class NpyTest {

    /**
     * What NumPy 2.4 writes for {@code numpy.save(f, numpy.array([[1.5, -2, 3.25], [0, 1e-3, -7]],
     * dtype='<f4'))} (the independent reference: a 118-byte header padded to 128 bytes).
     */
    private static final byte[] NUMPY = HexFormat.of().parseHex(
            "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c"
            + "20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020202020"
            + "2020202020202020202020202020202020202020202020202020200a0000c03f000000c000005040000000006f12833a0000"
            + "e0c0");
    private static final float[] VALUES = {1.5f, -2f, 3.25f, 0f, 1e-3f, -7f};

    @Test
    void writesWhatNumpyWritesAndReadsIt() {
        assertArrayEquals(NUMPY, Npy.write(VALUES, 2, 3));
        assertArrayEquals(VALUES, Npy.read(NUMPY, 2, 3, "ref.npy"), 0f);
    }

    @Test
    void roundTripsEveryBitAndAlignsTheData() {
        float[] odd = {Float.MIN_VALUE, -0.0f, Float.MAX_VALUE, Float.intBitsToFloat(0x3f800001), -1e-30f, 123456.78f,
            0.1f, 7f, 8f, 9f, 10f, 11f};
        for (int[] shape : new int[][] {{1, 12}, {12, 1}, {3, 4}}) {
            byte[] b = Npy.write(odd, shape[0], shape[1]);
            assertTrue((b.length - 4 * odd.length) % 64 == 0, "data start at a multiple of 64 bytes");
            float[] back = Npy.read(b, shape[0], shape[1], "x.npy");
            for (int i = 0; i < odd.length; i++) {
                assertTrue(Float.floatToRawIntBits(odd[i]) == Float.floatToRawIntBits(back[i]), "value " + i);
            }
        }
    }

    @Test
    void refusesOtherDtypesOrdersShapesAndDamage() {
        byte[] f8 = NUMPY.clone();
        replace(f8, "'<f4'", "'<f8'");
        assertMessage(f8, "float32");
        byte[] fortran = NUMPY.clone();
        replace(fortran, "False, ", "True,  ");
        assertMessage(fortran, "C-ordered");
        assertMessage(NUMPY, 3, 2, "shape [2, 3], expected [3, 2]");
        assertMessage(Arrays.copyOf(NUMPY, NUMPY.length - 1), 2, 3, "bytes");
        assertMessage(Arrays.copyOf(NUMPY, 20), 2, 3, "truncated");
        byte[] magic = NUMPY.clone();
        magic[1] = 'X';
        assertMessage(magic, 2, 3, "not a NumPy .npy");
        assertThrows(IllegalArgumentException.class, () -> Npy.write(VALUES, 4, 2));
    }

    private static void assertMessage(byte[] bytes, String part) {
        assertMessage(bytes, 2, 3, part);
    }

    private static void assertMessage(byte[] bytes, int rows, int cols, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(bytes, rows, cols, "weights/t.npy"));
        assertTrue(e.getMessage().contains("weights/t.npy") && e.getMessage().contains(part), e.getMessage());
    }

    private static void replace(byte[] b, String from, String to) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int i = s.indexOf(from);
        byte[] t = to.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(t, 0, b, i, t.length);
    }
}
