package org.lnpsaxs.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Helpers shared by the subcommands: {@code name=value} arguments and {@code q I} output. */
final class CliSupport {

    private CliSupport() {
    }

    /**
     * Parses {@code name=value} arguments in order. A missing '=', an empty name, a repeated name
     * or a value that is not a number is an {@link IllegalArgumentException} naming the argument.
     * Values listed in {@code textual} are kept as text (e.g. {@code radius_pd_type=schulz}).
     */
    static Map<String, String> assignments(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        if (args == null) {
            return out;
        }
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0 || eq == a.length() - 1) {
                throw new IllegalArgumentException("expected name=value, got '" + a + "'");
            }
            String name = a.substring(0, eq).trim();
            String value = a.substring(eq + 1).trim();
            if (out.put(name, value) != null) {
                throw new IllegalArgumentException("parameter " + name + " is given twice");
            }
        }
        return out;
    }

    /** Parses a numeric value of parameter {@code name}; NaN and infinities are refused. */
    static double number(String name, String value) {
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + ": '" + value + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("parameter " + name + ": " + value + " is not finite");
        }
        return v;
    }

    /** Prints {@code q I} lines with 17 significant digits. */
    static void printCurve(PrintWriter out, double[] q, double[] intensity) {
        StringBuilder sb = new StringBuilder(q.length * 52);
        for (int i = 0; i < q.length; i++) {
            sb.append(format17(q[i])).append(' ').append(format17(intensity[i])).append('\n');
        }
        out.print(sb);
        out.flush();
    }

    /** A double with 17 significant digits (enough to round-trip). */
    static String format17(double v) {
        return String.format(Locale.ROOT, "%.16e", v);
    }
}
