package org.lnpsaxs.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.EntrySelector;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.identifiability.Mode;
import org.lnpsaxs.optimize.identifiability.ParameterSpread;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.model.FitModels;
import org.lnpsaxs.optimize.multistart.AdamW;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.multistart.OptimizationListener;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;

/**
 * Convergence tests and retirement side by side: the same fit problem, the same Sobol starts,
 * full fits (ensemble and identifiability analysis, no Fisher information) with several
 * optimiser settings; the first is the reference the others are compared with. Prints, per
 * setting, the work in load-independent counts (iterations, forward and reverse evaluations per
 * start) and CPU seconds, the best loss, the ensemble and its modes; against the reference: the
 * difference of the best loss, the mode recall (every reference mode matched by a mode whose
 * centre lies within 5 % of every box width, and back) and the ensemble ranges (5th and 95th
 * percentiles, differences in box widths). For the reference it also prints the racing study:
 * at iterations k, how far above the mean of the best 10 % the future ensemble members still were
 * (the smallest safe margin) and what retiring at a margin m would save.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar org.lnpsaxs.benchmarks.ConvergenceComparison
 * PROBLEM STARTS SETTING...} with PROBLEM {@code example} (examples/lnp_synthetic.dat, model lnp,
 * as the README's command; run from the repository root), {@code latex} (SasView's latex_smeared.xml, its
 * SANS entry with the data's resolution, model sphere, χ²), {@code lnp=FILE} (the curve in FILE, model lnp,
 * scale-free loss) or {@code css} (a core_shell_sphere curve,
 * 200 q points, 1 % Gaussian noise, seed 3, χ² loss), and each SETTING one of {@code today}
 * (relative decrease ≤ 10⁻¹⁰ for 3 iterations, no racing: the earlier default), {@code noise}
 * (the noise test, no racing), {@code raced} (the default: noise test and racing),
 * {@code raced:K:M} (racing from iteration K with margin M), {@code rel:T:P} (the default with the relative-decrease test on as well: T for P iterations),
 * {@code pinned:U} (the default with bound pinning beyond |u| = U), {@code unpinned} (the default
 * without bound pinning: the default before 2026-12-06), {@code history:H} (the default with
 * H (s, y) pairs per start), {@code staged} (the default with the coarse first stage, as
 * {@code lnpsaxs fit}; every other setting runs without it), {@code staged:H} (the same with H pairs), {@code adamw:T} (the paper's AdamW, T steps, every start to the end), {@code adamw-raced:T} (the same with
 * its default racing, {@link AdamW.Racing#PAPER}; {@code -Dschedule=0.7:100,0.8:10} evaluates another
 * schedule on the reference run as well). PROBLEM {@code example-paper} is {@code example} with the paper's
 * size quadrature ({@code --quadrature paper}, as the paper's protocol runs). Numbers depend on the machine's load only through the CPU and wall seconds.
 */
public final class ConvergenceComparison {

    private ConvergenceComparison() {
    }

    /** One run's outcome. */
    private record Run(String setting, FitResult result, double cpuSeconds, double wallSeconds, List<double[]> trajectory,
                       int retired) {
    }

