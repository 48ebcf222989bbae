package org.lnpsaxs.optimize.multistart;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batched L-BFGS: every start keeps its own history of the last {@code history} pairs
 * \( (s_k, y_k) \), the search directions come from the two-loop recursion with
 * \( H_0 = (s^Ty/y^Ty)\,I \), and the line search is Armijo backtracking evaluated as batches:
 * all active starts try \( \alpha = 1 \) in one forward call; those that fail the sufficient
 * decrease \( f(u+\alpha p) \le f(u) + c_1\alpha\,g^Tp \) pick a smaller step by quadratic
 * interpolation (kept in \([0.1\alpha, 0.5\alpha]\)) and are evaluated again, as a smaller batch.
 * Gradients are computed only at accepted points (one reverse pass per accepted step). Pairs
 * with \( s^Ty \le 10^{-12}\,y^Ty \) are skipped (no curvature information).
 *
 * <p>The first step of a start (or after a reset) goes down the gradient with length
 * {@code initialStep}; every step is capped at {@code maxStep} in the max-norm (unconstrained
 * units). A start whose line search fails resets its history and tries the gradient direction;
 * if that also fails it has stalled and retires. A start converges, and leaves the batch, when its
 * relative decrease \( (f_{k-1}-f_k)/\max(|f_{k-1}|, |f_k|) \) stays at or below
 * {@code relativeTolerance} for {@code patience} consecutive iterations, when its gradient's
 * max-norm is at most {@code gradientTolerance}, or when it stalls. A start that reaches
 * {@code maxIterations} stops unconverged.
 *
 * @param maxIterations     iterations per start at most
 * @param history           the number of (s, y) pairs kept per start
 * @param c1                the Armijo constant
 * @param maxBacktracks     step reductions per line search at most
 * @param relativeTolerance relative decrease below which an iteration counts as stalled
 * @param patience          consecutive stalled iterations that mean convergence
 * @param gradientTolerance gradient max-norm at or below which a start has converged
 * @param initialStep       length of a steepest-descent step (unconstrained units)
 * @param maxStep           cap on any step's max-norm (unconstrained units)
 * @param logEvery          log progress every this many iterations
 */
