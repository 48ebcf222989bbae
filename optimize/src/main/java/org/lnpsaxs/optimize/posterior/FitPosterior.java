package org.lnpsaxs.optimize.posterior;

import java.util.List;
import java.util.Map;

/**
 * The sampled posterior of a fit (see {@code Fitter.withPosterior}): how it was sampled, whether
 * it converged and why not, the marginals of every free parameter in its model units (draws
 * folded onto the canonical image of each exact symmetry), the weights of the starting modes, the
 * posterior of the size distribution and the likelihood that was sampled. Immutable.
 *
 * <p>The posterior is \( p(\theta\mid D) \propto \exp(-L(\theta)/(2c)) \) times a uniform prior on
 * the fit box, L the fit's loss (a −2 ln likelihood, e.g. χ² with the scale and background
 * profiled out) and c the σ-inflation factor squared ({@link Likelihood#inflation()}: 1, or the best
 * fit's χ²_red when the model is too simple for the data).
 *
 * @param method        the sampler ({@link EnsembleSampler#describe()})
 * @param walkers       walkers
 * @param keptSteps     steps kept per walker after burn-in
 * @param burnIn        steps discarded at the start
 * @param totalSteps    steps run in all
 * @param evaluations   log-density (model) evaluations in all
 * @param runtimeSeconds wall-clock time of the sampling and its summaries, s
 * @param cpuSeconds    process CPU time over the same span, s (NaN when the JVM does not say)
 * @param convergence   diagnostics of the reported (folded, parameter-unit) chain and the verdict
 * @param marginals     per free parameter, model units, model order
 * @param units         per free parameter its unit
 * @param chain         the kept draws in parameter units (folded), for plots and for your own analysis; its
 *                      log densities are ln p(θ | D) up to a constant, −L/(2c), in the parameters' own
 *                      coordinates (what {@code posterior-draws.dat} holds)
 * @param modes         the starting modes and their posterior weights
 * @param modeSwitches  times a walker's mode changed between consecutive kept steps
 * @param size          the size-distribution posterior, or {@code null} when the model has none
 * @param likelihood    what was sampled
 * @param symmetries    the model's exact symmetries and how they were applied
 * @param warmUpSteps   iterations of the sampler before its kept chain could start (HMC's warm-up), 0 for
 *                      the ensemble sampler, whose burn-in is half its steps
 * @param determinations per free parameter (model order), how well the data determine it: its 90 %
 *                      interval as a share of its fit box, and the verdict
 */
