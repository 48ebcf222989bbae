// The surrogate corrected to first order by the direct simulator around a point, and the curve
// fitted with it (docs/calibration.md, "What moves the example"): an experiment, not a library
// feature. Run from the repository root:
//
//   java -Xmx8g -cp cli/target/lnpsaxs.jar docs/calibration/FirstOrderCorrection.java DATA REALISATIONS SEED STEP NAME=VALUE...
//
// At the point θ̂ given by the ten NAME=VALUE pairs (the lnp fit model's parameters) and at each
// radius node R_i of the fit's accurate size average (Gauss-Legendre weighted by the density, its
// nodes fixed on [101, 499] Å for the distributions of the example), the monodisperse surrogate's
// error ε_i(q) = ln I_direct − ln I_surrogate is measured at the eight interior parameters φ̂ and at
// φ̂ + h_k e_k for each of them (h_k = STEP × the parameter's box width, towards the box's inside), by
// the direct simulator with REALISATIONS per projection axis, 3 axes, seed SEED: the same seed at every
// φ of a node, so the realisation noise cancels in the differences (the box depends on R only). The
// corrected surrogate multiplies the surrogate's intensity by exp(ε_i + G_i·(φ − φ̂)), linear in R
// between nodes (G_i the finite-difference slopes), with its exact gradient; it is fitted to DATA with
// the loglik likelihood (the shipped error model), 128 starts and the posterior, and the posterior's
// medians and intervals are printed.
import java.nio.file.*;
import java.util.*;
import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpSimulator;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.posterior.Marginal;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

