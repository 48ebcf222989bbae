import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

// Two fits of the same curves compared truth by truth (docs/calibration.md, "The fourth set refitted by
// fitter revision 10"): reads the coverage.csv that Coverage.java wrote for each (columns curve, parameter,
// truth, p05, p16, p84, p95, ..., converged; the truths already on the reports' canonical image), keeps the
// (curve, parameter) pairs present in both, and prints per parameter and in all, at 68 % (p16..p84) and 90 %
// (p05..p95), the truths inside in A and in B, the discordant pairs (inside in A only, in B only) and
// McNemar's exact two-sided p-value on them; then the curves whose posterior converged in each.
// Run from the repository root:
//
//   java docs/calibration/PairedTotals.java A/coverage.csv B/coverage.csv

public class PairedTotals {
    record Row(boolean in68, boolean in90, boolean converged) {
    }

    static Map<String, Row> read(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> head = List.of(lines.get(0).split(","));
        int c = head.indexOf("curve"), p = head.indexOf("parameter"), t = head.indexOf("truth");
        int p05 = head.indexOf("p05"), p16 = head.indexOf("p16"), p84 = head.indexOf("p84"), p95 = head.indexOf("p95");
        int conv = head.indexOf("converged");
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double truth = Double.parseDouble(f[t]);
            rows.put(f[c] + "," + f[p], new Row(Double.parseDouble(f[p16]) <= truth && truth <= Double.parseDouble(f[p84]),
                    Double.parseDouble(f[p05]) <= truth && truth <= Double.parseDouble(f[p95]), Boolean.parseBoolean(f[conv])));
        }
        return rows;
    }

    /** McNemar's exact two-sided p-value: twice the binomial(x + y, 1/2) tail at min(x, y), at most 1. */
    static double mcnemar(int x, int y) {
        int m = x + y, k = Math.min(x, y);
        double tail = 0;
        for (int i = 0; i <= k; i++) {
            double logC = 0;
            for (int j = 1; j <= i; j++) {
                logC += Math.log(m - i + j) - Math.log(j);
            }
            tail += Math.exp(logC - m * Math.log(2));
        }
        return Math.min(1, 2 * tail);
    }

    public static void main(String[] args) throws Exception {
        Map<String, Row> a = read(Path.of(args[0]));
        Map<String, Row> b = read(Path.of(args[1]));
        List<String> params = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String k : a.keySet()) {
            if (b.containsKey(k)) {
                keys.add(k);
                String p = k.substring(k.indexOf(',') + 1);
                if (!params.contains(p)) {
                    params.add(p);
                }
            }
        }
        System.out.println("parameter: level A-inside B-inside (A only, B only, McNemar p) of n");
        List<String> groups = new ArrayList<>(params);
        groups.add("all");
        for (String g : groups) {
            StringBuilder sb = new StringBuilder(g + ":");
            for (int level = 0; level < 2; level++) {
                int ia = 0, ib = 0, onlyA = 0, onlyB = 0, n = 0;
                for (String k : keys) {
                    if (!g.equals("all") && !k.endsWith("," + g)) {
                        continue;
                    }
                    boolean x = level == 0 ? a.get(k).in68() : a.get(k).in90();
                    boolean y = level == 0 ? b.get(k).in68() : b.get(k).in90();
                    n++;
                    ia += x ? 1 : 0;
                    ib += y ? 1 : 0;
                    onlyA += x && !y ? 1 : 0;
                    onlyB += y && !x ? 1 : 0;
                }
                sb.append(String.format(Locale.ROOT, "  %s %d %d (%d, %d, p = %.3f) of %d", level == 0 ? "68 %" : "90 %", ia, ib,
                        onlyA, onlyB, mcnemar(onlyA, onlyB), n));
            }
            System.out.println(sb);
        }
        long ca = keys.stream().filter(k -> k.endsWith("," + params.get(0)) && a.get(k).converged()).count();
        long cb = keys.stream().filter(k -> k.endsWith("," + params.get(0)) && b.get(k).converged()).count();
        System.out.printf(Locale.ROOT, "converged: %d and %d of %d curves%n", ca, cb,
                keys.stream().filter(k -> k.endsWith("," + params.get(0))).count());
    }
}
