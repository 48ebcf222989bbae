// The profile likelihood of one parameter at its truth (docs/calibration.md, "The profile likelihood
// at the truth"). For each curve NAME.dat of CURVES (the truth in '# truth.NAME=' lines, a sigma
// column, on the shipped surrogate's grid) with a free fit FREE/NAME/report.json and a fit with PARAM
// fixed at its truth FIXED/NAME/report.json (`lnpsaxs fit ... --fix PARAM=TRUTH`, otherwise the same
// command), the statistic dG = L(fixed best) - min(L(fixed best), L(free best)), L = -2 ln L.
//
// Which L: a `loglik` fit of `lnp` holds the model error's size at its own best fit's contrast
// (docs/surrogate.md, "How a fit uses the law"), and reports its loss under that held covariance, so
// two fits' reported losses are under two covariances and their difference is no likelihood ratio.
// Two are computed here, both from the reports' best parameters:
//   held: both points under the covariance the free fit held (a at the free best's contrast): the
//         likelihood the free fit's posterior samples;
//   own:  each point with the error's size at its own contrast (the parameter-dependent likelihood,
//         with its log-determinant term, the scale marginalised): the exact likelihood of curves made
//         by SelfConsistentSet.java, but biased for others (docs/surrogate.md).
// Were L the data's true distribution and the fits global, dG would follow chi^2 with 1 degree of
// freedom in the regular case: dG <= 1 on 68 % of curves, <= 2.71 on 90 %. Prints those shares for
// both, how often the fixed fit's point scored below the free one's (a basin the free fit's score
// missed), and with CSV_OUT one row per curve (else on standard output). -Dmodel=lnp-closed for the
// closed form's fits. Run from the repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/calibration/ProfileAtTruth.java CURVES FREE FIXED PARAM [CSV_OUT]
import java.nio.file.*;
import java.util.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

