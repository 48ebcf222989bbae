package org.lnpsaxs.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.optimize.ensemble.Ensemble;
import org.lnpsaxs.optimize.ensemble.EnsembleRule;
import org.lnpsaxs.optimize.identifiability.EnsembleSample;
import org.lnpsaxs.optimize.identifiability.FisherInformation;
import org.lnpsaxs.optimize.identifiability.Identifiability;
import org.lnpsaxs.optimize.identifiability.IdentifiabilityAnalysis;
import org.lnpsaxs.optimize.identifiability.Mode;
import org.lnpsaxs.optimize.identifiability.Profile;
import org.lnpsaxs.optimize.loss.ChiSquaredLoss;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.optimize.loss.ScaleAndBackground;
import org.lnpsaxs.optimize.multistart.AdamW;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;
import org.lnpsaxs.optimize.multistart.FitObjective;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.multistart.OptimizationResult;
import org.lnpsaxs.optimize.multistart.ProgressListener;
import org.lnpsaxs.optimize.multistart.Starts;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.param.OrderedPair;
import org.lnpsaxs.optimize.param.Reparameterization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multi-start fitter: scrambled Sobol starts in the box shrunk by 5 % at each end, all
 * advanced together as one batch by the chosen optimiser (L-BFGS by default, or the paper's
 * AdamW), then the ensemble of near-optimal fits, its identifiability analysis, the Fisher
 * information at the best fit and, on request, profile likelihoods.
 *
 * <p>Immutable; configure with {@code withX(..)}. Results are reproducible: the same seed gives the
 * same numbers, whatever the thread count (the batch is cut into fixed chunks, each start's
 * arithmetic depends only on itself).
 *
 * <pre>{@code
 * FitProblem problem = FitProblem.prepare(AnalyticFitModel.sphere(), "data.dat", q, i, sigma, 0, Double.POSITIVE_INFINITY);
 * FitResult r = Fitter.defaults().withStarts(256).fit(problem);
 * r.bestParameters();                 // name -> value
 * r.identifiability().modes();        // the modes of the ensemble
 * }</pre>
 */
public final class Fitter {

    private static final Logger LOG = LoggerFactory.getLogger(Fitter.class);

    /** The default seed. */
    public static final long DEFAULT_SEED = 1L;
    /** The default number of starts. */
    public static final int DEFAULT_STARTS = 512;
    /** The default number of grid values of a profile likelihood. */
    public static final int DEFAULT_PROFILE_POINTS = 15;
    /** The default number of starts per profile point. */
    public static final int PROFILE_STARTS = 6;

    private final int starts;
    private final long seed;
    private final BatchOptimizer optimizer;
    private final String ensembleRule;
    private final int threads;
    private final int chunkSize;
    private final double shrink;
    private final List<String> profiles;
    private final int profilePoints;
    private final boolean fisher;
    private final ProgressListener progress;

