package org.lnpsaxs.core.formfactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link SinCos} against {@link StrictMath} (fdlibm, correctly rounded to within one ulp): within
 * two ulps of the result (plus 2 ulps of 1 where the result is not small), over the range the form
 * factors use, near the multiples of π/2 (where argument reduction loses precision if done
 * carelessly), and for the fallback beyond 1e5.
 */
class SinCosTest {

    private static void check(double x) {
        double[] sc = new double[2];
        SinCos.of(x, sc);
        double s = StrictMath.sin(x);
        double c = StrictMath.cos(x);
        assertEquals(s, sc[0], 2 * Math.ulp(s) + 2 * Math.ulp(1.0) * Math.min(1, Math.abs(s) * 1e8), "sin " + x);
        assertEquals(c, sc[1], 2 * Math.ulp(c) + 2 * Math.ulp(1.0) * Math.min(1, Math.abs(c) * 1e8), "cos " + x);
    }

    @Test
    void agreesWithStrictMathOverTheFormFactorRange() {
        Random rnd = new Random(17);
        for (int i = 0; i < 200_000; i++) {
            check(rnd.nextDouble() * 1000 - 500);
        }
        for (int i = 0; i < 100_000; i++) {
            check((rnd.nextDouble() * 2 - 1) * 1e5);
        }
        for (int i = 0; i < 10_000; i++) {
            check(rnd.nextGaussian() * 1e-3);
        }
        check(0.0);
        check(-0.0);
        check(1e-300);
    }

    @Test
    void keepsRelativePrecisionNearMultiplesOfHalfPi() {
        for (int k = -60000; k <= 60000; k += 7) {
            double x = k * (Math.PI / 2);
            for (int d = -2; d <= 2; d++) {
                double y = x;
                for (int i = 0; i < Math.abs(d); i++) {
                    y = d > 0 ? Math.nextUp(y) : Math.nextDown(y);
                }
                if (Math.abs(y) <= 1e5) {
                    double[] sc = new double[2];
                    SinCos.of(y, sc);
                    double s = StrictMath.sin(y);
                    double c = StrictMath.cos(y);
                    assertEquals(s, sc[0], 4 * Math.ulp(s), "sin " + y);
                    assertEquals(c, sc[1], 4 * Math.ulp(c), "cos " + y);
                }
            }
        }
    }

    @Test
    void fallsBackBeyondTheFastRange() {
        for (double x : new double[] {1.5e5, -3e7, 1e300, Double.MAX_VALUE}) {
            check(x);
        }
        double[] sc = new double[2];
        SinCos.of(Double.NaN, sc);
        assertEquals(Double.NaN, sc[0]);
        SinCos.of(Double.POSITIVE_INFINITY, sc);
        assertEquals(Double.NaN, sc[1]);
    }

    @Test
    void theBatchedPathGivesTheScalarPathBitForBit() {
        Random rnd = new Random(23);
        double[] x = new double[400_000];
        int n = 0;
        for (int i = 0; i < 150_000; i++) {
            x[n++] = rnd.nextDouble() * 1000 - 500;
        }
        for (int i = 0; i < 100_000; i++) {
            x[n++] = (rnd.nextDouble() * 2 - 1) * 1e5;
        }
        for (int i = 0; i < 10_000; i++) {
            x[n++] = rnd.nextGaussian() * 1e-3;
        }
        for (int k = -60000; k <= 60000; k += 11) {
            double y = k * (Math.PI / 2);
            x[n++] = y;
            x[n++] = Math.nextUp(y);
            x[n++] = Math.nextDown(y);
        }
        double[] special = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, 1e5, -1e5, Math.nextUp(1e5), 1.5e5, -3e7,
            1e300, -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Math.PI / 4,
            -Math.PI / 4, 3 * Math.PI / 4};
        for (double v : special) {
            x[n++] = v;
        }
        double[] sin = new double[n];
        double[] cos = new double[n];
        SinCos.of(x, n, sin, cos, new SinCos.Work());
        double[] sc = new double[2];
        for (int i = 0; i < n; i++) {
            SinCos.of(x[i], sc);
            // bit for bit, but a zero's sign (0.0 == -0.0 below; no argument here gives one but 0)
            assertEquals(Double.doubleToRawLongBits(sc[0] + 0.0), Double.doubleToRawLongBits(sin[i] + 0.0), "sin " + x[i]);
            assertEquals(Double.doubleToRawLongBits(sc[1]), Double.doubleToRawLongBits(cos[i]), "cos " + x[i]);
            assertEquals(sc[0] == 0.0, x[i] == 0.0, "a zero sine only at 0: " + x[i]);
        }
    }
}
