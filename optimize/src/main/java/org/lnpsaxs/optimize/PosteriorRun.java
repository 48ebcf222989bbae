package org.lnpsaxs.optimize;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.optimize.ensemble.Ensemble;
import org.lnpsaxs.optimize.identifiability.Identifiability;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.loss.ChiSquaredLoss;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.LossType;
import org.lnpsaxs.optimize.model.Symmetry;
import org.lnpsaxs.optimize.multistart.OptimizationListener;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.posterior.BatchLogDensity;
import org.lnpsaxs.optimize.posterior.Chain;
import org.lnpsaxs.optimize.posterior.Convergence;
import org.lnpsaxs.optimize.posterior.Determination;
import org.lnpsaxs.optimize.posterior.EnsembleRun;
import org.lnpsaxs.optimize.posterior.EnsembleSampler;
import org.lnpsaxs.optimize.posterior.FitPosterior;
import org.lnpsaxs.optimize.posterior.Initialization;
import org.lnpsaxs.optimize.posterior.Marginal;
import org.lnpsaxs.optimize.posterior.ModeWeights;
import org.lnpsaxs.optimize.posterior.HamiltonianRun;
import org.lnpsaxs.optimize.posterior.PosteriorSettings;
import org.lnpsaxs.optimize.posterior.SizePosterior;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The posterior phase of a fit (see {@link Fitter#withPosterior}): the log posterior over the
 * fit's unconstrained coordinates through the same batched objective the optimiser uses, walkers
 * started from the multi-start modes (and their mirror images under the model's exact
 * symmetries) in equal shares, moves kept within a walker's mode and jumps between modes
 * ({@link EnsembleSampler#withWithinModeMoves}), sampling until the folded chain passes its
 * convergence criteria or the step budget is spent, and the summaries. An ordering of the fit space
 * that is the canonical image of an exact relabelling symmetry ({@link Symmetry#canonicalOrdering()})
 * is not a wall for the sampler: it samples the whole box, where the two labellings meet
 * continuously, and folds the draws onto the ordering (the same posterior, reached without crossing
 * a wall). Not a user class.
 */
final class PosteriorRun {

    private static final Logger LOG = LoggerFactory.getLogger(Fitter.class);
    /**
     * Modes whose best loss exceeds the best by more than this many units of ln p are not started:
     * their peak density is below e^-10 = 4.5e-5 of the best, so unless they were vastly broader
     * they hold no posterior mass, and walkers started there stay stuck (measured on the lnp
     * example: a mirror pair of modes 12 units below the best held 56 % of the walkers after
     * 6000 steps).
     */
    static final double MAX_LOG_DENSITY_GAP = 10;
    /** Starting ball: this share of a mode's member spread in u, within [MIN_SPREAD, MAX_SPREAD]. */
    private static final double SPREAD_SHARE = 0.25;
    private static final double MIN_SPREAD = 1e-4;
    private static final double MAX_SPREAD = 0.3;
    /** Draws summarised for the size posterior at most (evenly spaced over the steps, cycling over the walkers). */
    private static final int SIZE_DRAWS = 400;
    /**
     * Steps of the ensemble pilot before Hamiltonian Monte Carlo: its walkers' spread gives HMC its
     * first metric and its walkers the chains' starting points.
     */
    static final int PILOT_STEPS = 200;
    /** Default number of HMC chains (R-hat needs several; each costs a full set of gradients per leapfrog step). */
    static final int HMC_CHAINS = 8;
    /** Warm-up windows of Hamiltonian Monte Carlo (iterations); the metric is re-estimated after each but the last. */
    static final int[] HMC_WARMUP = {50, 50, 100, 50};
    /** Kept HMC iterations before the first convergence check. */
    static final int HMC_FIRST_CHECK = 150;
    /** Steps per progress report. */
    private static final int REPORT_EVERY = 50;
    /** A mirror image lying within this share of every box width of an existing start is not started again. */
    private static final double SAME_START = 0.02;

    private final FitProblem problem;
    private final FitSettings settings;
    private final PosteriorSettings ps;
    private final OptimizationListener progress;
    private final FitSpace space;
    /** The space the sampler moves in: {@link #space} without the orderings that relabelling symmetries fold onto. */
    private final FitSpace samplingSpace;
    /** The symmetries whose canonical ordering was lifted for sampling (no mirror starts, no mirror jumps). */
    private final java.util.Set<String> lifted;
    private final Reparameterization reparam;
    private final int p;
    private final int[] free;
    private final List<String> names;

    PosteriorRun(FitProblem problem, FitSettings settings, OptimizationListener progress) {
        this.problem = problem;
        this.settings = settings;
        this.ps = settings.posterior();
        this.progress = progress;
        this.space = problem.space();
        FitSpace sampling = space;
        java.util.Set<String> liftedNames = new java.util.LinkedHashSet<>();
        for (Symmetry sym : problem.fitModel().symmetries()) {
            int[] idx = sym.indicesIn(space);
            if (idx != null && sym.canonicalOrdering().isPresent()
                    && space.orderedPairs().contains(sym.canonicalOrdering().get()) && mapsBoxOntoItself(sym, idx)) {
                sampling = sampling.withoutOrderedPair(sym.canonicalOrdering().get());
                liftedNames.add(sym.name());
            }
        }
        this.samplingSpace = sampling;
        this.lifted = java.util.Collections.unmodifiableSet(liftedNames);
        this.reparam = new Reparameterization(samplingSpace);
        this.p = space.size();
        this.free = space.freeIndices();
        this.names = space.freeNames();
    }

    /**
     * The refusal for a loss that is not a likelihood (checked before any work), and a warning where the
     * loss is a likelihood that leaves out the model's own error ({@link FitProblem#posteriorLikelihood()}).
     */
    static void checkLikelihood(FitProblem problem) {
        problem.posteriorRefusal().ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        problem.posteriorLikelihood().filter(t -> t == LossType.LOGLIK && !t.label().equals(problem.loss().name()))
                .ifPresent(t -> LOG.warn("posterior with the {} loss: it treats the {} model as exact, so the intervals "
                        + "leave out the model's own error and are too narrow (docs/calibration.md); the loglik loss adds it",
                        problem.loss().name(), problem.fitModel().name()));
    }

    /** The log posterior in u: −L/(2c) + ln|det ∂θ/∂u| (uniform prior on the box). */
    private static final class Density implements BatchLogDensity {
        private final FitObjective objective;
        private final Reparameterization reparam;
        private final double inflation;
        private long evaluations;
        private double lowestLoss = Double.POSITIVE_INFINITY;

        Density(FitObjective objective, Reparameterization reparam, double inflation) {
            this.objective = objective;
            this.reparam = reparam;
            this.inflation = inflation;
        }

        @Override
        public int dimension() {
            return objective.dimension();
        }

        @Override
        public void logDensity(double[] x, int batch, double[] out) {
            int[] ids = new int[batch];
            for (int b = 0; b < batch; b++) {
                ids[b] = b;
            }
            double[] loss = new double[batch];
            objective.value(ids, x, batch, loss);
            double[] jac = new double[batch];
            reparam.logJacobian(x, null, batch, jac);
            for (int b = 0; b < batch; b++) {
                double l = loss[b];
                // a curve the loss cannot score (+Infinity) or a model failure (NaN) has no density
                out[b] = Double.isFinite(l) ? -l / (2 * inflation) + jac[b] : Double.NEGATIVE_INFINITY;
                if (l < lowestLoss) {
                    lowestLoss = l;
                }
            }
            evaluations += batch;
        }
    }

    /** A starting mode in u and where it came from. */
    private record Start(String origin, double[] centre, double[] spread, double weight, double[] theta) {
    }

    /** Ensemble modes that were not started, with the reason (reported with weight 0). */
    private final List<FitPosterior.ModeWeight> notStarted = new ArrayList<>();

    FitPosterior run(double[] theta, double[] losses, Ensemble ensemble, Identifiability id, Double reducedChi2) {
        long t0 = System.nanoTime();
        double cpu0 = processCpuSeconds();
        int d = free.length;
        FitPosterior.Likelihood likelihood = likelihood(reducedChi2);
        double c = likelihood.inflation();
        LOG.info("posterior: {}", likelihood.note());

        List<Start> starts = starts(theta, losses, ensemble, id, c);
        List<Initialization.Mode> initModes = new ArrayList<>();
        for (Start s : starts) {
            initModes.add(new Initialization.Mode(s.centre(), s.spread(), s.weight()));
        }
        Initialization init = Initialization.modes(initModes);
        ToIntFunction<double[]> label = init.nearestMode();
        EnsembleSampler sampler = EnsembleSampler.create().withSeed(settings.seed());
        boolean hmc = ps.method() == PosteriorSettings.Method.HMC;
        // with HMC the walker setting counts its chains; the pilot ensemble keeps the default size
        int walkers = !hmc && ps.walkers() != 0 ? ps.walkers() : sampler.walkersFor(d);
        // with several modes every move stays within a walker's mode, so each mode needs d + 1
        // walkers per half-ensemble for the moves to span its space
        int least = starts.size() > 1 ? 2 * starts.size() * (d + 1) : 0;
        if (walkers < least) {
            LOG.info("posterior: {} walkers raised to {}: {} starting modes need {} walkers each in each half-ensemble",
                    walkers, least, starts.size(), d + 1);
            walkers = least;
        }
        walkers += walkers % 2;
        sampler = sampler.withWalkers(walkers);
        if (starts.size() > 1) {
            sampler = sampler.withModeJumps(label, starts.size()).withWithinModeMoves(true);
        }
        int lanes = settings.threads();
        int chunk = Math.max(1, Math.min(settings.chunkSize(), (walkers / 2 + lanes - 1) / lanes));
        FitObjective objective = new FitObjective(problem.model(), reparam, problem.loss(), null, lanes, chunk);
        Density density = new Density(objective, reparam, c);

        Folding folding = new Folding(problem.fitModel().symmetries());
        EnsembleRun run = sampler.start(density, init);
        LOG.info("posterior sampling: {} walkers from {} starting mode(s), {} free parameters, up to {} steps; {}",
                walkers, starts.size(), d, ps.maxSteps(), sampler.describe());
        int target = Math.min(ps.firstCheck(), ps.maxSteps());
        int burnIn;
        Chain raw;
        Chain folded;
        Convergence conv;
        String hmcMethod = null;
        int warmUp = 0;
        if (hmc) {
            run.advance(PILOT_STEPS);
            int chains = ps.walkers() != 0 ? ps.walkers() : HMC_CHAINS;
            List<String> uNames = new ArrayList<>();
            for (int j = 0; j < d; j++) {
                uNames.add("u" + j);
            }
            // HMC samples in box coordinates v (BoxCoordinates): the box as reflecting walls, the model's
            // width-like parameters on a log scale (their uniform prior's density over v in the log density)
            BoxCoordinates box = new BoxCoordinates(samplingSpace, reparam, problem.fitModel().posteriorLogScale());
            List<String> logScaled = box.logScaled(space);
            if (!logScaled.isEmpty()) {
                LOG.info("posterior: HMC samples {} on a log scale", logScaled);
            }
            long[] boxEvaluations = new long[1];
            // the chains' batch cut over the threads (the pilot's objective is cut for half-ensembles)
            FitObjective chainObjective = new FitObjective(problem.model(), reparam, problem.loss(), null, lanes,
                    Math.max(1, (chains + lanes - 1) / lanes));
            BatchLogDensity vDensity = box.density(chainObjective, c, boxEvaluations);
            Chain pilot = run.chain(PILOT_STEPS / 2);
            int pn = pilot.size();
            double[] pilotU = pilot.values();
            double[] pilotV = box.fromFree(pilotU, pn);
            boolean several = starts.size() > 1;
            int[] labels = null;
            if (several) {
                labels = new int[pn];
                for (int i = 0; i < pn; i++) {
                    labels[i] = label.applyAsInt(Arrays.copyOfRange(pilotU, i * d, (i + 1) * d));
                }
            }
            double[] metric = HamiltonianRun.covarianceWithin(pilotV, pn, d, labels, starts.size());
            double[] now = box.fromFree(run.positions(), walkers);
            double[] first = new double[chains * d];
            for (int k = 0; k < chains; k++) {
                int from = chains > walkers ? k % walkers : (int) ((long) k * walkers / chains);
                System.arraycopy(now, from * d, first, k * d, d);
            }
            double[][] centres = new double[starts.size()][];
            for (int k = 0; k < centres.length; k++) {
                centres[k] = box.fromFree(starts.get(k).centre(), 1);
            }
            ToIntFunction<double[]> nearest = v -> {
                int best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int k = 0; k < centres.length; k++) {
                    double s2 = 0;
                    for (int j = 0; j < d; j++) {
                        double e = v[j] - centres[k][j];
                        s2 += e * e;
                    }
                    if (s2 < bestD) {
                        bestD = s2;
                        best = k;
                    }
                }
                return best;
            };
            HamiltonianRun h = new HamiltonianRun(vDensity, first, chains, metric, settings.seed() + 1,
                    several ? centres : null, several ? nearest : null);
            h.setConstraints(box.constraintRows(), box.constraintBounds());
            if (several) {
                mirrorJumps(h, box, folding, centres, nearest);
                // every mode's own shape for the jumps, from the pilot's walkers (11 or more per mode)
                h.seedModeShapes(pilotV, pilot.steps(), pilot.walkers());
                LOG.info("posterior: {} of {} starting modes have their own shape from the pilot; jumps between two such "
                        + "(not mirror images) go by the affine map of their means and covariances", h.affineModes(),
                        centres.length);
            }
            // progress every 10 iterations, warm-up included (a warm-up iteration can take a second)
            h.onIteration(i -> {
                if (i % 10 == 0) {
                    progress.onProgress(new OptimizationListener.Progress((int) i, ps.maxSteps(), density.lowestLoss,
                            0.0, chains));
                }
            });
            // warm-up takes at most half the budget (its windows scaled down for a small budget)
            int[] windows = HMC_WARMUP.clone();
            int full = Arrays.stream(windows).sum();
            if (full > ps.maxSteps() / 2) {
                for (int k = 0; k < windows.length; k++) {
                    windows[k] = Math.max(2, (int) ((long) windows[k] * (ps.maxSteps() / 2) / full));
                }
            }
            int warm = Arrays.stream(windows).sum();
            LOG.info("posterior: {}-step ensemble pilot done ({} evaluations); Hamiltonian warm-up of {} iterations",
                    PILOT_STEPS, density.evaluations, warm);
            h.warmUp(windows);
            LOG.info("posterior: warm-up done, step size {} ({} leapfrog steps so far, {} divergences)",
                    String.format(Locale.ROOT, "%.3g", h.stepSize()), h.leapfrogSteps(), h.divergences());
            int kept = Math.min(HMC_FIRST_CHECK, Math.max(8, ps.maxSteps() - warm));
            while (true) {
                h.sample(kept - h.kept());
                int skip = kept / 10;
                raw = h.chain(skip).map(uNames, (in, rows, out) -> System.arraycopy(box.toFree(in, rows), 0, out, 0,
                        rows * d));
                folded = raw.map(names, folding::apply);
                conv = Convergence.of(folded, ps.criteria());
                LOG.info("posterior sampling (HMC): {} kept iterations, acceptance {}, max R-hat {}, min ESS {}, max tau {} "
                                + "iterations, {} divergences: {}", kept,
                        String.format(Locale.ROOT, "%.3f", raw.moves().hamiltonianAcceptance()),
                        String.format(Locale.ROOT, "%.4f", conv.maxRHat()), Convergence.essText(conv.minEss()),
                        String.format(Locale.ROOT, "%.1f", conv.maxAutocorrelationTime()), h.divergences(),
                        conv.converged() ? "converged" : "not converged");
                if (conv.converged() || warm + kept >= ps.maxSteps()) {
                    break;
                }
                kept = (int) Math.min(ps.maxSteps() - warm, (long) kept + Math.max(2, kept / 2));
            }
            burnIn = warm + kept / 10;
            warmUp = warm;
            target = warm + kept;
            hmcMethod = h.describe() + String.format(Locale.ROOT, " over the parameters scaled to their box%s (a uniform "
                            + "prior; %s); started from a %d-step ensemble pilot "
                            + "(%s), %d warm-up iterations, %d leapfrog steps, %d divergences",
                    logScaled.isEmpty() ? "" : ", " + String.join(" and ", logScaled) + " on a log scale", walls(),
                    PILOT_STEPS, sampler.describe(), warm, h.leapfrogSteps(), h.divergences());
            density.evaluations += boxEvaluations[0];
        } else {
            while (true) {
                while (run.stepsDone() < target) {
                    int n = (int) Math.min(REPORT_EVERY, target - run.stepsDone());
                    run.advance(n);
                    progress.onProgress(new OptimizationListener.Progress((int) run.stepsDone(), ps.maxSteps(),
                            density.lowestLoss, 0.0, walkers));
                }
                burnIn = target / 2;
                raw = run.chain(burnIn);
                folded = raw.map(names, folding::apply);
                conv = Convergence.of(folded, ps.criteria());
                LOG.info("posterior sampling: {} steps, acceptance {}, max R-hat {}, min ESS {}, max tau {} steps: {}",
                        target, String.format(Locale.ROOT, "%.3f", conv.acceptanceFraction()),
                        String.format(Locale.ROOT, "%.4f", conv.maxRHat()), Convergence.essText(conv.minEss()),
                        String.format(Locale.ROOT, "%.1f", conv.maxAutocorrelationTime()),
                        conv.converged() ? "converged" : "not converged");
                if (conv.converged() || target >= ps.maxSteps()) {
                    break;
                }
                target = (int) Math.min(ps.maxSteps(), (long) target + Math.max(2, target / 2));
            }
        }
        if (!conv.converged()) {
            LOG.warn("posterior sampling did not converge in {} steps: {}", target, conv.failures());
        }
        if (!hmc) {
            // the reported chain's log densities are ln p(theta | D) up to a constant, -L/(2c): the ensemble
            // sampler's include ln|det d theta/du| of its coordinates u; HMC's (in v, theta scaled) have none
            double[] lp = raw.logDensities();
            double[] jac = new double[lp.length];
            reparam.logJacobian(raw.values(), null, lp.length, jac);
            for (int i = 0; i < lp.length; i++) {
                lp[i] -= jac[i];
            }
            folded = folded.withLogDensities(lp);
        }
        List<Marginal> marginals = Marginal.of(folded);
        ModeWeights mw = ModeWeights.of(raw, label, starts.size());
        List<FitPosterior.ModeWeight> modes = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            Start s = starts.get(k);
            Map<String, Double> centre = new LinkedHashMap<>();
            for (int j = 0; j < d; j++) {
                centre.put(names.get(j), s.theta()[free[j]]);
            }
            modes.add(new FitPosterior.ModeWeight(s.origin(), centre, mw.weights()[k], mw.standardErrors()[k]));
        }
        modes.addAll(notStarted);
        Map<String, String> units = new LinkedHashMap<>();
        for (int j : free) {
            Parameter par = space.box().get(j);
            units.put(par.name(), par.unit());
        }
        SizePosterior size = sizePosterior(raw);
        List<FitPosterior.SymmetryUse> sym = folding.uses(raw);
        double runtime = (System.nanoTime() - t0) * 1e-9;
        double cpu = processCpuSeconds() - cpu0;
        LOG.info("posterior done in {} s ({} evaluations, {} CPU s): {}", String.format(Locale.ROOT, "%.1f", runtime),
                density.evaluations, String.format(Locale.ROOT, "%.1f", cpu),
                conv.converged() ? "converged" : "NOT converged");
        String method = hmc ? hmcMethod : sampler.describe();
        List<Determination> determinations = new ArrayList<>();
        double[] priorWidths = Symmetry.freeWidths(folding.symmetries, space);
        for (int j = 0; j < d; j++) {
            Parameter par = space.box().get(free[j]);
            determinations.add(Determination.of(marginals.get(j), par.lower(), par.upper(), priorWidths[j]));
        }
        return new FitPosterior(method, raw.walkers(), raw.steps(), burnIn, target, density.evaluations, runtime, cpu,
                conv, marginals, units, folded, modes, mw.switches(), size, likelihood, sym, warmUp, determinations);
    }

    private FitPosterior.Likelihood likelihood(Double reducedChi2) {
        String loss = problem.loss().name();
        if (!(problem.loss() instanceof ChiSquaredLoss chi) || reducedChi2 == null) {
            String held = problem.loss() instanceof LogIntensityLikelihood lik && lik.amplitudeReference() != 1
                    ? String.format(Locale.ROOT, "; the model's error held at %.4g x its reference size, its size at the"
                    + " best fit's parameters", lik.amplitudeReference()) : "";
            if (problem.loss() instanceof LogIntensityLikelihood lik && lik.modelError() != null) {
                held += "; the model's error: " + lik.modelError().description();
                if (lik.sizeEstimateFactor().isPresent()) {
                    held += String.format(Locale.ROOT, "; its part that the size estimates see x %.4g in variance (the"
                            + " size-estimate term at the best fit)", lik.sizeEstimateFactor().getAsDouble());
                }
            }
            Double factor = problem.loss() instanceof LogIntensityLikelihood lik && lik.sizeEstimateFactor().isPresent()
                    ? lik.sizeEstimateFactor().getAsDouble() : null;
            return new FitPosterior.Likelihood(loss, reducedChi2, 1.0, "the " + loss
                    + " loss sampled as -2 ln L (no sigma inflation)" + held, factor);
        }
        int dof = problem.data().pointsUsed() - free.length - (chi.fitsBackground() ? 2 : 1);
        double clearly = 1 + 3 * Math.sqrt(2.0 / Math.max(1, dof));
        if (ps.inflateSigma() && reducedChi2 > clearly) {
            return new FitPosterior.Likelihood(loss, reducedChi2, reducedChi2, String.format(Locale.ROOT,
                    "sigma inflated by sqrt(reduced chi2) = %.4g: the best fit's reduced chi2 %.4g is clearly above 1 "
                            + "(above 1 + 3 sqrt(2/%d) = %.3g), so the model (or sigma) does not describe the data to "
                            + "within sigma; without the inflation the intervals would be too narrow",
                    Math.sqrt(reducedChi2), reducedChi2, dof, clearly));
        }
        return new FitPosterior.Likelihood(loss, reducedChi2, 1.0, String.format(Locale.ROOT,
                "chi2 sampled as -2 ln L with the data's sigma (reduced chi2 %.4g%s)", reducedChi2,
                reducedChi2 > clearly ? "; sigma inflation switched off" : ", consistent with 1"));
    }

    /** Starting modes: the best member of each ensemble mode, and mirror images under the model's symmetries. */
    private List<Start> starts(double[] theta, double[] losses, Ensemble ensemble, Identifiability id, double c) {
        int d = free.length;
        int m = ensemble.size();
        double[] all = new double[m * p];
        for (int k = 0; k < m; k++) {
            System.arraycopy(theta, ensemble.member(k) * p, all, k * p, p);
        }
        double[] u = new double[m * d];
        reparam.toFree(all, m, u);
        int[] labels = id.modes().labels();
        double bestLoss = losses[ensemble.member(0)];
        List<Start> out = new ArrayList<>();
        for (int mode = 1; mode <= id.modes().count(); mode++) {
            int first = -1;
            int n = 0;
            double[] mean = new double[d];
            for (int k = 0; k < m; k++) {
                if (labels[k] == mode) {
                    first = first < 0 ? k : first;
                    n++;
                    for (int j = 0; j < d; j++) {
                        mean[j] += u[k * d + j];
                    }
                }
            }
            if (first < 0) {
                continue;
            }
            double gap = (losses[ensemble.member(first)] - bestLoss) / (2 * c);
            if (gap > MAX_LOG_DENSITY_GAP) {
                String why = String.format(Locale.ROOT, "ensemble mode %d, not started: its best loss is %.1f units of "
                        + "ln p below the best (more than %.0f), so it holds no posterior mass", mode, gap,
                        MAX_LOG_DENSITY_GAP);
                LOG.info("posterior: {}", why);
                Map<String, Double> centre = new LinkedHashMap<>();
                for (int j = 0; j < d; j++) {
                    centre.put(names.get(j), all[first * p + free[j]]);
                }
                notStarted.add(new FitPosterior.ModeWeight(why, centre, 0.0, 0.0));
                continue;
            }
            double[] sd = new double[d];
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            for (int k = 0; k < m; k++) {
                if (labels[k] == mode) {
                    for (int j = 0; j < d; j++) {
                        double e = u[k * d + j] - mean[j];
                        sd[j] += e * e;
                    }
                }
            }
            double[] spread = new double[d];
            for (int j = 0; j < d; j++) {
                double s = n > 1 ? Math.sqrt(sd[j] / (n - 1)) : 0;
                spread[j] = Math.min(MAX_SPREAD, Math.max(MIN_SPREAD, SPREAD_SHARE * s));
            }
            // equal walker shares: every mode needs d + 1 walkers per half for within-mode moves,
            // and the posterior weights are what the sampling finds out
            out.add(new Start("ensemble mode " + mode, Arrays.copyOfRange(u, first * d, (first + 1) * d), spread, 1.0,
                    Arrays.copyOfRange(all, first * p, (first + 1) * p)));
        }
        for (Symmetry s : problem.fitModel().symmetries()) {
            int[] idx = s.indicesIn(space);
            if (idx == null || lifted.contains(s.name())) {
                // a lifted ordering: the chains reach the other labelling's descriptions without a jump, and
                // the mirror image itself folds onto the same draws
                continue;
            }
            int existing = out.size();
            for (int k = 0; k < existing; k++) {
                Start st = out.get(k);
                double[] mirrored = st.theta().clone();
                double[] v = new double[idx.length];
                for (int t = 0; t < idx.length; t++) {
                    v[t] = mirrored[idx[t]];
                }
                double[] w = s.map(v);
                boolean inside = true;
                for (int t = 0; t < idx.length; t++) {
                    Parameter par = space.box().get(idx[t]);
                    inside &= w[t] >= par.lower() && w[t] <= par.upper();
                    mirrored[idx[t]] = w[t];
                }
                if (!inside || nearAny(mirrored, out)) {
                    continue;
                }
                double[] mu = new double[d];
                try {
                    reparam.toFree(mirrored, 1, mu);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                out.add(new Start("mirror of " + st.origin() + " (" + s.name() + ")", mu, st.spread(), st.weight(),
                        mirrored));
            }
        }
        return out;
    }

    /** The walls the sampler meets, and the orderings it samples across, said for the report. */
    private String walls() {
        List<String> across = new ArrayList<>();
        for (org.lnpsaxs.optimize.param.OrderedPair pair : space.orderedPairs()) {
            if (!samplingSpace.orderedPairs().contains(pair)) {
                across.add(pair.toString());
            }
        }
        String w = samplingSpace.orderedPairs().isEmpty() ? "the box is a reflecting wall" : "the box and orderings are reflecting walls";
        return across.isEmpty() ? w : w + "; sampled across " + String.join(" and ", across) + " (the "
                + String.join(" and ", lifted) + " symmetry), the draws folded onto it";
    }

    /**
     * Whether a symmetry's map sends the fit box onto itself: every corner of the box of its
     * parameters maps inside the box (enough for the affine maps of relabelling symmetries, whose
     * image of a box is the hull of the corners' images). Then the uniform prior on the whole box,
     * folded, is the uniform prior on the ordered part, and lifting the ordering leaves the posterior
     * as it is.
     */
    private boolean mapsBoxOntoItself(Symmetry sym, int[] idx) {
        int k = idx.length;
        if (k > 20) {
            return false;
        }
        double[] v = new double[k];
        for (int corner = 0; corner < (1 << k); corner++) {
            for (int t = 0; t < k; t++) {
                Parameter par = space.box().get(idx[t]);
                v[t] = (corner >> t & 1) == 0 ? par.lower() : par.upper();
            }
            double[] w = sym.map(v);
            for (int t = 0; t < k; t++) {
                Parameter par = space.box().get(idx[t]);
                double tol = 1e-12 * (par.upper() - par.lower());
                if (!(w[t] >= par.lower() - tol && w[t] <= par.upper() + tol)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean nearAny(double[] theta, List<Start> starts) {
        for (Start s : starts) {
            boolean near = true;
            for (int j : free) {
                Parameter par = space.box().get(j);
                near &= Math.abs(theta[j] - s.theta()[j]) <= SAME_START * (par.upper() - par.lower());
            }
            if (near) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells the HMC run which starting modes are each other's mirror image under the first applicable
     * exact symmetry (the mirror of a mode's centre lies nearest the other's, and the other way round), so
     * that its jumps between them go by the symmetry's map, with its Jacobian, in box coordinates v.
     */
    private void mirrorJumps(HamiltonianRun h, BoxCoordinates box, Folding folding, double[][] centres,
                             ToIntFunction<double[]> nearest) {
        int k = folding.symmetries.size();
        int use = -1;
        for (int s = 0; s < k && use < 0; s++) {
            if (folding.at.get(s) != null && !lifted.contains(folding.symmetries.get(s).name())) {
                use = s;
            }
        }
        if (use < 0) {
            return;
        }
        Symmetry sym = folding.symmetries.get(use);
        int[] idx = folding.at.get(use);
        int[] slot = new int[idx.length];
        double[] lo = new double[idx.length];
        double[] hi = new double[idx.length];
        for (int t = 0; t < idx.length; t++) {
            slot[t] = -1;
            for (int j = 0; j < free.length; j++) {
                if (free[j] == idx[t]) {
                    slot[t] = j;
                }
            }
            Parameter par = space.box().get(idx[t]);
            lo[t] = par.lower();
            hi[t] = par.upper();
        }
        java.util.function.Function<double[], double[]> values = v -> {
            double[] out = new double[idx.length];
            for (int t = 0; t < idx.length; t++) {
                out[t] = box.value(slot[t], v[slot[t]]);
            }
            return out;
        };
        java.util.function.UnaryOperator<double[]> mirror = v -> {
            double[] w = sym.map(values.apply(v));
            double[] out = v.clone();
            for (int t = 0; t < idx.length; t++) {
                if (!(w[t] >= lo[t] && w[t] <= hi[t])) {
                    return null; // the mirror image leaves the box
                }
                out[slot[t]] = box.coordinate(slot[t], w[t]);
            }
            return out;
        };
        // v is theta coordinate by coordinate (scaled, or on a log scale): |dv'/dv| = |dtheta'/dtheta| times the
        // coordinates' slopes dv/dtheta at the image over those at the point
        java.util.function.ToDoubleFunction<double[]> logJ = v -> {
            double[] th = values.apply(v);
            double[] img = sym.map(th);
            double l = sym.logAbsJacobian(th);
            for (int t = 0; t < idx.length; t++) {
                l += box.logSlope(slot[t], img[t]) - box.logSlope(slot[t], th[t]);
            }
            return l;
        };
        int[] partner = new int[centres.length];
        for (int m = 0; m < centres.length; m++) {
            double[] img = mirror.apply(centres[m]);
            int j = img == null ? m : nearest.applyAsInt(img);
            partner[m] = j == m ? -1 : j;
        }
        for (int m = 0; m < centres.length; m++) {
            if (partner[m] >= 0 && partner[partner[m]] != m) {
                partner[m] = -1;
            }
        }
        h.setMirror(mirror, logJ, partner);
        if (h.mirrorPairs() > 0) {
            LOG.info("posterior: jumps between the {} mirror pair(s) of starting modes go by the {} symmetry's map",
                    h.mirrorPairs(), sym.name());
        }
    }

    /** u → free parameters in model units, each draw folded onto the canonical image of every applicable symmetry. */
    private final class Folding {
        private final List<Symmetry> symmetries;
        private final List<int[]> at = new ArrayList<>();

        Folding(List<Symmetry> symmetries) {
            this.symmetries = symmetries;
            for (Symmetry s : symmetries) {
                at.add(s.indicesIn(space));
            }
        }

        void apply(double[] in, int batch, double[] out) {
            double[] theta = new double[batch * p];
            reparam.toPhysical(in, null, batch, theta);
            for (int b = 0; b < batch; b++) {
                fold(theta, b * p, null);
                for (int j = 0; j < free.length; j++) {
                    out[b * free.length + j] = theta[b * p + free[j]];
                }
            }
        }

        /** Folds one parameter vector in place; counts folds per symmetry into {@code counts} when given. */
        void fold(double[] theta, int o, long[] counts) {
            for (int k = 0; k < symmetries.size(); k++) {
                if (foldOne(k, theta, o) && counts != null) {
                    counts[k]++;
                }
            }
        }

        /** Folds one parameter vector in place by symmetry {@code k} ({@link Symmetry#canonicalInBox}); whether it moved. */
        private boolean foldOne(int k, double[] theta, int o) {
            int[] idx = at.get(k);
            if (idx == null) {
                return false;
            }
            double[] v = new double[idx.length];
            double[] lo = new double[idx.length];
            double[] hi = new double[idx.length];
            for (int t = 0; t < idx.length; t++) {
                v[t] = theta[o + idx[t]];
                lo[t] = space.box().get(idx[t]).lower();
                hi[t] = space.box().get(idx[t]).upper();
            }
            double[] w = symmetries.get(k).canonicalInBox(v, lo, hi);
            if (w == v) {
                return false;
            }
            for (int t = 0; t < idx.length; t++) {
                theta[o + idx[t]] = w[t];
            }
            return true;
        }

        List<FitPosterior.SymmetryUse> uses(Chain raw) {
            long[] counts = new long[symmetries.size()];
            double[][] draws = raw.draws();
            double[] theta = new double[draws.length * p];
            reparam.toPhysical(raw.values(), null, draws.length, theta);
            for (int b = 0; b < draws.length; b++) {
                fold(theta, b * p, counts);
            }
            List<FitPosterior.SymmetryUse> out = new ArrayList<>();
            for (int k = 0; k < symmetries.size(); k++) {
                Symmetry s = symmetries.get(k);
                boolean applied = at.get(k) != null;
                double share = applied ? (double) counts[k] / draws.length : 0.0;
                String note = applied
                        ? String.format(Locale.ROOT, "%.1f %% of the draws were in the other image and are reported "
                                + "mapped onto %s; the intervals hold for either image (map them back with the formula)",
                        100 * share, s.canonicalImage())
                        : "not applied: a parameter it changes (" + String.join(", ", s.parameters())
                                + ") is fixed or not in the model, so the mirror image is not a fit of this problem";
                out.add(new FitPosterior.SymmetryUse(s.name(), s.mapping(), s.statement(), s.canonicalImage(), applied,
                        share, note));
            }
            return out;
        }
    }

    private SizePosterior sizePosterior(Chain raw) {
        int n = raw.size();
        double[] u = raw.values();
        int take = Math.min(SIZE_DRAWS, n);
        double[] theta = new double[p];
        double[] row = new double[free.length];
        double[][] thetas = new double[take][];
        int steps = raw.steps();
        int walkers = raw.walkers();
        for (int i = 0; i < take; i++) {
            // spread over the kept steps and over every walker (draws are step-major)
            int draw = (int) ((long) i * steps / take) * walkers + i % walkers;
            System.arraycopy(u, draw * free.length, row, 0, free.length);
            reparam.toPhysical(row, null, 1, theta);
            thetas[i] = theta.clone();
        }
        if (take < 2 || problem.boundModel().sizeDistribution(thetas[0]) == null) {
            return null;
        }
        return SizePosterior.of(thetas, problem.boundModel()::sizeDistribution);
    }

    private static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns * 1e-9;
        }
        return Double.NaN;
    }
}
