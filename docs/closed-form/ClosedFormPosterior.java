// A posterior with the closed-form LNP model instead of the surrogate (docs/surrogate.md, "A closed form for
// the fluctuation term"): an experiment, not a library feature. Run from the repository root:
//
//   java -Xmx6g -cp cli/target/lnpsaxs.jar docs/closed-form/ClosedFormPosterior.java DATA OUT [STARTS]
//
// fits DATA with the lnp fit model built on the closed form (LnpFitModel.of(...).withErrorModel(the shipped
// surrogate's error model)), the loglik likelihood, STARTS starts (default 128) and the default posterior,
// writes OUT/report.json and, when DATA's header holds its truth ("# truth.NAME=VALUE"), prints which truths
// lie inside the 68 % and 90 % intervals (the truth folded onto the reported image, GRF_shift >= 0).
//
//   java -cp cli/target/lnpsaxs.jar docs/closed-form/ClosedFormPosterior.java check
//
// checks the model's gradient against central differences at six random points of the box (largest
// relative difference per parameter) and that a batch of 52 rows sharing a spectrum gives each row's values.
import java.nio.file.*;
import java.util.*;
import com.fasterxml.jackson.databind.JsonNode;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.report.FitReport;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;
import org.lnpsaxs.surrogate.lnp.MeanParticle;
import org.lnpsaxs.surrogate.lnp.RadialOperator;