public class FirstOrderCorrection {
    static final int R = 1; // the monodisperse model's R index (GRF_shift, R, w_q1, ..., relative_rho_shell)

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int realisations = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        double step = Double.parseDouble(args[3]);
        Map<String, Double> theta = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            theta.put(kv[0], Double.parseDouble(kv[1]));
        }
        Surrogate sur = Surrogate.loadDefault();
        ParameterSpace mono = sur.parameters();
        int p = mono.size();
        int nq = sur.qSize();
        double[] phi = new double[p];
        for (int j = 0; j < p; j++) {
            if (j != R) {
                phi[j] = theta.get(mono.names().get(j));
            }
        }
        // the radius nodes of the fit's accurate average
        double[] q = sur.q();
        int n = LnpFitModel.accurateNodes(q[q.length - 1], 101, 499);
        double[] nodes = new double[n];
        GaussLegendreDensity.of(n).nodes(TruncatedLogNormal.of(theta.get("radius_mean"), theta.get("radius_cv"), 101, 499),
                nodes, new double[n], null, null, 0);
        // rows: per node the base and one step per interior parameter
        int dirs = p - 1;
        int rows = n * (1 + dirs);
        double[] x = new double[rows * p];
        double[] h = new double[p];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d <= dirs; d++) {
                int row = i * (1 + dirs) + d;
                System.arraycopy(phi, 0, x, row * p, p);
                x[row * p + R] = nodes[i];
                if (d > 0) {
                    int j = d - 1 < R ? d - 1 : d; // skip R
                    double lo = mono.get(j).lower();
                    double hi = mono.get(j).upper();
                    double hj = step * (hi - lo);
                    if (phi[j] + hj > hi) {
                        hj = -hj;
                    }
                    h[j] = hj;
                    x[row * p + j] = phi[j] + hj;
                }
            }
        }
        LnpSimulator sim = LnpSimulator.paperDefaults().withRealizations(realisations).withProjectionAxes(3).withSeed(seed)
                .withThreads(Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        double[] iSim = new double[rows * nq];
        sim.evaluate(x, rows, iSim);
        double[] iSur = new double[rows * nq];
        sur.evaluate(x, rows, iSur);
        System.out.printf(Locale.ROOT, "%d direct curves in %.0f s%n", rows, (System.nanoTime() - t0) * 1e-9);
        double[][] eps = new double[n][nq];
        double[][][] slope = new double[n][p][nq];
        double ss = 0;
        double[] gs = new double[p];
        for (int i = 0; i < n; i++) {
            int base = i * (1 + dirs);
            for (int k = 0; k < nq; k++) {
                eps[i][k] = Math.log(iSim[base * nq + k] / iSur[base * nq + k]);
                ss += eps[i][k] * eps[i][k];
            }
            for (int d = 1; d <= dirs; d++) {
                int j = d - 1 < R ? d - 1 : d;
                for (int k = 0; k < nq; k++) {
                    double e = Math.log(iSim[(base + d) * nq + k] / iSur[(base + d) * nq + k]);
                    slope[i][j][k] = (e - eps[i][k]) / h[j];
                    gs[j] += Math.pow((e - eps[i][k]), 2);
                }
            }
        }
        System.out.printf(Locale.ROOT, "monodisperse error at the nodes: RMS %.4f decades%n", Math.sqrt(ss / (n * nq)) / Math.log(10));
        for (int j = 0; j < p; j++) {
            if (j != R) {
                System.out.printf(Locale.ROOT, "  its change over a step of %s (%.4g): RMS %.4f decades%n", mono.names().get(j), h[j],
                        Math.sqrt(gs[j] / (n * nq)) / Math.log(10));
            }
        }
        DifferentiableModel corrected = new Corrected(sur, nodes, phi, eps, slope);
        LnpFitModel fm = LnpFitModel.of(corrected).withErrorModel(sur.errorModel().orElseThrow());
        ScatteringCurve curve = CurveReader.defaults().read(data);
        FitProblem problem = FitProblem.of(fm, curve).withLoss("loglik");
        FitResult r = Fitter.defaults().withStarts(128).withPosterior().fit(problem);
        System.out.println(r.posterior().converged() ? "posterior converged" : "posterior NOT converged: " + r.posterior().reason());
        System.out.println("best " + r.bestParameters());
        for (Marginal m : r.posterior().marginals()) {
            System.out.printf(Locale.ROOT, "%-20s median %.5g 68%% %.5g..%.5g 90%% %.5g..%.5g%n", m.name(), m.median(), m.p16(),
                    m.p84(), m.p05(), m.p95());
        }
    }

    /** The surrogate times exp(ε(R, φ)), ε linear in φ at each node and in R between nodes. */
    static final class Corrected implements DifferentiableModel {
        final Surrogate sur;
        final double[] nodes;
        final double[] phi;
        final double[][] eps;
        final double[][][] slope;

        Corrected(Surrogate sur, double[] nodes, double[] phi, double[][] eps, double[][][] slope) {
            this.sur = sur;
            this.nodes = nodes;
            this.phi = phi;
            this.eps = eps;
            this.slope = slope;
        }

        @Override
        public ParameterSpace parameters() {
            return sur.parameters();
        }

        @Override
        public double[] q() {
            return sur.q();
        }

        @Override
        public int qSize() {
            return sur.qSize();
        }

        /** c (nq), dc/dθ (p × nq) of one row. */
        void correction(double[] t, int off, double[] c, double[] dc) {
            int p = phi.length;
            int nq = c.length;
            double r = t[off + R];
            int i;
            double u;
            if (r <= nodes[0]) {
                i = 0;
                u = 0;
            } else if (r >= nodes[nodes.length - 1]) {
                i = nodes.length - 2;
                u = 1;
            } else {
                i = Arrays.binarySearch(nodes, r);
                i = i >= 0 ? Math.min(i, nodes.length - 2) : -i - 2;
                u = (r - nodes[i]) / (nodes[i + 1] - nodes[i]);
            }
            boolean inside = r > nodes[0] && r < nodes[nodes.length - 1];
            double dudr = inside ? 1 / (nodes[i + 1] - nodes[i]) : 0;
            Arrays.fill(dc, 0);
            for (int k = 0; k < nq; k++) {
                double a = eps[i][k];
                double b = eps[i + 1][k];
                for (int j = 0; j < p; j++) {
                    if (j == R) {
                        continue;
                    }
                    double dphi = t[off + j] - phi[j];
                    a += slope[i][j][k] * dphi;
                    b += slope[i + 1][j][k] * dphi;
                    dc[j * nq + k] = (1 - u) * slope[i][j][k] + u * slope[i + 1][j][k];
                }
                c[k] = (1 - u) * a + u * b;
                dc[R * nq + k] = (b - a) * dudr;
            }
        }

        @Override
        public void evaluate(double[] theta, int batch, double[] out) {
            sur.evaluate(theta, batch, out);
            int p = phi.length;
            int nq = qSize();
            double[] c = new double[nq];
            double[] dc = new double[p * nq];
            for (int b = 0; b < batch; b++) {
                correction(theta, b * p, c, dc);
                for (int k = 0; k < nq; k++) {
                    out[b * nq + k] *= Math.exp(c[k]);
                }
            }
        }

        @Override
        public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
            int p = phi.length;
            int nq = qSize();
            double[] iSur = new double[batch * nq];
            sur.evaluate(theta, batch, iSur);
            double[] g = new double[batch * nq];
            double[] c = new double[nq];
            double[] dc = new double[p * nq];
            double[] extra = new double[batch * p];
            for (int b = 0; b < batch; b++) {
                correction(theta, b * p, c, dc);
                for (int k = 0; k < nq; k++) {
                    double f = Math.exp(c[k]);
                    g[b * nq + k] = dLdI[b * nq + k] * f;
                    double gi = dLdI[b * nq + k] * iSur[b * nq + k] * f;
                    for (int j = 0; j < p; j++) {
                        extra[b * p + j] += gi * dc[j * nq + k];
                    }
                }
            }
            sur.vectorJacobianProduct(theta, batch, g, dLdTheta);
            for (int m = 0; m < batch * p; m++) {
                dLdTheta[m] += extra[m];
            }
        }
    }
}
