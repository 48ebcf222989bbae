// The simulator's expected intensity in closed form, both terms, against the direct simulator and the
// shipped surrogate (docs/surrogate.md, "A closed form for the fluctuation term"): an experiment, not a
// library feature. Run from the repository root with the CLI jar on the class path:
//
//   java -cp cli/target/lnpsaxs.jar docs/closed-form/ClosedForm.java heldout data/test-hq.lnpd.gz
//       monodisperse held-out curves: the paper's metric (mean |Δlog10 I| per curve: median, p90, max) for
//       the closed form and the surrogate, and the closed form's mean bias by q; -Dsphere=true leaves out
//       the Brillouin-zone cut of the field's spectrum (below)
//   java -cp cli/target/lnpsaxs.jar docs/closed-form/ClosedForm.java poly FILE...
//       polydisperse direct curves whose headers hold their truth (GenerateCalibrationSet.java's files):
//       RMS of ln I (scale profiled) per curve and per band of 60 q points, closed form and surrogate
//   java -cp cli/target/lnpsaxs.jar docs/closed-form/ClosedForm.java split DIRECT NAME=VALUE...
//       a polydisperse direct curve at the point: the surrogate's error split into its mean-particle part
//       and its fluctuation part (the surrogate's two terms separated by scaling both contrasts)
//   java -cp cli/target/lnpsaxs.jar docs/closed-form/ClosedForm.java seeds DIRECT OTHER.zip NAME=VALUE...
//       the shipped surrogate's and another model file's (e.g. one trained with another --seed) errors at the
//       point against a polydisperse direct curve, and the correlation of the two errors along q
//   java -cp cli/target/lnpsaxs.jar docs/closed-form/ClosedForm.java correct DATA OUT NAME=VALUE...
//       DATA with I (and σ) times I_surrogate/I_closed at the point: fitting OUT with the surrogate at the
//       point gives the closed form's likelihood there
//
// The model, per radius (units of the simulator: squared DFT of the projected contrast in voxel units):
//   I(Q) = <(c_c A_c + c_s A_s)^2> + <E|F_δ(Q)|^2>,   <.> = the simulator's smoothing and radial average
// (lnp.RadialOperator). The first term is lnp.MeanParticle (the surrogate's closed form, continuum
// sphere). The second is the expected power of δ = sigmoid(Y) − ½ on the core:
//   E|F_δ(Q)|^2 = Δx^-6 ∫ d³r γ(r) C(r) e^{iQ·r} = (4π/Δx^6) ∫_0^{2Rc} r² γ(r) C(r) sinc(Qr) dr,
//   γ(r) = Vc (1 − 3r/(4Rc) + r³/(16Rc³))  (the core's overlap volume),
//   C(r) = H(g(r)),  H(ρ) = E[f(X) f(Y)] for a standard bivariate normal pair with correlation ρ, f = sigmoid − ½,
//   g(r) = ∫ G(k) k² Ω(k) sinc(kr) dk / ∫ G(k) k² Ω(k) dk,
// where G is the field's spectral density (SpectralDensity) and Ω(k) the share of the sphere |k| = k inside
// the lattice's Brillouin zone |k_i| ≤ π/Δx: the field on the 5 Å lattice carries no power beyond it, and
// the standardisation divides by the power it does carry. Brute-force quadrature (about 0.8 s per
// polydisperse curve): trapezoid in k (step 2·10⁻⁴ Å⁻¹) and r (0.5 Å); H tabulated on [0, 1] (1001
// values, nested trapezoid over [−8, 8], 401 points each) and extended as an odd function.
import java.nio.file.*;
import java.util.*;
import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.InteriorModel;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.core.simulator.LnpSimulator;
import org.lnpsaxs.core.simulator.SpectralDensity;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.PolydisperseModel;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.data.Dataset;
import org.lnpsaxs.surrogate.lnp.MeanParticle;
import org.lnpsaxs.surrogate.lnp.RadialOperator;

public class ClosedForm {
    static final double DX = 5.0;
    static final int PLANE = 1024;
    static final double DR = 0.5;
    static final double R_MAX = 1000;
    static final boolean BRILLOUIN = !Boolean.getBoolean("sphere");

