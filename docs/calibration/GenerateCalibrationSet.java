// The calibration set of docs/calibration.md: synthetic polydisperse LNP curves made by the DIRECT
// simulator (not the surrogate), with known truth, over the lnp fit box. One file per curve, so a
// killed run resumes where it stopped (existing files are kept). Run from the repository root:
//
//   ./lnpsaxs --version >/dev/null   # builds cli/target/lnpsaxs.jar if needed
//   java -cp cli/target/lnpsaxs.jar docs/calibration/GenerateCalibrationSet.java OUT_DIR [COUNT] [FIRST] [SEED]
//
// Each curve: truth from a scrambled Sobol point (seed SEED, default 20261203: the calibration set;
// 20261204 makes the independent set that the surrogate's error model is measured on) in the lnp fit box shrunk by 5 %
// on each side (-Dpad=0: from the whole box, as the fit's uniform prior; 20261209 is that set) (m_q1 <= m_q2 by sorting the pair), the simulator at the training set's settings
// (voxel 5 Å, plane 1024, 10 realisations x 3 projection axes, particle-sized box, its own seed per
// curve), averaged number-weighted over a truncated log-normal outer radius on [101, 499] Å with a
// 64-node Gauss-Legendre rule in R weighted by the density (accurate to ~1e-3, unlike the paper's
// 32 nodes in CDF space). The files hold the noise-free (but realisation-noisy) intensity; the
// calibration study adds measurement noise with its own seed. Intensity in the simulator's units.
// -Dreplica=K (K >= 1) keeps every truth but gives the simulator another seed per curve: the same
// curves with an independent draw of the realisation noise (docs/calibration.md, "The simulator's
// realisation noise and s_q1"); K = 0, the default, is the set itself.
import java.nio.file.*;
import java.util.*;
import org.lnpsaxs.core.sampling.ScrambledSobol;
import org.lnpsaxs.core.simulator.LnpSimulator;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.PolydisperseModel;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;

public class GenerateCalibrationSet {
    static final long DEFAULT_SEED = 20261203L;
    static final String[] NAMES = {"GRF_shift", "radius_mean", "radius_cv", "w_q1", "m_q1", "m_q2", "s_q1", "s_q2",
            "shell_thickness", "relative_rho_shell"};
    static final double[] LO = {-0.98, 150, 0.10, 0.01, 0.05, 0.05, 0.01, 0.01, 40, 0.7};
    static final double[] HI = {0.98, 320, 0.40, 0.99, 0.15, 0.15, 0.15, 0.15, 70, 1.3};

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int first = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        long setSeed = args.length > 3 ? Long.parseLong(args[3]) : DEFAULT_SEED;
        // the share of each box width left out at either end (0.05: the calibration and third sets;
        // 0: truths from the whole box, as the fit's uniform prior)
        double padShare = Double.parseDouble(System.getProperty("pad", "0.05"));
        long replica = Long.parseLong(System.getProperty("replica", "0"));
        if (replica < 0) {
            throw new IllegalArgumentException("-Dreplica must be >= 0, got " + replica);
        }
        Files.createDirectories(out);
        ScrambledSobol sobol = ScrambledSobol.of(NAMES.length, setSeed);
        for (int i = first; i < count; i++) {
            Path file = out.resolve(String.format(Locale.ROOT, "curve-%03d.dat", i));
            if (Files.exists(file)) {
                continue;
            }
            double[] u = sobol.point(i);
            double[] truth = new double[NAMES.length];
            for (int j = 0; j < truth.length; j++) {
                double pad = padShare * (HI[j] - LO[j]);
                truth[j] = LO[j] + pad + u[j] * (HI[j] - LO[j] - 2 * pad);
            }
            if (truth[4] > truth[5]) {
                double t = truth[4];
                truth[4] = truth[5];
                truth[5] = t;
            }
            long seed = setSeed * 1000003L + i;
            if (replica > 0) {
                // a seed no curve of any set of this family uses: the golden-ratio increment scrambles it
                seed ^= replica * 0x9E3779B97F4A7C15L;
            }
            long t0 = System.nanoTime();
            LnpSimulator sim = LnpSimulator.paperDefaults().withRealizations(10).withProjectionAxes(3).withSeed(seed);
            Dispersion d = new Dispersion("R", TruncatedLogNormal.of(truth[1], truth[2], 101, 499),
                    GaussLegendreDensity.of(64), "radius");
            PolydisperseModel layer = PolydisperseModel.of(sim, d);
            if (!layer.parameters().names().equals(List.of(NAMES))) {
                throw new IllegalStateException("parameter order " + layer.parameters().names());
            }
            double[] intensity = layer.evaluate(truth);
            double[] q = layer.q();
            StringBuilder sb = new StringBuilder();
            sb.append("# lnpsaxs calibration curve ").append(i).append(" (docs/calibration/GenerateCalibrationSet.java)\n");
            sb.append("# direct simulator: voxel 5 A, plane 1024, 10 realisations x 3 axes, seed ").append(seed).append('\n');
            sb.append("# size distribution: truncated log-normal on [101, 499] A, 64 Gauss-Legendre nodes weighted by the density\n");
            sb.append("# intensity in the simulator's arbitrary units, no measurement noise\n");
            sb.append(String.format(Locale.ROOT, "# truth drawn from the lnp fit box shrunk by %s of its width per side%n", padShare));
            for (int j = 0; j < NAMES.length; j++) {
                sb.append("# truth.").append(NAMES[j]).append('=').append(truth[j]).append('\n');
            }
            sb.append("# q(1/A) I(a.u.)\n");
            for (int k = 0; k < q.length; k++) {
                sb.append(String.format(Locale.ROOT, "%.10e %.10e%n", q[k], intensity[k]));
            }
            Path tmp = Files.createTempFile(out, ".curve", ".tmp");
            Files.writeString(tmp, sb.toString());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf(Locale.ROOT, "curve %d of %d: %.1f s%n", i + 1, count, (System.nanoTime() - t0) * 1e-9);
        }
        System.exit(0);
    }
}
