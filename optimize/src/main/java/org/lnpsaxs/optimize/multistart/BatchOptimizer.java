package org.lnpsaxs.optimize.multistart;

/**
 * A minimiser that advances many starts of a {@link BatchObjective} together, one batched
 * objective call per step. Implementations: {@link AdamW} (the paper's schedule) and
 * {@link Lbfgs} (quasi-Newton with batched line search and early retirement). Configurations
 * are immutable; a run is deterministic for given starting points.
 */
public sealed interface BatchOptimizer permits AdamW, Lbfgs {

    /** The optimiser's name as written on the command line and in reports ({@code adamw}, {@code lbfgs}). */
    String name();

    /**
     * Minimises every start.
     *
     * @param objective the batched objective
     * @param u0        {@code starts * D} starting points (not modified)
     * @param starts    the number of starts
     * @param progress  receives progress reports (may be {@link OptimizationListener#NONE})
     * @return the best point found for each start and its value
     */
    OptimizationResult minimize(BatchObjective objective, double[] u0, int starts, OptimizationListener progress);
}
