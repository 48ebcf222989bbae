package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.SasModel;
import org.lnpsaxs.core.resolution.Pinhole;
import org.lnpsaxs.core.testing.SasmodelsReference;
import picocli.CommandLine;

/** {@code lnpsaxs analytic} reproduces the monodisperse sasmodels reference curves and refuses bad input. */
class AnalyticCommandTest {

    @TempDir
    Path tmp;

    /** Runs the command line with captured streams: {exit status, stdout, stderr}. */
    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** Parses printed {@code q I} lines into {q[], I[]}. */
    static double[][] parse(String out) {
        List<double[]> rows = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            String[] cols = line.strip().split(" ");
            assertEquals(2, cols.length, "line '" + line + "'");
            rows.add(new double[] {Double.parseDouble(cols[0]), Double.parseDouble(cols[1])});
        }
        double[][] r = new double[2][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            r[0][i] = rows.get(i)[0];
            r[1][i] = rows.get(i)[1];
        }
        return r;
    }

    /** Every {@code par.*} header value of a case as {@code name=value} arguments (the pd ones included). */
    static List<String> assignments(SasmodelsReference ref) {
        List<String> a = new ArrayList<>();
        for (Map.Entry<String, String> e : ref.parameters().entrySet()) {
            a.add(e.getKey() + "=" + e.getValue());
        }
        return a;
    }

    Path copyOfReferenceFile(String name) throws IOException {
        Path file = tmp.resolve(name + ".dat");
        try (InputStream in = SasmodelsReference.class.getResourceAsStream(SasmodelsReference.FOLDER + name + ".dat")) {
            Files.copy(in, file);
        }
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sphere_generic_mono_log", "css_lnp_mono_log", "css_lnp_mono_lin"})
    void reproducesTheReferenceFromItsQFile(String name) throws IOException {
        SasmodelsReference ref = SasmodelsReference.load(name);
        List<String> args = new ArrayList<>(List.of("analytic", "--model", ref.model(),
                "--q-file", copyOfReferenceFile(name).toString()));
        args.addAll(assignments(ref));
        String[] r = run(args.toArray(new String[0]));
        assertEquals("0", r[0], r[2]);
        double[][] curve = parse(r[1]);
        assertArrayEquals(ref.q(), curve[0], 0.0);
        double err = SasmodelsReference.maxRelativeError(ref.intensity(), curve[1]);
        assertTrue(err <= 1e-9, name + ": max relative error " + err);
    }

    /** The header's q_grid ({@code log} = logspace(0.001, 0.5, 200), {@code lin} = linspace(0.005, 0.3, 200)). */
    @ParameterizedTest
    @ValueSource(strings = {"sphere_generic_mono_log", "css_lnp_mono_log", "css_lnp_mono_lin"})
    void reproducesTheReferenceOnItsGrid(String name) {
        SasmodelsReference ref = SasmodelsReference.load(name);
        String grid = ref.header("q_grid").startsWith("log") ? "log:0.001:0.5:200" : "lin:0.005:0.3:200";
        List<String> args = new ArrayList<>(List.of("analytic", "--model", ref.model(), "--q-grid", grid));
        args.addAll(assignments(ref));
        String[] r = run(args.toArray(new String[0]));
        assertEquals("0", r[0], r[2]);
        double[][] curve = parse(r[1]);
        for (int i = 0; i < ref.q().length; i++) {
            // numpy's pow and Java's may differ in the last bit
            assertEquals(ref.q()[i], curve[0][i], 2 * Math.ulp(ref.q()[i]), "q[" + i + "]");
        }
        double err = SasmodelsReference.maxRelativeError(ref.intensity(), curve[1]);
        assertTrue(err <= 1e-9, name + ": max relative error " + err);
    }

    @Test
    void defaultGridIsTheLogGrid() {
        String[] r = run("analytic", "--model", "sphere");
        assertEquals("0", r[0], r[2]);
        double[][] curve = parse(r[1]);
        assertArrayEquals(QGrid.log(0.001, 0.5, 200).values(), curve[0], 0.0);
        // sasmodels' defaults: scale 1, background 0.001, sld 1, sld_solvent 6, radius 50
        assertArrayEquals(SasModel.sphere(QGrid.log(0.001, 0.5, 200)).evaluate(), curve[1], 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pinhole", "pinhole-exact"})
    void resolutionSmearsWithTheLibraryOperator(String kind) {
        String[] r = run("analytic", "--model", "core_shell_sphere", "--q-grid", "log:0.002:0.3:60",
                "--resolution", kind + ":0.05", "radius=200", "thickness=30", "sld_core=10", "sld_shell=11",
                "sld_solvent=9.47", "background=0.01");
        assertEquals("0", r[0], r[2]);
        QGrid q = QGrid.log(0.002, 0.3, 60);
        SasModel m = SasModel.coreShellSphere(q).with(Map.of("radius", 200.0, "thickness", 30.0, "sld_core", 10.0,
                "sld_shell", 11.0, "sld_solvent", 9.47, "background", 0.01));
        var op = kind.equals("pinhole") ? Pinhole.sasmodels(q, 0.05) : Pinhole.converged(q, 0.05);
        double[] expected = op.apply(m.withGrid(op.qCalc()).evaluate());
        double[][] curve = parse(r[1]);
        assertArrayEquals(expected, curve[1], 0.0);
        double[] unsmeared = m.evaluate();
        double maxChange = 0;
        for (int i = 0; i < unsmeared.length; i++) {
            maxChange = Math.max(maxChange, Math.abs(curve[1][i] / unsmeared[i] - 1));
        }
        assertTrue(maxChange > 0.01, "smearing changed the curve by at most " + maxChange);
    }

    @Test
    void unknownParameterIsBadInputListingTheAllowedNames() {
        String[] r = run("analytic", "--model", "core_shell_sphere", "radius=250", "radius_core=3");
        assertEquals("2", r[0]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);
        assertTrue(r[2].contains("radius_core") && r[2].contains("sld_shell") && r[2].contains("thickness_pd_type"), r[2]);
        assertEquals("", r[1]);
        r = run("analytic", "--model", "sphere", "thickness=3");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("thickness") && r[2].contains("sld_solvent"), r[2]);
    }

    @Test
    void polydispersityOptionsAreCheckedAndUsed() {
        // pd > 0 without a point count: SasView's 35 points over ±3 sigma, never a single point
        String[] defaults = run("analytic", "--model", "core_shell_sphere", "radius=250", "radius_pd=0.1",
                "radius_pd_type=schulz");
        String[] explicit = run("analytic", "--model", "core_shell_sphere", "radius=250", "radius_pd=0.1",
                "radius_pd_type=schulz", "radius_pd_n=35", "radius_pd_nsigma=3");
        String[] mono = run("analytic", "--model", "core_shell_sphere", "radius=250");
        assertEquals("0", defaults[0], defaults[2]);
        assertEquals(explicit[1], defaults[1]);
        assertTrue(!defaults[1].equals(mono[1]), "pd > 0 changed nothing");
        String[] r = run("analytic", "--model", "core_shell_sphere", "radius_pd=0.1", "radius_pd_n=0");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("radius_pd_n"), r[2]);
        // the names are accepted with pd = 0, which is monodisperse whatever the other settings
        r = run("analytic", "--model", "core_shell_sphere", "radius=250", "radius_pd=0", "radius_pd_n=80",
                "radius_pd_nsigma=8", "radius_pd_type=lognormal", "thickness_pd=0.0");
        assertEquals("0", r[0], r[2]);
        assertEquals(mono[1], r[1]);
        r = run("analytic", "--model", "sphere", "radius_pd_type=cauchy");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("schulz"), r[2]);
        r = run("analytic", "--model", "sphere", "radius_pd=-0.1");
        assertEquals("2", r[0]);
        // a grid that leaves no point inside the radius range [0, inf)
        r = run("analytic", "--model", "sphere", "radius_pd=0.5", "radius_pd_n=1", "radius=50");
        assertEquals("0", r[0], r[2]);
    }

    @Test
    void otherBadInputIsExitTwoWithOneLine() throws IOException {
        Path bad = tmp.resolve("bad.dat");
        Files.writeString(bad, "Sample: water\nq I\n0.01 5\n0.02 4\nabc 3\n", StandardCharsets.UTF_8);
        String[][] cases = {
            {"analytic", "--model", "cylinder"},
            {"analytic", "--model", "sphere", "radius=-5"},
            {"analytic", "--model", "sphere", "radius=abc"},
            {"analytic", "--model", "sphere", "--q-grid", "log:0.5:0.001:200"},
            {"analytic", "--model", "sphere", "--q-grid", "log:0.001:0.5:200", "--q-file", bad.toString()},
            {"analytic", "--model", "sphere", "--q-file", bad.toString()},
            {"analytic", "--model", "sphere", "--q-file", tmp.resolve("missing.dat").toString()},
            {"analytic", "--model", "sphere", "--resolution", "slit"},
            {"analytic", "--model", "sphere", "--resolution", "data"},
            {"analytic", "--model", "sphere", "--resolution", "pinhole:-1"},
            {"analytic", "--model", "sphere", "--resolution", "pinhole"},
            {"analytic", "--model", "sphere", "radius=0"},
        };
        for (String[] c : cases) {
            String[] r = run(c);
            assertEquals("2", r[0], String.join(" ", c) + " -> " + r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
        }
        String[] r = run("analytic", "--model", "sphere", "--q-file", bad.toString());
        assertTrue(r[2].contains("bad.dat") && r[2].contains("line 5"), r[2]);
    }

    @Test
    void qFileSkipsHeaderTextAndComments() throws IOException {
        Path f = tmp.resolve("beamline.csv");
        Files.writeString(f, "Sample description: LNP batch 7\r\nq,I,sigma\r\n# comment\r\n0.01,5,0.1\r\n0.02,4,0.1\r\n\r\n0.03,3,0.1\r\n",
                StandardCharsets.UTF_8);
        String[] r = run("analytic", "--model", "sphere", "--q-file", f.toString());
        assertEquals("0", r[0], r[2]);
        assertArrayEquals(new double[] {0.01, 0.02, 0.03}, parse(r[1])[0], 0.0);
    }

    @Test
    void helpStatesTheDefaultGridAndTheParameters() {
        String[] r = run("analytic", "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("log:0.001:0.5:200"), r[1]);
        assertTrue(r[1].contains("sld_solvent=3") && r[1].contains("radius=50") && r[1].contains("background=0.001"), r[1]);
        assertTrue(r[1].contains("pinhole-exact"), r[1]);
    }
}
