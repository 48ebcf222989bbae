package org.lnpsaxs.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.optimize.ensemble.Ensemble;
import org.lnpsaxs.optimize.ensemble.EnsembleRule;
import org.lnpsaxs.optimize.ensemble.EnsembleRuleType;
import org.lnpsaxs.optimize.identifiability.EnsembleSample;
import org.lnpsaxs.optimize.identifiability.FisherInformation;
import org.lnpsaxs.optimize.identifiability.FoldedEnsemble;
import org.lnpsaxs.optimize.identifiability.Identifiability;
import org.lnpsaxs.optimize.identifiability.IdentifiabilityAnalysis;
import org.lnpsaxs.optimize.identifiability.Profile;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.internal.Starts;
import org.lnpsaxs.optimize.loss.ChiSquaredLoss;
import org.lnpsaxs.optimize.loss.LogIntensityLikelihood;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.optimize.loss.ScaleAndBackground;
import org.lnpsaxs.optimize.loss.SizeEstimateTerm;
import org.lnpsaxs.optimize.model.Symmetry;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.multistart.OptimizationListener;
import org.lnpsaxs.optimize.multistart.OptimizationResult;
import org.lnpsaxs.optimize.param.FitSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@link Fitter#fit}: checks, starts, the batched optimisation, the ensemble, the
 * curves of its members, the identifiability analysis, the Fisher information, the profiles and
 * the χ² summary, each a step of its own. Not a user class.
 */
final class FitRun {

    /** Log lines keep the fitter's name: that is what a user configures. */
    private static final Logger LOG = LoggerFactory.getLogger(Fitter.class);
    /**
     * After a first stage on the coarse approximation, the starts within this factor of the mean
     * of the best 10 % of its losses are polished on the model. Measured (docs/benchmarks.md): on
     * the shipped example (512 starts, 12-node stage) factor 2 polished 268 starts holding 123 of the
     * 125 ensemble members of a run that polished all (the other two had been stranded far above
     * the best by the first stage), in 0.58 × that run's polishing iterations; on two noisy curves
     * polishing every start found the same best loss.
     */
    static final double POLISH_MARGIN = 2.0;
    /**
     * A held model-error size within this relative distance of its value at the polished best fit
     * is kept; otherwise it is held there and the starts are polished again, at most
     * {@value #MAX_REHOLDS} times.
     */
    static final double REHOLD_TOLERANCE = 1e-3;
    /** The most times the model error's size is held again after polishing. */
    static final int MAX_REHOLDS = 3;

    private FitProblem problem;
    private final FitSettings settings;
    private final OptimizationListener progress;
    private final FitSpace space;
    private final DifferentiableModel model;
    private Loss loss;
    private final int p;
    private final int[] free;

    FitRun(FitProblem problem, FitSettings settings, OptimizationListener progress) {
        this.problem = problem;
        this.settings = problem.fitModel().boundPinning() || !(settings.optimizer() instanceof Lbfgs l) ? settings
                : settings.withOptimizer(l.withBoundPinning(0));
        this.progress = progress;
        this.space = problem.space();
        this.model = problem.model();
        this.loss = problem.loss();
        this.p = space.size();
        this.free = space.freeIndices();
    }

