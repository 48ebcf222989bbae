package org.lnpsaxs.surrogate.lnp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values pinned from an earlier commit: lines {@code key v1 v2 …}, {@code #} comments. They hold
 * what the code computed before a refactoring, so that a test can show the numbers did not move.
 */
final class Pinned {

    private Pinned() {
    }

    static Map<String, double[]> read(String resource) {
        Map<String, double[]> out = new LinkedHashMap<>();
        try (InputStream in = Pinned.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] t = line.trim().split(" ");
                double[] v = new double[t.length - 1];
                for (int i = 1; i < t.length; i++) {
                    v[i - 1] = Double.parseDouble(t[i]);
                }
                out.put(t[0], v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The largest |value|. */
    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
