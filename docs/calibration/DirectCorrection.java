// A curve corrected for the surrogate's error at a given point, measured by the direct simulator
// (docs/calibration.md, "Correcting the surrogate with the simulator"): an experiment, not a
// library feature. Run from the repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/calibration/DirectCorrection.java DATA OUT REALISATIONS SEED NAME=VALUE...
//
// At the point θ given by the ten NAME=VALUE pairs (the lnp model's parameters, as in report.json's
// best.parameters) it computes the polydisperse curve twice, through the same size average (a
// truncated log-normal outer radius on [101, 499] Å, 64 Gauss-Legendre nodes weighted by the
// density, as GenerateCalibrationSet.java): with the direct simulator (REALISATIONS per node and
// projection axis, 3 axes, the training set's voxel and plane, seed SEED) and with the shipped
// surrogate. Their ratio is the surrogate's error at θ, δ(q) = ln I_direct − ln I_surrogate, and OUT
// is DATA with its intensity (and σ, if it has one) multiplied by exp(−δ(q)): fitting OUT with the
// surrogate is fitting DATA with a surrogate corrected at θ. DATA must be on the surrogate's q grid.
// Prints the RMS of δ in decades and writes OUT atomically; -Ddirect=FILE also writes the direct curve
// at θ as a data file (q, I; the truth header lines are θ).
import java.nio.file.*;
import java.util.*;
import org.lnpsaxs.core.simulator.LnpSimulator;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.PolydisperseModel;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;
import org.lnpsaxs.surrogate.Surrogate;

public class DirectCorrection {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int realisations = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        Map<String, Double> theta = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            theta.put(kv[0], Double.parseDouble(kv[1]));
        }
        LnpSimulator sim = LnpSimulator.paperDefaults().withRealizations(realisations).withProjectionAxes(3).withSeed(seed)
                .withThreads(Runtime.getRuntime().availableProcessors());
        Surrogate sur = Surrogate.loadDefault();
        Dispersion d = new Dispersion("R", TruncatedLogNormal.of(theta.get("radius_mean"), theta.get("radius_cv"), 101, 499),
                GaussLegendreDensity.of(64), "radius");
        PolydisperseModel direct = PolydisperseModel.of(sim, d);
        PolydisperseModel surrogate = PolydisperseModel.of(sur, d);
        List<String> names = direct.parameters().names();
        if (!names.equals(surrogate.parameters().names()) || !new HashSet<>(names).equals(theta.keySet())) {
            throw new IllegalArgumentException("parameters " + names + " expected, got " + theta.keySet());
        }
        double[] x = new double[names.size()];
        for (int j = 0; j < x.length; j++) {
            x[j] = theta.get(names.get(j));
        }
        long t0 = System.nanoTime();
        double[] iDirect = direct.evaluate(x);
        double tDirect = (System.nanoTime() - t0) * 1e-9;
        double[] iSur = surrogate.evaluate(x);
        double[] q = direct.q();
        List<String> lines = Files.readAllLines(data);
        StringBuilder sb = new StringBuilder();
        sb.append("# corrected by docs/calibration/DirectCorrection.java: I and sigma times I_surrogate/I_direct at\n");
        sb.append("# ").append(theta).append(", ").append(realisations).append(" realisations x 3 axes per node, seed ")
                .append(seed).append('\n');
        int k = 0;
        double ss = 0;
        double[] rd = new double[q.length]; // ln I_data - ln I_direct
        double[] rs = new double[q.length]; // ln I_data - ln I_surrogate
        for (String line : lines) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                sb.append(line).append('\n');
                continue;
            }
            String[] f = t.split("\\s+");
            double qi = Double.parseDouble(f[0]);
            if (k >= q.length || Math.abs(qi / q[k] - 1) > 1e-6) {
                throw new IllegalArgumentException("the data must be on the surrogate's q grid: " + qi);
            }
            double intensity = Double.parseDouble(f[1]);
            double delta = Math.log(iDirect[k] / iSur[k]);
            rd[k] = Math.log(intensity / iDirect[k]);
            rs[k] = Math.log(intensity / iSur[k]);
            ss += delta * delta;
            double factor = Math.exp(-delta);
            sb.append(String.format(Locale.ROOT, "%.10e %.10e", qi, intensity * factor));
            for (int c = 2; c < f.length; c++) {
                sb.append(String.format(Locale.ROOT, " %.10e", Double.parseDouble(f[c]) * (c == 2 ? factor : 1)));
            }
            sb.append('\n');
            k++;
        }
        if (k != q.length) {
            throw new IllegalArgumentException("the data must be on the surrogate's q grid: " + k + " points of " + q.length);
        }
        String directFile = System.getProperty("direct");
        if (directFile != null) { // the direct curve itself, as a data file (no sigma column)
            StringBuilder dc = new StringBuilder("# the direct simulator's curve by docs/calibration/DirectCorrection.java at\n# ")
                    .append(theta).append(", ").append(realisations).append(" realisations x 3 axes per node, seed ").append(seed)
                    .append('\n');
            for (Map.Entry<String, Double> e : theta.entrySet()) {
                dc.append("# truth.").append(e.getKey()).append('=').append(e.getValue()).append('\n');
            }
            dc.append("# q(1/A) I(a.u.)\n");
            for (int i = 0; i < q.length; i++) {
                dc.append(String.format(Locale.ROOT, "%.10e %.10e%n", q[i], iDirect[i]));
            }
            Path dtmp = Files.createTempFile(Path.of(directFile).toAbsolutePath().getParent(), ".direct", ".tmp");
            Files.writeString(dtmp, dc.toString());
            Files.move(dtmp, Path.of(directFile), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".corrected", ".tmp");
        Files.writeString(tmp, sb.toString());
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf(Locale.ROOT, "the data against the direct curve at the point: RMS %.5f decades, against the surrogate's: %.5f (scale profiled)%n",
                profiledRms(rd), profiledRms(rs));
        System.out.printf(Locale.ROOT, "RMS of the surrogate's error at the point: %.5f decades (direct curve %.1f s); wrote %s%n",
                Math.sqrt(ss / k) / Math.log(10), tDirect, out);
    }

    /** The RMS of r about its mean, in decades (r in natural log): the misfit with the scale profiled. */
    static double profiledRms(double[] r) {
        double m = Arrays.stream(r).average().orElseThrow();
        double ss = 0;
        for (double v : r) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / r.length) / Math.log(10);
    }
}
