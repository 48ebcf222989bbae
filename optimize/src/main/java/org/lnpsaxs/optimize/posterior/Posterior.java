package org.lnpsaxs.optimize.posterior;

/**
 * A sampled posterior: the kept chain, its diagnostics and how it was made.
 *
 * @param method      the sampler's description ({@link EnsembleSampler#describe()})
 * @param chain       the kept states after burn-in, in the sampler's coordinates
 * @param convergence the diagnostics of {@code chain} and the verdict
 * @param burnIn      steps discarded before {@code chain}
 * @param totalSteps  steps run in all
 */
public record Posterior(String method, Chain chain, Convergence convergence, int burnIn, int totalSteps) {

    /** Whether the chain passed its convergence criteria. */
    public boolean converged() {
        return convergence.converged();
    }
}
