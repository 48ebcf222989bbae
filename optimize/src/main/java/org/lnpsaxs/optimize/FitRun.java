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
        this.settings = settings;
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
        int starts = settings.starts();
        Reparameterization reparam = new Reparameterization(space);
        FitObjective objective = new FitObjective(model, reparam, loss, null, settings.threads(), settings.chunkSize());
        double[] u0 = Starts.unconstrained(reparam, Starts.physical(space, starts, settings.seed(), settings.shrink()), starts);
        LOG.info("fitting {} to {} ({} points, loss {}): {} starts, {} free parameters, optimiser {}",
                problem.fitModel().name(), problem.data().label(), problem.data().size(), loss.name(), starts, free.length,
                settings.optimizer().name());
        long pilotEvaluations = 0;
        long pilotGradients = 0;
        if (loss instanceof LogIntensityLikelihood lik && lik.dependsOnParameters()) {
            // a model error whose size depends on the parameters is held at the size of the best fit's
            // parameters: a pilot fit with the error at its reference size (a = 1), then every start
            // polished from where the pilot left it with the error held at a(best)
            LogIntensityLikelihood reference = lik.heldAt(1);
            OptimizationResult pilot = settings.optimizer().minimize(new FitObjective(model, reparam, reference, null,
                    settings.threads(), settings.chunkSize()), u0, starts, progress);
            int pilotBest = 0;
            for (int i = 1; i < starts; i++) {
                if (pilot.values()[i] < pilot.values()[pilotBest]) {
                    pilotBest = i;
                }
            }
            double[] pilotTheta = objective.physical(new int[] {pilotBest},
                    Arrays.copyOfRange(pilot.u(), pilotBest * free.length, (pilotBest + 1) * free.length), 1);
            LogIntensityLikelihood held = lik.at(pilotTheta);
            LOG.info("model error held at amplitude {} (x its size at the reference contrast), from the pilot fit's best"
                    + " parameters; polishing every start with it", String.format(Locale.ROOT, "%.4g",
                    held.amplitudeReference()));
            loss = held;
            problem = problem.withLoss(held);
            objective = new FitObjective(model, reparam, held, null, settings.threads(), settings.chunkSize());
            u0 = pilot.u();
            pilotEvaluations = pilot.evaluations();
            pilotGradients = pilot.gradients();
        }
        OptimizationResult opt = settings.optimizer().minimize(objective, u0, starts, progress);
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
        Identifiability id = IdentifiabilityAnalysis.analyse(sample(theta, losses, ensemble), freeValues -> {
            double[] full = bestTheta.clone();
            for (int k = 0; k < free.length; k++) {
                full[free[k]] = freeValues[k];
            }
            return problem.boundModel().sizeDistribution(full);
        }, settings.seed());
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
                opt.converged(), opt.evaluations() + pilotEvaluations, opt.gradients() + pilotGradients, best, ensemble, id, aligned[0], band[0], band[1], sb,
                reduced, problem.boundModel().sizeDistribution(bestTheta));
        if (settings.posterior() != null) {
            result = result.withPosterior(new PosteriorRun(problem, settings, progress).run(theta, losses, ensemble, id,
                    reduced));
        }
        return result;
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
        ChiSquaredLoss chi = (ChiSquaredLoss) loss;
        double min = Double.POSITIVE_INFINITY;
        for (double v : losses) {
            min = Math.min(min, v);
        }
        int d = free.length;
        int points = (int) Math.round(chi.size() * chi.pointWeight());
        return EnsembleRule.DeltaChi2.forFit(d, min, points - d - (chi.fitsBackground() ? 2 : 1));
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

    /** The free parameters and losses of the ensemble members. */
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
}
