package org.lnpsaxs.optimize.multistart;

/**
 * Receives the progress of a batched optimisation (the optimisers also log it at INFO level).
 * (Named apart from the simulator's {@code org.lnpsaxs.core.simulator.ProgressListener}.)
 */
@FunctionalInterface
public interface OptimizationListener {

    /** A listener that ignores everything. */
    OptimizationListener NONE = p -> { };

    /** Called after a step (not necessarily after every step). */
    void onProgress(Progress progress);

    /**
     * Called after every step with each start's loss so far (L-BFGS: its current loss, frozen
     * once it has converged or retired; AdamW: its best loss so far). For studies of convergence
     * and retirement; does nothing by default.
     *
     * @param step   the step (AdamW) or iteration (L-BFGS), from 1
     * @param losses per start, a copy the listener may keep
     */
    default void onLosses(int step, double[] losses) {
    }

    /**
     * One progress report.
     *
     * @param step           the step (AdamW) or iteration (L-BFGS), from 1
     * @param totalSteps     the step budget
     * @param bestLoss       the lowest loss over all starts so far
     * @param convergedShare the share of starts that have converged and left the batch (0..1)
     * @param activeStarts   the number of starts still in the batch
     * @param budgetIsACap   whether the work stops before {@code totalSteps} as starts converge and the
     *                       steps get cheaper as they leave (L-BFGS), so that a time left extrapolated
     *                       from the steps would overstate it many times; false where every step costs
     *                       about the same until the budget (AdamW, the posterior's samplers)
     */
    record Progress(int step, int totalSteps, double bestLoss, double convergedShare, int activeStarts,
                    boolean budgetIsACap) {

        /** A report of work whose steps cost about the same until the budget ({@code budgetIsACap} false). */
        public Progress(int step, int totalSteps, double bestLoss, double convergedShare, int activeStarts) {
            this(step, totalSteps, bestLoss, convergedShare, activeStarts, false);
        }
    }
}