public class ClosedFormPosterior {
    public static void main(String[] a) throws Exception {
        if (a[0].equals("check")) {
            check(new FastClosed(Surrogate.loadDefault().q()));
            System.exit(0);
        }
        Path data = Path.of(a[0]), out = Path.of(a[1]);
        int starts = a.length > 2 ? Integer.parseInt(a[2]) : 128;
        Surrogate sur = Surrogate.loadDefault();
        LnpFitModel model = LnpFitModel.of(new FastClosed(sur.q())).withErrorModel(sur.errorModel().orElseThrow());
        FitProblem problem = FitProblem.of(model, ScatteringCurve.read(data)).withLoss("loglik");
        long t0 = System.nanoTime();
        FitResult r = Fitter.defaults().withStarts(starts).withPosterior().fit(problem);
        System.out.printf(Locale.ROOT, "%s: fit and posterior %.1f s, converged: %s%n", data, (System.nanoTime() - t0) * 1e-9,
                r.posterior().converged());
        Files.createDirectories(out);
        FitReport.write(r, out.resolve("report.json"));
        Map<String, Double> truth = new LinkedHashMap<>();
        for (String l : Files.readAllLines(data)) {
            if (l.startsWith("# truth.")) {
                String[] kv = l.substring("# truth.".length()).split("=", 2);
                truth.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        if (truth.isEmpty()) {
            System.exit(0);
        }
        double g = truth.get("GRF_shift"), rho = truth.get("relative_rho_shell");
        if (g < 0) { // the contrast-sign symmetry's canonical image, as the report's
            truth.put("GRF_shift", -g);
            truth.put("relative_rho_shell", (2 - rho * (1 + g)) / (1 - g));
        }
        JsonNode pars = FitReport.toJson(r).get("posterior").get("parameters");
        int in90 = 0, in68 = 0;
        for (Map.Entry<String, Double> e : truth.entrySet()) {
            JsonNode p = pars.get(e.getKey());
            double t = e.getValue();
            boolean i90 = p.get("p05").asDouble() <= t && t <= p.get("p95").asDouble();
            boolean i68 = p.get("p16").asDouble() <= t && t <= p.get("p84").asDouble();
            in90 += i90 ? 1 : 0;
            in68 += i68 ? 1 : 0;
            System.out.printf(Locale.ROOT, "%-20s truth %10.5g   90 %%: %10.5g .. %-10.5g %-3s   68 %%: %10.5g .. %-10.5g %s%n", e.getKey(), t,
                    p.get("p05").asDouble(), p.get("p95").asDouble(), i90 ? "in" : "OUT",
                    p.get("p16").asDouble(), p.get("p84").asDouble(), i68 ? "in" : "out");
        }
        System.out.printf("truths inside the 90 %% intervals: %d of %d; inside the 68 %% intervals: %d of %d%n", in90, truth.size(), in68,
                truth.size());
        System.exit(0);
    }

    static void check(FastClosed m) {
        Random rnd = new Random(3);
        double[] lo = {-0.9, 110, 0.02, 0.05, 0.05, 0.01, 0.01, 40, 0.75}, hi = {0.9, 490, 0.98, 0.15, 0.15, 0.15, 0.15, 70, 1.25};
        double[] worst = new double[9];
        for (int c = 0; c < 6; c++) {
            double[] th = new double[9];
            for (int i = 0; i < 9; i++) {
                th[i] = lo[i] + rnd.nextDouble() * (hi[i] - lo[i]);
            }
            double[] y = m.evaluate(th), up = new double[y.length], grad = new double[9];
            for (int i = 0; i < up.length; i++) {
                up[i] = rnd.nextGaussian() / y[i];
            }
            m.vectorJacobianProduct(th, 1, up, grad);
            for (int p = 0; p < 9; p++) {
                double h = 1e-5 * (hi[p] - lo[p]), fd = 0;
                double[] tp = th.clone(), tm = th.clone();
                tp[p] += h;
                tm[p] -= h;
                double[] yp = m.evaluate(tp), ym = m.evaluate(tm);
                for (int i = 0; i < up.length; i++) {
                    fd += up[i] * (yp[i] - ym[i]) / (2 * h);
                }
                worst[p] = Math.max(worst[p], Math.abs(fd - grad[p]) / Math.abs(fd));
            }
        }
        List<String> names = m.parameters().names();
        for (int p = 0; p < 9; p++) {
            System.out.printf(Locale.ROOT, "%-20s gradient against central differences: largest relative difference %.1e%n", names.get(p), worst[p]);
        }
        double[] th = {-0.1, 245, 0.7, 0.1, 0.11, 0.015, 0.1, 60, 0.96}, batch = new double[9 * 52];
        for (int i = 0; i < 52; i++) {
            System.arraycopy(th, 0, batch, 9 * i, 9);
            batch[9 * i + 1] = 150 + 4 * i;
        }
        int n = m.qSize();
        double[] all = new double[n * 52];
        m.evaluate(batch, 52, all);
        double d = 0;
        for (int i = 0; i < 52; i++) {
            double[] one = m.evaluate(Arrays.copyOfRange(batch, 9 * i, 9 * i + 9));
            for (int k = 0; k < n; k++) {
                d = Math.max(d, Math.abs(one[k] / all[i * n + k] - 1));
            }
        }
        System.out.printf(Locale.ROOT, "52 rows sharing a spectrum against each row alone: largest relative difference %.1e%n", d);
    }
}

/**
 * The closed-form LNP model of docs/surrogate.md ("A closed form for the fluctuation term"), with its exact
 * gradient: the mean particle (lnp.MeanParticle) plus the expected fluctuation term on quadrature grids fit
 * for a fit (k step 10⁻³ Å⁻¹ up to the Brillouin zone's corner, r step 2.5 Å to 1000 Å; compared once
 * with ClosedForm.java's brute-force quadrature at six random points of the box: within 1.3·10⁻⁵ decades). Rows that share a spectrum (the radius nodes of one
 * start) share its transform and one sweep over r: the polynomial overlap volume makes each row's term
 * three running sums. Their spectral gradient goes to the group's first row (the size layer sums the rows of
 * a start), so rows of different starts must not share a spectrum unless it is fixed.
 */
final class FastClosed implements DifferentiableModel {
    static final double DX = 5.0, DR = 2.5;
    static final int NR = 400; // r_j = j DR, j = 0 .. NR
    final double[] q;
    final RadialOperator op;
    final MeanParticle particle;
    final int nodes, nk;
    final double[] k, kk2omega; // k_i, k_i^2 Omega(k_i)
    final double[] sinc; // [j][i] sinc(k_i r_j), j = 0..NR
    final double[] aT; // [j][n] sinc(Q_n r_j) r_j^2 DR (4 pi / dx^6)
    final Spline h = Spline.hermite();
    final ThreadLocal<Work> works;

    FastClosed(double[] q) {
        this.q = q.clone();
        this.op = RadialOperator.of(q, DX, 1024, RadialOperator.DEFAULT_REFINE);
        this.particle = new MeanParticle(op);
        this.nodes = op.nodes();
        double kMax = Math.sqrt(3) * Math.PI / DX, dk = 1e-3;
        nk = (int) Math.ceil(kMax / dk);
        k = new double[nk];
        kk2omega = new double[nk];
        for (int i = 0; i < nk; i++) {
            k[i] = (i + 1) * dk;
            kk2omega[i] = k[i] * k[i] * brillouin(k[i]) * dk;
        }
        sinc = new double[(NR + 1) * nk];
        for (int j = 0; j <= NR; j++) {
            for (int i = 0; i < nk; i++) {
                double x = k[i] * j * DR;
                sinc[j * nk + i] = x == 0 ? 1 : Math.sin(x) / x;
            }
        }
        aT = new double[nodes * (NR + 1)];
        double scale = 4 * Math.PI / Math.pow(DX, 6) * DR;
        for (int n = 0; n < nodes; n++) {
            double qn = op.firstNode() + n * op.spacing();
            for (int j = 1; j <= NR; j++) {
                double r = j * DR, x = qn * r;
                aT[j * nodes + n] = scale * r * r * (Math.abs(x) < 1e-12 ? 1 : Math.sin(x) / x);
            }
        }
        works = ThreadLocal.withInitial(Work::new);
    }

    static double brillouin(double kk) {
        double lim = Math.PI / DX;
        if (kk <= lim) {
            return 1;
        }
        int n = 20000, in = 0;
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int i = 0; i < n; i++) {
            double z = 1 - (2 * i + 1.0) / n, r = Math.sqrt(1 - z * z), phi = i * golden;
            double m = Math.max(Math.abs(z), Math.max(Math.abs(r * Math.cos(phi)), Math.abs(r * Math.sin(phi))));
            if (kk * m <= lim) {
                in++;
            }
        }
        return (double) in / n;
    }

    final class Work {
        final MeanParticle.Work mp = new MeanParticle.Work(particle);
        final double[] w = new double[nk], dwdw1 = new double[nk], dwdm1 = new double[nk], dwds1 = new double[nk],
                dwdm2 = new double[nk], dwds2 = new double[nk];
        final double[] g = new double[NR + 1], c = new double[NR + 1];
        final double[] f = new double[nodes + 8], out = new double[q.length], tmp = new double[nodes + q.length + 8];
        final double[] dF = new double[nodes + 8], dG = new double[NR + 1], dW = new double[nk];
        final double[] grad4 = new double[4];
        final double[] acc0 = new double[nodes], acc1 = new double[nodes], acc3 = new double[nodes];
        double[] rc = new double[0], fr = new double[0], k0 = new double[0], k1 = new double[0], dfr = new double[0];
        int[] jn = new int[0];
        Integer[] order;
        double norm;

        void ensure(int rows) {
            if (rc.length < rows) {
                rc = new double[rows];
                jn = new int[rows];
                fr = new double[rows * nodes];
                k0 = new double[rows * nodes];
                k1 = new double[rows * nodes];
                dfr = new double[rows * nodes];
            }
        }
        double[] spec = null;
    }

    public ParameterSpace parameters() { return LnpParameters.SPACE; }
    public double[] q() { return q.clone(); }
    public int qSize() { return q.length; }

    /** Spectrum part: weights, their derivatives, g_j and C_j (kept for the same spectrum). */
    void spectrum(double[] t, int o, Work w) {
        double[] s = {t[o + 2], t[o + 3], t[o + 4], t[o + 5], t[o + 6]};
        if (Arrays.equals(s, w.spec)) {
            return;
        }
        w.spec = s;
        double w1 = s[0];
        double norm = 0;
        for (int i = 0; i < nk; i++) {
            double lnk = Math.log(k[i]);
            double[] c1 = logNormal(lnk, k[i], s[1], s[3]);
            double[] c2 = logNormal(lnk, k[i], s[2], s[4]);
            double b = kk2omega[i];
            w.w[i] = b * (w1 * c1[0] + (1 - w1) * c2[0]);
            w.dwdw1[i] = b * (c1[0] - c2[0]);
            w.dwdm1[i] = b * w1 * c1[1];
            w.dwds1[i] = b * w1 * c1[2];
            w.dwdm2[i] = b * (1 - w1) * c2[1];
            w.dwds2[i] = b * (1 - w1) * c2[2];
            norm += w.w[i];
        }
        w.norm = norm;
        for (int j = 0; j <= NR; j++) {
            double sum = 0;
            int o2 = j * nk;
            for (int i = 0; i < nk; i++) {
                sum += sinc[o2 + i] * w.w[i];
            }
            w.g[j] = sum / norm;
            w.c[j] = h.value(w.g[j]);
        }
    }

    /** LN(k; m, s) and its derivatives in m and s. */
    static double[] logNormal(double lnk, double kk, double m, double s) {
        double m2s2 = m * m + s * s;
        double sig2 = Math.log1p(s * s / (m * m));
        double mu = Math.log(m * m / Math.sqrt(m2s2));
        double d = lnk - mu;
        double v = Math.exp(-0.5 * d * d / sig2) / (kk * Math.sqrt(2 * Math.PI * sig2));
        double dmu = v * d / sig2;
        double dsig2 = v * (d * d / (2 * sig2 * sig2) - 1 / (2 * sig2));
        double dm = dmu * (2 / m - m / m2s2) + dsig2 * (2 * m / m2s2 - 2 / m);
        double ds = dmu * (-s / m2s2) + dsig2 * (2 * s / m2s2);
        return new double[] {v, dm, ds};
    }

    /** Rows b0..b1-1 share their spectrum: their fluctuation terms on the nodes into w.fr (row-major), one sweep over r. */
    void groupForward(double[] theta, int b0, int b1, Work w, boolean keep) {
        int rows = b1 - b0;
        w.ensure(rows);
        Integer[] order = new Integer[rows];
        for (int i = 0; i < rows; i++) {
            int o = (b0 + i) * 9;
            double rc = theta[o + 1] - theta[o + 7];
            w.rc[i] = rc;
            w.jn[i] = Math.min(NR, (int) Math.ceil(2 * rc / DR) - 1);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> w.jn[i]));
        double[] a0 = w.acc0, a1 = w.acc1, a3 = w.acc3;
        Arrays.fill(a0, 0.0);
        Arrays.fill(a1, 0.0);
        Arrays.fill(a3, 0.0);
        int j = 1;
        for (int idx = 0; idx < rows; idx++) {
            int row = order[idx];
            for (; j <= w.jn[row]; j++) {
                double cj = w.c[j], rj = j * DR, c1 = cj * rj, c3 = c1 * rj * rj;
                int o = j * nodes;
                for (int n = 0; n < nodes; n++) {
                    double av = aT[o + n];
                    a0[n] += av * cj;
                    a1[n] += av * c1;
                    a3[n] += av * c3;
                }
            }
            double rc = w.rc[row], vc = 4 * Math.PI / 3 * rc * rc * rc, p1 = Math.PI * rc * rc, p3 = Math.PI / 12;
            int fo = row * nodes;
            for (int n = 0; n < nodes; n++) {
                w.fr[fo + n] = vc * a0[n] - p1 * a1[n] + p3 * a3[n];
            }
            if (keep) {
                System.arraycopy(a0, 0, w.k0, fo, nodes);
                System.arraycopy(a1, 0, w.k1, fo, nodes);
            }
        }
        w.order = order;
    }