public record Lbfgs(int maxIterations, int history, double c1, int maxBacktracks, double relativeTolerance, int patience,
                    double gradientTolerance, double initialStep, double maxStep, int logEvery) implements BatchOptimizer {

    private static final Logger LOG = LoggerFactory.getLogger(Lbfgs.class);

    /** Validates the settings. */
    public Lbfgs {
        if (maxIterations < 1 || history < 1 || !(c1 > 0 && c1 < 1) || maxBacktracks < 1 || !(relativeTolerance >= 0)
                || patience < 1 || !(gradientTolerance >= 0) || !(initialStep > 0) || !(maxStep > 0) || logEvery < 1) {
            throw new IllegalArgumentException("L-BFGS settings out of range: iterations " + maxIterations + ", history "
                    + history + ", c1 " + c1 + ", backtracks " + maxBacktracks + ", rel. tol " + relativeTolerance
                    + ", patience " + patience + ", grad. tol " + gradientTolerance + ", steps " + initialStep + "/" + maxStep);
        }
    }

    /**
     * The defaults: 500 iterations, history 10, c₁ = 10⁻⁴, 8 backtracks, relative tolerance
     * 10⁻¹⁰ for 3 iterations, gradient tolerance 0 (off), first step 0.5, step cap 4. Eight
     * backtracks (the step shrinks at least 2-fold each) are enough: a line search that fails them
     * has met the rounding noise of the model (float32 for the ND4J surrogate), and more tries would
     * only spend forward passes.
     */
    public static Lbfgs defaults() {
        return new Lbfgs(500, 10, 1e-4, 8, 1e-10, 3, 0.0, 0.5, 4.0, 25);
    }

    /** A copy with another iteration budget. */
    public Lbfgs withMaxIterations(int n) {
        return new Lbfgs(n, history, c1, maxBacktracks, relativeTolerance, patience, gradientTolerance, initialStep, maxStep, logEvery);
    }

    /** A copy with another relative tolerance and patience. */
    public Lbfgs withRelativeTolerance(double tol, int newPatience) {
        return new Lbfgs(maxIterations, history, c1, maxBacktracks, tol, newPatience, gradientTolerance, initialStep, maxStep, logEvery);
    }

    /** A copy that logs every {@code n} iterations. */
    public Lbfgs withLogEvery(int n) {
        return new Lbfgs(maxIterations, history, c1, maxBacktracks, relativeTolerance, patience, gradientTolerance, initialStep, maxStep, n);
    }

    @Override
    public String name() {
        return "lbfgs";
    }

    @Override
    public OptimizationResult minimize(BatchObjective objective, double[] u0, int starts, OptimizationListener progress) {
        int d = objective.dimension();
        if (u0.length != starts * d) {
            throw new IllegalArgumentException("L-BFGS: " + u0.length + " starting values for " + starts + " starts of dimension " + d);
        }
        return new Run(objective, u0, starts, progress).solve();
    }

    /**
     * One minimisation: the per-start state (points, values, gradients, histories, convergence) and
     * the work buffers, sized for the whole batch once. Each iteration is four steps — search
     * directions, the batched line search, resets of failed searches, and the accepted steps
     * (gradients, history, convergence test).
     */
    private final class Run {
        private final BatchObjective objective;
        private final OptimizationListener progress;
        private final int starts;
        private final int d;
        private final int h;
        // per-start state
        private final double[] u;
        private final double[] f;
        private final double[] g;
        private final double[] sHist;
        private final double[] yHist;
        private final double[] rho;
        private final int[] count;
        private final int[] head;
        private final int[] stall;
        private final int[] iterations;
        private final boolean[] converged;
        private final boolean[] active;
        // work buffers
        private final double[] p;
        private final double[] gp;
        private final double[] alpha;
        private final double[] trialU;
        private final double[] trialF;
        private final double[] newG;
        private final double[] q;
        private final double[] a;
        private final int[] pendingIds;
        private final int[] acceptedIds;
        private final int[] activeIds;
        private final double[] acceptedU;
        private final double[] acceptedF;
        private long evaluations;
        private long gradients;
        private int nActive;
        private int iteration;
        private final ReportClock clock = new ReportClock();

        Run(BatchObjective objective, double[] u0, int starts, OptimizationListener progress) {
            this.objective = objective;
            this.progress = progress;
            this.starts = starts;
            this.d = objective.dimension();
            this.h = history;
            this.u = u0.clone();
            this.f = new double[starts];
            this.g = new double[starts * d];
            this.sHist = new double[starts * h * d];
            this.yHist = new double[starts * h * d];
            this.rho = new double[starts * h];
            this.count = new int[starts];
            this.head = new int[starts];
            this.stall = new int[starts];
            this.iterations = new int[starts];
            this.converged = new boolean[starts];
            this.active = new boolean[starts];
            this.p = new double[starts * d];
            this.gp = new double[starts];
            this.alpha = new double[starts];
            this.trialU = new double[starts * d];
            this.trialF = new double[starts];
            this.newG = new double[starts * d];
            this.q = new double[d];
            this.a = new double[h];
            this.pendingIds = new int[starts];
            this.acceptedIds = new int[starts];
            this.activeIds = new int[starts];
            this.acceptedU = new double[starts * d];
            this.acceptedF = new double[starts];
        }

        OptimizationResult solve() {
            start();
            while (nActive > 0 && iteration < maxIterations) {
                iteration++;
                int nPending = searchDirections();
                int nAccepted = lineSearch(nPending);
                resetFailedSearches(lastFailed);
                acceptSteps(nAccepted);
                report();
            }
            for (int s = 0; s < starts; s++) {
                if (active[s]) {
                    iterations[s] = iteration;
                }
            }
            return new OptimizationResult(d, u, f, iterations, converged, evaluations, gradients);
        }

        /** Values and gradients at the starting points; starts that cannot be scored there stay inactive. */
        private void start() {
            int[] ids = new int[starts];
            for (int i = 0; i < starts; i++) {
                ids[i] = i;
            }
            objective.valueAndGradient(ids, u, starts, f, g);
            evaluations = starts;
            gradients = starts;
            nActive = 0;
            for (int s = 0; s < starts; s++) {
                active[s] = Double.isFinite(f[s]) && allFinite(g, s * d, d);
                nActive += active[s] ? 1 : 0;
            }
            if (nActive < starts) {
                LOG.warn("L-BFGS: {} of {} start(s) could not be scored at their starting point and are left as they are",
                        starts - nActive, starts);
            }
        }

        /**
         * Step 1: the search direction of every active start (two-loop recursion, the gradient
         * direction when that is not a descent direction, capped at {@code maxStep}); a start
         * with a zero gradient has reached a stationary point and retires. Returns the number of
         * starts whose line search is pending (in {@code pendingIds}).
         */
        private int searchDirections() {
            int na = 0;
            for (int s = 0; s < starts; s++) {
                if (active[s]) {
                    activeIds[na++] = s;
                }
            }
            int nPending = 0;
            for (int r = 0; r < na; r++) {
                int s = activeIds[r];
                direction(s, d, h, g, sHist, yHist, rho, count, head, p, q, a);
                double dot = dot(g, s * d, p, s * d, d);
                if (!(dot < 0)) {
                    count[s] = 0;
                    steepest(s, d, g, p);
                    dot = dot(g, s * d, p, s * d, d);
                }
                if (!(dot < 0)) {
                    // zero gradient: a stationary point
                    active[s] = false;
                    converged[s] = true;
                    iterations[s] = iteration - 1;
                    continue;
                }
                gp[s] = capStep(s, dot);
                alpha[s] = 1.0;
                pendingIds[nPending++] = s;
            }
            return nPending;
        }

        /** Scales start {@code s}'s direction down to {@code maxStep} in the max-norm; returns g·p after scaling. */
        private double capStep(int s, double dot) {
            double inf = 0;
            for (int k = 0; k < d; k++) {
                inf = Math.max(inf, Math.abs(p[s * d + k]));
            }
            if (inf > maxStep) {
                double c = maxStep / inf;
                for (int k = 0; k < d; k++) {
                    p[s * d + k] *= c;
                }
                dot *= c;
            }
            return dot;
        }

        /** The starts whose line search failed after the last {@link #lineSearch} (in {@code pendingIds}). */
        private int lastFailed;

        /**
         * Step 2: the batched backtracking line search. All pending starts try their step in one
         * forward call; those that fail the Armijo test pick a smaller step (quadratic
         * interpolation kept in [0.1α, 0.5α], or α/4 after a non-finite value) and try again as a
         * smaller batch. Returns the number of accepted points (in {@code acceptedIds},
         * {@code acceptedU}, {@code acceptedF}); the starts that failed every try are left in
         * {@code pendingIds[0 .. lastFailed)}.
         */
        private int lineSearch(int nPending) {
            int nAccepted = 0;
            for (int bt = 0; bt <= maxBacktracks && nPending > 0; bt++) {
                for (int r = 0; r < nPending; r++) {
                    int s = pendingIds[r];
                    for (int k = 0; k < d; k++) {
                        trialU[r * d + k] = u[s * d + k] + alpha[s] * p[s * d + k];
                    }
                }
                objective.value(pendingIds, trialU, nPending, trialF);
                evaluations += nPending;
                int still = 0;
                for (int r = 0; r < nPending; r++) {
                    int s = pendingIds[r];
                    double ft = trialF[r];
                    if (Double.isFinite(ft) && ft <= f[s] + c1 * alpha[s] * gp[s]) {
                        System.arraycopy(trialU, r * d, acceptedU, nAccepted * d, d);
                        acceptedF[nAccepted] = ft;
                        acceptedIds[nAccepted++] = s;
                    } else {
                        alpha[s] = smallerStep(s, ft);
                        pendingIds[still++] = s;
                    }
                }
                nPending = still;
            }
            lastFailed = nPending;
            return nAccepted;
        }

        /** The next trial step of start {@code s} after a trial value {@code ft} failed the Armijo test. */
        private double smallerStep(int s, double ft) {
            if (!Double.isFinite(ft)) {
                return 0.25 * alpha[s];
            }
            double denom = 2 * (ft - f[s] - gp[s] * alpha[s]);
            double next = denom > 0 ? -gp[s] * alpha[s] * alpha[s] / denom : 0.5 * alpha[s];
            return Math.max(0.1 * alpha[s], Math.min(0.5 * alpha[s], next));
        }

        /**
         * Step 3: a start whose line search failed resets its history (the next direction is the
         * gradient's), or retires as stalled when that was already the gradient direction.
         */
        private void resetFailedSearches(int nFailed) {
            for (int r = 0; r < nFailed; r++) {
                int s = pendingIds[r];
                if (count[s] > 0) {
                    count[s] = 0;
                    stall[s] = 0;
                } else {
                    active[s] = false;
                    converged[s] = true;
                    iterations[s] = iteration;
                }
            }
        }

        /**
         * Step 4: gradients at the accepted points (one reverse pass each), then per start the
         * history update and the convergence test. A start whose new gradient is not finite keeps
         * its point but stops.
         */
        private void acceptSteps(int nAccepted) {
            if (nAccepted > 0) {
                objective.gradient(acceptedIds, acceptedU, nAccepted, newG);
                gradients += nAccepted;
            }
            for (int r = 0; r < nAccepted; r++) {
                int s = acceptedIds[r];
                int o = s * d;
                double fOld = f[s];
                double fNew = acceptedF[r];
                if (!allFinite(newG, r * d, d)) {
                    // keep the point (its value is fine) but stop: the gradient is unusable there
                    System.arraycopy(acceptedU, r * d, u, o, d);
                    f[s] = fNew;
                    active[s] = false;
                    iterations[s] = iteration;
                    continue;
                }
                double gInf = updateHistory(s, r);
                System.arraycopy(acceptedU, r * d, u, o, d);
                System.arraycopy(newG, r * d, g, o, d);
                f[s] = fNew;
                testConvergence(s, fOld, fNew, gInf);
            }
            nActive = 0;
            for (int s = 0; s < starts; s++) {
                nActive += active[s] ? 1 : 0;
            }
        }

        /**
         * Stores the pair \( s = u_{new} - u \), \( y = g_{new} - g \) of start {@code s} (accepted
         * row {@code r}) unless it carries no curvature; returns the new gradient's max-norm.
         */
        private double updateHistory(int s, int r) {
            int o = s * d;
            int slot = head[s];
            int hb = (s * h + slot) * d;
            double sy = 0;
            double yy = 0;
            double gInf = 0;
            for (int k = 0; k < d; k++) {
                double sk = acceptedU[r * d + k] - u[o + k];
                double yk = newG[r * d + k] - g[o + k];
                sHist[hb + k] = sk;
                yHist[hb + k] = yk;
                sy += sk * yk;
                yy += yk * yk;
                gInf = Math.max(gInf, Math.abs(newG[r * d + k]));
            }
            if (sy > 1e-12 * yy && yy > 0) {
                rho[s * h + slot] = 1.0 / sy;
                head[s] = (slot + 1) % h;
                count[s] = Math.min(h, count[s] + 1);
            }
            return gInf;
        }

        /**
         * The convergence test of start {@code s} after a step from {@code fOld} to {@code fNew}:
         * {@code patience} consecutive relative decreases at or below {@code relativeTolerance},
         * or a gradient max-norm at or below {@code gradientTolerance}.
         */
        private void testConvergence(int s, double fOld, double fNew, double gInf) {
            double scale = Math.max(Math.abs(fOld), Math.abs(fNew));
            if (fOld - fNew <= relativeTolerance * scale) {
                stall[s]++;
            } else {
                stall[s] = 0;
            }
            if (stall[s] >= patience || gInf <= gradientTolerance) {
                active[s] = false;
                converged[s] = true;
                iterations[s] = iteration;
            }
        }

        /** Logs and reports progress every {@code logEvery} iterations, at the end, and at least every 10 s. */
        private void report() {
            if (clock.due(iteration % logEvery == 0 || nActive == 0 || iteration == maxIterations)) {
                int nConv = 0;
                for (boolean c : converged) {
                    nConv += c ? 1 : 0;
                }
                double best = AdamW.min(f);
                LOG.info("lbfgs iteration {}/{}: best loss {}, converged {}/{} ({} active)", iteration, maxIterations, best,
                        nConv, starts, nActive);
                progress.onProgress(new OptimizationListener.Progress(iteration, maxIterations, best,
                        (double) nConv / starts, nActive));
            }
        }
    }

    private void steepest(int s, int d, double[] g, double[] p) {
        double norm = 0;
        for (int k = 0; k < d; k++) {
            norm += g[s * d + k] * g[s * d + k];
        }
        norm = Math.sqrt(norm);
        double c = norm > 0 ? initialStep / norm : 0;
        for (int k = 0; k < d; k++) {
            p[s * d + k] = -c * g[s * d + k];
        }
    }

    /** The two-loop recursion: p = −H g for start s. */
    private void direction(int s, int d, int h, double[] g, double[] sHist, double[] yHist, double[] rho, int[] count,
                           int[] head, double[] p, double[] q, double[] a) {
        int n = count[s];
        if (n == 0) {
            steepest(s, d, g, p);
            return;
        }
        System.arraycopy(g, s * d, q, 0, d);
        int newest = (head[s] - 1 + h) % h;
        for (int i = 0; i < n; i++) {
            int slot = (newest - i + h) % h;
            int hb = (s * h + slot) * d;
            double ai = rho[s * h + slot] * dot(sHist, hb, q, 0, d);
            a[i] = ai;
            for (int k = 0; k < d; k++) {
                q[k] -= ai * yHist[hb + k];
            }
        }
        int nb = (s * h + newest) * d;
        double gamma = 1.0 / (rho[s * h + newest] * dot(yHist, nb, yHist, nb, d));
        for (int k = 0; k < d; k++) {
            q[k] *= gamma;
        }
        for (int i = n - 1; i >= 0; i--) {
            int slot = (newest - i + h) % h;
            int hb = (s * h + slot) * d;
            double bi = rho[s * h + slot] * dot(yHist, hb, q, 0, d);
            for (int k = 0; k < d; k++) {
                q[k] += (a[i] - bi) * sHist[hb + k];
            }
        }
        for (int k = 0; k < d; k++) {
            p[s * d + k] = -q[k];
        }
        Arrays.fill(q, 0.0);
    }

    private static double dot(double[] x, int xo, double[] y, int yo, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += x[xo + k] * y[yo + k];
        }
        return s;
    }

    private static boolean allFinite(double[] x, int o, int d) {
        for (int k = 0; k < d; k++) {
            if (!Double.isFinite(x[o + k])) {
                return false;
            }
        }
        return true;
    }
}