    FitResult run() {
        long t0 = System.nanoTime();
        check();
        int starts = settings.startsFor(problem.fitModel(), free.length);
        Reparameterization reparam = new Reparameterization(space);
        FitObjective objective = new FitObjective(model, reparam, loss, null, settings.threads(), settings.chunkSize());
        LOG.info("fitting {} to {} ({} points, loss {}): {} starts, {} free parameters, optimiser {}",
                problem.fitModel().name(), problem.data().label(), problem.data().size(), loss.name(), starts, free.length,
                settings.optimizer().name());
        // a model error whose size depends on the parameters is held at the size of the best fit's
        // parameters: a first stage with the error at its reference size (a = 1), then every start
        // polished from where it left them with the error held at a(best)
        LogIntensityLikelihood live = loss instanceof LogIntensityLikelihood lik && lik.dependsOnParameters() ? lik : null;
        double[] u0 = startingPoints(reparam, starts, live != null ? live.heldAt(1) : loss);
        // the screening's forward passes count with the optimiser's
        long earlierEvaluations = settings.screening() > 1 ? (long) settings.screening() * starts : 0;
        long earlierGradients = 0;
        OptimizationResult firstResult = null;
        DifferentiableModel coarse = settings.coarseStage() && settings.optimizer() instanceof Lbfgs
                ? problem.boundModel().coarse().orElse(null) : null;
        // the last coarseCount starts take the coarse stage, the others run on the model (a portfolio)
        int coarseCount = coarse == null ? 0 : (int) Math.floor(settings.coarseShare() * starts + 1e-9);
        if (coarse != null && coarseCount == 0) {
            coarse = null;
        }
        int plainCount = starts - coarseCount;
        if (live != null || coarse != null) {
            Loss firstLoss = live != null ? live.heldAt(1) : loss;
            String where = coarseCount == 0 ? "every start on the model"
                    : coarseCount == starts ? "every start on the model's coarse approximation"
                    : plainCount + " start(s) on the model, " + coarseCount + " on its coarse approximation";
            LOG.info("first stage: {}{}", where, live != null ? ", the model error at its reference size" : "");
            OptimizationResult onModel = plainCount == 0 ? null : settings.optimizer().minimize(new FitObjective(model,
                    reparam, firstLoss, null, settings.threads(), settings.chunkSize()),
                    Arrays.copyOf(u0, plainCount * free.length), plainCount, progress);
            OptimizationResult onCoarse = coarseCount == 0 ? null : settings.optimizer().minimize(new FitObjective(coarse,
                    reparam, firstLoss, null, settings.threads(), settings.chunkSize()),
                    Arrays.copyOfRange(u0, plainCount * free.length, starts * free.length), coarseCount, progress);
            OptimizationResult first = onCoarse == null ? onModel : onModel == null ? onCoarse : concat(onModel, onCoarse);
            LOG.info("first stage done: {} converged, {} retired; {} forward and {} reverse evaluations", first.convergedCount(),
                    first.retiredCount(), first.evaluations(), first.gradients());
            if (live != null) {
                LogIntensityLikelihood held = live.at(bestTheta(objective, first));
                LOG.info("model error held at amplitude {} (x its size at the reference contrast), from the first stage's"
                        + " best parameters", String.format(Locale.ROOT, "%.4g", held.amplitudeReference()));
                loss = held;
                problem = problem.withLoss(held);
                objective = new FitObjective(model, reparam, held, null, settings.threads(), settings.chunkSize());
            }
            u0 = first.u();
            earlierEvaluations += first.evaluations();
            earlierGradients += first.gradients();
            if (coarse != null) {
                firstResult = first;
            }
        }
        OptimizationResult opt = firstResult == null ? settings.optimizer().minimize(objective, u0, starts, progress)
                : polish(objective, firstResult, plainCount, live != null, progress);
        if (live != null) {
            // the error's size was taken at the first stage's best; where the polished best has another
            // contrast (the coarse approximation's best can differ), hold it there and polish again
            for (int round = 0; round < MAX_REHOLDS; round++) {
                double[] bestTheta = bestTheta(objective, opt);
                LogIntensityLikelihood atBest = live.at(bestTheta);
                double held = ((LogIntensityLikelihood) loss).amplitudeReference();
                if (Math.abs(atBest.amplitudeReference() / held - 1) <= REHOLD_TOLERANCE) {
                    break;
                }
                LOG.info("model error held again, at amplitude {} (the polished best's contrast; it was {}); polishing"
                        + " the starts that were not retired", String.format(Locale.ROOT, "%.4g",
                        atBest.amplitudeReference()), String.format(Locale.ROOT, "%.4g", held));
                loss = atBest;
                problem = problem.withLoss(atBest);
                objective = new FitObjective(model, reparam, atBest, null, settings.threads(), settings.chunkSize());
                boolean[] goOn = opt.retired();
                for (int i = 0; i < goOn.length; i++) {
                    goOn[i] = !goOn[i];
                }
                earlierEvaluations += opt.evaluations();
                earlierGradients += opt.gradients();
                opt = continueChosen(objective, opt, goOn, null, true, progress);
            }
        }
        long tOpt = System.nanoTime();
        LOG.info("optimiser done: {} converged, {} retired, {} at the step limit; {} steps per start on average, "
                + "{} forward and {} reverse evaluations", opt.convergedCount(), opt.retiredCount(),
                starts - opt.convergedCount() - opt.retiredCount(),
                String.format(Locale.ROOT, "%.1f", (double) opt.totalSteps() / starts), opt.evaluations(), opt.gradients());
        int[] ids = new int[starts];
        for (int i = 0; i < starts; i++) {
            ids[i] = i;
        }
        double[] theta = objective.physical(ids, opt.u(), starts);
        double[] losses = opt.values();

        Ensemble ensemble = rule(losses).select(losses);
        int best = ensemble.member(0);
        LOG.info("best loss {} (start {}); ensemble of {} ({})", losses[best], best, ensemble.size(), ensemble.rule());
        double[] bestTheta = Arrays.copyOfRange(theta, best * p, (best + 1) * p);
        double[][] aligned = alignedCurves(theta, ensemble);
        double[][] band = band(aligned);

        long tEnsemble = System.nanoTime();
        EnsembleSample sample = sample(theta, losses, ensemble);
        IdentifiabilityAnalysis.Images images = images(theta, ensemble);
        Identifiability id = IdentifiabilityAnalysis.analyse(sample, freeValues -> {
            double[] full = bestTheta.clone();
            for (int k = 0; k < free.length; k++) {
                full[free[k]] = freeValues[k];
            }
            return problem.boundModel().sizeDistribution(full);
        }, settings.seed(), images).withCanonicalImage(folded(sample, images));
        long tAnalysis = System.nanoTime();
        if (settings.fisher()) {
            id = id.withFisher(FisherInformation.at(model, loss, bestTheta, space, settings.threads()));
        }
        long tFisher = System.nanoTime();
        id = withProfiles(id, theta, losses, ensemble, best);
        long tProfiles = System.nanoTime();
        ScaleAndBackground sb = null;
        Double reduced = null;
        if (loss instanceof ChiSquaredLoss chi) {
            sb = chi.scaleAndBackground(model.evaluate(bestTheta));
            int dof = problem.data().pointsUsed() - free.length - (chi.fitsBackground() ? 2 : 1);
            reduced = dof > 0 ? losses[best] / dof : null;
        } else if (loss instanceof LogIntensityLikelihood) {
            // the whitened residuals' chi2 per degree of freedom (the scale is the one nuisance)
            int dof = problem.data().size() - free.length - 1;
            reduced = dof > 0 ? losses[best] / dof : null;
        }
        double runtime = (System.nanoTime() - t0) * 1e-9;
        LOG.info("fit done in {} s (optimiser {} s, ensemble and curves {} s, identifiability {} s, Fisher {} s, "
                + "profiles {} s): {} mode(s)", String.format(Locale.ROOT, "%.1f", runtime), seconds(t0, tOpt),
                seconds(tOpt, tEnsemble), seconds(tEnsemble, tAnalysis), seconds(tAnalysis, tFisher),
                seconds(tFisher, tProfiles), id.modes().count());
        FitResult result = new FitResult(problem, settings.optimizer(), settings.seed(), runtime, theta, losses, opt.steps(),
                opt.converged(), opt.evaluations() + earlierEvaluations, opt.gradients() + earlierGradients, best, ensemble, id, aligned[0], band[0], band[1], sb,
                reduced, problem.boundModel().sizeDistribution(bestTheta));
        if (coarseCount > 0 || settings.screening() > 1) {
            result = result.withStartsMade(coarseCount, settings.screening());
        }
        if (live != null) {
            double[] value = new double[1];
            live.evaluate(bestTheta, p, model.evaluate(bestTheta), 1, value, null, null);
            result = result.withHeldModelError(new FitResult.HeldModelError(
                    ((LogIntensityLikelihood) loss).amplitudeReference(), value[0]));
        }
        if (settings.posterior() != null) {
            result = result.withPosterior(new PosteriorRun(withSizeEstimateTerm(bestTheta), settings, progress).run(theta,
                    losses, ensemble, id, reduced));
        }
        return result;
    }

