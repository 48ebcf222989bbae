package org.lnpsaxs.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.math3.random.SobolSequenceGenerator;
import org.junit.jupiter.api.Test;

class ScrambledSobolTest {

    @Test
    void unscrambledEqualsCommonsMathSobol() {
        int dim = 24;
        ScrambledSobol s = ScrambledSobol.unscrambled(dim);
        SobolSequenceGenerator ref = new SobolSequenceGenerator(dim);
        ScrambledSobol.Cursor c = s.cursor();
        double[] p = new double[dim];
        for (int i = 0; i < 3000; i++) {
            double[] r = ref.nextVector();
            c.next(p);
            assertArrayEquals(r, p, 0.0, "point " + i);
            assertArrayEquals(r, s.point(i), 0.0, "random access, point " + i);
        }
        // far skip-ahead against the reference's own skipTo (which returns the point it skips to)
        assertArrayEquals(ref.skipTo(1_234_567), s.point(1_234_567), 0.0);
        assertArrayEquals(ref.nextVector(), s.point(1_234_568), 0.0);
    }

    @Test
    void highestDimensionMatchesCommonsMath() {
        ScrambledSobol s = ScrambledSobol.unscrambled(ScrambledSobol.MAX_DIMENSION);
        SobolSequenceGenerator ref = new SobolSequenceGenerator(ScrambledSobol.MAX_DIMENSION);
        assertArrayEquals(ref.skipTo(777), s.point(777), 0.0);
    }

    /** Each 1-D projection of every aligned block of 2^m points has one point per 1/2^m bin. */
    @Property(tries = 30, seed = "20261204")
    void oneDimensionalProjectionsAreStratified(@ForAll long seed, @ForAll @IntRange(min = 1, max = 11) int m,
                                                @ForAll @IntRange(min = 0, max = 5) int block) {
        int dim = 12;
        int n = 1 << m;
        double[] pts = ScrambledSobol.of(dim, seed).points((long) block * n, n);
        for (int j = 0; j < dim; j++) {
            int[] count = new int[n];
            for (int i = 0; i < n; i++) {
                double u = pts[i * dim + j];
                assertTrue(u >= 0 && u < 1, "coordinate out of [0,1): " + u);
                count[(int) Math.floor(u * n)]++;
            }
            for (int b = 0; b < n; b++) {
                assertEquals(1, count[b], "dimension " + j + ", bin " + b + " of " + n);
            }
        }
    }

    /** Dimensions 0 and 1 of Sobol form a (0,2)-sequence: every elementary box of volume 2^-m holds one point. */
    @Property(tries = 20, seed = "20261204")
    void firstTwoDimensionsAreAZeroNet(@ForAll long seed, @ForAll @IntRange(min = 1, max = 10) int m) {
        int n = 1 << m;
        double[] pts = ScrambledSobol.of(9, seed).points(0, n);
        for (int a = 0; a <= m; a++) {
            int bx = 1 << a;
            int by = 1 << (m - a);
            int[] count = new int[n];
            for (int i = 0; i < n; i++) {
                int ix = (int) Math.floor(pts[i * 9] * bx);
                int iy = (int) Math.floor(pts[i * 9 + 1] * by);
                count[ix * by + iy]++;
            }
            for (int c : count) {
                assertEquals(1, c, "elementary intervals 2^-" + a + " x 2^-" + (m - a));
            }
        }
    }

    @Test
    void sameSeedSamePointsOtherSeedOtherPoints() {
        double[] a = ScrambledSobol.points(256, 9, 42);
        double[] b = ScrambledSobol.points(256, 9, 42);
        double[] c = ScrambledSobol.points(256, 9, 43);
        double[] plain = ScrambledSobol.unscrambled(9).points(0, 256);
        assertArrayEquals(a, b, 0.0);
        assertFalse(Arrays.equals(a, c));
        assertFalse(Arrays.equals(a, plain));
    }

    @Test
    void lowerDimensionsArePrefixesOfHigherOnes() {
        ScrambledSobol low = ScrambledSobol.of(5, 7);
        ScrambledSobol high = ScrambledSobol.of(30, 7);
        for (long i : new long[] {0, 1, 2, 3, 100, 65_535, 1L << 40}) {
            assertArrayEquals(low.point(i), Arrays.copyOf(high.point(i), 5), 0.0);
        }
    }

    @Test
    void cursorAgreesWithRandomAccessAndSkipsBothWays() {
        ScrambledSobol s = ScrambledSobol.of(11, -5);
        ScrambledSobol.Cursor c = s.cursor(1000);
        double[] p = new double[11];
        for (long i = 1000; i < 1300; i++) {
            assertEquals(i, c.nextIndex());
            c.next(p);
            assertArrayEquals(s.point(i), p, 0.0, "point " + i);
        }
        c.skipTo(3);
        c.next(p);
        assertArrayEquals(s.point(3), p, 0.0);
        double[] block = s.points(40, 10);
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(s.point(40 + i), Arrays.copyOfRange(block, i * 11, i * 11 + 11), 0.0);
        }
    }

    /** Over random seeds a fixed point is uniformly distributed (the digital shift randomises it). */
    @Test
    void scrambledPointIsUniformOverSeeds() {
        int seeds = 4000;
        int[] bins = new int[10];
        for (int s = 0; s < seeds; s++) {
            double u = ScrambledSobol.of(4, s).point(5)[3];
            bins[(int) (u * 10)]++;
        }
        // chi-square with 9 degrees of freedom: 27.9 is its 0.999 quantile
        double chi2 = 0;
        for (int b : bins) {
            chi2 += (b - seeds / 10.0) * (b - seeds / 10.0) / (seeds / 10.0);
        }
        assertTrue(chi2 < 27.9, "chi-square " + chi2 + " for bins " + Arrays.toString(bins));
    }

    @Test
    void refusesBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScrambledSobol.of(0, 1));
        assertTrue(e.getMessage().contains("dimension 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScrambledSobol.of(ScrambledSobol.MAX_DIMENSION + 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ScrambledSobol.of(3, 1).point(-1));
        assertThrows(IllegalArgumentException.class, () -> ScrambledSobol.of(3, 1).point(ScrambledSobol.MAX_INDEX));
        assertThrows(IllegalArgumentException.class, () -> ScrambledSobol.of(3, 1).points(0, -1));
    }
}