    public static void main(String[] args) throws Exception {
        Surrogate sur = Surrogate.loadDefault();
        switch (args[0]) {
            case "heldout" -> heldOut(Dataset.read(Path.of(args[1])), sur);
            case "poly" -> poly(Arrays.copyOfRange(args, 1, args.length), sur);
            case "split" -> split(readIntensity(Path.of(args[1])), point(args, 2), sur);
            case "correct" -> correct(Path.of(args[1]), Path.of(args[2]), point(args, 3), sur);
            case "seeds" -> seeds(readIntensity(Path.of(args[1])), Surrogate.load(Path.of(args[2])), point(args, 3), sur);
            default -> throw new IllegalArgumentException("mode heldout, poly, split or correct, not " + args[0]);
        }
        System.exit(0);
    }

    // ---- the model ----

    /** The closed form over LnpParameters.SPACE; which: 0 both terms, 1 the mean particle, 2 the fluctuation term. */
    static final class Model implements BatchedModel {
        final double[] q;
        final RadialOperator op;
        final MeanParticle particle;
        final int which;
        final Hermite h = Hermite.INSTANCE;
        SpectralDensity cached;
        double[] cachedC;

        Model(double[] q, int which) {
            this.q = q.clone();
            this.op = RadialOperator.of(q, DX, PLANE, RadialOperator.DEFAULT_REFINE);
            this.particle = new MeanParticle(op);
            this.which = which;
        }

        public ParameterSpace parameters() { return LnpParameters.SPACE; }
        public double[] q() { return q.clone(); }
        public int qSize() { return q.length; }

        public synchronized void evaluate(double[] theta, int batch, double[] out) {
            ParameterSpace s = LnpParameters.SPACE;
            int p = s.size(), n = q.length;
            MeanParticle.Work work = new MeanParticle.Work(particle);
            double[] nodes = new double[op.nodes()], row = new double[n], tmp = new double[op.nodes() + n];
            for (int b = 0; b < batch; b++) {
                double[] t = Arrays.copyOfRange(theta, b * p, b * p + p);
                double g = t[s.indexOf(LnpParameters.GRF_SHIFT)], r = t[s.indexOf("R")];
                double rc = r - t[s.indexOf(LnpParameters.SHELL_THICKNESS)];
                double cs = t[s.indexOf(LnpParameters.RELATIVE_RHO_SHELL)] * (1 + g) - 1;
                Arrays.fill(out, b * n, b * n + n, 0.0);
                if (which != 2) {
                    particle.intensity(r, rc, g, cs, out, b * n, work);
                }
                if (which != 1) {
                    fluctuation(C(SpectralDensity.of(t)), rc, nodes);
                    op.apply(nodes, row, tmp);
                    for (int i = 0; i < n; i++) {
                        out[b * n + i] += row[i];
                    }
                }
            }
        }

        /** C(r) = H(g(r)) on r = j·DR, j = 0 … R_MAX/DR, for one spectrum (kept for the next call). */
        double[] C(SpectralDensity sd) {
            if (sd.equals(cached)) {
                return cachedC;
            }
            double dk = 2e-4, kMax = (BRILLOUIN ? Math.sqrt(3) : 2) * Math.PI / DX;
            int nk = (int) (kMax / dk);
            double[] w = new double[nk];
            double norm = 0;
            for (int i = 1; i < nk; i++) {
                double k = i * dk;
                w[i] = sd.value(k) * k * k * (BRILLOUIN ? Brillouin.share(k) : 1);
                norm += w[i];
            }
            int nr = (int) Math.round(R_MAX / DR);
            double[] c = new double[nr + 1];
            c[0] = h.value(1);
            for (int j = 1; j <= nr; j++) {
                double r = j * DR, sum = 0;
                for (int i = 1; i < nk; i++) {
                    double kr = i * dk * r;
                    sum += w[i] * Math.sin(kr) / kr;
                }
                c[j] = h.value(sum / norm);
            }
            cached = sd;
            cachedC = c;
            return c;
        }