    /**
     * The problem the posterior samples: with a model error that has a size-estimate term
     * ({@link LogIntensityLikelihood#sizeEstimateTerm()}) and both size parameters free, the likelihood
     * with the term applied at the best fit (the model's exact Jacobian there), held fixed like the
     * error's size; otherwise the fit's own problem.
     */
    private FitProblem withSizeEstimateTerm(double[] bestTheta) {
        if (!(loss instanceof LogIntensityLikelihood lik) || lik.sizeEstimateTerm().isEmpty()) {
            return problem;
        }
        SizeEstimateTerm term = lik.sizeEstimateTerm().get();
        if (Arrays.stream(free).noneMatch(i -> i == term.location()) || Arrays.stream(free).noneMatch(i -> i == term.width())) {
            LOG.info("posterior: the model error's size-estimate term is not applied: {} and {} are not both free",
                    model.parameters().names().get(term.location()), model.parameters().names().get(term.width()));
            return problem;
        }
        double[][] jac = FisherInformation.boxScaledJacobian(model, bestTheta, space, settings.threads());
        LogIntensityLikelihood withTerm = lik.withSizeEstimateTerm(bestTheta, model.evaluate(bestTheta), jac, free);
        LOG.info("posterior: the model error's size-estimate term applied at the best fit ({} = {}): {}, factor {}",
                model.parameters().names().get(term.width()), String.format(Locale.ROOT, "%.4g", bestTheta[term.width()]),
                term.description(), String.format(Locale.ROOT, "%.4g", withTerm.sizeEstimateFactor().getAsDouble()));
        return problem.withLoss(withTerm);
    }

