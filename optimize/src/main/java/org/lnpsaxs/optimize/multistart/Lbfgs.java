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
 * if that also fails it has stalled and retires.
 *
 * <p><b>Convergence is judged against the objective's own noise.</b> Each start carries an
 * estimate σ of the noise of its objective values near its point ({@link NoiseProbe}: 8 forward
 * evaluations along the gradient, made once the predicted decrease δ below is at most 10⁻³ of the
 * loss or within κσ of an earlier estimate, and repeated under that condition whenever the loss
 * has changed by more than a factor 2 since the last estimate). The quasi-Newton
 * model predicts that the next full step \( p = -Hg \) lowers the loss by
 * \( \delta = -\tfrac12 g^Tp = \tfrac12 g^T H g \), a norm of the gradient in the optimiser's
 * coordinates (the unconstrained u of the reparameterised box: a parameter pressed against a bound
 * has a vanishing u-gradient, so the bounds are respected without a projection). A start has
 * converged, and leaves the batch, when \( \delta \le \kappa\,\sigma \) ({@code noiseFactor} κ)
 * for {@code patience} consecutive iterations: no step the model can propose would lower the loss by
 * more than its noise. It also converges when it stalls, when its gradient's max-norm is at most
 * {@code gradientTolerance}, or (off by default) when its relative decrease
 * \( (f_{k-1}-f_k)/\max(|f_{k-1}|, |f_k|) \) stays at or below {@code relativeTolerance} for
 * {@code patience} iterations. A start whose noise cannot be detected (an objective exact to the
 * last bit along the probe) is judged by the other tests only. A start that reaches
 * {@code maxIterations} stops unconverged.
 *
 * <p><b>Bound pinning</b> ({@code pinAt} &gt; 0, {@link #withBoundPinning}; only for an objective whose
 * coordinates saturate, {@link BatchObjective#coordinatesSaturate()}). In the fitter's logistic
 * coordinates a parameter whose minimum lies on its box's edge is approached along the logistic's
 * tail, where the loss changes by \( e^{-|u|} \) per unit of u: a quasi-Newton step gains about
 * one unit of |u| per iteration, so reaching the noise floor takes some 30 iterations per pressed
 * parameter. With
 * pinning, a coordinate with \( |u_k| \ge \) {@code pinAt} whose gradient still points outward
 * (\( g_k u_k &lt; 0 \)) is <i>pinned</i>: the next trial point puts it at \( \pm \) {@link #PINNED}
 * (the edge, to a box fraction of 2·10⁻¹⁵) whatever the step length, it is left out of the search
 * direction and of the (s, y) pairs (its components of the stored pairs are removed too). It is released (free
 * again, never pinned again) when the gradient at the edge points inward — the next trial point
 * then puts it back at |u| = {@code pinAt}, since at the edge its gradient vanishes — or when the
 * line search that carries the move to the edge fails. Everything else is unchanged: a start that never
 * presses a bound follows the same path.
 *
 * <p><b>Racing</b> ({@link Racing}, optional): at iterations k₀, 2k₀, 4k₀, … a start whose loss is
 * above {@code margin} × the mean loss of the best {@code bestShare} of all starts retires; its
 * best point so far is its result. The losses of L-BFGS starts never increase, so a retired start
 * could only have joined the best starts by lowering its loss more than {@code margin}-fold in the
 * remaining iterations. Retirement depends on the other starts of the batch (still deterministic,
 * still independent of the threads); {@link Racing#OFF} keeps every start independent.
 *
 * @param maxIterations     iterations per start at most
 * @param history           the number of (s, y) pairs kept per start
 * @param c1                the Armijo constant
 * @param maxBacktracks     step reductions per line search at most
 * @param noiseFactor       κ: converged when the predicted decrease is at most κ × the noise (0: test off)
 * @param patience          consecutive iterations a convergence test must hold
 * @param relativeTolerance relative decrease below which an iteration counts as stalled (0: test off)
 * @param gradientTolerance gradient max-norm at or below which a start has converged (0: test off)
 * @param initialStep       length of a steepest-descent step (unconstrained units)
 * @param maxStep           cap on any step's max-norm (unconstrained units)
 * @param racing            when starts far above the best retire ({@link Racing#OFF}: never)
 * @param logEvery          log progress every this many iterations
 * @param pinAt             |u| beyond which a coordinate that presses outward moves to its end (0: never; only
 *                          for objectives whose coordinates saturate, {@link BatchObjective#coordinatesSaturate()})
 */
public record Lbfgs(int maxIterations, int history, double c1, int maxBacktracks, double noiseFactor, int patience,
                    double relativeTolerance, double gradientTolerance, double initialStep, double maxStep, Racing racing,
                    int logEvery, double pinAt) implements BatchOptimizer {

    private static final Logger LOG = LoggerFactory.getLogger(Lbfgs.class);

    /** Validates the settings. */
    public Lbfgs {
        if (maxIterations < 1 || history < 1 || !(c1 > 0 && c1 < 1) || maxBacktracks < 1 || !(noiseFactor >= 0)
                || !(relativeTolerance >= 0) || patience < 1 || !(gradientTolerance >= 0) || !(initialStep > 0)
                || !(maxStep > 0) || racing == null || logEvery < 1 || !(pinAt == 0 || pinAt >= MIN_PIN && pinAt < PINNED)) {
            throw new IllegalArgumentException("L-BFGS settings out of range: iterations " + maxIterations + ", history "
                    + history + ", c1 " + c1 + ", backtracks " + maxBacktracks + ", noise factor " + noiseFactor
                    + ", rel. tol " + relativeTolerance + ", patience " + patience + ", grad. tol " + gradientTolerance
                    + ", steps " + initialStep + "/" + maxStep + ", racing " + racing + ", pin at |u| " + pinAt
                    + " (need iterations, history, backtracks, patience >= 1, 0 < c1 < 1, tolerances >= 0, steps > 0,"
                    + " pin at 0 or in [" + MIN_PIN + ", " + PINNED + "))");
        }
    }

    /** Settings without bound pinning ({@code pinAt} 0). */
    public Lbfgs(int maxIterations, int history, double c1, int maxBacktracks, double noiseFactor, int patience,
                 double relativeTolerance, double gradientTolerance, double initialStep, double maxStep, Racing racing,
                 int logEvery) {
        this(maxIterations, history, c1, maxBacktracks, noiseFactor, patience, relativeTolerance, gradientTolerance,
                initialStep, maxStep, racing, logEvery, 0);
    }

    /**
     * Where a pinned coordinate is put: \( |u| = 34 \), a box fraction of \( e^{-34} \approx 1.7\cdot10^{-15} \)
     * from the end (the loss there is the edge's to within its rounding), and still short of the
     * logistic's saturation in double precision (\( 1 - s(u) \) rounds to 0 beyond |u| ≈ 36.7), so
     * that the gradient there keeps its sign.
     */
    public static final double PINNED = 34.0;

    /** The smallest {@code pinAt} accepted: a box fraction of \( e^{-6} \approx 2.5\cdot10^{-3} \) from the end. */
    public static final double MIN_PIN = 6.0;

    /**
     * When starts retire because they cannot reach the best: at iterations {@code firstCheck},
     * 2·{@code firstCheck}, 4·{@code firstCheck}, …, an active start whose loss exceeds
     * {@code margin} × the mean loss of the best ⌈{@code bestShare}·n⌉ starts (n all starts,
     * finite losses only) retires. Meant for losses ≥ 0 (both losses of this library); a mean
     * ≤ 0 retires nothing.
     *
     * @param firstCheck the first iteration that checks (0: never)
     * @param bestShare  the share of starts whose mean loss is the reference, in (0, 1]
     * @param margin     how many times the reference a start's loss may be and go on (≥ 1)
     */
    public record Racing(int firstCheck, double bestShare, double margin) {

        /** No retirement. */
        public static final Racing OFF = new Racing(0, 1, 1);

        /** Validates. */
        public Racing {
            if (firstCheck < 0 || !(bestShare > 0 && bestShare <= 1) || !(margin >= 1)) {
                throw new IllegalArgumentException("racing settings out of range: first check " + firstCheck
                        + ", best share " + bestShare + ", margin " + margin
                        + " (need first check >= 0, 0 < share <= 1, margin >= 1)");
            }
        }

        /** Whether any start can retire. */
        public boolean on() {
            return firstCheck > 0;
        }

        /** Whether iteration {@code k} (from 1) checks: k₀·2^j. */
        boolean checksAt(int k) {
            if (!on() || k < firstCheck || k % firstCheck != 0) {
                return false;
            }
            int r = k / firstCheck;
            return (r & (r - 1)) == 0;
        }
    }

    /**
     * The defaults: 500 iterations, history {@value #DEFAULT_HISTORY}, c₁ = 10⁻⁴, 8 backtracks; converged when the
     * predicted decrease stays at or below the estimated noise (κ = 1) for 2 iterations; relative
     * and gradient tolerances off; first step 0.5, step cap 4; bound pinning beyond |u| =
     * {@value #DEFAULT_PIN_AT} (for objectives whose coordinates saturate); racing at iterations
     * {@value #RACING_FIRST_CHECK} and 400 with margin {@value #RACING_MARGIN} over the mean of the
     * best 10 % ({@link #RACING}). The racing constants are measured (docs/benchmarks.md): on the
     * shipped LNP example every start that ended in the ensemble was within 8.1 × that mean at
     * iteration 200, while some were 500–5 000 × above it at iterations 50–100, so earlier checks
     * would lose ensemble members (on an analytic core-shell problem one member of 153 was still
     * 735 × above at iteration 200 and is retired; its mode and the ensemble's ranges stay). Eight backtracks (the step shrinks at least 2-fold each) are enough:
     * a line search that fails them has met the rounding noise of the model (float32 for the ND4J
     * surrogate), and more tries would only spend forward passes.
     */
    public static Lbfgs defaults() {
        return new Lbfgs(500, DEFAULT_HISTORY, 1e-4, 8, 1.0, 2, 0.0, 0.0, 0.5, 4.0, RACING, 25, DEFAULT_PIN_AT);
    }

    /**
     * The bound pinning of {@link #defaults()}: beyond \( |u| = 10 \), a box fraction of
     * \( 4.5\cdot10^{-5} \) from the edge. Measured (docs/benchmarks.md, "Bound pinning"): SasView's
     * latex spheres, whose fit presses both parameters against the box, in 0.49 × the iterations,
     * an analytic core-shell curve in 0.75 ×, with the same best losses, modes and ensemble ranges;
     * on the shipped LNP example nothing, with other ensembles, so the lnp model declines it
     * ({@code FitModel.boundPinning()}).
     */
    public static final double DEFAULT_PIN_AT = 10.0;

    /**
     * The default number of (s, y) pairs per start. Measured on the shipped LNP example (512 starts,
     * docs/benchmarks.md): with 10 most starts crawled along the model's sloppy valleys to the
     * 500-iteration cap; with 40, 413 of 512 reached the noise floor, in 0.72 × the model
     * evaluations and to a lower best loss; 100 gave nothing more.
     */
    public static final int DEFAULT_HISTORY = 40;

    /**
     * A start's noise is first estimated when its predicted decrease is at most this share of its
     * loss (and again under the same condition after its loss has changed by more than a factor 2):
     * a start that still expects to gain more than 0.1 % of its loss per step is not at the noise
     * floor of any loss whose relative noise is below that, so probing it earlier would only spend
     * evaluations.
     */
    static final double PROBE_TRIGGER = 1e-3;

    /**
     * The share of the starts whose first trial step was accepted in the last line search above
     * which the next first trial is evaluated with its gradient in one call, when the objective
     * shares the forward pass between the two ({@link BatchObjective#sharesForwardPass()}): an
     * accepted trial then needs no second forward pass for its gradient, a rejected one wastes its
     * reverse pass, and a reverse pass costs about what a forward one does, so the fused trial pays
     * when more than about half are accepted. The results are the same either way.
     */
    static final double FUSED_TRIAL_SHARE = 0.5;

    private static final byte FREE = 0;
    private static final byte PIN = 1;
    private static final byte RELEASED = 2;

    /** The first racing check of {@link #defaults()}. */
    public static final int RACING_FIRST_CHECK = 200;
    /** The racing margin of {@link #defaults()}. */
    public static final double RACING_MARGIN = 30.0;
    /** The racing of {@link #defaults()}. */
    public static final Racing RACING = new Racing(RACING_FIRST_CHECK, 0.1, RACING_MARGIN);

    /** A copy with another iteration budget. */
    public Lbfgs withMaxIterations(int n) {
        return new Lbfgs(n, history, c1, maxBacktracks, noiseFactor, patience, relativeTolerance, gradientTolerance,
                initialStep, maxStep, racing, logEvery, pinAt);
    }

    /** A copy with another relative tolerance and patience (the relative-decrease test; 0 turns it off). */
    public Lbfgs withRelativeTolerance(double tol, int newPatience) {
        return new Lbfgs(maxIterations, history, c1, maxBacktracks, noiseFactor, newPatience, tol, gradientTolerance,
                initialStep, maxStep, racing, logEvery, pinAt);
    }

    /** A copy with another noise factor κ (0 turns the noise test off). */
    public Lbfgs withNoiseFactor(double kappa) {
        return new Lbfgs(maxIterations, history, c1, maxBacktracks, kappa, patience, relativeTolerance, gradientTolerance,
                initialStep, maxStep, racing, logEvery, pinAt);
    }

    /**
     * A copy that pins coordinates pressing outward beyond {@code |u| = at} (0: never; otherwise at
     * least {@value #MIN_PIN}); see the class comment.
     */
    public Lbfgs withBoundPinning(double at) {
        return new Lbfgs(maxIterations, history, c1, maxBacktracks, noiseFactor, patience, relativeTolerance,
                gradientTolerance, initialStep, maxStep, racing, logEvery, at);
    }

    /** A copy with other racing ({@link Racing#OFF}: every start runs until it converges). */
    public Lbfgs withRacing(Racing r) {
        return new Lbfgs(maxIterations, history, c1, maxBacktracks, noiseFactor, patience, relativeTolerance,
                gradientTolerance, initialStep, maxStep, r, logEvery, pinAt);
    }

    /**
     * A copy that runs every start for all {@code maxIterations} unless its line search stalls:
     * noise and relative tests off, no racing (for benchmarks of the cost per iteration).
     */
    public Lbfgs withoutEarlyStop() {
        return new Lbfgs(maxIterations, history, c1, maxBacktracks, 0, patience, 0, 0, initialStep, maxStep, Racing.OFF,
                logEvery);
    }

    /**
     * The L-BFGS of the earlier releases: relative decrease ≤ 10⁻¹⁰ for 3 iterations, no noise
     * test, no racing (kept for comparisons).
     */
    public static Lbfgs relativeDecrease() {
        return new Lbfgs(500, 10, 1e-4, 8, 0, 3, 1e-10, 0.0, 0.5, 4.0, Racing.OFF, 25);
    }

    /** A copy that logs every {@code n} iterations. */
    public Lbfgs withLogEvery(int n) {
        return new Lbfgs(maxIterations, history, c1, maxBacktracks, noiseFactor, patience, relativeTolerance,
                gradientTolerance, initialStep, maxStep, racing, n, pinAt);
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
        private final boolean[] retired;
        private final boolean[] active;
        private final double[] sigma;
        private final double[] sigmaAt;
        private final int[] near;
        // work buffers
        private final double[] p;
        private final double[] gp;
        private final double[] alpha;
        private final double[] trialU;
        private final double[] trialF;
        private final double[] trialG;
        private final double[] newG;
        private final double[] q;
        private final double[] a;
        private final int[] pendingIds;
        private final int[] acceptedIds;
        private final int[] activeIds;
        private final double[] acceptedU;
        private final double[] acceptedF;
        private final boolean[] acceptedHasG;
        private final int[] needG;
        private final double[] needU;
        /** Whether the objective computes a gradient with its value for less than the two apart. */
        private final boolean fusedTrials;
        /** The share of the last line search's starts that took their first trial step. */
        private double firstTryShare;
        private final double[] delta;
        private final int[] probeIds;
        /** Whether coordinates are pinned at all (pinAt &gt; 0 and an objective whose coordinates saturate). */
        private final boolean pinning;
        /** Per start and coordinate: {@link #FREE}, {@link #PIN} or {@link #RELEASED}; empty without pinning. */
        private final byte[] pin;
        /** The gradients with the pinned coordinates zeroed, for the starts that have some; empty without pinning. */
        private final double[] gFree;
        /** Scratch for {@link #projectHistory}: the pairs kept, oldest first. */
        private final double[] keptS;
        private final double[] keptY;
        private final double[] keptRho;
        /** Per start: its pairs were projected and no pair with curvature has been stored since. */
        private final boolean[] projected;
        private long pins;
        private long releases;
        private long evaluations;
        private long probeEvaluations;
        private int nRetired;
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
            this.retired = new boolean[starts];
            this.active = new boolean[starts];
            this.sigma = new double[starts];
            this.sigmaAt = new double[starts];
            this.near = new int[starts];
            Arrays.fill(sigma, Double.NaN);
            Arrays.fill(sigmaAt, Double.NaN);
            this.p = new double[starts * d];
            this.gp = new double[starts];
            this.alpha = new double[starts];
            this.trialU = new double[starts * d];
            this.trialF = new double[starts];
            this.trialG = new double[starts * d];
            this.newG = new double[starts * d];
            this.q = new double[d];
            this.a = new double[h];
            this.pendingIds = new int[starts];
            this.acceptedIds = new int[starts];
            this.activeIds = new int[starts];
            this.acceptedU = new double[starts * d];
            this.acceptedF = new double[starts];
            this.acceptedHasG = new boolean[starts];
            this.needG = new int[starts];
            this.needU = new double[starts * d];
            this.fusedTrials = objective.sharesForwardPass();
            this.delta = new double[starts];
            this.probeIds = new int[starts];
            this.pinning = pinAt > 0 && objective.coordinatesSaturate();
            this.pin = new byte[pinning ? starts * d : 0];
            this.gFree = new double[pinning ? starts * d : 0];
            this.keptS = new double[pinning ? h * d : 0];
            this.keptY = new double[pinning ? h * d : 0];
            this.keptRho = new double[pinning ? h : 0];
            this.projected = new boolean[pinning ? starts : 0];
        }

        OptimizationResult solve() {
            start();
            while (nActive > 0 && iteration < maxIterations) {
                iteration++;
                int nPending = searchDirections();
                int nAccepted = lineSearch(nPending);
                resetFailedSearches(lastFailed);
                acceptSteps(nAccepted);
                if (racing.checksAt(iteration)) {
                    race();
                }
                report();
            }
            for (int s = 0; s < starts; s++) {
                if (active[s]) {
                    iterations[s] = iteration;
                }
            }
            if (pinning && pins > 0) {
                LOG.debug("lbfgs: {} coordinate(s) pinned at a bound, {} released", pins, releases);
            }
            if (noiseFactor > 0 && LOG.isDebugEnabled()) {
                LOG.debug("lbfgs: {} of {} forward evaluations were noise probes; starts still active: {}", probeEvaluations,
                        evaluations, noiseSummary());
            }
            return new OptimizationResult(d, u, f, iterations, converged, retired, evaluations, gradients);
        }

        /** Medians over the starts still active of σ/|f| and of δ/σ (for the debug log). */
        private String noiseSummary() {
            double[] rel = new double[starts];
            double[] ratio = new double[starts];
            int n = 0;
            for (int s = 0; s < starts; s++) {
                if (active[s]) {
                    rel[n] = sigma[s] / Math.abs(f[s]);
                    ratio[n++] = delta[s] / sigma[s];
                }
            }
            if (n == 0) {
                return "none";
            }
            Arrays.sort(rel, 0, n);
            Arrays.sort(ratio, 0, n);
            return String.format(java.util.Locale.ROOT, "%d, median noise/|loss| %.3g, median predicted decrease/noise %.3g "
                    + "(quartiles %.3g, %.3g)", n, rel[n / 2], ratio[n / 2], ratio[n / 4], ratio[3 * n / 4]);
        }

        /**
         * Racing: retires the active starts whose loss is above {@code margin} × the mean loss of
         * the best ⌈{@code bestShare}·n⌉ starts.
         */
        private void race() {
            double limit = racing.margin() * BestShare.mean(f, racing.bestShare());
            if (!(limit > 0)) {
                return;
            }
            int now = 0;
            for (int s = 0; s < starts; s++) {
                if (active[s] && f[s] > limit) {
                    active[s] = false;
                    retired[s] = true;
                    iterations[s] = iteration;
                    now++;
                }
            }
            nActive -= now;
            nRetired += now;
            if (now > 0) {
                LOG.debug("lbfgs iteration {}: {} start(s) retired above {} ({} x the mean of the best {} of the starts)",
                        iteration, now, limit, racing.margin(), racing.bestShare());
            }
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
         * Estimates the noise of the starts {@code probeIds[0 .. n)} at their current points, along
         * their gradients ({@link NoiseProbe}), in one batch.
         */
        private void probe(int n) {
            if (n == 0) {
                return;
            }
            int[] ids = Arrays.copyOf(probeIds, n);
            double[] pu = new double[n * d];
            double[] pf = new double[n];
            double[] pg = new double[n * d];
            for (int r = 0; r < n; r++) {
                int s = ids[r];
                System.arraycopy(u, s * d, pu, r * d, d);
                System.arraycopy(g, s * d, pg, r * d, d);
                pf[r] = f[s];
            }
            double[] est = new double[n];
            long e = NoiseProbe.estimate(objective, ids, pu, pf, pg, n, est);
            evaluations += e;
            probeEvaluations += e;
            for (int r = 0; r < n; r++) {
                sigma[ids[r]] = est[r];
                sigmaAt[ids[r]] = pf[r];
            }
        }

        /** Whether start {@code s}'s noise estimate was made at a loss more than a factor 2 away from its loss now. */
        private boolean stale(int s) {
            double a = sigmaAt[s];
            return Double.isNaN(a) || Math.abs(f[s] - a) > 0.5 * Math.max(Math.abs(f[s]), Math.abs(a));
        }

        /**
         * Step 1: the search direction of every active start (two-loop recursion, the gradient
         * direction when that is not a descent direction) and the noise test on the decrease it
         * predicts, \( \delta = -\tfrac12 g^Tp \) (before the step cap; only for quasi-Newton
         * directions, whose length the curvature sets). A start whose δ is within κσ and whose
         * noise estimate is stale is probed again first (one batch for all of them). A start with a
         * zero gradient has reached a stationary point and retires. The directions are then capped
         * at {@code maxStep}. Returns the number of starts whose line search is pending (in
         * {@code pendingIds}).
         */
        private int searchDirections() {
            int na = 0;
            for (int s = 0; s < starts; s++) {
                if (active[s]) {
                    activeIds[na++] = s;
                }
            }
            int nProbe = 0;
            for (int r = 0; r < na; r++) {
                int s = activeIds[r];
                double[] gs = pinning && updatePins(s) ? gFree : g;
                direction(s, d, h, gs, sHist, yHist, rho, count, head, p, q, a);
                double dot = dot(gs, s * d, p, s * d, d);
                if (!(dot < 0)) {
                    count[s] = 0;
                    steepest(s, d, gs, p);
                    dot = dot(gs, s * d, p, s * d, d);
                }
                gp[s] = dot;
                delta[s] = count[s] > 0 && dot < 0 ? -0.5 * dot : Double.POSITIVE_INFINITY;
                if (noiseFactor > 0 && stale(s)
                        && (delta[s] <= noiseFactor * sigma[s] || delta[s] <= PROBE_TRIGGER * Math.abs(f[s]))) {
                    probeIds[nProbe++] = s;
                }
            }
            probe(nProbe);
            int nPending = 0;
            for (int r = 0; r < na; r++) {
                int s = activeIds[r];
                double dot = gp[s];
                if (!(dot < 0) && pinning && movesToEdge(s)) {
                    // stationary in the free coordinates, but a pinned one has yet to reach its edge (or a
                    // released one to come back from it)
                    near[s] = 0;
                    gp[s] = 0;
                    alpha[s] = 1.0;
                    pendingIds[nPending++] = s;
                    continue;
                }
                if (!(dot < 0)) {
                    // zero gradient: a stationary point
                    active[s] = false;
                    converged[s] = true;
                    iterations[s] = iteration - 1;
                    continue;
                }
                if (noiseFactor > 0 && delta[s] <= noiseFactor * sigma[s]) {
                    if (++near[s] >= patience) {
                        active[s] = false;
                        converged[s] = true;
                        iterations[s] = iteration - 1;
                        continue;
                    }
                } else {
                    near[s] = 0;
                }
                gp[s] = capStep(s, dot);
                alpha[s] = 1.0;
                pendingIds[nPending++] = s;
            }
            nActive = nPending;
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

        /**
         * Pins start {@code s}'s coordinates that press outward beyond {@code pinAt} and releases the
         * pinned ones whose gradient at the edge points inward; projects the history when either
         * happens ({@link #projectHistory}). Returns whether any coordinate is pinned, with the
         * gradient minus the pinned coordinates in {@link #gFree} then.
         */
        private boolean updatePins(int s) {
            int o = s * d;
            boolean changed = false;
            boolean any = false;
            for (int k = 0; k < d; k++) {
                double uk = u[o + k];
                double gk = g[o + k];
                if (pin[o + k] == FREE && Math.abs(uk) >= pinAt && gk * uk < 0) {
                    pin[o + k] = PIN;
                    pins++;
                    changed = true;
                } else if (pin[o + k] == PIN && Math.abs(uk) >= PINNED && gk * uk > 0) {
                    pin[o + k] = RELEASED;
                    releases++;
                    changed = true;
                }
                any |= pin[o + k] == PIN;
            }
            if (changed) {
                projectHistory(s);
            }
            if (any) {
                for (int k = 0; k < d; k++) {
                    gFree[o + k] = pin[o + k] == PIN ? 0.0 : g[o + k];
                }
            }
            return any;
        }

        /**
         * Removes start {@code s}'s pinned coordinates from its stored pairs (their components set
         * to 0) and keeps, oldest first, the pairs that still carry curvature.
         */
        private void projectHistory(int s) {
            int n = count[s];
            int kept = 0;
            for (int i = 0; i < n; i++) {
                int from = (head[s] - n + i + 2 * h) % h;
                int fb = (s * h + from) * d;
                double sy = 0;
                double yy = 0;
                for (int k = 0; k < d; k++) {
                    if (pin[s * d + k] == PIN) {
                        sHist[fb + k] = 0.0;
                        yHist[fb + k] = 0.0;
                    }
                    sy += sHist[fb + k] * yHist[fb + k];
                    yy += yHist[fb + k] * yHist[fb + k];
                }
                if (sy > 1e-12 * yy && yy > 0) {
                    System.arraycopy(sHist, fb, keptS, kept * d, d);
                    System.arraycopy(yHist, fb, keptY, kept * d, d);
                    keptRho[kept++] = 1.0 / sy;
                }
            }
            System.arraycopy(keptS, 0, sHist, s * h * d, kept * d);
            System.arraycopy(keptY, 0, yHist, s * h * d, kept * d);
            System.arraycopy(keptRho, 0, rho, s * h, kept);
            count[s] = kept;
            head[s] = kept % h;
            projected[s] = true;
        }

        /** Whether start {@code s} has a pinned coordinate not yet at its edge, or a released one still there. */
        private boolean movesToEdge(int s) {
            for (int k = 0; k < d; k++) {
                byte state = pin[s * d + k];
                double a = Math.abs(u[s * d + k]);
                if (state == PIN && a < PINNED || state == RELEASED && a >= PINNED) {
                    return true;
                }
            }
            return false;
        }

        /**
         * After a failed line search: releases start {@code s}'s pinned coordinates that were still
         * on their way to the edge (the move did not pay); returns whether there were any.
         */
        private boolean releaseMoves(int s) {
            boolean any = false;
            for (int k = 0; k < d; k++) {
                if (pin[s * d + k] == PIN && Math.abs(u[s * d + k]) < PINNED) {
                    pin[s * d + k] = RELEASED;
                    releases++;
                    any = true;
                }
            }
            return any;
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
            int searching = nPending;
            for (int bt = 0; bt <= maxBacktracks && nPending > 0; bt++) {
                for (int r = 0; r < nPending; r++) {
                    int s = pendingIds[r];
                    for (int k = 0; k < d; k++) {
                        trialU[r * d + k] = u[s * d + k] + alpha[s] * p[s * d + k];
                    }
                    if (pinning) {
                        for (int k = 0; k < d; k++) {
                            byte state = pin[s * d + k];
                            double uk = u[s * d + k];
                            if (state == PIN) {
                                trialU[r * d + k] = Math.copySign(PINNED, uk);
                            } else if (state == RELEASED && Math.abs(uk) >= PINNED) {
                                // back from the edge to where it was pinned: at the edge its gradient vanishes
                                trialU[r * d + k] = Math.copySign(pinAt, uk);
                            }
                        }
                    }
                }
                // the first trial also takes the gradient when that shares the forward pass and most
                // first trials were accepted last time (a rejected trial's gradient is wasted work)
                boolean withGradient = bt == 0 && fusedTrials && firstTryShare >= FUSED_TRIAL_SHARE;
                if (withGradient) {
                    objective.valueAndGradient(pendingIds, trialU, nPending, trialF, trialG);
                    gradients += nPending;
                } else {
                    objective.value(pendingIds, trialU, nPending, trialF);
                }
                evaluations += nPending;
                int still = 0;
                for (int r = 0; r < nPending; r++) {
                    int s = pendingIds[r];
                    double ft = trialF[r];
                    if (Double.isFinite(ft) && ft <= f[s] + c1 * alpha[s] * gp[s]) {
                        System.arraycopy(trialU, r * d, acceptedU, nAccepted * d, d);
                        acceptedHasG[nAccepted] = withGradient;
                        if (withGradient) {
                            // the accepted row's gradient, where acceptSteps reads it
                            System.arraycopy(trialG, r * d, newG, nAccepted * d, d);
                        }
                        acceptedF[nAccepted] = ft;
                        acceptedIds[nAccepted++] = s;
                    } else {
                        alpha[s] = smallerStep(s, ft);
                        pendingIds[still++] = s;
                    }
                }
                if (bt == 0) {
                    firstTryShare = searching == 0 ? 0 : (double) (nPending - still) / searching;
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
                if (pinning && releaseMoves(s)) {
                    count[s] = 0;
                    stall[s] = 0;
                } else if (count[s] > 0) {
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
            int m = 0;
            for (int r = 0; r < nAccepted; r++) {
                if (!acceptedHasG[r]) { // the others' gradients are in newG already (lineSearch)
                    System.arraycopy(acceptedU, r * d, needU, m * d, d);
                    needG[m++] = acceptedIds[r];
                }
            }
            if (m > 0) {
                // trialG is free here: it receives the gradients of the points accepted after a backtrack
                objective.gradient(needG, needU, m, trialG);
                gradients += m;
                int k = 0;
                for (int r = 0; r < nAccepted; r++) {
                    if (!acceptedHasG[r]) {
                        System.arraycopy(trialG, (k++) * d, newG, r * d, d);
                    }
                }
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
                // a move to or back from an edge is no curvature information
                boolean pinned = pinning && (pin[o + k] == PIN || pin[o + k] == RELEASED && Math.abs(u[o + k]) >= PINNED);
                double sk = pinned ? 0.0 : acceptedU[r * d + k] - u[o + k];
                double yk = pinned ? 0.0 : newG[r * d + k] - g[o + k];
                sHist[hb + k] = sk;
                yHist[hb + k] = yk;
                sy += sk * yk;
                yy += yk * yk;
                gInf = pinned ? gInf : Math.max(gInf, Math.abs(newG[r * d + k]));
            }
            if (sy > 1e-12 * yy && yy > 0) {
                rho[s * h + slot] = 1.0 / sy;
                head[s] = (slot + 1) % h;
                count[s] = Math.min(h, count[s] + 1);
                if (pinning) {
                    projected[s] = false;
                }
            } else if (pinning && projected[s]) {
                // no curvature since the pairs were projected (a concave stretch, such as a logistic tail
                // walked inward): their scaling may not fit the coordinates left free; start afresh
                count[s] = 0;
            }
            return gInf;
        }

        /**
         * The tests on the step just taken by start {@code s}, from {@code fOld} to {@code fNew}:
         * {@code patience} consecutive steps that lowered the loss by nothing (a step below the
         * loss's resolution passes the Armijo test), by no more than κσ (the start's noise, when
         * its estimate is current) or by a relative decrease at or below {@code relativeTolerance}
         * (off at 0); or a gradient max-norm at or below {@code gradientTolerance} (off at 0).
         * (The test on the predicted decrease is made on the next search direction, in
         * {@link #searchDirections}.)
         */
        private void testConvergence(int s, double fOld, double fNew, double gInf) {
            double scale = Math.max(Math.abs(fOld), Math.abs(fNew));
            double decrease = fOld - fNew;
            boolean noNoiseMore = noiseFactor > 0 && !stale(s) && decrease <= noiseFactor * sigma[s];
            if (!(decrease > 0) || noNoiseMore || relativeTolerance > 0 && decrease <= relativeTolerance * scale) {
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
            if (progress != OptimizationListener.NONE) {
                progress.onLosses(iteration, f.clone());
            }
            if (clock.due(iteration % logEvery == 0 || nActive == 0 || iteration == maxIterations)) {
                int nConv = 0;
                for (boolean c : converged) {
                    nConv += c ? 1 : 0;
                }
                double best = AdamW.min(f);
                LOG.info("lbfgs iteration {}/{}: best loss {}, converged {}/{}, retired {} ({} active, {} evaluations, {} gradients)",
                        iteration, maxIterations, best, nConv, starts, nRetired, nActive, evaluations, gradients);
                progress.onProgress(new OptimizationListener.Progress(iteration, maxIterations, best,
                        (double) nConv / starts, nActive, true));
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