    int groupEnd(double[] theta, int b, int batch) {
        int e = b + 1;
        while (e < batch && sameSpectrum(theta, b * 9, e * 9)) {
            e++;
        }
        return e;
    }

    static boolean sameSpectrum(double[] t, int o1, int o2) {
        for (int i = 2; i <= 6; i++) {
            if (t[o1 + i] != t[o2 + i]) {
                return false;
            }
        }
        return true;
    }

    public void evaluate(double[] theta, int batch, double[] out) {
        Work w = works.get();
        int nq = q.length;
        for (int b0 = 0; b0 < batch; ) {
            int b1 = groupEnd(theta, b0, batch);
            spectrum(theta, b0 * 9, w);
            groupForward(theta, b0, b1, w, false);
            for (int b = b0; b < b1; b++) {
                int o = b * 9;
                double g = theta[o], r = theta[o + 1], rho = theta[o + 8];
                double rc = r - theta[o + 7], cs = rho * (1 + g) - 1;
                particle.intensity(r, rc, g, cs, out, b * nq, w.mp);
                System.arraycopy(w.fr, (b - b0) * nodes, w.f, 0, nodes);
                op.apply(w.f, w.out, w.tmp);
                for (int i = 0; i < nq; i++) {
                    out[b * nq + i] += w.out[i];
                }
            }
            b0 = b1;
        }
    }