    /**
     * The second stage after a first one in which starts {@code plainCount..} ran on the coarse
     * approximation: those within {@value #POLISH_MARGIN} × the mean of the best 10 % of them there
     * continue on the model itself, the other coarse ones keep their first-stage point (scored once
     * on the model, counted as retired). The first {@code plainCount} starts ran on the model: they
     * keep their result, or (when the loss changed after the first stage, {@code lossChanged}) those
     * not retired go on from their point. Steps and work are the second stage's (the first stage's
     * work is added by the caller), a kept start's steps its own.
     */
    private OptimizationResult polish(FitObjective objective, OptimizationResult first, int plainCount, boolean lossChanged,
                                      OptimizationListener listener) {
        int starts = first.values().length;
        double[] coarseValues = Arrays.copyOfRange(first.values(), plainCount, starts);
        int coarseCount = starts - plainCount;
        double threshold = POLISH_MARGIN * meanOfBest(coarseValues, Math.max(1, coarseCount / 10));
        boolean[] chosen = new boolean[starts];
        boolean[] keep = new boolean[starts];
        int m = 0;
        for (int i = plainCount; i < starts; i++) {
            // no finite first-stage loss at all: every start goes on
            chosen[i] = first.values()[i] <= threshold || threshold == Double.POSITIVE_INFINITY;
            m += chosen[i] ? 1 : 0;
        }
        for (int i = 0; i < plainCount; i++) {
            chosen[i] = lossChanged && !first.retired()[i];
            keep[i] = !lossChanged;
        }
        LOG.info("polishing on the model itself the {} of {} coarse-stage starts whose first-stage loss is within {} x the"
                + " mean of the best 10 % there; the other {} keep their point (scored on the model, counted as retired){}",
                m, coarseCount, POLISH_MARGIN, coarseCount - m, plainCount == 0 ? "" : lossChanged
                        ? "; the " + plainCount + " start(s) on the model go on with the held loss"
                        : "; the " + plainCount + " start(s) on the model keep their result");
        return continueChosen(objective, first, chosen, keep, false, listener);
    }

