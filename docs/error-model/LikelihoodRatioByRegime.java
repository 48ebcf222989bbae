// The likelihood-ratio statistic at the truth, split by the contrast regime (docs/calibration.md, "Where
// the over-coverage lives: a shell brighter than the core"). For each error-set curve (noise-free direct
// simulations, truth in the header) and its blind fit made with the shipped model (a summary.csv of
// `lnpsaxs fit DIR --model lnp --loss loglik`), G = -2 ln L(truth) + 2 ln L(best fit) under the shipped
// error model held at the fit's contrast, as a fit holds it (so G is what BuildErrorModel calibrates k
// with, here with the shipped k already in sigma). Prints one line per curve ('G FILE g rho G', with g and
// rho = relative_rho_shell folded onto the canonical image g >= 0), then the median, 68th and 90th
// percentiles of G over all curves and over the curves with rho below / at or above 1 (a shell darker /
// brighter than the core), against chi2 with 10 degrees of freedom, and per group the factor on sigma
// that BuildErrorModel's rule (the smallest factor that brings the 68th and 90th percentiles down to
// chi2_10's; G scales as 1/factor^2) would give relative to the shipped sigma. Run from the repository
// root, after unpacking the error set:
//
//   mkdir -p runs/errset && tar -xzf docs/error-model/errset-20261204.tar.gz -C runs/errset
//   java -cp cli/target/lnpsaxs.jar docs/error-model/LikelihoodRatioByRegime.java runs/errset \
//       docs/error-model/errset-fits-shipped-20261205.csv
import java.nio.file.*;
import java.util.*;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

public class LikelihoodRatioByRegime {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        Surrogate s = Surrogate.loadDefault();
        ErrorModel em = s.errorModel().orElseThrow();
        var fit = LnpFitModel.of(s).model();
        List<String> names = fit.parameters().names();
        double[] q = s.q();
        ModelError me = em.modelError(q, names);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int d = names.size();
        int iG = names.indexOf(ErrorModel.CORE_CONTRAST), iRho = names.indexOf(ErrorModel.SHELL_DENSITY);
        List<Double> all = new ArrayList<>(), darker = new ArrayList<>(), brighter = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] cells = l.split(",");
            if (!"ok".equals(cells[header.indexOf("status")])) {
                continue;
            }
            Path file = dir.resolve(Path.of(cells[header.indexOf("file")]).getFileName());
            double[] truth = new double[d];
            List<Double> intensity = new ArrayList<>();
            for (String row : Files.readAllLines(file)) {
                if (row.startsWith("# truth.")) {
                    String[] kv = row.substring(8).split("=");
                    truth[names.indexOf(kv[0].trim())] = Double.parseDouble(kv[1].trim());
                } else if (!row.startsWith("#") && !row.isBlank()) {
                    intensity.add(Double.parseDouble(row.trim().split("\\s+")[1]));
                }
            }
            double[] data = intensity.stream().mapToDouble(Double::doubleValue).toArray();
            double[] hat = new double[d];
            for (int j = 0; j < d; j++) {
                hat[j] = Double.parseDouble(cells[header.indexOf(names.get(j))]);
            }
            LogIntensityLikelihood held = new LogIntensityLikelihood(q, data, null, 1.0, me).at(hat);
            double g = held.value(fit.evaluate(truth)) - held.value(fit.evaluate(hat));
            // the contrast-sign mirror: core contrast -g, shell contrast -(rho (1 + g) - 1)
            double core = truth[iG], rho = truth[iRho];
            if (core < 0) {
                rho = (2 - rho * (1 + core)) / (1 - core);
                core = -core;
            }
            System.out.printf(Locale.ROOT, "G %s %.4f %.4f %.3f%n", file.getFileName(), core, rho, g);
            all.add(g);
            (rho < 1 ? darker : brighter).add(g);
        }
        ChiSquaredDistribution chi = new ChiSquaredDistribution(d);
        double c50 = chi.inverseCumulativeProbability(0.5), c68 = chi.inverseCumulativeProbability(0.68),
                c90 = chi.inverseCumulativeProbability(0.9);
        System.out.printf(Locale.ROOT, "chi2_%d: median %.2f, 68 %% %.2f, 90 %% %.2f%n", d, c50, c68, c90);
        report("all", all, c68, c90);
        report("relative_rho_shell < 1 (shell darker than the core)", darker, c68, c90);
        report("relative_rho_shell >= 1 (shell brighter than the core)", brighter, c68, c90);
    }

    static void report(String label, List<Double> g, double c68, double c90) {
        double[] v = g.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double p50 = quantile(v, 0.5), p68 = quantile(v, 0.68), p90 = quantile(v, 0.9);
        System.out.printf(Locale.ROOT, "%s: %d curves, G median %.1f, 68 %% %.1f, 90 %% %.1f; factor on the shipped sigma"
                + " by the rule: %.3f%n", label, v.length, p50, p68, p90, Math.sqrt(Math.max(p68 / c68, p90 / c90)));
    }

    /** The p-quantile of ascending values (linear between order statistics, as BuildErrorModel's). */
    static double quantile(double[] sorted, double p) {
        double x = p * (sorted.length - 1);
        int i = (int) Math.floor(x);
        return i + 1 < sorted.length ? sorted[i] + (x - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}
