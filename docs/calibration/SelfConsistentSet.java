// Curves that the fit's own likelihood describes exactly (docs/calibration.md, "Curves the likelihood
// describes exactly"): the test of the fitting and sampling machinery that the direct simulator's
// curves cannot give, because there the likelihood is itself on trial. For each curve noisy-NNN.dat
// of IN (the truth in '# truth.NAME=' lines, a sigma column, on the surrogate's q grid), the new
// curve is drawn from the model the `loglik` likelihood assumes:
//
//   ln D = ln M(truth) + e + eps,   e ~ N(0, a(truth)^2 Sigma),   eps_i ~ N(0, (sigma_i / D_i)^2 of IN),
//
// M the `lnp` fit model (the shipped surrogate through the accurate size average; -Dmodel=lnp-closed
// for the closed form), Sigma the shipped error model's covariance (sigma(q), Matern-3/2 along q) and
// a(truth) its contrast law at the truth; the new sigma column keeps IN's relative sigma. The
// intensity is in the model's units (the fit's scale is free). Seeded: SEED * 1000003 + NNN per
// curve. One file per curve, written atomically; existing files are kept. Run from the repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/calibration/SelfConsistentSet.java IN OUT [SEED]
//
// SEED defaults to 20261211. Then fit OUT as the study fits its curves.
//
// -Dhybrid=SET_DIR: no draw at all; the source's own measurement noise on the model at the truth,
//
//   ln D = ln M(truth) + ln(I_IN / I_SET),
//
// I_SET the noise-free curve of the same number (SET_DIR/curve-NNN.dat, the direct simulator's curve the
// noisy one was made from): the direct simulator's curve with the surrogate's error at the truth and the
// simulator's realisation noise taken out, and nothing else changed (docs/calibration.md, "What pulls
// s_q1 down at the top of the box").
import java.nio.file.*;
import java.util.*;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

public class SelfConsistentSet {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: SelfConsistentSet IN OUT [SEED]");
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261211L;
        Surrogate s = Surrogate.loadDefault();
        ErrorModel em = s.errorModel().orElseThrow();
        boolean closed = "lnp-closed".equals(System.getProperty("model"));
        LnpFitModel lnp = closed ? LnpFitModel.closedForm() : LnpFitModel.of(s);
        DifferentiableModel model = lnp.model();
        List<String> names = model.parameters().names();
        double[] grid = s.q();
        ModelError me = em.modelError(grid, names);
        double[][] lower = new CholeskyDecomposition(MatrixUtils.createRealMatrix(me.covariance(grid)), 1e-12, 1e-14)
                .getL().getData();
        Files.createDirectories(out);
        List<Path> files = new ArrayList<>();
        try (var list = Files.list(in)) {
            list.filter(p -> p.getFileName().toString().matches("noisy-\\d{3}\\.dat")).sorted().forEach(files::add);
        }
        int written = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            Path target = out.resolve(name);
            if (Files.exists(target)) {
                continue;
            }
            int index = Integer.parseInt(name.substring(6, 9));
            double[] truth = new double[names.size()];
            Arrays.fill(truth, Double.NaN);
            List<double[]> rows = new ArrayList<>();
            StringBuilder header = new StringBuilder();
            for (String line : Files.readAllLines(file)) {
                String t = line.trim();
                if (t.startsWith("# truth.")) {
                    int eq = t.indexOf('=');
                    truth[names.indexOf(t.substring(8, eq))] = Double.parseDouble(t.substring(eq + 1));
                    header.append(t).append('\n');
                } else if (!t.isEmpty() && !t.startsWith("#")) {
                    rows.add(Arrays.stream(t.split("\\s+")).mapToDouble(Double::parseDouble).toArray());
                }
            }
            if (Arrays.stream(truth).anyMatch(Double::isNaN) || rows.size() != grid.length) {
                throw new IllegalStateException(file + ": needs every truth of " + names + " and the " + grid.length
                        + "-point grid of the surrogate");
            }
            for (int k = 0; k < grid.length; k++) {
                if (Math.abs(rows.get(k)[0] - grid[k]) > 1e-9 * grid[k] || rows.get(k).length < 3) {
                    throw new IllegalStateException(file + ": row " + k + " is not on the surrogate's grid with a sigma");
                }
            }
            String hybrid = System.getProperty("hybrid");
            double[] clean = hybrid == null ? null : values(Path.of(hybrid).resolve(String.format(Locale.ROOT,
                    "curve-%03d.dat", index)), grid.length);
            double a = me.amplitude() == null ? 1 : me.amplitude().at(truth, 0, truth.length, null, 0);
            double[] m = model.evaluate(truth);
            Random rng = new Random(seed * 1000003L + index);
            double[] z = new double[grid.length];
            for (int k = 0; k < z.length; k++) {
                z[k] = rng.nextGaussian();
            }
            StringBuilder sb = new StringBuilder();
            sb.append(clean == null ? "# lnpsaxs self-consistent curve " : "# lnpsaxs hybrid curve ").append(index).append(" (docs/calibration/SelfConsistentSet.java) from ")
                    .append(file).append('\n');
            if (clean == null) {
                sb.append(String.format(Locale.ROOT, "# ln D = ln M(truth) + e + eps: M the %s fit model, e the shipped error "
                        + "model at a(truth) = %.6f, eps the relative sigma of the source; seed %d%n", closed ? "lnp-closed" : "lnp",
                        a, seed * 1000003L + index));
            } else {
                sb.append(String.format(Locale.ROOT, "# ln D = ln M(truth) + ln(I_source / I_clean): M the %s fit model, the "
                        + "source's own measurement noise, I_clean from %s%n", closed ? "lnp-closed" : "lnp", hybrid));
            }
            sb.append(header);
            sb.append("# q(1/A) I(model units) sigma\n");
            for (int k = 0; k < grid.length; k++) {
                double e = 0;
                for (int j = 0; j <= k; j++) {
                    e += lower[k][j] * z[j];
                }
                double rel = rows.get(k)[2] / rows.get(k)[1];
                double d = clean != null ? m[k] * rows.get(k)[1] / clean[k] : m[k] * Math.exp(a * e + rel * rng.nextGaussian());
                sb.append(String.format(Locale.ROOT, "%.10e %.10e %.10e%n", grid[k], d, rel * d));
            }
            Path tmp = Files.createTempFile(out, ".curve", ".tmp");
            Files.writeString(tmp, sb.toString());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            written++;
        }
        System.out.printf(Locale.ROOT, "%d curves written to %s (%d in %s)%n", written, out, files.size(), in);
        System.exit(0);
    }

    /** The intensity column of a curve file with {@code n} data rows. */
    static double[] values(Path file, int n) throws Exception {
        double[] v = Files.readAllLines(file).stream().map(String::trim).filter(t -> !t.isEmpty() && !t.startsWith("#"))
                .mapToDouble(t -> Double.parseDouble(t.split("\\s+")[1])).toArray();
        if (v.length != n) {
            throw new IllegalStateException(file + ": " + v.length + " rows, expected " + n);
        }
        return v;
    }
}
