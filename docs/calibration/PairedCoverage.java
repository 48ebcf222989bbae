// Paired coverage of one parameter on two sets of curves that share their truths (docs/calibration.md,
// "Curves the likelihood describes exactly"): for each curve NAME fitted in both FITS_A and FITS_B
// (NAME/report.json with a posterior; the truth in the '# truth.PARAM=' line of CURVES_A/NAME.dat),
// whether the truth lies inside the posterior's 68 % (p16..p84) and 90 % (p05..p95) interval in each.
// Prints one line per curve (the truth's place in the fit box, 0..1, and the outcome: in, lo = the truth
// below the interval, hi = above) and, per level, the four paired counts with McNemar's exact two-sided
// p-value on the discordant pairs (how likely so lopsided a split is if both sets covered alike).
// Meant for a parameter whose truth already lies on the reports' canonical image: for lnp not GRF_shift
// or relative_rho_shell, whose intervals are of the posterior folded by the contrast sign (Coverage.java
// folds the truth first); the calibration sets' truths have m_q1 <= m_q2, the swap's canonical image.
// Run from the repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/calibration/PairedCoverage.java CURVES_A FITS_A FITS_B PARAM
import java.nio.file.*;
import java.util.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class PairedCoverage {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: PairedCoverage CURVES_A FITS_A FITS_B PARAM");
        }
        Path curves = Path.of(args[0]);
        Path fitsA = Path.of(args[1]);
        Path fitsB = Path.of(args[2]);
        String param = args[3];
        ObjectMapper json = new ObjectMapper();
        List<String> names = new ArrayList<>();
        try (var s = Files.list(fitsA)) {
            s.filter(p -> Files.isRegularFile(p.resolve("report.json"))).map(p -> p.getFileName().toString())
                    .filter(n -> Files.isRegularFile(fitsB.resolve(n).resolve("report.json"))).sorted().forEach(names::add);
        }
        int[][] pair68 = new int[2][2];
        int[][] pair90 = new int[2][2];
        for (String name : names) {
            double truth = Double.NaN;
            for (String line : Files.readAllLines(curves.resolve(name + ".dat"))) {
                if (line.startsWith("# truth." + param + "=")) {
                    truth = Double.parseDouble(line.substring(line.indexOf('=') + 1).trim());
                }
            }
            if (Double.isNaN(truth)) {
                throw new IllegalStateException(name + ".dat has no truth for " + param);
            }
            JsonNode a = json.readTree(fitsA.resolve(name).resolve("report.json").toFile());
            JsonNode b = json.readTree(fitsB.resolve(name).resolve("report.json").toFile());
            JsonNode box = a.path("space").path("free").path(param);
            double place = (truth - box.path("lower").asDouble()) / (box.path("upper").asDouble() - box.path("lower").asDouble());
            String[] oa = outcome(a, param, truth);
            String[] ob = outcome(b, param, truth);
            pair68[oa[0].equals("in") ? 1 : 0][ob[0].equals("in") ? 1 : 0]++;
            pair90[oa[1].equals("in") ? 1 : 0][ob[1].equals("in") ? 1 : 0]++;
            System.out.printf(Locale.ROOT, "%s  truth %.2f of the box   A: 68 %% %s, 90 %% %s   B: 68 %% %s, 90 %% %s%n", name,
                    place, oa[0], oa[1], ob[0], ob[1]);
        }
        System.out.printf(Locale.ROOT, "%d curves in both%n", names.size());
        report("68 %", pair68);
        report("90 %", pair90);
    }

    /** The truth inside, below (lo) or above (hi) the 68 % and the 90 % interval. */
    static String[] outcome(JsonNode report, String param, double truth) {
        JsonNode p = report.path("posterior").path("parameters").path(param);
        if (p.isMissingNode()) {
            throw new IllegalStateException("no posterior for " + param);
        }
        return new String[] {where(truth, p.path("p16").asDouble(), p.path("p84").asDouble()),
            where(truth, p.path("p05").asDouble(), p.path("p95").asDouble())};
    }

    static String where(double t, double lo, double hi) {
        return t < lo ? "lo" : t > hi ? "hi" : "in";
    }

    static void report(String level, int[][] n) {
        int total = n[0][0] + n[0][1] + n[1][0] + n[1][1];
        int aOnly = n[1][0];
        int bOnly = n[0][1];
        System.out.printf(Locale.ROOT, "%s: A covers %d of %d, B %d; both %d, neither %d, A only %d, B only %d; "
                        + "McNemar exact p = %.3f%n", level, n[1][0] + n[1][1], total, n[0][1] + n[1][1], n[1][1], n[0][0],
                aOnly, bOnly, mcNemar(aOnly, bOnly));
    }

    /** Two-sided exact p of a split at least this lopsided among k = a + b discordant pairs, each side ½. */
    static double mcNemar(int a, int b) {
        int k = a + b;
        int m = Math.min(a, b);
        double p = 0;
        for (int i = 0; i <= m; i++) {
            p += binomial(k, i) * Math.pow(0.5, k);
        }
        return Math.min(1, 2 * p);
    }

    static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }
}
