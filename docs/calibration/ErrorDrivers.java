// What the surrogate's error depends on once the contrast law is taken out (docs/calibration.md, "Narrow
// and broad size distributions"). Reads the whitened chi2/(N-1) of the surrogate's error at the truth of
// the 64 polydisperse error-set curves from the shipped error model's provenance
// (measured.polydisperseChi2PerDofAtTruth, in the order of provenance.polydisperseCurves), the truths
// from the curves' headers, and prints per parameter the Spearman rank correlation of ln chi2/(N-1)
// before and after dividing by the contrast law's a(theta)^2; then the least-squares slope of the
// latter against ln radius_cv (so a ~ radius_cv^(slope/2)), curves with chi2/(N-1) > 50 left out.
// Run from the repository root, after unpacking the error set:
//
//   mkdir -p runs/errset && tar -xzf docs/error-model/errset-20261204.tar.gz -C runs/errset
//   java -cp cli/target/lnpsaxs.jar docs/calibration/ErrorDrivers.java runs/errset
import java.nio.file.*;
import java.util.*;

import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.Surrogate;

public class ErrorDrivers {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ErrorModel em = Surrogate.loadDefault().errorModel().orElseThrow();
        Map<?, ?> measured = (Map<?, ?>) em.provenance().get("measured");
        List<?> chi = (List<?>) measured.get("polydisperseChi2PerDofAtTruth");
        List<?> curves = (List<?>) em.provenance().get("polydisperseCurves");
        List<Map<String, Double>> truths = new ArrayList<>();
        double[] c = new double[chi.size()];
        double[] after = new double[chi.size()];
        for (int i = 0; i < chi.size(); i++) {
            String file = curves.get(i).toString().split(" ")[0];
            Map<String, Double> t = new LinkedHashMap<>();
            for (String line : Files.readAllLines(dir.resolve(file))) {
                if (line.startsWith("# truth.")) {
                    String[] kv = line.substring(8).split("=");
                    t.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
                }
            }
            truths.add(t);
            c[i] = Math.log(((Number) chi.get(i)).doubleValue());
            double a = em.amplitude(t.get(ErrorModel.CORE_CONTRAST), t.get(ErrorModel.SHELL_DENSITY));
            after[i] = c[i] - 2 * Math.log(a);
        }
        System.out.printf(Locale.ROOT, "%d curves; Spearman correlation of ln chi2/(N-1) with each parameter:%n", c.length);
        System.out.printf(Locale.ROOT, "%-20s %8s %18s%n", "parameter", "as is", "after the law");
        for (String name : truths.get(0).keySet()) {
            double[] x = truths.stream().mapToDouble(t -> t.get(name)).toArray();
            System.out.printf(Locale.ROOT, "%-20s %8.2f %18.2f%n", name, spearman(c, x), spearman(after, x));
        }
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < c.length; i++) {
            if (Math.exp(c[i]) <= 50) {
                pts.add(new double[] {Math.log(truths.get(i).get("radius_cv")), after[i]});
            }
        }
        double mx = pts.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double my = pts.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sxy = pts.stream().mapToDouble(p -> (p[0] - mx) * (p[1] - my)).sum();
        double sxx = pts.stream().mapToDouble(p -> (p[0] - mx) * (p[0] - mx)).sum();
        System.out.printf(Locale.ROOT, "slope of ln chi2/(N-1) (after the law) on ln radius_cv: %.3f over %d curves,"
                + " i.e. a ~ radius_cv^%.2f%n", sxy / sxx, pts.size(), sxy / sxx / 2);
    }

    static double spearman(double[] a, double[] b) {
        return pearson(rank(a), rank(b));
    }

    static double[] rank(double[] x) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> x[i]));
        double[] r = new double[x.length];
        for (int k = 0; k < idx.length; k++) {
            r[idx[k]] = k;
        }
        return r;
    }

    static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElseThrow();
        double mb = Arrays.stream(b).average().orElseThrow();
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