        /** E|F_δ|² on the radial operator's nodes for a core of radius rc, Å. */
        void fluctuation(double[] c, double rc, double[] nodes) {
            int nr = (int) Math.ceil(2 * rc / DR);
            if (nr >= c.length) {
                throw new IllegalArgumentException("core radius " + rc + " Å beyond the table");
            }
            double vc = 4 * Math.PI / 3 * rc * rc * rc;
            double[] f = new double[nr + 1];
            for (int j = 1; j <= nr; j++) {
                double r = Math.min(j * DR, 2 * rc), x = r / rc;
                f[j] = r * r * vc * (1 - 0.75 * x + x * x * x / 16) * c[j] * (j == nr ? 0.5 : 1);
            }
            double scale = 4 * Math.PI / Math.pow(DX, 6) * DR;
            for (int n = 0; n < op.nodes(); n++) {
                double qn = op.firstNode() + n * op.spacing(), sum = 0;
                for (int j = 1; j <= nr; j++) {
                    double x = qn * j * DR;
                    sum += f[j] * (Math.abs(x) < 1e-8 ? 1 : Math.sin(x) / x);
                }
                nodes[n] = scale * sum;
            }
        }
    }

    /** H(ρ) = E[f(X) f(Y)], f = sigmoid − ½, (X, Y) standard normal with correlation ρ. */
    static final class Hermite {
        static final Hermite INSTANCE = new Hermite(1000, 401);
        final double[] table;

        Hermite(int n, int m) {
            double h = 16.0 / (m - 1);
            double[] z = new double[m], w = new double[m];
            for (int i = 0; i < m; i++) {
                z[i] = -8 + i * h;
                w[i] = h * Math.exp(-0.5 * z[i] * z[i]) / Math.sqrt(2 * Math.PI);
            }
            table = new double[n + 1];
            for (int k = 0; k <= n; k++) {
                double rho = (double) k / n, c = Math.sqrt(Math.max(0, 1 - rho * rho)), sum = 0;
                for (int i = 0; i < m; i++) {
                    double inner = 0;
                    for (int j = 0; j < m; j++) {
                        inner += w[j] * f(rho * z[i] + c * z[j]);
                    }
                    sum += w[i] * f(z[i]) * inner;
                }
                table[k] = sum;
            }
        }

        static double f(double x) {
            return 1 / (1 + Math.exp(-x)) - 0.5;
        }

        double value(double rho) {
            double a = Math.min(1, Math.abs(rho)) * (table.length - 1);
            int i = Math.min((int) a, table.length - 2);
            double v = table[i] + (a - i) * (table[i + 1] - table[i]);
            return rho < 0 ? -v : v;
        }
    }

    /** The share of the sphere |k| = k inside the cube |k_i| ≤ π/Δx (40 000 near-uniform directions). */
    static final class Brillouin {
        static final double[] MAX_COMPONENT = directions(40_000);

        static double[] directions(int n) {
            double[] d = new double[n];
            double golden = Math.PI * (3 - Math.sqrt(5));
            for (int i = 0; i < n; i++) {
                double z = 1 - (2 * i + 1.0) / n, r = Math.sqrt(1 - z * z), phi = i * golden;
                d[i] = Math.max(Math.abs(z), Math.max(Math.abs(r * Math.cos(phi)), Math.abs(r * Math.sin(phi))));
            }
            return d;
        }

        static double share(double k) {
            double a = Math.PI / DX;
            if (k <= a) {
                return 1;
            }
            int in = 0;
            for (double m : MAX_COMPONENT) {
                if (k * m <= a) {
                    in++;
                }
            }
            return (double) in / MAX_COMPONENT.length;
        }
    }

    // ---- the measurements ----

    static void heldOut(Dataset ds, Surrogate sur) {
        Model m = new Model(sur.q(), 0);
        int n = sur.qSize(), count = ds.size();
        double[] eClosed = new double[count], eSur = new double[count], bias = new double[n];
        for (int i = 0; i < count; i++) {
            double[] th = ds.theta(i), y = ds.log10Intensity(i), c = m.evaluate(th), s = sur.predictLog10(th);
            for (int k = 0; k < n; k++) {
                double d = Math.log10(c[k]) - y[k];
                eClosed[i] += Math.abs(d) / n;
                eSur[i] += Math.abs(s[k] - y[k]) / n;
                bias[k] += d / count;
            }
        }
        System.out.printf(Locale.ROOT, "%d held-out curves, mean |Δlog10 I| per curve (Brillouin-zone cut: %s)%n", count, BRILLOUIN);
        System.out.println("| model | median | p90 | max |\n|---|---|---|---|");
        System.out.println("| closed form | " + quantiles(eClosed) + " |");
        System.out.println("| surrogate | " + quantiles(eSur) + " |");
        double[] q = sur.q();
        System.out.print("closed form's mean bias, decades, at q (1/Å):");
        for (int k = 0; k < n; k += 30) {
            System.out.printf(Locale.ROOT, " %.3f: %+.4f;", q[k], bias[k]);
        }
        System.out.println();
    }

