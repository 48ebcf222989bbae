package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/** Writer → reader round trips over random valid curves. */
class CurveRoundTripTest {

    /** A data row of 17-significant-digit numbers as the writer promises. */
    private static final Pattern ROW = Pattern.compile("-?\\d\\.\\d{16}e[+-]\\d{2,3}(?: -?\\d\\.\\d{16}e[+-]\\d{2,3}){1,3}");

    @Property(tries = 300, shrinking = ShrinkingMode.OFF, seed = "20261204")
    void writeThenReadGivesTheSameBits(@ForAll("curves") ScatteringCurve curve) throws IOException {
        String text = CurveWriter.defaults().toString(curve);
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("#") || ROW.matcher(line).matches(), line);
        }
        ScatteringCurve back = CurveReader.defaults().read(new StringReader(text), "round.dat");
        assertEquals(curve, back);
        assertBitsEqual(curve.q(), back.q());
        assertBitsEqual(curve.intensity(), back.intensity());
        assertEquals(curve.hasSigma(), back.hasSigma());
        assertEquals(curve.hasDq(), back.hasDq());
        if (curve.hasSigma()) {
            assertBitsEqual(curve.sigma(), back.sigma());
        }
        if (curve.hasDq()) {
            assertBitsEqual(curve.dq(), back.dq());
        }
        assertEquals(curve.flaggedCount(), back.flaggedCount());
        assertEquals("round.dat", back.source());
    }

    /**
     * In nm⁻¹ the reader must give back exactly the nm⁻¹ numbers the writer wrote, divided by 10
     * once; so q comes back as {@code (q·10)/10}. Each of the two operations is correctly rounded
     * (relative error ≤ 2⁻⁵³), so the result lies within 2 units in the last place of q.
     */
    @Property(tries = 200, shrinking = ShrinkingMode.OFF, seed = "20261204")
    void nanometreFilesReadBackTheWrittenNumbers(@ForAll("nanometreCurves") ScatteringCurve curve) throws IOException {
        String text = CurveWriter.defaults().withQUnit(QUnit.NANOMETER_INVERSE).toString(curve);
        ScatteringCurve back = CurveReader.defaults().read(new StringReader(text), "nm.dat"); // unit from the header
        double[] q = curve.q();
        double[] qBack = back.q();
        for (int i = 0; i < q.length; i++) {
            double expected = (q[i] * 10.0) / 10.0;
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(qBack[i]), "q[" + i + "]");
            assertTrue(Math.abs(qBack[i] - q[i]) <= 2 * Math.ulp(q[i]), "q[" + i + "]");
        }
        assertBitsEqual(curve.intensity(), back.intensity());
        if (curve.hasDq()) {
            double[] dq = curve.dq();
            double[] dqBack = back.dq();
            for (int i = 0; i < dq.length; i++) {
                assertEquals(Double.doubleToLongBits((dq[i] * 10.0) / 10.0), Double.doubleToLongBits(dqBack[i]));
            }
        }
    }

    @Property(tries = 20, shrinking = ShrinkingMode.OFF, seed = "20261204")
    void filesRoundTripToo(@ForAll("curves") ScatteringCurve curve) throws IOException {
        Path file = Files.createTempFile("lnpsaxs-roundtrip", ".dat");
        try {
            curve.write(file);
            assertEquals(curve, ScatteringCurve.read(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Example
    void dqWithoutSigmaCannotBeWritten() {
        ScatteringCurve c = ScatteringCurve.of(new double[] {1, 2, 3}, new double[] {1, 2, 3}, null,
                new double[] {0.1, 0.1, 0.1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CurveWriter.defaults().toString(c));
        assertTrue(e.getMessage().contains("dq but no sigma"), e.getMessage());
    }

    @Example
    void headerSaysUnitsSourceAndColumns() {
        ScatteringCurve c = ScatteringCurve.of(new double[] {0.01, 0.02, 0.03}, new double[] {3, 2, 1},
                new double[] {0.1, 0.1, 0.1}).withSource("lnp.dat");
        String a = CurveWriter.defaults().toString(c);
        assertTrue(a.contains("# source: lnp.dat\n"), a);
        assertTrue(a.contains("# q(1/A) I sigma\n"), a);
        assertTrue(a.contains("1.0000000000000000e-02 3.0000000000000000e+00 1.0000000000000000e-01\n"), a);
        String nm = CurveWriter.defaults().withQUnit(QUnit.NANOMETER_INVERSE).toString(c);
        assertTrue(nm.contains("# q(1/nm) I sigma\n"), nm);
        assertTrue(nm.contains("\n1.0000000000000000e-01 3.0000000000000000e+00"), nm);
    }

    private static void assertBitsEqual(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    "element " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    // ---------------------------------------------------------------- generators

    /** Any finite double ≥ 0, from every binade (subnormals included), plus typical q values. */
    private static Arbitrary<Double> nonNegative() {
        Arbitrary<Double> bits = Arbitraries.longs().between(0L, 0x7FEF_FFFF_FFFF_FFFFL).map(Double::longBitsToDouble);
        Arbitrary<Double> typical = Arbitraries.doubles().between(1e-4, 2.0).ofScale(12);
        return Arbitraries.oneOf(bits, typical, Arbitraries.of(0.0, Double.MIN_VALUE, Double.MAX_VALUE, 0.1, 1e-3));
    }

    /** Any finite double, negative and zero included (such rows are flagged). */
    private static Arbitrary<Double> finite() {
        Arbitrary<Double> bits = Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
        Arbitrary<Double> typical = Arbitraries.doubles().between(-10, 1e6).ofScale(9);
        return Arbitraries.oneOf(bits, typical, Arbitraries.of(0.0, -0.0, -Double.MAX_VALUE, -Double.MIN_VALUE));
    }

    @Provide
    Arbitrary<ScatteringCurve> curves() {
        return curves(nonNegative(), nonNegative());
    }

    @Provide
    Arbitrary<ScatteringCurve> nanometreCurves() {
        // q·10 and dq·10 must stay finite, and q normal so that the 2-ulp bound holds
        Arbitrary<Double> q = Arbitraries.oneOf(
                Arbitraries.longs().between(Double.doubleToLongBits(1e-300), Double.doubleToLongBits(1e300))
                        .map(Double::longBitsToDouble),
                Arbitraries.doubles().between(1e-4, 2.0).ofScale(12));
        return curves(q, q);
    }

    private static Arbitrary<ScatteringCurve> curves(Arbitrary<Double> qValues, Arbitrary<Double> dqValues) {
        return Arbitraries.integers().between(3, 40).flatMap(n -> Combinators.combine(
                qValues.list().ofSize(n).uniqueElements(Double::doubleToLongBits),
                finite().list().ofSize(n),
                nonNegative().list().ofSize(n),
                // a dq of 0 on every row reads back as "no dq" (no resolution information)
                dqValues.list().ofSize(n).filter(d -> d.stream().anyMatch(x -> x != 0)),
                Arbitraries.integers().between(2, 4),
                Arbitraries.of("lnp.dat", "sample 1/nm.dat", "A^-1 / nm^-1", "two\nlines", "")
        ).as((q, i, s, d, columns, source) -> ScatteringCurve.of(array(q), array(i),
                columns >= 3 ? array(s) : null, columns == 4 ? array(d) : null)
                .withSource(source.isEmpty() ? null : source)));
    }

    private static double[] array(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
