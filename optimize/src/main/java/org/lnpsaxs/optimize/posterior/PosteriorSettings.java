package org.lnpsaxs.optimize.posterior;

import java.util.Locale;
import java.util.Objects;

/**
 * How the posterior of a fit is sampled after the multi-start fit ({@code Fitter.withPosterior}):
 * the sampler ({@link #method()}), the chain or walker count, the budget, when the ensemble
 * sampler is first checked, the convergence criteria and whether σ is inflated for a model that is
 * too simple for the data. Immutable; {@link #defaults()} and {@code withX(..)} copies. The
 * sampler's seed is the fit's seed.
 *
 * <p>With {@link Method#HMC} (the default) the budget counts Hamiltonian iterations, warm-up
 * included, and the chains are checked after 150 kept iterations and each time they have grown by
 * half. With {@link Method#ENSEMBLE} it counts ensemble steps: the chain is checked after
 * {@link #firstCheck()} steps and then each time it has grown by half, the first half of all steps
 * being burn-in. Either way sampling stops once the draws pass {@link #criteria()} or the budget is
 * spent; draws that ran out of budget are reported as not converged, with the reasons.
 */
public final class PosteriorSettings {

    /** The sampler. */
    public enum Method {
        /**
         * Hamiltonian Monte Carlo ({@link HamiltonianRun}) from a short ensemble pilot, with a dense
         * metric tuned in warm-up (the default): the budget counts its iterations.
         */
        HMC,
        /** The affine-invariant ensemble sampler alone ({@link EnsembleSampler}): the budget counts its steps. */
        ENSEMBLE
    }

    /** The default budget of Hamiltonian iterations (warm-up included). */
    public static final int DEFAULT_HMC_ITERATIONS = 1500;

    /**
     * The default step budget (sampler steps; each moves every walker once). On the lnp example
     * the autocorrelation times were 62–76 steps, and R-hat &lt; 1.01 over walker chains needs about
     * 100–140 τ kept steps (see the package documentation), i.e. about 15000–20000 steps with half
     * of them burn-in; 6000 steps left R-hat at 1.02–1.04.
     */
    public static final int DEFAULT_MAX_STEPS = 20_000;
    /** The default number of steps before the first convergence check. */
    public static final int DEFAULT_FIRST_CHECK = 800;
    /** The most walkers allowed. */
    public static final int MAX_WALKERS = 4096;
    /** The most steps allowed. */
    public static final int MAX_STEPS = 1_000_000;

    private final int walkers;
    private final int maxSteps;
    private final int firstCheck;
    private final ConvergenceCriteria criteria;
    private final boolean inflateSigma;
    private final Method method;

    private PosteriorSettings(int walkers, int maxSteps, int firstCheck, ConvergenceCriteria criteria,
                              boolean inflateSigma, Method method) {
        this.method = Objects.requireNonNull(method, "method");
        if (maxSteps == 0) {
            maxSteps = method == Method.HMC ? DEFAULT_HMC_ITERATIONS : DEFAULT_MAX_STEPS;
            firstCheck = Math.min(firstCheck, maxSteps);
        }
        if (walkers != 0 && (walkers < 4 || walkers % 2 != 0 || walkers > MAX_WALKERS)) {
            throw new IllegalArgumentException("posterior walkers = " + walkers + ": must be an even number in [4, "
                    + MAX_WALKERS + "], or 0 for the default (max(32, 4 x free parameters))");
        }
        if (maxSteps < 8 || maxSteps > MAX_STEPS) {
            throw new IllegalArgumentException("posterior steps = " + maxSteps + ": must lie in [8, " + MAX_STEPS + "]");
        }
        if (firstCheck < 8 || firstCheck > maxSteps) {
            throw new IllegalArgumentException("posterior first check after " + firstCheck + " steps: must lie in [8, "
                    + maxSteps + "] (the step budget)");
        }
        this.walkers = walkers;
        this.maxSteps = maxSteps;
        this.firstCheck = firstCheck;
        this.criteria = Objects.requireNonNull(criteria, "criteria");
        this.inflateSigma = inflateSigma;
    }

    /**
     * The defaults: the sampler's default walker count, at most {@value #DEFAULT_MAX_STEPS} steps,
     * the first check after {@value #DEFAULT_FIRST_CHECK}, {@link ConvergenceCriteria#DEFAULT},
     * σ inflated when χ²_red is clearly above 1.
     */
    public static PosteriorSettings defaults() {
        return new PosteriorSettings(0, 0, DEFAULT_FIRST_CHECK, ConvergenceCriteria.DEFAULT, true, Method.HMC);
    }

    /** A copy with {@code n} walkers (even, ≥ 4; 0 for the default max(32, 4d)). */
    public PosteriorSettings withWalkers(int n) {
        return new PosteriorSettings(n, maxSteps, firstCheck, criteria, inflateSigma, method);
    }

    /**
     * A copy with a budget of {@code n} steps; the first check moves to min(first check, n).
     */
    public PosteriorSettings withMaxSteps(int n) {
        return new PosteriorSettings(walkers, n, Math.max(8, Math.min(firstCheck, n)), criteria, inflateSigma,
                method);
    }

    /** A copy whose first convergence check comes after {@code n} steps. */
    public PosteriorSettings withFirstCheck(int n) {
        return new PosteriorSettings(walkers, maxSteps, n, criteria, inflateSigma, method);
    }

    /** A copy with other convergence criteria. */
    public PosteriorSettings withCriteria(ConvergenceCriteria c) {
        return new PosteriorSettings(walkers, maxSteps, firstCheck, c, inflateSigma, method);
    }

    /**
     * A copy that does (the default) or does not inflate σ by \( \sqrt{\chi^2_{red}} \) when the
     * best fit's reduced χ² is clearly above 1 (see {@code FitPosterior}).
     */
    public PosteriorSettings withSigmaInflation(boolean on) {
        return new PosteriorSettings(walkers, maxSteps, firstCheck, criteria, on, method);
    }

    /**
     * A copy with another sampler. When the step budget was not set ({@link #withMaxSteps}), it
     * becomes the method's default ({@value #DEFAULT_HMC_ITERATIONS} iterations for HMC,
     * {@value #DEFAULT_MAX_STEPS} steps for the ensemble sampler).
     */
    public PosteriorSettings withMethod(Method m) {
        boolean defaultBudget = maxSteps == (method == Method.HMC ? DEFAULT_HMC_ITERATIONS : DEFAULT_MAX_STEPS);
        return new PosteriorSettings(walkers, defaultBudget ? 0 : maxSteps, defaultBudget ? DEFAULT_FIRST_CHECK : firstCheck,
                criteria, inflateSigma, m);
    }

    /** The sampler. */
    public Method method() {
        return method;
    }

    /** The walker count (0: the default for the dimension). */
    public int walkers() {
        return walkers;
    }

    /** The step budget. */
    public int maxSteps() {
        return maxSteps;
    }

    /** Steps before the first convergence check. */
    public int firstCheck() {
        return firstCheck;
    }

    /** The convergence criteria. */
    public ConvergenceCriteria criteria() {
        return criteria;
    }

    /** Whether σ is inflated for a model that is too simple. */
    public boolean inflateSigma() {
        return inflateSigma;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PosteriorSettings[walkers %s, steps <= %d, first check %d, R-hat < %.3g, "
                        + "ESS >= %.0f, >= %.0f tau, sigma inflation %s, %s]",
                walkers == 0 ? "default" : "" + walkers, maxSteps, firstCheck, criteria.maxRHat(), criteria.minEss(),
                criteria.minStepsPerTau(), inflateSigma ? "on" : "off", method);
    }
}