    static String quantiles(double[] e) {
        double[] s = e.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.4f | %.4f | %.4f", s[s.length / 2], s[(int) (0.9 * s.length)], s[s.length - 1]);
    }

    static void poly(String[] files, Surrogate sur) throws Exception {
        Model m = new Model(sur.q(), 0);
        double[][] bands = new double[2][5];
        double[][] whole = new double[2][files.length];
        int better = 0;
        System.out.println("| curve | closed form | surrogate |\n|---|---|---|");
        for (int f = 0; f < files.length; f++) {
            Map<String, Double> th = truth(Path.of(files[f]));
            double[] d = readIntensity(Path.of(files[f]));
            double[][] e = {lnRatio(average(m, th), d), lnRatio(average(sur, th), d)};
            for (int k = 0; k < 2; k++) {
                center(e[k]);
                whole[k][f] = rms(e[k], 0, d.length);
                for (int b = 0; b < 5; b++) {
                    bands[k][b] += Math.pow(rms(e[k], 60 * b, 60 * b + 60), 2) / files.length;
                }
            }
            better += whole[0][f] < whole[1][f] ? 1 : 0;
            System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f |%n", Path.of(files[f]).getFileName(), whole[0][f], whole[1][f]);
        }
        System.out.printf(Locale.ROOT, "%nRMS of ln I (scale profiled) over %d curves, all q and bands of 60 points:%n", files.length);
        String[] label = {"closed form", "surrogate"};
        for (int k = 0; k < 2; k++) {
            double all = Math.sqrt(Arrays.stream(whole[k]).map(x -> x * x).sum() / files.length);
            System.out.printf(Locale.ROOT, "%-12s %.4f |", label[k], all);
            for (int b = 0; b < 5; b++) {
                System.out.printf(Locale.ROOT, " %.4f", Math.sqrt(bands[k][b]));
            }
            double[] s = whole[k].clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, " | median per curve %.4f%n", s[s.length / 2]);
        }
        System.out.printf("the closed form is the nearer on %d of %d curves%n", better, files.length);
    }

    static void split(double[] direct, Map<String, Double> th, Surrogate sur) {
        // both contrasts times λ: the mean-particle term scales by λ², the fluctuation term not at all
        double lambda = 1.2, g = th.get("GRF_shift"), cs = th.get("relative_rho_shell") * (1 + g) - 1;
        Map<String, Double> scaled = new LinkedHashMap<>(th);
        scaled.put("GRF_shift", lambda * g);
        scaled.put("relative_rho_shell", (1 + lambda * cs) / (1 + lambda * g));
        double[] s1 = average(sur, th), s2 = average(sur, scaled);
        LnpSimulator uniform = LnpSimulator.paperDefaults().withInterior(InteriorModel.uniform()).withRealizations(1)
                .withProjectionAxes(3).withThreads(Runtime.getRuntime().availableProcessors());
        double[] lattice = average(uniform, th), closed = average(new Model(sur.q(), 0), th);
        int n = direct.length;
        double[] err = lnRatio(s1, direct), meanPart = new double[n], flucPart = new double[n];
        for (int i = 0; i < n; i++) {
            double mSur = (s2[i] - s1[i]) / (lambda * lambda - 1);
            meanPart[i] = (mSur - lattice[i]) / direct[i];
            flucPart[i] = (s1[i] - mSur - (direct[i] - lattice[i])) / direct[i];
        }
        double[] closedErr = lnRatio(closed, direct);
        for (double[] e : new double[][] {err, meanPart, flucPart, closedErr}) {
            center(e);
        }
        System.out.println("RMS over q (scale profiled), all and bands of 60 points");
        print("surrogate's error, ln I_sur − ln I_direct", err);
        print("  its mean-particle part", meanPart);
        print("  its fluctuation part", flucPart);
        print("closed form's error", closedErr);
    }

    static void seeds(double[] direct, Surrogate other, Map<String, Double> th, Surrogate sur) {
        double[] e1 = lnRatio(average(sur, th), direct), e2 = lnRatio(average(other, th), direct);
        center(e1);
        center(e2);
        double[] d = new double[e1.length];
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = e1[i] - e2[i];
            ab += e1[i] * e2[i];
            aa += e1[i] * e1[i];
            bb += e2[i] * e2[i];
        }
        System.out.println("RMS over q (scale profiled), all and bands of 60 points");
        print("shipped surrogate's error", e1);
        print("the other model's error", e2);
        print("their difference", d);
        System.out.printf(Locale.ROOT, "correlation of the two errors along q: %.3f%n", ab / Math.sqrt(aa * bb));
    }

    static void correct(Path data, Path out, Map<String, Double> th, Surrogate sur) throws Exception {
        double[] ratio = average(sur, th), closed = average(new Model(sur.q(), 0), th), q = sur.q();
        StringBuilder sb = new StringBuilder("# I and sigma times I_surrogate/I_closed (docs/closed-form/ClosedForm.java) at ")
                .append(th).append('\n');
        int k = 0;
        for (String line : Files.readAllLines(data)) {
            if (line.startsWith("#") || line.isBlank()) {
                sb.append(line).append('\n');
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (Math.abs(Double.parseDouble(f[0]) - q[k]) > 1e-9 * q[k]) {
                throw new IllegalArgumentException(data + ": not on the surrogate's q grid at row " + k);
            }
            double r = ratio[k] / closed[k];
            sb.append(f[0]);
            for (int j = 1; j < f.length; j++) {
                sb.append(' ').append(j <= 2 ? String.format(Locale.ROOT, "%.10e", Double.parseDouble(f[j]) * r) : f[j]);
            }
            sb.append('\n');
            k++;
        }
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".closed", ".tmp");
        Files.writeString(tmp, sb.toString());
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("wrote " + out);
    }

    // ---- helpers ----

    /** The curve averaged over the point's truncated log-normal radius as GenerateCalibrationSet.java does. */
    static double[] average(BatchedModel m, Map<String, Double> th) {
        Dispersion d = new Dispersion("R", TruncatedLogNormal.of(th.get("radius_mean"), th.get("radius_cv"), 101, 499),
                GaussLegendreDensity.of(64), "radius");
        PolydisperseModel p = PolydisperseModel.of(m, d);
        return p.evaluate(p.parameters().names().stream().mapToDouble(th::get).toArray());
    }

    static Map<String, Double> point(String[] args, int from) {
        Map<String, Double> th = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            th.put(kv[0], Double.parseDouble(kv[1]));
        }
        return th;
    }

    static Map<String, Double> truth(Path file) throws Exception {
        Map<String, Double> th = new LinkedHashMap<>();
        for (String l : Files.readAllLines(file)) {
            if (l.startsWith("# truth.")) {
                String[] kv = l.substring("# truth.".length()).split("=", 2);
                th.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        return th;
    }

    static double[] readIntensity(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.startsWith("#") && !l.isBlank())
                .mapToDouble(l -> Double.parseDouble(l.trim().split("\\s+")[1])).toArray();
    }

    static double[] lnRatio(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.log(a[i] / b[i]);
        }
        return r;
    }

    static void center(double[] r) {
        double mean = Arrays.stream(r).average().orElse(0);
        for (int i = 0; i < r.length; i++) {
            r[i] -= mean;
        }
    }

    static double rms(double[] r, int lo, int hi) {
        double s = 0;
        for (int i = lo; i < hi; i++) {
            s += r[i] * r[i];
        }
        return Math.sqrt(s / (hi - lo));
    }

    static void print(String label, double[] r) {
        System.out.printf(Locale.ROOT, "%-44s %.4f |", label, rms(r, 0, r.length));
        for (int b = 0; b < 5; b++) {
            System.out.printf(Locale.ROOT, " %.4f", rms(r, 60 * b, 60 * b + 60));
        }
        System.out.println();
    }
}