    private Fitter(int starts, long seed, BatchOptimizer optimizer, String ensembleRule, int threads, int chunkSize,
                   double shrink, List<String> profiles, int profilePoints, boolean fisher, ProgressListener progress) {
        if (starts < 1) {
            throw new IllegalArgumentException("the number of starts must be at least 1, got " + starts);
        }
        if (threads < 1 || chunkSize < 1 || profilePoints < 3) {
            throw new IllegalArgumentException("threads and chunk size must be >= 1 and profile points >= 3, got "
                    + threads + ", " + chunkSize + ", " + profilePoints);
        }
        if (!"paper".equals(ensembleRule) && !"delta-chi2".equals(ensembleRule)) {
            throw new IllegalArgumentException("unknown ensemble rule '" + ensembleRule + "'; known: paper, delta-chi2");
        }
        this.starts = starts;
        this.seed = seed;
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.ensembleRule = ensembleRule;
        this.threads = threads;
        this.chunkSize = chunkSize;
        this.shrink = shrink;
        this.profiles = List.copyOf(profiles);
        this.profilePoints = profilePoints;
        this.fisher = fisher;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * The defaults: {@value #DEFAULT_STARTS} starts, seed {@value #DEFAULT_SEED}, L-BFGS
     * ({@link Lbfgs#defaults()}), the paper's ensemble rule, all available processors, chunks of
     * 256 starts, 5 % box shrink, Fisher information on, no profiles.
     */
    public static Fitter defaults() {
        return new Fitter(DEFAULT_STARTS, DEFAULT_SEED, Lbfgs.defaults(), "paper",
                Math.max(1, Runtime.getRuntime().availableProcessors()), 256, Starts.DEFAULT_SHRINK, List.of(),
                DEFAULT_PROFILE_POINTS, true, ProgressListener.NONE);
    }

    /** A copy with {@code n} starts. */
    public Fitter withStarts(int n) {
        return new Fitter(n, seed, optimizer, ensembleRule, threads, chunkSize, shrink, profiles, profilePoints, fisher, progress);
    }

    /** A copy with another seed. */
    public Fitter withSeed(long s) {
        return new Fitter(starts, s, optimizer, ensembleRule, threads, chunkSize, shrink, profiles, profilePoints, fisher, progress);
    }

    /** A copy with another optimiser ({@link AdamW#paper()}, {@link Lbfgs#defaults()}, ...). */
    public Fitter withOptimizer(BatchOptimizer o) {
        return new Fitter(starts, seed, o, ensembleRule, threads, chunkSize, shrink, profiles, profilePoints, fisher, progress);
    }

    /**
     * A copy with another ensemble rule: {@code paper} or {@code delta-chi2} (χ² only; see
     * {@link EnsembleRule.DeltaChi2#forFit}).
     */
    public Fitter withEnsembleRule(String rule) {
        return new Fitter(starts, seed, optimizer, rule, threads, chunkSize, shrink, profiles, profilePoints, fisher, progress);
    }

    /** A copy that uses {@code n} threads (results do not depend on it). */
    public Fitter withThreads(int n) {
        return new Fitter(starts, seed, optimizer, ensembleRule, n, chunkSize, shrink, profiles, profilePoints, fisher, progress);
    }

    /** A copy whose model calls hold at most {@code n} starts (bounds memory; results do not depend on it). */
    public Fitter withChunkSize(int n) {
        return new Fitter(starts, seed, optimizer, ensembleRule, threads, n, shrink, profiles, profilePoints, fisher, progress);
    }

    /** A copy whose starts leave out {@code fraction} of each box width at each end (default 0.05). */
    public Fitter withShrink(double fraction) {
        return new Fitter(starts, seed, optimizer, ensembleRule, threads, chunkSize, fraction, profiles, profilePoints, fisher, progress);
    }

    /** A copy that computes profile likelihoods of these free parameters. */
    public Fitter withProfiles(List<String> names) {
        return new Fitter(starts, seed, optimizer, ensembleRule, threads, chunkSize, shrink, names, profilePoints, fisher, progress);
    }

    /** A copy whose profiles have {@code n} grid values. */
    public Fitter withProfilePoints(int n) {
        return new Fitter(starts, seed, optimizer, ensembleRule, threads, chunkSize, shrink, profiles, n, fisher, progress);
    }

    /** A copy with (or without) the Fisher information at the best fit. */
    public Fitter withFisher(boolean on) {
        return new Fitter(starts, seed, optimizer, ensembleRule, threads, chunkSize, shrink, profiles, profilePoints, on, progress);
    }

    /** A copy that reports progress to {@code listener} (besides the log). */
    public Fitter withProgress(ProgressListener listener) {
        return new Fitter(starts, seed, optimizer, ensembleRule, threads, chunkSize, shrink, profiles, profilePoints, fisher, listener);
    }

    /** The number of starts. */
    public int starts() {
        return starts;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** The optimiser. */
    public BatchOptimizer optimizer() {
        return optimizer;
    }

    /** The ensemble rule's name. */
    public String ensembleRule() {
        return ensembleRule;
    }

    /** Runs the fit and its analysis. */
    public FitResult fit(FitProblem problem) {
        long t0 = System.nanoTime();
        FitSpace space = problem.space();
        DifferentiableModel model = problem.model();
        Loss loss = problem.loss();
        int from = problem.modelFrom();
        int p = space.size();
        int[] free = space.freeIndices();
        int d = free.length;
        if (d == 0) {
            throw new IllegalArgumentException("every parameter is fixed: nothing to fit");
        }
        if ("delta-chi2".equals(ensembleRule) && !(loss instanceof ChiSquaredLoss)) {
            throw new IllegalArgumentException("the delta-chi2 ensemble rule needs the chi2 loss");
        }
        for (String name : profiles) {
            if (space.isFixed(name)) {
                throw new IllegalArgumentException("cannot profile " + name + ": it is fixed; profile a free parameter: "
                        + String.join(", ", space.freeNames()));
            }
        }
        Reparameterization reparam = new Reparameterization(space);
        FitObjective objective = new FitObjective(model, reparam, loss, from, null, threads, chunkSize);
        double[] theta0 = Starts.physical(space, starts, seed, shrink);
        double[] u0 = Starts.unconstrained(reparam, theta0, starts);
        LOG.info("fitting {} to {} ({} points, loss {}): {} starts, {} free parameters, optimiser {}",
                problem.fitModel().name(), problem.data().source(), problem.data().size(), loss.name(), starts, d,
                optimizer.name());
        OptimizationResult opt = optimizer.minimize(objective, u0, starts, progress);
        int[] ids = new int[starts];
        for (int i = 0; i < starts; i++) {
            ids[i] = i;
        }
        double[] theta = objective.physical(ids, opt.u(), starts);
        double[] losses = opt.values();

        Ensemble ensemble = rule(loss, losses, d).select(losses);
        int best = ensemble.members()[0];
        LOG.info("best loss {} (start {}); ensemble of {} ({})", losses[best], best, ensemble.size(), ensemble.rule());

        // curves of the ensemble members, on the data's scale
        int m = ensemble.size();
        double[] memberTheta = new double[m * p];
        for (int k = 0; k < m; k++) {
            System.arraycopy(theta, ensemble.members()[k] * p, memberTheta, k * p, p);
        }
        double[][] aligned = alignedCurves(problem, memberTheta, m);
        int n = loss.size();
        double[] lower = aligned[0].clone();
        double[] upper = aligned[0].clone();
        for (int k = 1; k < m; k++) {
            for (int i = 0; i < n; i++) {
                lower[i] = Math.min(lower[i], aligned[k][i]);
                upper[i] = Math.max(upper[i], aligned[k][i]);
            }
        }
        double[] bestTheta = Arrays.copyOfRange(theta, best * p, (best + 1) * p);
        double[] q = problem.data().q();

        EnsembleSample sample = sample(space, theta, losses, ensemble);
        Identifiability id = IdentifiabilityAnalysis.analyse(sample, freeValues -> {
            double[] full = bestTheta.clone();
            for (int k = 0; k < d; k++) {
                full[free[k]] = freeValues[k];
            }
            return problem.fitModel().sizeDistribution(full, q);
        }, seed);
        if (fisher) {
            List<String> names = space.freeNames();
            double[] lo = new double[d];
            double[] hi = new double[d];
            for (int k = 0; k < d; k++) {
                lo[k] = space.box().get(free[k]).lower();
                hi[k] = space.box().get(free[k]).upper();
            }
            FisherInformation fi = IdentifiabilityAnalysis.fisher(model, from, loss, bestTheta, free, names, lo, hi, threads);
            id = id.withFisher(fi);
        }
        if (!profiles.isEmpty()) {
            List<Profile> list = new ArrayList<>();
            for (String name : profiles) {
                list.add(profile(problem, name, theta, losses, ensemble, id, best));
            }
            id = id.withProfiles(list);
        }
        ScaleAndBackground sb = null;
        Double reduced = null;
        if (loss instanceof ChiSquaredLoss chi) {
            double[] curve = model.evaluate(bestTheta);
            sb = chi.scaleAndBackground(Arrays.copyOfRange(curve, from, from + n));
            int dof = problem.data().pointsUsed() - d - (chi.fitsBackground() ? 2 : 1);
            reduced = dof > 0 ? losses[best] / dof : null;
        }
        double runtime = (System.nanoTime() - t0) * 1e-9;
        LOG.info("fit done in {} s: {} mode(s)", String.format(java.util.Locale.ROOT, "%.1f", runtime), id.modes().count());
        return new FitResult(problem, optimizer, seed, runtime, theta, losses, opt.steps(), opt.converged(),
                opt.evaluations(), opt.gradients(), best, ensemble, id, aligned[0], lower, upper, sb, reduced,
                problem.fitModel().sizeDistribution(bestTheta, q));
    }

    private EnsembleRule rule(Loss loss, double[] losses, int d) {
        if ("paper".equals(ensembleRule)) {
            return EnsembleRule.paper();
        }
        if (!(loss instanceof ChiSquaredLoss chi)) {
            throw new IllegalArgumentException("the delta-chi2 ensemble rule needs the chi2 loss");
        }
        double min = Double.POSITIVE_INFINITY;
        for (double v : losses) {
            min = Math.min(min, v);
        }
        int points = (int) Math.round(chi.size() * chi.pointWeight());
        return EnsembleRule.DeltaChi2.forFit(d, min, points - d - (chi.fitsBackground() ? 2 : 1));
    }

    /** Model curves of {@code m} parameter sets, cut to the fitting grid and aligned to the data by the loss. */
    static double[][] alignedCurves(FitProblem problem, double[] theta, int m) {
        DifferentiableModel model = problem.model();
        int nq = model.qSize();
        int n = problem.loss().size();
        int from = problem.modelFrom();
        double[] curves = new double[m * nq];
        model.evaluate(theta, m, curves);
        double[][] out = new double[m][];
        for (int k = 0; k < m; k++) {
            out[k] = problem.loss().align(Arrays.copyOfRange(curves, k * nq + from, k * nq + from + n));
        }
        return out;
    }

    private static EnsembleSample sample(FitSpace space, double[] theta, double[] losses, Ensemble ensemble) {
        int p = space.size();
        int[] free = space.freeIndices();
        int d = free.length;
        int m = ensemble.size();
        double[][] v = new double[m][d];
        double[] l = new double[m];
        List<String> names = new ArrayList<>();
        List<String> units = new ArrayList<>();
        double[] lo = new double[d];
        double[] hi = new double[d];
        for (int k = 0; k < d; k++) {
            Parameter par = space.box().get(free[k]);
            names.add(par.name());
            units.add(par.unit());
            lo[k] = par.lower();
            hi[k] = par.upper();
        }
        for (int i = 0; i < m; i++) {
            int s = ensemble.members()[i];
            for (int k = 0; k < d; k++) {
                v[i][k] = theta[s * p + free[k]];
            }
            l[i] = losses[s];
        }
        return new EnsembleSample(names, units, lo, hi, v, l, ensemble.members().clone());
    }

    /**
     * A profile likelihood: the parameter is held at {@link #profilePoints} values — half of them
     * (rounded up) centred on the best fit, ±4 Fisher standard errors for χ², or ± the ensemble's
     * 5–95 % range (at least 2 % of the box) for the scale-free loss, and the rest spread over
     * 95 % of the box (so that other modes show) — and at each value L-BFGS re-optimises the
     * others from {@value #PROFILE_STARTS} ensemble members (the best member of every mode first,
     * then the best remaining ones), all values and starts in one batch; the profile is the lowest
     * loss per value.
     */
    private Profile profile(FitProblem problem, String name, double[] theta, double[] losses, Ensemble ensemble,
                            Identifiability id, int best) {
        FitSpace space = problem.space();
        int p = space.size();
        int j = space.box().indexOf(name);
        Parameter par = space.box().get(j);
        double lo = par.lower();
        double hi = par.upper();
        double bestValue = theta[best * p + j];
        double half = Double.NaN;
        if (id.fisher() != null && id.fisher().standardErrors() != null && id.fisher().standardErrors().get(name) != null) {
            half = 4 * id.fisher().standardErrors().get(name);
        }
        if (!(half > 0)) {
            for (var spread : id.spreads()) {
                if (spread.name().equals(name)) {
                    half = spread.p95() - spread.p05();
                }
            }
            half = Math.max(half, 0.02 * (hi - lo));
        }
        FitSpace fixedSpace = space.withFixed(name, 0.5 * (lo + hi));
        Reparameterization reparam = new Reparameterization(fixedSpace);
        // seeds of the profile: best member of each mode, then the ensemble's best others
        List<Integer> seeds = new ArrayList<>();
        for (Mode mode : id.modes().modes()) {
            if (seeds.size() < PROFILE_STARTS) {
                seeds.add(mode.bestStart());
            }
        }
        for (int s : ensemble.members()) {
            if (seeds.size() >= PROFILE_STARTS) {
                break;
            }
            if (!seeds.contains(s)) {
                seeds.add(s);
            }
        }
        int k = profilePoints;
        int local = (k + 1) / 2;
        double a = Math.max(lo, bestValue - half);
        double b = Math.min(hi, bestValue + half);
        double[] values = new double[k];
        for (int g = 0; g < local; g++) {
            values[g] = a + (b - a) * g / (local - 1);
        }
        for (int g = local; g < k; g++) {
            int t = g - local;
            values[g] = lo + (hi - lo) * (0.025 + 0.95 * (k - local == 1 ? 0.5 : (double) t / (k - local - 1)));
        }
        Arrays.sort(values);
        int per = seeds.size();
        int batch = k * per;
        double[] base = new double[batch * p];
        for (int g = 0; g < k; g++) {
            for (int s = 0; s < per; s++) {
                int row = g * per + s;
                System.arraycopy(theta, seeds.get(s) * p, base, row * p, p);
                base[row * p + j] = values[g];
                keepOrdering(space, base, row * p, j);
            }
        }
        double[] u0 = new double[batch * reparam.freeSize()];
        reparam.toFree(base, batch, u0);
        FitObjective objective = new FitObjective(problem.model(), reparam, problem.loss(), problem.modelFrom(), base,
                threads, chunkSize);
        OptimizationResult r = Lbfgs.defaults().withLogEvery(1000).minimize(objective, u0, batch, ProgressListener.NONE);
        double[] prof = new double[k];
        for (int g = 0; g < k; g++) {
            double min = Double.POSITIVE_INFINITY;
            for (int s = 0; s < per; s++) {
                min = Math.min(min, r.values()[g * per + s]);
            }
            prof[g] = min;
        }
        double bestLoss = losses[best];
        Double lower68 = null;
        Double upper68 = null;
        if (problem.loss() instanceof ChiSquaredLoss) {
            double level = bestLoss + 1.0;
            lower68 = crossing(values, prof, level, bestValue, true);
            upper68 = crossing(values, prof, level, bestValue, false);
        }
        LOG.info("profile of {}: {} values x {} starts", name, k, per);
        return new Profile(name, par.unit(), values, prof, bestLoss, problem.loss().name(), lower68, upper68);
    }

    /** Moves the partner of {@code j} in an ordered pair so that the ordering holds with θ_j set. */
    private static void keepOrdering(FitSpace space, double[] row, int o, int j) {
        for (OrderedPair pair : space.orderedPairs()) {
            int a = space.box().indexOf(pair.first());
            int b = space.box().indexOf(pair.second());
            if (a == j && row[o + b] < row[o + j]) {
                row[o + b] = row[o + j];
            } else if (b == j && row[o + a] > row[o + j]) {
                row[o + a] = row[o + j];
            }
        }
    }

    /**
     * Where the profile crosses {@code level} on one side of the best value (linear interpolation),
     * or {@code null} when it stays below the level up to the end of the grid.
     */
    static Double crossing(double[] x, double[] y, double level, double bestValue, boolean below) {
        int n = x.length;
        if (below) {
            for (int i = n - 1; i > 0; i--) {
                if (x[i - 1] < bestValue && y[i - 1] > level && y[i] <= level) {
                    return x[i - 1] + (x[i] - x[i - 1]) * (y[i - 1] - level) / (y[i - 1] - y[i]);
                }
            }
        } else {
            for (int i = 0; i < n - 1; i++) {
                if (x[i + 1] > bestValue && y[i] <= level && y[i + 1] > level) {
                    return x[i] + (x[i + 1] - x[i]) * (level - y[i]) / (y[i + 1] - y[i]);
                }
            }
        }
        return null;
    }
}