    /**
     * The chosen starts minimised again from their points in {@code previous}; the kept ones
     * ({@code keep}, may be null) keep their previous result as it is; the others keep their point,
     * scored once with {@code objective}, and count as retired. Steps are the new minimisation's, or
     * added to the previous ones ({@code addSteps}); the work is the new one.
     */
    private OptimizationResult continueChosen(FitObjective objective, OptimizationResult previous, boolean[] chosen,
                                              boolean[] keep, boolean addSteps, OptimizationListener listener) {
        int starts = chosen.length;
        int d = free.length;
        int[] picked = new int[starts];
        int[] others = new int[starts];
        int m = 0;
        int o = 0;
        double[] u = previous.u();
        int[] steps = addSteps ? previous.steps() : new int[starts];
        boolean[] converged = new boolean[starts];
        boolean[] retired = new boolean[starts];
        double[] values = new double[starts];
        for (int i = 0; i < starts; i++) {
            if (chosen[i]) {
                picked[m++] = i;
            } else if (keep != null && keep[i]) {
                values[i] = previous.values()[i];
                steps[i] = previous.steps()[i];
                converged[i] = previous.converged()[i];
                retired[i] = previous.retired()[i];
            } else {
                others[o++] = i;
            }
        }
        long evaluations = o;
        long gradients = 0;
        if (m > 0) {
            OptimizationResult polished = settings.optimizer().minimize(objective, pack(u, picked, m, d), m, listener);
            double[] pu = polished.u();
            for (int k = 0; k < m; k++) {
                int i = picked[k];
                System.arraycopy(pu, k * d, u, i * d, d);
                values[i] = polished.values()[k];
                steps[i] += polished.steps()[k];
                converged[i] = polished.converged()[k];
                retired[i] = polished.retired()[k];
            }
            evaluations += polished.evaluations();
            gradients = polished.gradients();
        }
        if (o > 0) {
            int[] ids = new int[o];
            for (int k = 0; k < o; k++) {
                ids[k] = k;
            }
            double[] otherValues = new double[o];
            objective.value(ids, pack(u, others, o, d), o, otherValues);
            for (int k = 0; k < o; k++) {
                int i = others[k];
                values[i] = Double.isNaN(otherValues[k]) ? Double.POSITIVE_INFINITY : otherValues[k];
                retired[i] = true;
            }
        }
        return new OptimizationResult(d, u, values, steps, converged, retired, evaluations, gradients);
    }

    /** Two results of the same dimension, one after the other (their starts, then the work of both). */
    private static OptimizationResult concat(OptimizationResult a, OptimizationResult b) {
        int na = a.values().length;
        int nb = b.values().length;
        int d = a.dimension();
        double[] u = Arrays.copyOf(a.u(), (na + nb) * d);
        System.arraycopy(b.u(), 0, u, na * d, nb * d);
        double[] values = Arrays.copyOf(a.values(), na + nb);
        System.arraycopy(b.values(), 0, values, na, nb);
        int[] steps = Arrays.copyOf(a.steps(), na + nb);
        System.arraycopy(b.steps(), 0, steps, na, nb);
        boolean[] converged = Arrays.copyOf(a.converged(), na + nb);
        System.arraycopy(b.converged(), 0, converged, na, nb);
        boolean[] retired = Arrays.copyOf(a.retired(), na + nb);
        System.arraycopy(b.retired(), 0, retired, na, nb);
        return new OptimizationResult(d, u, values, steps, converged, retired, a.evaluations() + b.evaluations(),
                a.gradients() + b.gradients());
    }

    /** The full parameter vector of the start with the lowest value. */
    private double[] bestTheta(FitObjective objective, OptimizationResult r) {
        double[] v = r.values();
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return objective.physical(new int[] {best}, Arrays.copyOfRange(r.u(), best * free.length, (best + 1) * free.length), 1);
    }

    private static double[] pack(double[] u, int[] which, int count, int d) {
        double[] out = new double[count * d];
        for (int k = 0; k < count; k++) {
            System.arraycopy(u, which[k] * d, out, k * d, d);
        }
        return out;
    }

    /** The mean of the {@code k} smallest finite values (+Infinity when there are none). */
    private static double meanOfBest(double[] values, int k) {
        double[] sorted = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (sorted.length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        int n = Math.min(k, sorted.length);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += sorted[i];
        }
        return sum / n;
    }

    private static String seconds(long from, long to) {
        return String.format(Locale.ROOT, "%.2f", (to - from) * 1e-9);
    }

    /** Refuses what cannot be fitted as asked, before any work. */
    private void check() {
        int d = free.length;
        if (d == 0) {
            throw new IllegalArgumentException("every parameter is fixed: nothing to fit");
        }
        int n = problem.data().pointsUsed();
        if (n < d + 2) {
            throw new IllegalArgumentException(problem.data().label() + ": " + n + " usable point(s) for " + d
                    + " free parameter(s); a fit needs at least the free parameters + 2 = " + (d + 2)
                    + " points (the 2 for the scale and the background): fix parameters or fit a wider q range");
        }
        if (settings.ensembleRule() == EnsembleRuleType.DELTA_CHI2 && !loss.isLikelihood()) {
            throw new IllegalArgumentException("the delta-chi2 ensemble rule needs a likelihood loss (chi2 or loglik)");
        }
        for (String name : settings.profiles()) {
            if (space.isFixed(name)) {
                throw new IllegalArgumentException("cannot profile " + name + ": it is fixed; profile a free parameter: "
                        + String.join(", ", space.freeNames()));
            }
        }
    }

