package org.lnpsaxs.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;

/**
 * Slit smearing against independent references: the closed form of a slit-smeared Guinier law
 * (error functions), an adaptive Gauss–Legendre double integral of a sphere, and SasView's own
 * slit-smeared sphere ({@code 1umSlitSmearSphere.ABS}).
 */
class SlitTest {

    /**
     * The slit-smeared Guinier law \( e^{-a q^2} \), \( a = R_g^2/3 \):
     * \( \frac1L\int_0^L e^{-a(q^2+u^2)}du = e^{-aq^2}\frac{\sqrt\pi}{2L\sqrt a}\mathrm{erf}(L\sqrt a) \), and with a
     * width the factor \( \frac1{2W}\int_{-W}^{W}e^{-a(q+t)^2}dt = \frac{\sqrt\pi}{4W\sqrt a}[\mathrm{erf}(\sqrt a(q+W)) -
     * \mathrm{erf}(\sqrt a(q-W))] \) in place of \( e^{-aq^2} \).
     */
    static double guinierSlit(double q, double rg, double length, double width) {
        double a = rg * rg / 3;
        double sa = Math.sqrt(a);
        double along = Math.sqrt(Math.PI) / (2 * length * sa) * Erf.erf(length * sa);
        double across = width == 0 ? Math.exp(-a * q * q)
                : Math.sqrt(Math.PI) / (4 * width * sa) * Erf.erf(sa * (q - width), sa * (q + width));
        return along * across;
    }

    static double[] onCalc(ResolutionOperator op, DoubleUnaryOperator f) {
        double[] c = op.qCalc().values();
        for (int j = 0; j < c.length; j++) {
            c[j] = f.applyAsDouble(c[j]);
        }
        return c;
    }

    @ParameterizedTest(name = "Rg = {0} Å, L = {1}, W = {2} 1/Å")
    @CsvSource({"50, 0.02, 0", "200, 0.02, 0", "200, 0.117, 0", "30, 0.05, 0.004", "150, 0.01, 0.002"})
    void convergedOperatorGivesTheClosedFormOfAGuinierLaw(double rg, double length, double width) {
        QGrid q = QGrid.log(1e-4, 0.05, 40);
        double[] w = new double[q.size()];
        java.util.Arrays.fill(w, width);
        ResolutionOperator op = Slit.converged(q, Slit.lengths(q, length), width == 0 ? null : w);
        double a = rg * rg / 3;
        double[] s = op.apply(onCalc(op, x -> Math.exp(-a * x * x)));
        for (int i = 0; i < q.size(); i++) {
            double ref = guinierSlit(q.get(i), rg, length, width);
            assertEquals(ref, s[i], 1e-12 * ref, "q = " + q.get(i));
        }
    }

    /** sasmodels' midpoint rule converges to the same closed form as the data grid is refined. */
    @Test
    void sasmodelsAlgorithmConvergesToTheClosedForm() {
        double rg = 100;
        double a = rg * rg / 3;
        double length = 0.05;
        double previous = Double.POSITIVE_INFINITY;
        for (int n : new int[] {50, 200, 800}) {
            QGrid q = QGrid.log(1e-3, 0.05, n);
            ResolutionOperator op = Slit.sasmodels(q, length);
            double[] s = op.apply(onCalc(op, x -> Math.exp(-a * x * x)));
            double max = 0;
            for (int i = 0; i < q.size(); i++) {
                double ref = guinierSlit(q.get(i), rg, length, 0);
                max = Math.max(max, Math.abs(s[i] - ref) / ref);
            }
            // a midpoint rule in u = sqrt(q'^2 - q^2) whose nodes are not the midpoints: first order,
            // the error falls about fourfold per 4x refinement (at least threefold asserted)
            assertTrue(max < previous / 3, n + " points: max relative error " + max + " after " + previous);
            previous = max;
        }
    }

    /** Constant intensity stays constant: the rows of sasmodels' operator sum to 1 when the grid covers the slit. */
    @Test
    void sasmodelsRowsSumToOne() {
        QGrid q = QGrid.log(2e-4, 0.01, 60);
        double[] w = new double[q.size()];
        java.util.Arrays.fill(w, 3e-4);
        ResolutionOperator op = Slit.sasmodels(q, 0.117);
        double[] s = op.apply(onCalc(op, x -> 1.0));
        for (int i = 0; i < q.size(); i++) {
            assertEquals(1.0, s[i], 1e-12, "row " + i);
        }
        double[] calc = op.qCalc().values();
        assertTrue(calc[calc.length - 1] >= Math.sqrt(0.01 * 0.01 + 0.117 * 0.117) * (1 - 1e-12));
        // with a width wider than q, shifted centres near 0 miss the part of the slit below the
        // first bin edge e0 (< the first calculation point): at most e0/L of the row
        ResolutionOperator wide = Slit.sasmodels(q, Slit.lengths(q, 0.02), w);
        double[] sw = wide.apply(onCalc(wide, x -> 1.0));
        double missing = Slit.sasmodelsQCalc(q, Slit.lengths(q, 0.02), w)[0] / 0.02;
        for (int i = 0; i < q.size(); i++) {
            assertTrue(sw[i] <= 1 + 1e-12 && sw[i] >= 1 - missing, "row " + i + ": " + sw[i]);
        }
    }

    static DoubleUnaryOperator sphere(double radius) {
        return PinholeConvergedTest.sphereCurve(radius);
    }

