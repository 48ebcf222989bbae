package org.lnpsaxs.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sasmodels reference curve from the test resources ({@code /sasmodels/<case>.dat}, copied
 * from {@code shared/reference/sasmodels}; its README.md there describes the format): the
 * {@code # key=value} header lines, the {@code par.<name>} model parameters among them, and the
 * {@code q I} rows (q in Å⁻¹, I in cm⁻¹). The one reader of these files for every reference test
 * (shared with other modules through core's test-jar).
 *
 * @param name      the case name (the file name without {@code .dat})
 * @param header    every {@code # key=value} header line in file order, including {@code par.*}
 * @param q         the q column, Å⁻¹
 * @param intensity the I column, cm⁻¹
 */
public record SasmodelsReference(String name, Map<String, String> header, double[] q, double[] intensity) {

    /** The classpath folder of the reference files. */
    public static final String FOLDER = "/sasmodels/";

    /** The names of all cases listed in {@code cases.tsv}, in file order. */
    public static List<String> caseNames() {
        List<String> names = new ArrayList<>();
        List<String> lines = lines("cases.tsv");
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (!line.isEmpty()) {
                names.add(line.split("\t", -1)[0]);
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** Reads case {@code name} ({@code /sasmodels/<name>.dat}). */
    public static SasmodelsReference load(String name) {
        Map<String, String> header = new LinkedHashMap<>();
        List<Double> qs = new ArrayList<>();
        List<Double> is = new ArrayList<>();
        int lineNo = 0;
        for (String raw : lines(name + ".dat")) {
            lineNo++;
            String line = raw.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String body = line.substring(1).trim();
                int eq = body.indexOf('=');
                // free-text lines ("# units: ...", "# columns: q I") carry no key
                if (eq > 0 && !body.substring(0, eq).contains(" ")) {
                    header.put(body.substring(0, eq), body.substring(eq + 1).trim());
                }
                continue;
            }
            String[] cols = line.split("\\s+");
            if (cols.length != 2) {
                throw new IllegalStateException(name + ".dat line " + lineNo + ": expected 'q I', got '" + line + "'");
            }
            qs.add(Double.parseDouble(cols[0]));
            is.add(Double.parseDouble(cols[1]));
        }
        double[] q = new double[qs.size()];
        double[] intensity = new double[is.size()];
        for (int i = 0; i < q.length; i++) {
            q[i] = qs.get(i);
            intensity[i] = is.get(i);
        }
        SasmodelsReference ref = new SasmodelsReference(name, Collections.unmodifiableMap(header), q, intensity);
        if (ref.header.containsKey("npoints") && Integer.parseInt(ref.header("npoints")) != q.length) {
            throw new IllegalStateException(name + ".dat: header says npoints=" + ref.header("npoints")
                    + " but holds " + q.length + " rows");
        }
        return ref;
    }

    /** Header value {@code key}; throws if absent. */
    public String header(String key) {
        String v = header.get(key);
        if (v == null) {
            throw new IllegalArgumentException(name + ": no header line '" + key + "'");
        }
        return v;
    }

    /** The sasmodels model name ({@code sphere} or {@code core_shell_sphere}). */
    public String model() {
        return header("model");
    }

    /** The {@code par.*} header values without the prefix, in file order (numbers and pd types as text). */
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : header.entrySet()) {
            if (e.getKey().startsWith("par.")) {
                p.put(e.getKey().substring(4), e.getValue());
            }
        }
        return Collections.unmodifiableMap(p);
    }

    /** A numeric model parameter ({@code par.<name>}). */
    public double parameter(String parameter) {
        return Double.parseDouble(header("par." + parameter));
    }

    /** Whether every {@code *_pd} parameter is 0. */
    public boolean isMonodisperse() {
        for (Map.Entry<String, String> e : parameters().entrySet()) {
            if (e.getKey().endsWith("_pd") && Double.parseDouble(e.getValue()) != 0.0) {
                return false;
            }
        }
        return true;
    }

    /** The resolution kind: {@code none}, {@code pinhole} or {@code pinhole_dense}. */
    public String resolution() {
        return header("resolution");
    }

    /** The relative pinhole width dq/q (0 without resolution). */
    public double dqOverQ() {
        return Double.parseDouble(header("dq_over_q"));
    }

    /** The number of points of sasmodels' calculation grid q_calc. */
    public int qCalcPoints() {
        return Integer.parseInt(header("resolution_q_calc_points"));
    }

    /** The first and last value of q_calc, Å⁻¹. */
    public double[] qCalcRange() {
        String[] parts = header("resolution_q_calc_range").trim().split("\\s+");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    /** \( \max_i |a_i - e_i|/|e_i| \) (the expected values must be non-zero). */
    public static double maxRelativeError(double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("lengths differ: " + expected.length + " vs " + actual.length);
        }
        double max = 0.0;
        for (int i = 0; i < expected.length; i++) {
            double r = Math.abs(actual[i] - expected[i]) / Math.abs(expected[i]);
            if (Double.isNaN(r)) {
                return Double.NaN;
            }
            max = Math.max(max, r);
        }
        return max;
    }

    private static List<String> lines(String file) {
        try (InputStream in = SasmodelsReference.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + FOLDER + file);
            }
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    out.add(l);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "SasmodelsReference[" + name + ", " + q.length + " points]";
    }
}