    private EnsembleRule rule(double[] losses) {
        if (settings.ensembleRule() == EnsembleRuleType.PAPER) {
            return EnsembleRule.paper();
        }
        // any likelihood loss (χ², loglik) is −2 ln L up to a constant: Δχ² applies to its value
        double min = Double.POSITIVE_INFINITY;
        for (double v : losses) {
            min = Math.min(min, v);
        }
        int d = free.length;
        int points = (int) Math.round(loss.size() * loss.pointWeight());
        return EnsembleRule.DeltaChi2.forFit(d, min, points - d - loss.solvedParameters().size());
    }

    /** The model curves of the ensemble members, aligned to the data by the loss, best first. */
    private double[][] alignedCurves(double[] theta, Ensemble ensemble) {
        int m = ensemble.size();
        double[] memberTheta = new double[m * p];
        for (int k = 0; k < m; k++) {
            System.arraycopy(theta, ensemble.member(k) * p, memberTheta, k * p, p);
        }
        int n = model.qSize();
        double[] curves = new double[m * n];
        model.evaluate(memberTheta, m, curves);
        double[][] out = new double[m][];
        for (int k = 0; k < m; k++) {
            out[k] = loss.align(Arrays.copyOfRange(curves, k * n, (k + 1) * n));
        }
        return out;
    }

    /** The pointwise minimum and maximum of the curves. */
    private static double[][] band(double[][] curves) {
        double[] lower = curves[0].clone();
        double[] upper = curves[0].clone();
        for (int k = 1; k < curves.length; k++) {
            for (int i = 0; i < lower.length; i++) {
                lower[i] = Math.min(lower[i], curves[k][i]);
                upper[i] = Math.max(upper[i], curves[k][i]);
            }
        }
        return new double[][] {lower, upper};
    }

    /**
     * The model's exact symmetries whose images are different fits of this problem: every parameter
     * the map changes is free, and the canonical image is not an ordering of the space (an ordering
     * keeps every member in its image).
     */
    private List<Symmetry> splittingSymmetries() {
        List<Symmetry> out = new ArrayList<>();
        for (Symmetry sym : problem.fitModel().symmetries()) {
            if (sym.indicesIn(space) != null && !sym.canonicalOrdering().map(space.orderedPairs()::contains).orElse(false)) {
                out.add(sym);
            }
        }
        return out;
    }

    /**
     * The image of every ensemble member under the model's exact symmetries that apply to this
     * problem (a bit per symmetry: set when the member is not in the canonical image), or
     * {@code null} when none applies. A symmetry whose canonical image is an ordering of the fit
     * space splits nothing (every member keeps the ordering) and is left out.
     */
    private IdentifiabilityAnalysis.Images images(double[] theta, Ensemble ensemble) {
        int[] image = new int[ensemble.size()];
        List<String> names = new ArrayList<>();
        for (Symmetry sym : splittingSymmetries()) {
            int[] index = sym.indicesIn(space);
            int bit = 1 << names.size();
            names.add(sym.name() + " (canonical image " + sym.canonicalImage() + ")");
            double[] v = new double[index.length];
            for (int i = 0; i < ensemble.size(); i++) {
                int s = ensemble.member(i);
                for (int k = 0; k < index.length; k++) {
                    v[k] = theta[s * p + index[k]];
                }
                if (!sym.isCanonical(v)) {
                    image[i] |= bit;
                }
            }
        }
        return names.isEmpty() ? null : new IdentifiabilityAnalysis.Images(String.join(" and ", names), image);
    }

