// What coverage an exact posterior would reach under the calibration study's design (docs/calibration.md,
// "What the study's design expects"). The fits' prior is uniform on the lnp fit box, but the study draws its
// truths from that box shrunk by 5 % per side (GenerateCalibrationSet.java). An exact Bayesian posterior covers
// the truth at the nominal rate only on average over truths drawn from its own prior: near a box edge its central
// intervals are pulled inwards and cover less, inside they cover more, so truths kept away from the edges are
// covered more often than nominal — the more, the wider the posterior is against the box.
//
// For every curve and parameter of Coverage.java's coverage.csv this takes an idealised exact posterior of the
// same width: a Gaussian likelihood of standard deviation s truncated to the box, s chosen so that at the observed
// centre ((p16 + p84) / 2) its central 68 % interval is as wide as the observed one (s unbounded, the posterior
// flat, where the observed interval is as wide as the box allows). It then draws truths t uniformly from the shrunk
// box and data y ~ N(t, s), and counts how often t lies inside that posterior's 68 % and 90 % central intervals.
// Pooled per parameter, this is the coverage the design expects from a perfect posterior; the observed coverage is
// read from the same file. Approximations, said here: each parameter alone (no correlations), a Gaussian
// likelihood, m_q1 and m_q2 as if unordered, and GRF_shift on its canonical half [0, 0.98] (its truths folded as
// the report folds them); the contrast pair and the size are well determined, where the design changes nothing.
//
//   java -cp cli/target/lnpsaxs.jar docs/calibration/DesignCoverage.java COVERAGE_CSV [COVERAGE_CSV ...]
//
// (COVERAGE_CSV: coverage.csv as Coverage.java writes it; several files pool.) Seeded (20261205): the same input
// gives the same table. Prints a Markdown table. The check of the computation: with -Dtruths=prior the truths are
// drawn from the fit box itself, the posterior's own prior, where an exact posterior covers exactly 68 % and 90 %
// on average (whatever its width), so the "design expects" columns must read 0.68 and 0.90 to Monte Carlo error.
import java.nio.file.*;
import java.util.*;

import org.apache.commons.math3.distribution.NormalDistribution;

public class DesignCoverage {

    static final String[] NAMES = {"GRF_shift", "radius_mean", "radius_cv", "w_q1", "m_q1", "m_q2", "s_q1", "s_q2",
        "shell_thickness", "relative_rho_shell"};
    // the lnp fit box (docs/fitting.md); GRF_shift on its canonical half
    static final double[] LO = {0.0, 150, 0.10, 0.01, 0.05, 0.05, 0.01, 0.01, 40, 0.7};
    static final double[] HI = {0.98, 320, 0.40, 0.99, 0.15, 0.15, 0.15, 0.15, 70, 1.3};
    // where GenerateCalibrationSet.java draws the truths: the full box shrunk by 5 % per side (GRF_shift: its
    // truths in [-0.882, 0.882], folded to [0, 0.882])
    static final double[] TLO = {0.0, 158.5, 0.115, 0.059, 0.055, 0.055, 0.017, 0.017, 41.5, 0.73};
    static final double[] THI = {0.882, 311.5, 0.385, 0.941, 0.145, 0.145, 0.143, 0.143, 68.5, 1.27};
    static final int DRAWS = 2000;
    static final NormalDistribution Z = new NormalDistribution(0, 1);

    /** Quantile p of N(y, s) truncated to [lo, hi]. */
    static double quantile(double y, double s, double lo, double hi, double p) {
        double a = Z.cumulativeProbability((lo - y) / s);
        double b = Z.cumulativeProbability((hi - y) / s);
        if (!(b - a > 1e-14)) { // the likelihood's mass lies outside the box: the nearer edge
            return Math.abs(lo - y) < Math.abs(hi - y) ? lo : hi;
        }
        double x = y + s * Z.inverseCumulativeProbability(Math.min(1 - 1e-16, Math.max(1e-16, a + p * (b - a))));
        return Math.min(hi, Math.max(lo, x));
    }

    /** s whose truncated posterior at centre y has a central 68 % interval of the given width (bisection in log s). */
    static double scale(double y, double width, double lo, double hi) {
        double w = hi - lo;
        double a = 1e-6 * w;
        double b = 1e3 * w;
        if (width >= quantile(y, b, lo, hi, 0.84) - quantile(y, b, lo, hi, 0.16)) {
            return b;
        }
        for (int i = 0; i < 80; i++) {
            double m = Math.sqrt(a * b);
            double wm = quantile(y, m, lo, hi, 0.84) - quantile(y, m, lo, hi, 0.16);
            if (wm < width) {
                a = m;
            } else {
                b = m;
            }
        }
        return Math.sqrt(a * b);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: DesignCoverage COVERAGE_CSV [COVERAGE_CSV ...]");
        }
        int k = NAMES.length;
        double[] exp68 = new double[k];
        double[] exp90 = new double[k];
        double[] obs68 = new double[k];
        double[] obs90 = new double[k];
        int[] n = new int[k];
        SplittableRandom rng = new SplittableRandom(20261205L);
        boolean fromPrior = "prior".equals(System.getProperty("truths"));
        for (String file : args) {
            List<String> lines = Files.readAllLines(Path.of(file));
            List<String> head = List.of(lines.get(0).split(","));
            int cName = head.indexOf("parameter");
            int cTruth = head.indexOf("truth");
            int c05 = head.indexOf("p05");
            int c16 = head.indexOf("p16");
            int c84 = head.indexOf("p84");
            int c95 = head.indexOf("p95");
            for (String line : lines.subList(1, lines.size())) {
                String[] c = line.split(",");
                int j = Arrays.asList(NAMES).indexOf(c[cName]);
                if (j < 0) {
                    continue;
                }
                double t = Double.parseDouble(c[cTruth]);
                double p05 = Double.parseDouble(c[c05]);
                double p16 = Double.parseDouble(c[c16]);
                double p84 = Double.parseDouble(c[c84]);
                double p95 = Double.parseDouble(c[c95]);
                n[j]++;
                obs68[j] += t >= p16 && t <= p84 ? 1 : 0;
                obs90[j] += t >= p05 && t <= p95 ? 1 : 0;
                double s = scale(0.5 * (p16 + p84), p84 - p16, LO[j], HI[j]);
                int in68 = 0;
                int in90 = 0;
                for (int d = 0; d < DRAWS; d++) {
                    double truth = fromPrior ? LO[j] + (HI[j] - LO[j]) * rng.nextDouble()
                            : TLO[j] + (THI[j] - TLO[j]) * rng.nextDouble();
                    double y = truth + s * Z.inverseCumulativeProbability(Math.max(1e-16, rng.nextDouble()));
                    in68 += truth >= quantile(y, s, LO[j], HI[j], 0.16) && truth <= quantile(y, s, LO[j], HI[j], 0.84)
                            ? 1 : 0;
                    in90 += truth >= quantile(y, s, LO[j], HI[j], 0.05) && truth <= quantile(y, s, LO[j], HI[j], 0.95)
                            ? 1 : 0;
                }
                exp68[j] += (double) in68 / DRAWS;
                exp90[j] += (double) in90 / DRAWS;
            }
        }
        System.out.println("| parameter | n | observed 68 % | design expects 68 % | observed 90 % | design expects 90 % |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (int j = 0; j < k; j++) {
            if (n[j] == 0) {
                continue;
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.3f | %.2f | %.3f |%n", NAMES[j], n[j], obs68[j] / n[j],
                    exp68[j] / n[j], obs90[j] / n[j], exp90[j] / n[j]);
        }
    }
}
