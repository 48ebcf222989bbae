// How much of the error model's share of each parameter's variance the direct simulator's error fills, by the
// truth's radius_cv (docs/calibration.md, "Where the error model is too wide: the size of broad distributions").
// Reads the per-curve rows that NoiseAtTruth.java writes with -Dclean=DIR -Dout=FILE (columns curve,
// parameter, truth, z, sd, radius_cv, z_err, f_N), any number of them, pools their curves and prints, per
// parameter and bin of radius_cv, the number of curves, the mean predicted share of the error model
// f_E = 1 - f_N, the mean z_err^2 (the share the simulator's error at the truth actually takes) and their
// ratio (1: the error model's size is right in that direction; below 1: too wide). Then, per bin, the size
// pair's ratio against the other parameters' (each pooled: sum of z_err^2 over sum of f_E), g, and the
// line ln g = -P ln(radius_cv / C0) through the bins (least squares, weighted by curves, at each bin's mean
// radius_cv): the law that LaplaceZ.java's variant sizeest:C0:P and NoiseAtTruth.java's -Dsize=C0:P:estimates
// apply. Run from the repository root:
//
//   java docs/calibration/ErrorShareByCv.java ROWS.csv [ROWS.csv ...]
import java.nio.file.*;
import java.util.*;

public class ErrorShareByCv {
    /** The bins' upper edges in radius_cv (the last bin is open above). */
    static final double[] EDGES = {0.15, 0.20, 0.25, 0.30, 0.35, Double.POSITIVE_INFINITY};

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ErrorShareByCv ROWS.csv [ROWS.csv ...] (NoiseAtTruth -Dclean -Dout rows)");
        }
        // parameter -> bin -> {curves, sum f_E, sum z_err^2}
        Map<String, double[][]> sums = new LinkedHashMap<>();
        double[][] cvSum = new double[EDGES.length][2]; // per bin: rows, sum of radius_cv
        for (String a : args) {
            List<String> lines = Files.readAllLines(Path.of(a));
            List<String> head = Arrays.asList(lines.get(0).split(","));
            int ip = head.indexOf("parameter"), icv = head.indexOf("radius_cv"), ie = head.indexOf("z_err"),
                    in = head.indexOf("f_N");
            if (ip < 0 || icv < 0 || ie < 0 || in < 0) {
                throw new IllegalArgumentException(a + ": needs the columns parameter, radius_cv, z_err and f_N"
                        + " (NoiseAtTruth.java with -Dclean and -Dout)");
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] c = line.split(",");
                double cv = Double.parseDouble(c[icv]);
                int bin = 0;
                while (cv >= EDGES[bin]) {
                    bin++;
                }
                cvSum[bin][0]++;
                cvSum[bin][1] += cv;
                double[] s = sums.computeIfAbsent(c[ip], k -> new double[EDGES.length][3])[bin];
                double zErr = Double.parseDouble(c[ie]);
                s[0]++;
                s[1] += 1 - Double.parseDouble(c[in]);
                s[2] += zErr * zErr;
            }
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-20s", "radius_cv"));
        double lo = 0;
        for (double hi : EDGES) {
            header.append(String.format(Locale.ROOT, " %20s", Double.isInfinite(hi)
                    ? String.format(Locale.ROOT, ">= %.2f", lo) : String.format(Locale.ROOT, "%.2f-%.2f", lo, hi)));
            lo = hi;
        }
        System.out.println("per bin: curves, mean f_E predicted, mean z_err^2, ratio");
        System.out.println(header);
        for (var e : sums.entrySet()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-20s", e.getKey()));
            for (double[] s : e.getValue()) {
                row.append(s[0] == 0 ? String.format(Locale.ROOT, " %20s", "-") : String.format(Locale.ROOT,
                        " %3.0f %4.2f %5.3f %5.2f", s[0], s[1] / s[0], s[2] / s[0], s[2] / s[1]));
            }
            System.out.println(row);
        }
        Set<String> size = Set.of("radius_mean", "radius_cv");
        System.out.println("size pair against the rest: bin, mean radius_cv, curves, g = ratio(size) / ratio(rest)");
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int b = 0; b < EDGES.length; b++) {
            double[] sz = new double[2], rest = new double[2];
            double curves = 0;
            for (var e : sums.entrySet()) {
                double[] t = e.getValue()[b];
                double[] acc = size.contains(e.getKey()) ? sz : rest;
                acc[0] += t[1];
                acc[1] += t[2];
                curves = t[0];
            }
            if (curves == 0 || sz[0] == 0 || rest[0] == 0) {
                continue;
            }
            double g = (sz[1] / sz[0]) / (rest[1] / rest[0]);
            double cv = cvSum[b][1] / cvSum[b][0];
            System.out.printf(Locale.ROOT, "  %d  %.3f  %3.0f  %.3f%n", b, cv, curves, g);
            double x = Math.log(cv), y = Math.log(g);
            sw += curves;
            sx += curves * x;
            sy += curves * y;
            sxx += curves * x * x;
            sxy += curves * x * y;
        }
        double slope = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
        double intercept = (sy - slope * sx) / sw;
        System.out.printf(Locale.ROOT, "law: g = (radius_cv / %.4f)^-%.3f (sizeest:%.4f:%.3f)%n", Math.exp(-intercept / slope),
                -slope, Math.exp(-intercept / slope), -slope);
    }
}