public class ProfileAtTruth {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: ProfileAtTruth CURVES FREE FIXED PARAM [CSV_OUT]");
        }
        Path curves = Path.of(args[0]);
        Path free = Path.of(args[1]);
        Path fixed = Path.of(args[2]);
        String param = args[3];
        ObjectMapper json = new ObjectMapper();
        Surrogate sur = Surrogate.loadDefault();
        ErrorModel em = sur.errorModel().orElseThrow();
        DifferentiableModel model = ("lnp-closed".equals(System.getProperty("model")) ? LnpFitModel.closedForm()
                : LnpFitModel.of(sur)).model();
        List<String> names = model.parameters().names();
        StringBuilder csv = new StringBuilder("curve,truth_" + param + ",free_" + param
                + ",reported_loss_free,reported_loss_fixed,held_loss_free,held_loss_fixed,own_loss_free,own_loss_fixed,"
                + "delta_G_held,delta_G_own\n");
        Stat held = new Stat();
        Stat own = new Stat();
        List<Path> files = new ArrayList<>();
        try (var list = Files.list(curves)) {
            list.filter(p -> p.toString().endsWith(".dat")).sorted().forEach(files::add);
        }
        for (Path f : files) {
            String name = f.getFileName().toString().replaceFirst("\\.dat$", "");
            Path rf = free.resolve(name).resolve("report.json");
            Path rx = fixed.resolve(name).resolve("report.json");
            if (!Files.exists(rf) || !Files.exists(rx)) {
                continue;
            }
            double truth = Double.NaN;
            List<double[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(f)) {
                String t = line.trim();
                if (t.startsWith("# truth." + param + "=")) {
                    truth = Double.parseDouble(t.substring(t.indexOf('=') + 1).trim());
                } else if (!t.isEmpty() && !t.startsWith("#")) {
                    rows.add(Arrays.stream(t.split("\\s+")).mapToDouble(Double::parseDouble).toArray());
                }
            }
            double[] q = rows.stream().mapToDouble(r -> r[0]).toArray();
            double[] d = rows.stream().mapToDouble(r -> r[1]).toArray();
            double[] sg = rows.stream().mapToDouble(r -> r[2]).toArray();
            LogIntensityLikelihood live = new LogIntensityLikelihood(q, d, sg, 1, em.modelError(q, names));
            JsonNode bf = json.readTree(rf.toFile()).path("best");
            JsonNode bx = json.readTree(rx.toFile()).path("best");
            double[] tf = theta(names, bf.path("parameters"));
            double[] tx = theta(names, bx.path("parameters"));
            if (Double.isNaN(truth) || Math.abs(tx[names.indexOf(param)] - truth) > 1e-9 * Math.max(1, Math.abs(truth))) {
                throw new IllegalStateException(name + ": the fixed fit's " + param + " (" + tx[names.indexOf(param)]
                        + ") is not the truth (" + truth + ")");
            }
            double[] mf = model.evaluate(tf);
            double[] mx = model.evaluate(tx);
            LogIntensityLikelihood atFree = live.at(tf);
            double hf = curveLoss(atFree, mf);
            double hx = curveLoss(atFree, mx);
            double of = ownLoss(live, tf, mf);
            double ox = ownLoss(live, tx, mx);
            held.add(hf, hx);
            own.add(of, ox);
            csv.append(String.format(Locale.ROOT, "%s,%.6g,%.6g,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f,%.3f%n", name, truth,
                    tf[names.indexOf(param)], bf.path("loss").asDouble(), bx.path("loss").asDouble(), hf, hx, of, ox,
                    hx - Math.min(hx, hf), ox - Math.min(ox, of)));
        }
        if (held.dg.isEmpty()) {
            throw new IllegalArgumentException("no curve of " + curves + " has both fits");
        }
        System.out.printf(Locale.ROOT, "%s, %d curves (chi2_1: 0.68 and 0.90)%n", param, held.dg.size());
        held.print("held at the free fit's size");
        own.print("each at its own size    ");
        if (args.length > 4) {
            Path out = Path.of(args[4]);
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".profile", ".tmp");
            Files.writeString(tmp, csv);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            System.out.print(csv);
        }
        System.exit(0);
    }

    /** dG per curve and the margins by which the fixed fit's point scored below the free one's. */
    static final class Stat {
        final List<Double> dg = new ArrayList<>();
        final List<Double> below = new ArrayList<>();

        void add(double free, double fixed) {
            dg.add(fixed - Math.min(fixed, free));
            if (fixed < free) {
                below.add(free - fixed);
            }
        }

        void print(String label) {
            int n = dg.size();
            long in1 = dg.stream().filter(g -> g <= 1).count();
            long in271 = dg.stream().filter(g -> g <= 2.706).count();
            List<Double> b = new ArrayList<>(below);
            Collections.sort(b);
            System.out.printf(Locale.ROOT, "  %s: dG <= 1 on %.2f, <= 2.71 on %.2f; the fixed fit below the free one on %d%s%n",
                    label, (double) in1 / n, (double) in271 / n, b.size(), b.isEmpty() ? ""
                            : String.format(Locale.ROOT, " (by %.2f to %.2f, median %.2f)", b.get(0), b.get(b.size() - 1),
                            b.get(b.size() / 2)));
        }
    }

    static double[] theta(List<String> names, JsonNode parameters) {
        double[] theta = new double[names.size()];
        for (int j = 0; j < theta.length; j++) {
            JsonNode v = parameters.path(names.get(j));
            if (!v.isNumber()) {
                throw new IllegalStateException("a report lacks " + names.get(j));
            }
            theta[j] = v.asDouble();
        }
        return theta;
    }

    /** -2 ln L under a fixed covariance (the scale profiled), up to a constant. */
    static double curveLoss(LogIntensityLikelihood fixedCovariance, double[] curve) {
        double[] value = new double[1];
        fixedCovariance.evaluate(curve, 1, value, null);
        return value[0];
    }

    /** -2 ln L with the model error's size at these parameters (the scale marginalised), up to a constant. */
    static double ownLoss(LogIntensityLikelihood live, double[] theta, double[] curve) {
        double[] value = new double[1];
        live.evaluate(theta, theta.length, curve, 1, value, null, null);
        return value[0];
    }
}