    public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
        Work w = works.get();
        int nq = q.length;
        double[] up = new double[nq];
        for (int b0 = 0; b0 < batch; ) {
            int b1 = groupEnd(theta, b0, batch), rows = b1 - b0;
            spectrum(theta, b0 * 9, w);
            groupForward(theta, b0, b1, w, true);
            for (int b = b0; b < b1; b++) {
                int o = b * 9, row = b - b0;
                double g = theta[o], r = theta[o + 1], rho = theta[o + 8];
                double rc = r - theta[o + 7], cs = rho * (1 + g) - 1;
                System.arraycopy(dLdI, b * nq, up, 0, nq);
                particle.backward(r, rc, g, cs, up, w.grad4, w.mp);
                op.applyTranspose(up, w.dF, w.tmp);
                System.arraycopy(w.dF, 0, w.dfr, row * nodes, nodes);
                // dL/dRc through gamma: d gamma/d rc = 4 pi rc^2 - 2 pi rc r
                double s0 = 0, s1 = 0;
                int fo = row * nodes;
                for (int n = 0; n < nodes; n++) {
                    s0 += w.dF[n] * w.k0[fo + n];
                    s1 += w.dF[n] * w.k1[fo + n];
                }
                double dRc = w.grad4[1] + 4 * Math.PI * rc * rc * s0 - 2 * Math.PI * rc * s1;
                dLdTheta[o] = w.grad4[2] + w.grad4[3] * rho;
                dLdTheta[o + 1] = w.grad4[0] + dRc;
                dLdTheta[o + 7] = -dRc;
                dLdTheta[o + 8] = w.grad4[3] * (1 + g);
            }
            // dL/dC_j = sum_n aT[j][n] E_j[n], E_j = B0 - r_j B1 + (pi/12) r_j^3 B3 over the rows with jn >= j
            double[] b0a = w.acc0, b1a = w.acc1, b3a = w.acc3;
            Arrays.fill(b0a, 0.0);
            Arrays.fill(b1a, 0.0);
            Arrays.fill(b3a, 0.0);
            Arrays.fill(w.dG, 0.0);
            Integer[] order = w.order;
            int idx = rows - 1;
            int jTop = w.jn[order[rows - 1]];
            for (int j = jTop; j >= 1; j--) {
                while (idx >= 0 && w.jn[order[idx]] >= j) {
                    int row = order[idx];
                    double rc = w.rc[row], vc = 4 * Math.PI / 3 * rc * rc * rc, p1 = Math.PI * rc * rc;
                    int fo = row * nodes;
                    for (int n = 0; n < nodes; n++) {
                        double d = w.dfr[fo + n];
                        b0a[n] += vc * d;
                        b1a[n] += p1 * d;
                        b3a[n] += d;
                    }
                    idx--;
                }
                double rj = j * DR, c3 = Math.PI / 12 * rj * rj * rj, sum = 0;
                int o = j * nodes;
                for (int n = 0; n < nodes; n++) {
                    sum += aT[o + n] * (b0a[n] - rj * b1a[n] + c3 * b3a[n]);
                }
                w.dG[j] = sum * h.derivative(w.g[j]);
            }
            double dot = 0;
            for (int j = 1; j <= jTop; j++) {
                dot += w.dG[j] * w.g[j];
            }
            double inv = 1 / w.norm;
            Arrays.fill(w.dW, -dot * inv);
            for (int j = 1; j <= jTop; j++) {
                double d = w.dG[j] * inv;
                if (d == 0) {
                    continue;
                }
                int os = j * nk;
                for (int i = 0; i < nk; i++) {
                    w.dW[i] += sinc[os + i] * d;
                }
            }
            double dw1 = 0, dm1 = 0, ds1 = 0, dm2 = 0, ds2 = 0;
            for (int i = 0; i < nk; i++) {
                dw1 += w.dW[i] * w.dwdw1[i];
                dm1 += w.dW[i] * w.dwdm1[i];
                ds1 += w.dW[i] * w.dwds1[i];
                dm2 += w.dW[i] * w.dwdm2[i];
                ds2 += w.dW[i] * w.dwds2[i];
            }
            // the spectrum is shared by the group's rows: its gradient goes to the first row, the others get 0
            for (int b = b0; b < b1; b++) {
                int o = b * 9;
                boolean first = b == b0;
                dLdTheta[o + 2] = first ? dw1 : 0;
                dLdTheta[o + 3] = first ? dm1 : 0;
                dLdTheta[o + 4] = first ? dm2 : 0;
                dLdTheta[o + 5] = first ? ds1 : 0;
                dLdTheta[o + 6] = first ? ds2 : 0;
            }
            b0 = b1;
        }
    }

    /** H(rho) = E[f(X) f(Y)], f = sigmoid − ½, as a natural cubic spline on [−1, 1]. */
    static final class Spline {
        final double[] y, m2;
        final double hh;

        Spline(double[] y, double hh) {
            this.y = y;
            this.hh = hh;
            int n = y.length;
            m2 = new double[n];
            double[] cp = new double[n], dp = new double[n];
            for (int i = 1; i < n - 1; i++) {
                double rhs = 6 * (y[i + 1] - 2 * y[i] + y[i - 1]) / (hh * hh);
                double den = 4 - cp[i - 1];
                cp[i] = 1 / den;
                dp[i] = (rhs - dp[i - 1]) / den;
            }
            for (int i = n - 2; i >= 1; i--) {
                m2[i] = dp[i] - cp[i] * m2[i + 1];
            }
        }

        static Spline hermite() {
            int n = 800, m = 401;
            double step = 16.0 / (m - 1);
            double[] z = new double[m], wt = new double[m];
            for (int i = 0; i < m; i++) {
                z[i] = -8 + i * step;
                wt[i] = step * Math.exp(-0.5 * z[i] * z[i]) / Math.sqrt(2 * Math.PI);
            }
            double[] y = new double[2 * n + 1];
            for (int kk = 0; kk <= n; kk++) {
                double rho = (double) kk / n, c = Math.sqrt(Math.max(0, 1 - rho * rho)), sum = 0;
                for (int i = 0; i < m; i++) {
                    double inner = 0;
                    for (int j = 0; j < m; j++) {
                        inner += wt[j] * f(rho * z[i] + c * z[j]);
                    }
                    sum += wt[i] * f(z[i]) * inner;
                }
                y[n + kk] = sum;
                y[n - kk] = -sum;
            }
            return new Spline(y, 1.0 / n);
        }

        static double f(double x) {
            return 1 / (1 + Math.exp(-x)) - 0.5;
        }

        double value(double x) {
            double s = (Math.max(-1, Math.min(1, x)) + 1) / hh;
            int i = Math.min((int) s, y.length - 2);
            double t = s - i, u = 1 - t;
            return u * y[i] + t * y[i + 1] + hh * hh / 6 * ((u * u * u - u) * m2[i] + (t * t * t - t) * m2[i + 1]);
        }

        double derivative(double x) {
            if (x <= -1 || x >= 1) {
                return 0;
            }
            double s = (x + 1) / hh;
            int i = Math.min((int) s, y.length - 2);
            double t = s - i, u = 1 - t;
            return (y[i + 1] - y[i]) / hh + hh / 6 * ((1 - 3 * u * u) * m2[i] + (3 * t * t - 1) * m2[i + 1]);
        }
    }
}