    /** The converged operator against an independent adaptive double integral of a sphere curve. */
    @ParameterizedTest(name = "R = {0} Å, L = {1}, W = {2}")
    @CsvSource({"100, 0.05, 0", "400, 0.05, 0", "100, 0.05, 0.005"})
    void convergedOperatorAgreesWithAdaptiveQuadratureForASphere(double radius, double length, double width) {
        QGrid q = QGrid.log(0.002, 0.2, 12);
        double[] w = new double[q.size()];
        java.util.Arrays.fill(w, width);
        ResolutionOperator op = Slit.converged(q, Slit.lengths(q, length), width == 0 ? null : w);
        DoubleUnaryOperator f = sphere(radius);
        double[] s = op.apply(onCalc(op, f));
        for (int i = 0; i < q.size(); i++) {
            double qi = q.get(i);
            double ref;
            if (width == 0) {
                ref = PinholeConvergedTest.integrate(u -> f.applyAsDouble(Math.sqrt(qi * qi + u * u)), 0, length) / length;
            } else {
                DoubleUnaryOperator inner = t -> PinholeConvergedTest.integrate(
                        u -> f.applyAsDouble(Math.sqrt((qi + t) * (qi + t) + u * u)), 0, length) / length;
                double[] cuts = qi < width ? new double[] {-width, -qi, width} : new double[] {-width, width};
                ref = 0;
                for (int k = 0; k + 1 < cuts.length; k++) {
                    ref += PinholeConvergedTest.integrate(inner, cuts[k], cuts[k + 1]);
                }
                ref /= 2 * width;
            }
            assertEquals(ref, s[i], 1e-9 * Math.abs(ref), "q = " + qi);
        }
    }

    /**
     * SasView 5.0.1's slit-smeared monodisperse sphere (R = 5000 Å, scale 0.01, Δρ = 2.2·10⁻⁶ Å⁻², slit
     * length 0.117 Å⁻¹), with q and I printed to 3 significant digits. Up to q = 4.5·10⁻³ Å⁻¹
     * sasmodels' operator on the same q gives the same numbers to that rounding: half a unit of
     * the third digit of I, plus that of q through the steeper one-sided slope of the smeared
     * curve. Above (the last ~20 points, whose slit integrals run mostly over the extrapolated
     * calculation grid) ours are lower by 0.4–0.95 % (measured; asserted: 1.5 %), a difference we
     * could not trace to the sasmodels version SasView 5.0.1 shipped.
     */
    @Test
    void reproducesSasViewsSlitSmearedSphere() throws Exception {
        ScatteringCurve c = ScatteringCurve.read(Path.of("src/test/resources/sasdata/1umSlitSmearSphere.ABS"));
        assertTrue(c.hasSlit());
        double[] length = c.slitLength();
        assertEquals(0.117, length[0], 0.0);
        ResolutionOperator op = Slit.sasmodels(c.qGrid(), length, c.slitWidth());
        double radius = 5000;
        double volume = 4.0 / 3.0 * Math.PI * radius * radius * radius;
        double i0 = 0.01 * 1e-4 * 2.2 * 2.2 * volume;
        DoubleUnaryOperator f = sphere(radius);
        double[] s = op.apply(onCalc(op, x -> i0 * f.applyAsDouble(x)));
        double[] data = c.intensity();
        double[] qv = c.q();
        int rounded = 0;
        for (int i = 1; i + 1 < c.size(); i++) {
            if (qv[i] <= 4.5e-3) {
                double iRound = 0.005 * Math.pow(10, Math.floor(Math.log10(data[i])));
                double qRound = 0.005 * Math.pow(10, Math.floor(Math.log10(qv[i])));
                double slope = Math.max(Math.abs(s[i + 1] - s[i]) / (qv[i + 1] - qv[i]),
                        Math.abs(s[i] - s[i - 1]) / (qv[i] - qv[i - 1]));
                assertEquals(data[i], s[i], iRound + slope * qRound, "q = " + qv[i]);
                rounded++;
            } else {
                assertEquals(data[i], s[i], 0.015 * data[i], "q = " + qv[i]);
            }
        }
        assertTrue(rounded > 120, rounded + " points compared to the rounding");
    }

    @Test
    void widthWithoutLengthAndBadValuesAreRefused() {
        QGrid q = QGrid.linear(0.01, 0.1, 5);
        double[] l = {0.1, 0.1, 0, 0.1, 0.1};
        double[] w = {0, 0, 0.01, 0, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Slit.sasmodels(q, l, w));
        assertTrue(e.getMessage().contains("slit length"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Slit.converged(q, l, w));
        assertThrows(IllegalArgumentException.class, () -> Slit.sasmodels(q, -1));
        assertThrows(IllegalArgumentException.class, () -> Slit.sasmodels(q, new double[3], null));
    }

    @Test
    void zeroLengthRowsAreNotSmeared() {
        QGrid q = QGrid.linear(0.01, 0.1, 5);
        double[] l = {0.05, 0, 0.05, 0.05, 0};
        ResolutionOperator op = Slit.sasmodels(q, l, null);
        assertEquals(1, op.rowColumns(1).length);
        assertEquals(q.get(1), op.qCalc().get(op.rowColumns(1)[0]), 0.0);
        double[] s = op.apply(onCalc(op, x -> x * x));
        assertEquals(q.get(4) * q.get(4), s[4], 1e-15);
    }
}