    /**
     * The ensemble's spreads with every member mapped onto the canonical image of each splitting
     * symmetry, when the members lie in more than one image; {@code null} when they all lie in one.
     */
    private FoldedEnsemble folded(EnsembleSample sample, IdentifiabilityAnalysis.Images images) {
        if (images == null || Arrays.stream(images.of()).distinct().count() < 2) {
            return null;
        }
        List<Symmetry> syms = splittingSymmetries();
        int[][] at = new int[syms.size()][];
        for (int t = 0; t < at.length; t++) {
            // the map's parameters as positions in the vector of free parameters
            int[] index = syms.get(t).indicesIn(space);
            at[t] = new int[index.length];
            for (int k = 0; k < index.length; k++) {
                at[t][k] = Arrays.binarySearch(free, index[k]);
            }
        }
        double[] widths = Symmetry.freeWidths(syms, space);
        return IdentifiabilityAnalysis.folded(sample,
                String.join(" and ", syms.stream().map(Symmetry::name).toList()),
                String.join(" and ", syms.stream().map(Symmetry::canonicalImage).toList()), values -> {
                    for (int t = 0; t < at.length; t++) {
                        double[] v = new double[at[t].length];
                        for (int k = 0; k < v.length; k++) {
                            v[k] = values[at[t][k]];
                        }
                        if (!syms.get(t).isCanonical(v)) {
                            double[] w = syms.get(t).map(v);
                            for (int k = 0; k < w.length; k++) {
                                values[at[t][k]] = w[k];
                            }
                        }
                    }
                    return values;
                }, widths);
    }

    private EnsembleSample sample(double[] theta, double[] losses, Ensemble ensemble) {
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
            int s = ensemble.member(i);
            for (int k = 0; k < d; k++) {
                v[i][k] = theta[s * p + free[k]];
            }
            l[i] = losses[s];
        }
        return new EnsembleSample(names, units, lo, hi, v, l, ensemble.members());
    }

    private Identifiability withProfiles(Identifiability id, double[] theta, double[] losses, Ensemble ensemble, int best) {
        if (settings.profiles().isEmpty()) {
            return id;
        }
        ProfileLikelihood profiler = new ProfileLikelihood(problem, settings);
        List<Profile> list = new ArrayList<>();
        for (String name : settings.profiles()) {
            list.add(profiler.profile(name, theta, losses, ensemble, id, best));
        }
        return id.withProfiles(list);
    }

    /** Candidates scored per call while screening: bounds the objective's per-start cache. */
    private static final int SCREEN_SLICE = 256;

    /**
     * The starts in unconstrained coordinates: the first {@code starts} Sobol points, or with
     * screening ({@link FitSettings#withScreening}) the {@code starts} lowest-loss points of the first
     * {@code factor × starts}, in their Sobol order (ties go to the earlier point).
     */
    private double[] startingPoints(Reparameterization reparam, int starts, Loss screenLoss) {
        int factor = settings.screening();
        long total = (long) factor * starts;
        if (factor == 1) {
            return Starts.unconstrained(reparam, Starts.physical(space, starts, settings.seed(), settings.shrink()), starts);
        }
        if (total > Integer.MAX_VALUE / Math.max(1, free.length)) {
            throw new IllegalArgumentException("screening " + factor + " × " + starts + " candidate points is too many");
        }
        int n = (int) total;
        int d = free.length;
        double[] candidates = Starts.unconstrained(reparam, Starts.physical(space, n, settings.seed(), settings.shrink()), n);
        FitObjective scorer = new FitObjective(model, reparam, screenLoss, null, settings.threads(), settings.chunkSize());
        double[] values = new double[n];
        int[] ids = new int[SCREEN_SLICE];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        for (int from = 0; from < n; from += SCREEN_SLICE) {
            int m = Math.min(SCREEN_SLICE, n - from);
            double[] slice = Arrays.copyOfRange(candidates, from * d, (from + m) * d);
            double[] v = new double[m];
            scorer.value(ids, slice, m, v);
            for (int r = 0; r < m; r++) {
                values[from + r] = Double.isNaN(v[r]) ? Double.POSITIVE_INFINITY : v[r];
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(values[a], values[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] kept = new int[starts];
        for (int i = 0; i < starts; i++) {
            kept[i] = order[i];
        }
        Arrays.sort(kept);
        double[] u0 = new double[starts * d];
        for (int i = 0; i < starts; i++) {
            System.arraycopy(candidates, kept[i] * d, u0, i * d, d);
        }
        LOG.info("screened {} candidate points ({} per start): kept the {} of lowest loss, {} .. {} (the median"
                + " candidate's {})", n, factor, starts, String.format(Locale.ROOT, "%.4g", values[order[0]]),
                String.format(Locale.ROOT, "%.4g", values[order[starts - 1]]),
                String.format(Locale.ROOT, "%.4g", values[order[n / 2]]));
        return u0;
    }
}