public record FitPosterior(String method, int walkers, int keptSteps, int burnIn, int totalSteps, long evaluations,
                           double runtimeSeconds, double cpuSeconds, Convergence convergence, List<Marginal> marginals,
                           Map<String, String> units, Chain chain, List<ModeWeight> modes, long modeSwitches,
                           SizePosterior size, Likelihood likelihood, List<SymmetryUse> symmetries,
                           int warmUpSteps, List<Determination> determinations) {

    /** Copies the lists; the determinations must name the marginals' parameters in their order. */
    public FitPosterior {
        marginals = List.copyOf(marginals);
        units = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(units));
        modes = List.copyOf(modes);
        symmetries = List.copyOf(symmetries);
        determinations = List.copyOf(determinations);
        if (!determinations.stream().map(Determination::name).toList()
                .equals(marginals.stream().map(Marginal::name).toList())) {
            throw new IllegalArgumentException("posterior: the determinations must follow the marginals' parameters");
        }
    }

    /** The determination of free parameter {@code name}. */
    public Determination determination(String name) {
        return determinations.get(indexOf(name, "determination"));
    }

    /** The number of kept draws, walkers × kept steps. */
    public int samples() {
        return walkers * keptSteps;
    }

    /** Whether the diagnostics passed their criteria. */
    public boolean converged() {
        return convergence.converged();
    }

    /** Why the posterior is not called converged ({@code null} when it is). */
    public String reason() {
        if (converged()) {
            return null;
        }
        String why = "not converged after " + totalSteps + " steps (the budget): " + String.join("; ", convergence.failures());
        if (convergence.maxRHat() > STUCK_R_HAT) {
            return why + String.format(java.util.Locale.ROOT, ". R-hat above %.2f: the chains sample different regions (modes "
                    + "they do not leave, or one too curved for the step size), which a longer run rarely cures; read the "
                    + "corner plot and the mode weights before these intervals", STUCK_R_HAT);
        }
        java.util.OptionalInt more = suggestedBudget();
        return more.isEmpty() ? why : why + String.format(java.util.Locale.ROOT, ". Extrapolated from this run, about %d "
                + "steps in all would meet the criteria (--posterior-steps %d; an estimate that takes R-hat's excess to "
                + "fall as 1/length, which chains stuck in different modes do not)", more.getAsInt(), more.getAsInt());
    }

    /**
     * Above this R-hat no budget is suggested: the chains disagree about where the posterior is, not
     * about details a longer run would settle (Gelman et al.'s older convergence bound, 1.1).
     */
    public static final double STUCK_R_HAT = 1.1;

    /**
     * For a posterior that did not converge, the budget (sampler steps or iterations in all, warm-up
     * included; {@code PosteriorSettings.withMaxSteps}) at which this run's diagnostics, extrapolated
     * ({@link Convergence#lengthFactor()}), would pass, rounded up to a multiple of 100; empty when
     * converged, when there is nothing to extrapolate from, or when R-hat exceeds {@link #STUCK_R_HAT}. With the same seed, a rerun with that
     * budget repeats this run's steps and goes on.
     */
    public java.util.OptionalInt suggestedBudget() {
        double g = convergence.lengthFactor();
        if (converged() || !Double.isFinite(g) || convergence.maxRHat() > STUCK_R_HAT) {
            return java.util.OptionalInt.empty();
        }
        double sampled = totalSteps - warmUpSteps;
        double n = warmUpSteps + g * sampled;
        if (!(n < Integer.MAX_VALUE / 2.0)) {
            return java.util.OptionalInt.empty();
        }
        int rounded = (int) (Math.ceil(n / 100) * 100);
        return java.util.OptionalInt.of(Math.max(rounded, totalSteps + 100));
    }

    /**
     * The kept draws of free parameter {@code name} in its model unit (folded as the marginals are),
     * step-major over the chains: for a histogram or a derived quantity in JShell.
     */
    public double[] draws(String name) {
        int j = chain.names().indexOf(name);
        if (j < 0) {
            throw new IllegalArgumentException("no posterior draws for '" + name + "'; free parameters: " + chain.names());
        }
        double[] v = new double[chain.size()];
        for (int s = 0; s < chain.steps(); s++) {
            for (int w = 0; w < chain.walkers(); w++) {
                v[s * chain.walkers() + w] = chain.get(s, w, j);
            }
        }
        return v;
    }

    /** The marginal of free parameter {@code name}. */
    public Marginal marginal(String name) {
        return marginals.get(indexOf(name, "marginal"));
    }

    /** Where free parameter {@code name} stands in {@link #marginals()} (and {@link #determinations()}, same order). */
    private int indexOf(String name, String what) {
        for (int k = 0; k < marginals.size(); k++) {
            if (marginals.get(k).name().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no posterior " + what + " for '" + name + "'; free parameters: "
                + marginals.stream().map(Marginal::name).toList());
    }

    /**
     * One starting mode and its posterior weight.
     *
     * @param origin        where it came from, e.g. {@code ensemble mode 2} or {@code mirror of ensemble mode 1 (contrast sign)}
     * @param centre        its starting centre, free parameters in model units
     * @param weight        share of the kept draws nearest to it
     * @param standardError Monte Carlo standard error of the weight
     */
    public record ModeWeight(String origin, Map<String, Double> centre, double weight, double standardError) {
    }

    /**
     * The likelihood that was sampled.
     *
     * @param loss        the loss's name
     * @param reducedChi2 the best fit's χ²_red, or {@code null} for a loss that is not χ²
     * @param inflation   c: the loss was divided by c (σ multiplied by √c); 1 when not inflated
     * @param note        what was done and why, in words
     * @param sizeEstimateFactor the variance factor f of the model error's size-estimate term where the
     *                    likelihood carried one ({@link org.lnpsaxs.optimize.loss.LogIntensityLikelihood#withSizeEstimateTerm}),
     *                    else {@code null}
     */
    public record Likelihood(String loss, Double reducedChi2, double inflation, String note, Double sizeEstimateFactor) {

        /** A likelihood without a size-estimate term. */
        public Likelihood(String loss, Double reducedChi2, double inflation, String note) {
            this(loss, reducedChi2, inflation, note, null);
        }

        /** The factor σ was multiplied by, √c. */
        public double sigmaFactor() {
            return Math.sqrt(inflation);
        }
    }

    /**
     * How an exact symmetry of the model was applied to the draws.
     *
     * @param name        the symmetry's name
     * @param mapping     its formula
     * @param statement   what the data cannot determine
     * @param canonical   the reported image
     * @param applied     whether the draws were folded (false when a parameter it changes is fixed)
     * @param foldedShare share of draws that were mapped onto the canonical image
     * @param note        how it was applied, or why not
     */
    public record SymmetryUse(String name, String mapping, String statement, String canonical, boolean applied,
                              double foldedShare, String note) {
    }
}
