package org.lnpsaxs.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Properties of the text reader: any valid curve, laid out as the field lays curves out (free
 * header, key/value footer, any separator, any exact number spelling), reads back bit for bit; and
 * whatever bytes it is given, it either returns a valid curve or throws one
 * {@link CurveFormatException} with a one-line message, never another exception and never NaN.
 */
class AsciiReaderPropertiesTest {

    private static final String[] HEADERS = {
        "Sample description: LNP batch 3", "Exposure time: 1 s", "# processed with a pipeline v2", "Run 1234",
        "Detector: Pilatus 1M", "Sample:  c= 1.000 mg/ml  Code: s1", "### DATA:", "", "   ", "Q I Error",
        "# q(1/A) I sigma dq", "Temperature = 25 C", "\"quoted title\"", "<X> <Y> <dY>",
    };
    private static final String[] FOOTERS = {
        "Exposure time: 1.0 s", "Concentration: 2.5", "Temperature = 25 C", "# end", "", "### HEADER:", "{",
        "    \"filename\": \"lnp_0001.dat\",", "}", "Comment: fine",
    };
    private static final String[] SEPARATORS = {" ", "\t", ",", ", ", "   ", " ,\t", ";", "; "};

    /** A curve and the text of a file that holds it. */
    record Case(ScatteringCurve curve, String text) {
    }

    @Property(tries = 300, shrinking = ShrinkingMode.OFF, seed = "20261204")
    void layoutsOfTheFieldReadBackExactly(@ForAll("cases") Case c) throws IOException {
        CurveEntry e = CurveReader.defaults().withQUnit(QUnit.ANGSTROM_INVERSE)
                .readEntry(new ByteArrayInputStream(c.text().getBytes(StandardCharsets.UTF_8)), "p.dat");
        assertEquals(c.curve(), e.curve(), c.text());
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Double> q = Arbitraries.doubles().between(1e-5, 2.0).ofScale(12);
        Arbitrary<Double> any = Arbitraries.oneOf(Arbitraries.doubles().between(-1e6, 1e9).ofScale(6),
                Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite));
        Arbitrary<Double> positive = Arbitraries.doubles().between(1e-9, 1e3).ofScale(12);
        return Arbitraries.integers().between(3, 60).flatMap(n -> Combinators.combine(
                q.list().ofSize(n).uniqueElements(),
                any.list().ofSize(n),
                positive.list().ofSize(n),
                positive.list().ofSize(n),
                Arbitraries.integers().between(2, 4),
                Arbitraries.of(SEPARATORS),
                Arbitraries.of(HEADERS).list().ofMaxSize(6),
                Arbitraries.of(FOOTERS).list().ofMaxSize(6)
        ).as((qs, is, ss, ds, columns, sep, header, footer) -> {
            double[] qa = sorted(qs);
            double[] ia = array(is);
            double[] sa = columns >= 3 ? array(ss) : null;
            double[] da = columns == 4 ? array(ds) : null;
            StringBuilder sb = new StringBuilder();
            for (String h : header) {
                sb.append(h).append('\n');
            }
            for (int i = 0; i < qa.length; i++) {
                String[] f = {Double.toString(qa[i]), Double.toString(ia[i]), sa == null ? null : Double.toString(sa[i]),
                    da == null ? null : Double.toString(da[i])};
                for (int k = 0; k < columns; k++) {
                    String v = f[k];
                    if (sep.startsWith(";")) {
                        v = v.replace('.', ','); // semicolon files may use decimal commas
                    }
                    sb.append(k == 0 ? "" : sep).append(v);
                }
                sb.append(i % 3 == 0 ? "\r\n" : "\n");
            }
            for (String f : footer) {
                sb.append(f).append('\n');
            }
            return new Case(ScatteringCurve.of(qa, ia, sa, da), sb.toString());
        }));
    }

    @Property(tries = 400, shrinking = ShrinkingMode.OFF, seed = "20261204")
    void randomBytesGiveACurveOrOneLineOfExplanation(@ForAll("junk") byte[] bytes) {
        check(bytes);
    }

    @Property(tries = 600, shrinking = ShrinkingMode.OFF, seed = "20261204")
    void randomTextGivesACurveOrOneLineOfExplanation(@ForAll("texts") String text) {
        check(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void check(byte[] bytes) {
        try {
            CurveFile f = CurveReader.defaults().readAll(new ByteArrayInputStream(bytes), "junk.dat");
            for (CurveEntry e : f.entries()) {
                ScatteringCurve c = e.curve();
                assertTrue(c.size() >= CurveReader.MIN_POINTS);
                for (int i = 0; i < c.size(); i++) {
                    assertTrue(Double.isFinite(c.q(i)) && c.q(i) >= 0 && Double.isFinite(c.intensity(i)));
                    assertTrue(!c.hasSigma() || (Double.isFinite(c.sigma(i)) && c.sigma(i) >= 0));
                    assertTrue(!c.hasDq() || (Double.isFinite(c.dq(i)) && c.dq(i) >= 0));
                    assertTrue(i == 0 || c.q(i) > c.q(i - 1));
                }
            }
        } catch (CurveFormatException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith("junk.dat, "), m);
            assertFalse(m.contains("\n") || m.contains("\r"), m);
            assertFalse(m.contains("Exception") || m.contains("null"), m);
        } catch (IOException e) {
            throw new AssertionError("an I/O exception that is not a CurveFormatException: " + e, e);
        }
    }

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        Arbitrary<byte[]> hdf5Head = random.map(b -> {
            byte[] out = new byte[b.length + 8];
            System.arraycopy(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'}, 0, out, 0, 8);
            System.arraycopy(b, 0, out, 8, b.length);
            return out;
        });
        Arbitrary<byte[]> xmlHead = random.map(b -> {
            byte[] head = "<?xml version=\"1.0\"?><SASroot><SASentry><SASdata><Idata><Q>".getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[head.length + b.length];
            System.arraycopy(head, 0, out, 0, head.length);
            System.arraycopy(b, 0, out, head.length, b.length);
            return out;
        });
        return Arbitraries.oneOf(random, hdf5Head, xmlHead);
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("0", "1", "-1", "0.01", "1e-3", "2.5E+02", "NaN", "-inf", "Infinity", "1e999", "-0",
                        ".5", "5.", "e", "q", "I", "sigma", "1/nm", "A^-1", "#", ",", ";", "\t", " ", "  ", "\n", "\r\n",
                        "\r", "abc", ":", "=", "The 6 columns are", "<?xml", "<SASroot>", "\u00C5", "\uFEFF"),
                Arbitraries.doubles().map(Object::toString));
        return token.list().ofMaxSize(300).map(l -> String.join("", l));
    }

    private static double[] array(List<Double> v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }

    private static double[] sorted(List<Double> v) {
        double[] a = array(v);
        java.util.Arrays.sort(a);
        return a;
    }
}