    /** Runs the comparison. */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ConvergenceComparison example|css STARTS SETTING... (today, noise, raced, raced:K:M, adamw:T)");
            System.exit(2);
        }
        FitProblem problem = problem(args[0]);
        int starts = Integer.parseInt(args[1]);
        System.out.printf(Locale.ROOT, "problem %s: %s, %d points, loss %s, %d starts; %d processors, load average %.2f%n",
                args[0], problem.fitModel().name(), problem.data().size(), problem.loss().name(), starts,
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Run> runs = new ArrayList<>();
        for (int a = 2; a < args.length; a++) {
            runs.add(run(problem, starts, args[a]));
            print(runs.get(runs.size() - 1), runs.get(0));
        }
        racingStudy(runs.get(0));
    }

    static FitProblem problem(String name) throws IOException {
        if (name.startsWith("lnp=")) {
            // any curve file, fitted as the calibration study's scale-free fits are (model lnp)
            ScatteringCurve curve = CurveReader.defaults().read(Path.of(name.substring(4)));
            return FitProblem.of(FitModels.byName("lnp"), curve).withLoss("scale-free");
        }
        switch (name) {
            case "example": {
                ScatteringCurve curve = CurveReader.defaults().read(Path.of("examples/lnp_synthetic.dat"));
                return FitProblem.of(FitModels.byName("lnp"), curve, 0, Double.POSITIVE_INFINITY);
            }
            case "example-paper": {
                ScatteringCurve curve = CurveReader.defaults().read(Path.of("examples/lnp_synthetic.dat"));
                return FitProblem.of(FitModels.byName("lnp").withQuadrature(Quadrature.parse("paper")), curve, 0,
                        Double.POSITIVE_INFINITY);
            }
            case "css": {
                FitModel fm = AnalyticFitModel.coreShellSphere();
                Map<String, Double> t = new LinkedHashMap<>();
                t.put("scale", 0.02);
                t.put("background", 0.001);
                t.put("radius_mean", 150.0);
                t.put("radius_cv", 0.15);
                t.put("thickness", 30.0);
                t.put("sld_core", 1.5);
                t.put("sld_shell", 2.0);
                t.put("sld_solvent", 3.0);
                return FitProblem.of(fm, noisyCurve(fm, t, QGrid.log(0.005, 0.3, 200), 0.01, 3));
            }
            case "latex": {
                // SasView's latex spheres, the SANS entry with its pinhole resolution (docs/fitting.md)
                ScatteringCurve curve = CurveReader.defaults().withEntry(EntrySelector.parse("1"))
                        .read(Path.of("core/src/test/resources/sasdata/latex_smeared.xml"));
                return FitProblem.of(FitModels.byName("sphere"), curve);
            }
            default:
                throw new IllegalArgumentException("unknown problem '" + name + "'; known: example, css, latex");
        }
    }

    /** The model's curve at {@code truth} with Gaussian noise of {@code rel} × I and σ = rel × I. */
    static ScatteringCurve noisyCurve(FitModel fm, Map<String, Double> truth, QGrid q, double rel, long seed) {
        DifferentiableModel m = fm.bind(q).model();
        double[] th = new double[m.parameters().size()];
        for (int j = 0; j < th.length; j++) {
            th[j] = truth.get(m.parameters().get(j).name());
        }
        double[] i = m.evaluate(th);
        double[] s = new double[i.length];
        Random r = new Random(seed);
        for (int k = 0; k < i.length; k++) {
            s[k] = rel * i[k];
            i[k] += s[k] * r.nextGaussian();
        }
        return ScatteringCurve.of(q.values(), i, s).withSource("core_shell_sphere, 1 % noise");
    }

    static BatchOptimizer optimizer(String setting) {
        String[] p = setting.split(":");
        switch (p[0]) {
            case "today":
                return Lbfgs.relativeDecrease();
            case "noise":
                return Lbfgs.defaults().withRacing(Lbfgs.Racing.OFF);
            case "raced":
                return p.length == 3
                        ? Lbfgs.defaults().withRacing(new Lbfgs.Racing(Integer.parseInt(p[1]), 0.1, Double.parseDouble(p[2])))
                        : Lbfgs.defaults();
            case "staged":
                return p.length == 2 ? new Lbfgs(500, Integer.parseInt(p[1]), 1e-4, 8, 1.0, 2, 0.0, 0.0, 0.5, 4.0,
                        Lbfgs.RACING, 25) : Lbfgs.defaults();
            case "rel":
                return Lbfgs.defaults().withRelativeTolerance(Double.parseDouble(p[1]), Integer.parseInt(p[2]));
            case "history":
                return new Lbfgs(500, Integer.parseInt(p[1]), 1e-4, 8, 1.0, 2, 0.0, 0.0, 0.5, 4.0, Lbfgs.RACING, 25);
            case "pinned":
                return Lbfgs.defaults().withBoundPinning(Double.parseDouble(p[1]));
            case "unpinned":
                return Lbfgs.defaults().withBoundPinning(0);
            case "adamw":
                return (p.length == 2 ? AdamW.paper().withSteps(Integer.parseInt(p[1])) : AdamW.paper())
                        .withRacing(AdamW.Racing.OFF);
            case "adamw-raced":
                return p.length == 2 ? AdamW.paper().withSteps(Integer.parseInt(p[1])) : AdamW.paper();
            default:
                throw new IllegalArgumentException("unknown setting '" + setting + "'");
        }
    }

    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() * 1e-9;
        }
        return Double.NaN;
    }

    private static Run run(FitProblem problem, int starts, String setting) {
        List<double[]> trajectory = new ArrayList<>();
        OptimizationListener listener = new OptimizationListener() {
            @Override
            public void onProgress(Progress progress) {
            }

            @Override
            public void onLosses(int step, double[] losses) {
                trajectory.add(losses);
            }
        };
        BatchOptimizer opt = optimizer(setting);
        double cpu0 = processCpuSeconds();
        long t0 = System.nanoTime();
        FitResult r = Fitter.defaults().withStarts(starts).withFisher(false).withOptimizer(opt).withProgress(listener)
                .withCoarseStage(setting.startsWith("staged")).fit(problem);
        double wall = (System.nanoTime() - t0) * 1e-9;
        double cpu = processCpuSeconds() - cpu0;
        // a start that stopped unconverged before the iteration cap (L-BFGS) or before the last step (AdamW) was retired
        int retired = 0;
        if (opt instanceof Lbfgs l) {
            for (int s = 0; s < starts; s++) {
                retired += !r.converged()[s] && r.steps()[s] < l.maxIterations() ? 1 : 0;
            }
        }
        if (opt instanceof AdamW a) {
            for (int s = 0; s < starts; s++) {
                retired += r.steps()[s] < a.steps() ? 1 : 0;
            }
        }
        return new Run(setting, r, cpu, wall, trajectory, retired);
    }

    private static void print(Run run, Run ref) {
        FitResult r = run.result();
        int n = r.starts();
        long steps = Arrays.stream(r.steps()).asLongStream().sum();
        System.out.printf(Locale.ROOT, "%n== %s: %.1f CPU s, %.1f wall s; %.1f iterations, %.1f forward and %.1f reverse "
                        + "evaluations per start; %d converged, %d retired, %d at the limit%n", run.setting(), run.cpuSeconds(),
                run.wallSeconds(), (double) steps / n, (double) r.evaluations() / n, (double) r.gradients() / n,
                r.convergedStarts(), run.retired(), n - r.convergedStarts() - run.retired());
        System.out.printf(Locale.ROOT, "   best loss %.10e (start %d), ensemble %d (threshold %.6e), %d mode(s)%n", r.bestLoss(),
                r.best(), r.ensemble().size(), r.ensemble().threshold(), r.identifiability().modes().count());
        for (Mode m : r.identifiability().modes().modes()) {
            System.out.printf(Locale.ROOT, "   mode %d: %d members, best loss %.6e, centre %s%n", m.index(), m.size(), m.bestLoss(),
                    short6(m.centre()));
        }
        for (ParameterSpread s : r.identifiability().spreads()) {
            System.out.printf(Locale.ROOT, "   %-20s p05 %-11.5g p95 %-11.5g (%.3f of box)%n", s.name(), s.p05(), s.p95(),
                    s.relativeSpread());
        }
        if (run == ref) {
            return;
        }
        FitResult a = ref.result();
        System.out.printf(Locale.ROOT, "   against %s: work %.2fx the iterations, %.2fx the forward, %.2fx the reverse "
                        + "evaluations, %.2fx the CPU; best loss %+.3e (relative %+.2e)%n", ref.setting(),
                (double) steps / Arrays.stream(a.steps()).asLongStream().sum(), (double) r.evaluations() / a.evaluations(),
                (double) r.gradients() / a.gradients(), run.cpuSeconds() / ref.cpuSeconds(), r.bestLoss() - a.bestLoss(),
                (r.bestLoss() - a.bestLoss()) / a.bestLoss());
        System.out.printf(Locale.ROOT, "   mode recall: %d of %d reference modes matched, %d of %d modes have a reference mode"
                        + " (centres within 0.05 of every box width)%n", matched(a, r), a.identifiability().modes().count(),
                matched(r, a), r.identifiability().modes().count());
        double worst = 0;
        for (int k = 0; k < a.identifiability().spreads().size(); k++) {
            ParameterSpread x = a.identifiability().spreads().get(k);
            ParameterSpread y = r.identifiability().spreads().get(k);
            double w = x.upper() - x.lower();
            double d = Math.max(Math.abs(x.p05() - y.p05()), Math.abs(x.p95() - y.p95())) / w;
            worst = Math.max(worst, d);
            System.out.printf(Locale.ROOT, "   %-20s range %.5g..%.5g vs %.5g..%.5g: ends differ by %.4f of the box%n", x.name(),
                    y.p05(), y.p95(), x.p05(), x.p95(), d);
        }
        System.out.printf(Locale.ROOT, "   largest difference of an ensemble range end: %.4f of the box width%n", worst);
    }

    private static String short6(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Double> e : m.entrySet()) {
            sb.append(sb.length() > 1 ? ", " : "").append(e.getKey()).append('=')
                    .append(String.format(Locale.ROOT, "%.5g", e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** How many modes of {@code a} have a mode of {@code b} whose centre is within 5 % of every box width. */
    private static int matched(FitResult a, FitResult b) {
        List<ParameterSpread> spreads = a.identifiability().spreads();
        int c = 0;
        for (Mode ma : a.identifiability().modes().modes()) {
            for (Mode mb : b.identifiability().modes().modes()) {
                boolean near = true;
                for (ParameterSpread s : spreads) {
                    double w = s.upper() - s.lower();
                    near &= Math.abs(ma.centre().get(s.name()) - mb.centre().get(s.name())) <= 0.05 * w;
                }
                if (near) {
                    c++;
                    break;
                }
            }
        }
        return c;
    }

    /**
     * For the run without racing: at iterations k, the mean of the best 10 % of the losses, the
     * largest ratio of a future ensemble member's loss to it (racing with a smaller margin than
     * this at k would have lost that member), and per margin m the starts that would have
     * retired at k and the iterations that would have saved.
     */
    private static void racingStudy(Run run) {
        List<double[]> t = run.trajectory();
        if (t.isEmpty()) {
            return;
        }
        FitResult r = run.result();
        int n = r.starts();
        boolean[] member = new boolean[n];
        for (int s : r.ensemble().members()) {
            member[s] = true;
        }
        // the starts whose final loss is among the best tenth (the ensemble rule's reference)
        boolean[] tenth = new boolean[n];
        Integer[] order = new Integer[n];
        for (int s = 0; s < n; s++) {
            order[s] = s;
        }
        double[] finalLoss = r.losses();
        Arrays.sort(order, (x, y) -> Double.compare(finalLoss[x], finalLoss[y]));
        for (int i = 0; i < (int) Math.ceil(0.1 * n); i++) {
            tenth[order[i]] = true;
        }
        int[] modeOf = new int[n];
        Arrays.fill(modeOf, -1);
        int[] ms = r.ensemble().members();
        for (int k = 0; k < ms.length; k++) {
            modeOf[ms[k]] = r.identifiability().modes().label(k);
        }
        System.out.printf(Locale.ROOT, "%nracing study on %s (%d iterations recorded): k, mean of the best 10%%, largest "
                + "member/mean ratio; per margin m: starts retired at k (members among them), iterations saved%n",
                run.setting(), t.size());
        double[] margins = {1.5, 2, 3, 10, 30, 100, 1000};
        for (int k : new int[] {10, 25, 50, 100, 150, 200, 250, 300, 350, 400, 500, 600, 700, 800, 900}) {
            if (k > t.size()) {
                break;
            }
            double[] f = t.get(k - 1);
            double mean = meanOfBest(f, 0.1);
            double worst = 0;
            double worstTenth = 0;
            for (int s = 0; s < n; s++) {
                if (member[s]) {
                    worst = Math.max(worst, f[s] / mean);
                }
                if (tenth[s]) {
                    worstTenth = Math.max(worstTenth, f[s] / mean);
                }
            }
            StringBuilder sb = new StringBuilder();
            for (double m : margins) {
                int out = 0;
                int lost = 0;
                long saved = 0;
                java.util.Set<Integer> modesLost = new java.util.TreeSet<>();
                for (int s = 0; s < n; s++) {
                    if (f[s] > m * mean && r.steps()[s] > k) {
                        out++;
                        saved += r.steps()[s] - k;
                        if (member[s]) {
                            lost++;
                            modesLost.add(modeOf[s]);
                        }
                    }
                }
                sb.append(String.format(Locale.ROOT, "; m=%g: %d (%d members, of modes %s), %d saved", m, out, lost, modesLost,
                        saved));
            }
            System.out.printf(Locale.ROOT, "  k=%d: mean %.4e, largest ratio %.3g (of the final best tenth %.3g)%s%n", k, mean,
                    worst, worstTenth, sb);
        }
        schedule(t, r, member, tenth, AdamW.Racing.PAPER);
        String other = System.getProperty("schedule");
        if (other != null && !other.isBlank()) {
            // -Dschedule=F:M,F:M...: checks after the fractions F of the steps with margins M
            String[] parts = other.split(",");
            double[] at = new double[parts.length];
            double[] m = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                String[] fm = parts[i].split(":");
                at[i] = Double.parseDouble(fm[0]);
                m[i] = Double.parseDouble(fm[1]);
            }
            schedule(t, r, member, tenth, new AdamW.Racing(at, m, AdamW.Racing.PAPER.bestShare()));
        }
    }

    /** The mean of the smallest ⌈share·n⌉ of the n values (the racing reference). */
    private static double meanOfBest(double[] f, double share) {
        double[] sorted = f.clone();
        Arrays.sort(sorted);
        int best = (int) Math.ceil(share * f.length);
        double mean = 0;
        for (int i = 0; i < best; i++) {
            mean += sorted[i];
        }
        return mean / best;
    }

    /**
     * What a racing schedule (checks at fractions of the recorded steps, as {@link AdamW.Racing})
     * would have done to this run without racing: per check, the starts it stops, the ensemble
     * members and final best-tenth starts among them, and the start-steps saved in all.
     */
    private static void schedule(List<double[]> t, FitResult r, boolean[] member, boolean[] tenth, AdamW.Racing racing) {
        int n = r.starts();
        int steps = t.size();
        boolean[] out = new boolean[n];
        long saved = 0;
        long total = 0;
        for (int s = 0; s < n; s++) {
            total += r.steps()[s];
        }
        System.out.printf(Locale.ROOT, "schedule %s over %d recorded steps:%n", racing, steps);
        double[] at = racing.at();
        double[] margins = racing.margins();
        for (int i = 0; i < at.length; i++) {
            int k = (int) Math.max(1, Math.round(at[i] * steps));
            double[] f = t.get(k - 1);
            double mean = meanOfBest(f, racing.bestShare());
            int now = 0;
            int lostMembers = 0;
            int lostTenth = 0;
            for (int s = 0; s < n; s++) {
                if (!out[s] && f[s] > margins[i] * mean && r.steps()[s] > k) {
                    out[s] = true;
                    now++;
                    saved += r.steps()[s] - k;
                    lostMembers += member[s] ? 1 : 0;
                    lostTenth += tenth[s] ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "  after step %d (margin %g): %d stop; ensemble members among them %d, final best-tenth "
                    + "starts %d%n", k, margins[i], now, lostMembers, lostTenth);
        }
        System.out.printf(Locale.ROOT, "  start-steps saved %d of %d (%.1f %%)%n", saved, total, 100.0 * saved / total);
    }
}
