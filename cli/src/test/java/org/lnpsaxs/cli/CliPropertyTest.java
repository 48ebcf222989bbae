package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.model.AnalyticFitModel;

/**
 * Random and extreme arguments for the command-line parsers ({@code name=value} parameters,
 * {@code --q-grid}, {@code --resolution}, numeric options): every outcome is either exit 0 with
 * finite numbers only, or exit 2 with exactly one line on standard error; never a stack trace,
 * never exit 1.
 */
class CliPropertyTest {

    private static Path dir;
    private static Path sphereData;

    @BeforeContainer
    static void data() throws IOException {
        dir = Files.createTempDirectory("lnpsaxs-cli-properties");
        QGrid grid = QGrid.log(0.005, 0.25, 30);
        double[] q = grid.values();
        DifferentiableModel m = AnalyticFitModel.sphere().bind(grid).model();
        double[] i = m.evaluate(0.01, 0.0, 10, 9.47, 150, 0.1);
        StringBuilder sb = new StringBuilder("# q I sigma\n");
        for (int k = 0; k < q.length; k++) {
            double v = i[k] + 1e-3;
            sb.append(String.format(Locale.ROOT, "%.10e %.10e %.10e%n", q[k], v, 0.01 * v));
        }
        sphereData = Files.writeString(dir.resolve("sphere.dat"), sb.toString(), StandardCharsets.UTF_8);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The contract: exit 2 with one line and nothing on standard output, or exit 0 with
     * {@code expectedLines} lines of finite numbers (when {@code expectedLines >= 0}).
     */
    private static void assertContract(ReliabilityTest.Run r, int expectedLines) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception") || r.err().contains("internal error"),
                r.err());
        assertTrue(r.exit() == 0 || r.exit() == 2, "exit " + r.exit() + ": " + r.err());
        if (r.exit() == 2) {
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertEquals("", r.out());
            return;
        }
        if (expectedLines < 0) {
            return;
        }
        String[] lines = r.out().strip().split("\n");
        assertEquals(expectedLines, lines.length, r.err());
        for (String line : lines) {
            for (String token : line.trim().split(" ")) {
                assertTrue(Double.isFinite(Double.parseDouble(token)), line);
            }
        }
    }

    private static String[] args(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(new String[0]);
    }

    /** Numbers as a person or a script might type them, extremes included. */
    @Provide
    Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().map(d -> Double.toString(d)),
                Arbitraries.doubles().between(-1e4, 1e4).map(d -> String.format(Locale.ROOT, "%.4g", d)),
                Arbitraries.integers().map(Object::toString),
                Arbitraries.of("0", "-0", "1e300", "-1e300", "1e-300", "1e309", "-1e309", "4.9e-324", "1.7976931348623157e308",
                        "NaN", "nan", "Infinity", "-Infinity", "inf", "0x1p3", "1_000", "", " ", "1e", "--1", "1,5",
                        "9223372036854775808", "2147483648", "100000", "100001", "1e6"));
    }

    private Arbitrary<String> junk() {
        return Arbitraries.strings().ofMaxLength(16)
                .filter(s -> !List.of("-h", "--help", "-V", "--version").contains(s.trim()));
    }

    @Provide
    Arbitrary<List<String>> sphereAssignments() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("radius", "sld", "sld_solvent", "scale", "background",
                "radius_pd", "radius_pd_n", "radius_pd_nsigma", "radius_pd_type"), junk());
        Arbitrary<String> values = Arbitraries.oneOf(numbers(), numbers(), Arbitraries.of("schulz", "gaussian",
                "lognormal", "SCHULZ", "cauchy"), junk());
        Arbitrary<String> pair = Combinators.combine(names, values).as((n, v) -> n + "=" + v);
        return Arbitraries.oneOf(pair, pair, pair, junk()).list().ofMaxSize(4);
    }

    @Property(tries = 120, seed = "20261204")
    void analyticParametersNeverCrashOrPrintNonFiniteValues(@ForAll("sphereAssignments") List<String> assignments) {
        ReliabilityTest.Run r = ReliabilityTest.run(args(List.of("analytic", "--model", "sphere",
                "--q-grid", "log:0.001:0.5:50"), assignments));
        assertContract(r, 50);
    }

    @Provide
    Arbitrary<String> qGrids() {
        Arbitrary<String> kinds = Arbitraries.of("lin", "log", "linear", "LOG", "geo", "", " lin");
        Arbitrary<String> counts = Arbitraries.oneOf(Arbitraries.integers().between(-3, 300).map(Object::toString),
                Arbitraries.of("100000", "100001", "1000000000", "2147483647", "2147483648", "-2147483648", "9e9",
                        "1.5", ""));
        Arbitrary<String> structured = Combinators.combine(kinds, numbers(), numbers(), counts)
                .as((k, a, b, n) -> k + ":" + a + ":" + b + ":" + n);
        Arbitrary<String> plausible = Combinators.combine(kinds, Arbitraries.doubles().between(0, 0.2),
                Arbitraries.doubles().between(0, 1), counts).as((k, a, b, n) -> k + ":" + a + ":" + b + ":" + n);
        return Arbitraries.oneOf(structured, plausible, plausible, junk());
    }

    @Property(tries = 100, seed = "20261204")
    void qGridSpecsNeverCrashOrPrintNonFiniteValues(@ForAll("qGrids") String spec) {
        ReliabilityTest.Run r = ReliabilityTest.run("analytic", "--model", "sphere", "--q-grid", spec);
        String[] parts = spec.trim().split(":");
        int expected = -1;
        if (r.exit() == 0) {
            expected = Integer.parseInt(parts[3].trim());
            assertTrue(expected >= 2 && expected <= Limits.MAX_Q_POINTS, spec);
        }
        assertContract(r, expected);
    }

    @Provide
    Arbitrary<String> resolutions() {
        Arbitrary<String> kinds = Arbitraries.of("pinhole", "pinhole-exact", "PINHOLE", "slit", "");
        Arbitrary<String> widths = Arbitraries.oneOf(numbers(), Arbitraries.doubles().between(0, 1.2)
                .map(d -> Double.toString(d)));
        return Arbitraries.oneOf(Combinators.combine(kinds, widths).as((k, w) -> k + ":" + w), junk());
    }

    @Property(tries = 60, seed = "20261204")
    void resolutionSpecsNeverCrashOrPrintNonFiniteValues(@ForAll("resolutions") String spec) {
        ReliabilityTest.Run r = ReliabilityTest.run("analytic", "--model", "sphere", "--q-grid", "log:0.001:0.5:60",
                "--resolution", spec);
        assertContract(r, 60);
    }

    @Provide
    Arbitrary<List<String>> fitOptions() {
        Arbitrary<String> option = Arbitraries.of("--starts", "--steps", "--threads");
        Arbitrary<String> value = Arbitraries.oneOf(numbers(), Arbitraries.of("0", "-1", "1", "1000001", "1025"));
        return Combinators.combine(option, value).as(List::of).list().ofMaxSize(3)
                .map(l -> l.stream().flatMap(List::stream).toList());
    }

    @Property(tries = 60, seed = "20261204")
    void numericOptionsOfFitAreCheckedBeforeWork(@ForAll("fitOptions") List<String> options) {
        // the data file is missing: every run ends in exit 2 (a limit, a conversion or the file)
        ReliabilityTest.Run r = ReliabilityTest.run(args(List.of("fit", dir.resolve("missing.dat").toString(),
                "--model", "sphere", "--out", dir.resolve("never").toString()), options));
        assertContract(r, -1);
        assertEquals(2, r.exit(), r.err());
    }

    @Provide
    Arbitrary<List<String>> fitAssignments() {
        Arbitrary<String> option = Arbitraries.of("--bound", "--fix");
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("radius_mean", "radius_cv", "sld", "scale"), junk());
        Arbitrary<String> values = Arbitraries.oneOf(numbers(), Combinators.combine(numbers(), numbers())
                .as((a, b) -> a + ":" + b), junk());
        Arbitrary<List<String>> one = Combinators.combine(option, names, values).as((o, n, v) -> List.of(o, n + "=" + v));
        return one.list().ofMaxSize(2).map(l -> l.stream().flatMap(List::stream).toList());
    }

    @Property(tries = 20, seed = "20261204")
    void boundsAndFixesOfFitNeverCrash(@ForAll("fitAssignments") List<String> options) {
        ReliabilityTest.Run r = ReliabilityTest.run(args(List.of("fit", sphereData.toString(), "--model", "sphere",
                "--starts", "4", "--steps", "5", "--no-figures", "--threads", "1", "--out", dir.resolve("fit").toString()),
                options));
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), r.err());
        assertTrue(r.exit() == 0 || r.exit() == 2, "exit " + r.exit() + ": " + r.err());
        if (r.exit() == 2) {
            assertEquals(1, r.err().strip().split("\n").length, r.err());
        }
    }
}
