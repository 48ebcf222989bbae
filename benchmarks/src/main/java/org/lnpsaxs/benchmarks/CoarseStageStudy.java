package org.lnpsaxs.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.internal.Starts;
import org.lnpsaxs.optimize.model.FitModels;
import org.lnpsaxs.optimize.model.GridWindow;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.multistart.OptimizationListener;
import org.lnpsaxs.optimize.multistart.OptimizationResult;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.PolydisperseModel;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreCdf;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

/**
 * The coarse first stage against plain L-BFGS on many curves: per curve and setting, the best
 * loss the multi-start search finds and the surrogate rows it evaluates (forward and reverse; a
 * curve costs one row per quadrature node: {@value LnpFitModel#ACCURATE_NODES} on the lnp model, N
 * on a coarse stage of N CDF nodes). The same Sobol starts for every setting; the polishing rule
 * is the fitter's (starts within 2 × the mean of the best 10 % of the coarse losses), optionally
 * with another factor.
 *
 * <p>Usage: {@code OMP_NUM_THREADS=1 java -cp benchmarks/target/benchmarks.jar
 * org.lnpsaxs.benchmarks.CoarseStageStudy STARTS SETTINGS CURVE...} with SETTINGS a comma-separated
 * list of {@code plain:H} (L-BFGS with H (s, y) pairs, no coarse stage) and {@code coarse:N[:M]}
 * (the default L-BFGS, a first stage on N CDF nodes, polishing factor M, default 2), the lnp model
 * and the scale-free loss. Prints one line per curve.
 */
public final class CoarseStageStudy {

    private CoarseStageStudy() {
    }

    /** Runs the study. */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: CoarseStageStudy STARTS plain:H,coarse:N[:M],... CURVE...");
            System.exit(2);
        }
        int starts = Integer.parseInt(args[0]);
        String[] settings = args[1].split(",");
        Surrogate surrogate = Surrogate.loadDefault();
        int threads = Runtime.getRuntime().availableProcessors();
        for (int f = 2; f < args.length; f++) {
            ScatteringCurve curve = CurveReader.defaults().read(Path.of(args[f]));
            FitProblem problem = FitProblem.of(FitModels.byName("lnp"), curve).withLoss("scale-free");
            Reparameterization reparam = new Reparameterization(problem.space());
            int d = reparam.freeSize();
            double[] u0 = Starts.unconstrained(reparam, Starts.physical(problem.space(), starts, 1L, Starts.DEFAULT_SHRINK),
                    starts);
            FitObjective onModel = new FitObjective(problem.model(), reparam, problem.loss(), null, threads, 256);
            StringBuilder line = new StringBuilder(Path.of(args[f]).getFileName().toString());
            for (String setting : settings) {
                String[] p = setting.split(":");
                double best;
                long rows;
                if (p[0].equals("plain")) {
                    Lbfgs plain = new Lbfgs(500, Integer.parseInt(p[1]), 1e-4, 8, 1.0, 2, 0.0, 0.0, 0.5, 4.0, Lbfgs.RACING, 25);
                    OptimizationResult r = plain.minimize(onModel, u0, starts, OptimizationListener.NONE);
                    best = Arrays.stream(r.values()).min().orElseThrow();
                    rows = LnpFitModel.ACCURATE_NODES * (r.evaluations() + r.gradients());
                } else if (p[0].equals("coarse")) {
                    int nodes = Integer.parseInt(p[1]);
                    double factor = p.length > 2 ? Double.parseDouble(p[2]) : 2;
                    DifferentiableModel coarse = GridWindow.of(PolydisperseModel.of(surrogate,
                            Dispersion.paper(LnpParameters.R, 101, 499).withRule(GaussLegendreCdf.of(nodes))),
                            problem.data().grid());
                    Lbfgs lbfgs = Lbfgs.defaults();
                    OptimizationResult first = lbfgs.minimize(new FitObjective(coarse, reparam, problem.loss(), null, threads,
                            256), u0, starts, OptimizationListener.NONE);
                    double[] v = first.values();
                    double[] sorted = v.clone();
                    Arrays.sort(sorted);
                    int k = Math.max(1, starts / 10);
                    double mean = Arrays.stream(sorted, 0, k).average().orElseThrow();
                    double[] u = first.u();
                    double[] chosen = new double[starts * d];
                    int m = 0;
                    for (int i = 0; i < starts; i++) {
                        if (v[i] <= factor * mean) {
                            System.arraycopy(u, i * d, chosen, m * d, d);
                            m++;
                        }
                    }
                    OptimizationResult second = lbfgs.minimize(onModel, Arrays.copyOf(chosen, m * d), m,
                            OptimizationListener.NONE);
                    best = Arrays.stream(second.values()).min().orElseThrow();
                    rows = (long) nodes * (first.evaluations() + first.gradients())
                            + LnpFitModel.ACCURATE_NODES * (second.evaluations() + second.gradients());
                } else {
                    throw new IllegalArgumentException("unknown setting '" + setting + "' (plain:H or coarse:N[:M])");
                }
                line.append(String.format(Locale.ROOT, "  %s: best %.6e, %.2f M rows", setting, best, rows / 1e6));
            }
            System.out.println(line);
        }
    }
}
