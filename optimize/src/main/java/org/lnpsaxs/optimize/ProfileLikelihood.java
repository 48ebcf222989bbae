package org.lnpsaxs.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.optimize.ensemble.Ensemble;
import org.lnpsaxs.optimize.identifiability.Identifiability;
import org.lnpsaxs.optimize.identifiability.Mode;
import org.lnpsaxs.optimize.identifiability.ParameterSpread;
import org.lnpsaxs.optimize.identifiability.Profile;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.multistart.OptimizationListener;
import org.lnpsaxs.optimize.multistart.OptimizationResult;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.param.OrderedPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Profile likelihoods of a finished multi-start fit. A profile holds one parameter at
 * {@code profilePoints} values — half of them (rounded up) centred on the best fit, ±4 Fisher
 * standard errors for a likelihood loss (χ², loglik), or ± the ensemble's 5–95 % range (at least 2 % of the box) for the
 * scale-free loss, and the rest spread over 95 % of the box (so that other modes show) — and at
 * each value L-BFGS re-optimises the others from {@value #STARTS} ensemble members (the best member
 * of every mode first, then the best remaining ones), all values and starts in one batch; the
 * profile is the lowest loss per value. For a likelihood loss (−2 ln L) the 68 % interval is where
 * the profile crosses its minimum + 1. Not a user class: {@link Fitter} runs it.
 */
final class ProfileLikelihood {

    /** The starts per profile value. */
    static final int STARTS = 6;

    private static final Logger LOG = LoggerFactory.getLogger(Fitter.class);

    private final FitProblem problem;
    private final FitSettings settings;
    private final FitSpace space;
    private final int p;

    ProfileLikelihood(FitProblem problem, FitSettings settings) {
        this.problem = problem;
        this.settings = settings;
        this.space = problem.space();
        this.p = space.size();
    }

    /**
     * The profile of free parameter {@code name}.
     *
     * @param theta    every start's final parameters ({@code starts * P})
     * @param losses   every start's final loss
     * @param ensemble the ensemble
     * @param id       its analysis (modes, spreads, Fisher information)
     * @param best     the best start
     */
    Profile profile(String name, double[] theta, double[] losses, Ensemble ensemble, Identifiability id, int best) {
        int j = space.box().indexOf(name);
        Parameter par = space.box().get(j);
        double bestValue = theta[best * p + j];
        double[] values = grid(name, par.lower(), par.upper(), bestValue, id);
        List<Integer> seeds = seeds(ensemble, id);
        int k = values.length;
        int per = seeds.size();
        int batch = k * per;
        double[] base = new double[batch * p];
        for (int g = 0; g < k; g++) {
            for (int s = 0; s < per; s++) {
                int row = g * per + s;
                System.arraycopy(theta, seeds.get(s) * p, base, row * p, p);
                base[row * p + j] = values[g];
                keepOrdering(base, row * p, j);
            }
        }
        Reparameterization reparam = new Reparameterization(space.withFixed(name, 0.5 * (par.lower() + par.upper())));
        double[] u0 = new double[batch * reparam.freeSize()];
        reparam.toFree(base, batch, u0);
        FitObjective objective = new FitObjective(problem.model(), reparam, problem.loss(), base, settings.threads(),
                settings.chunkSize());
        // every grid value needs its own minimum: no racing between them
        Lbfgs lbfgs = Lbfgs.defaults().withRacing(Lbfgs.Racing.OFF).withLogEvery(1000);
        OptimizationResult r = (problem.fitModel().boundPinning() ? lbfgs : lbfgs.withBoundPinning(0))
                .minimize(objective, u0, batch, OptimizationListener.NONE);
        double[] prof = new double[k];
        for (int g = 0; g < k; g++) {
            double min = Double.POSITIVE_INFINITY;
            for (int s = 0; s < per; s++) {
                min = Math.min(min, r.value(g * per + s));
            }
            prof[g] = min;
        }
        double bestLoss = losses[best];
        Double lower68 = null;
        Double upper68 = null;
        if (problem.loss().isLikelihood()) {
            double level = bestLoss + 1.0;
            lower68 = crossing(values, prof, level, bestValue, true);
            upper68 = crossing(values, prof, level, bestValue, false);
        }
        LOG.info("profile of {}: {} values x {} starts", name, k, per);
        return new Profile(name, par.unit(), values, prof, bestLoss, problem.loss().name(), lower68, upper68);
    }

    /** The profile's values, ascending: half around the best value, the rest across the box. */
    private double[] grid(String name, double lo, double hi, double bestValue, Identifiability id) {
        double half = Double.NaN;
        Double se = id.fisher() == null ? null : id.fisher().standardError(name);
        if (se != null) {
            half = 4 * se;
        }
        if (!(half > 0)) {
            for (ParameterSpread spread : id.spreads()) {
                if (spread.name().equals(name)) {
                    half = spread.p95() - spread.p05();
                }
            }
            half = Math.max(half, 0.02 * (hi - lo));
        }
        int k = settings.profilePoints();
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
        return values;
    }

    /** The starts of every profile value: the best member of each mode, then the ensemble's best others. */
    private static List<Integer> seeds(Ensemble ensemble, Identifiability id) {
        List<Integer> seeds = new ArrayList<>();
        for (Mode mode : id.modes().modes()) {
            if (seeds.size() < STARTS) {
                seeds.add(mode.bestStart());
            }
        }
        for (int s : ensemble.members()) {
            if (seeds.size() >= STARTS) {
                break;
            }
            if (!seeds.contains(s)) {
                seeds.add(s);
            }
        }
        return seeds;
    }

    /** Moves the partner of {@code j} in an ordered pair so that the ordering holds with θ_j set. */
    private void keepOrdering(double[] row, int o, int j) {
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
