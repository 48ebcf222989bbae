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
    public OptimizationResult minimize(BatchObjective objective, double[] u0, int starts, ProgressListener progress) {
        int d = objective.dimension();
        if (u0.length != starts * d) {
            throw new IllegalArgumentException("L-BFGS: " + u0.length + " starting values for " + starts + " starts of dimension " + d);
        }
        int h = history;
        double[] u = u0.clone();
        double[] f = new double[starts];
        double[] g = new double[starts * d];
        double[] sHist = new double[starts * h * d];
        double[] yHist = new double[starts * h * d];
        double[] rho = new double[starts * h];
        int[] count = new int[starts];
        int[] head = new int[starts];
        int[] stall = new int[starts];
        int[] iterations = new int[starts];
        boolean[] converged = new boolean[starts];
        boolean[] active = new boolean[starts];
        int[] ids = new int[starts];
        for (int i = 0; i < starts; i++) {
            ids[i] = i;
        }
        objective.valueAndGradient(ids, u, starts, f, g);
        long evaluations = starts;
        long gradients = starts;
        int nActive = 0;
        for (int s = 0; s < starts; s++) {
            active[s] = Double.isFinite(f[s]) && allFinite(g, s * d, d);
            nActive += active[s] ? 1 : 0;
        }
        if (nActive < starts) {
            LOG.warn("L-BFGS: {} of {} start(s) could not be scored at their starting point and are left as they are",
                    starts - nActive, starts);
        }
        // work buffers, sized for the whole batch once
        double[] p = new double[starts * d];
        double[] gp = new double[starts];
        double[] alpha = new double[starts];
        double[] trialU = new double[starts * d];
        double[] trialF = new double[starts];
        double[] newG = new double[starts * d];
        double[] q = new double[d];
        double[] a = new double[h];
        int[] pendingIds = new int[starts];
        int[] acceptedIds = new int[starts];
        int[] activeIds = new int[starts];
        double[] acceptedU = new double[starts * d];
        double[] acceptedF = new double[starts];
        int iteration = 0;
        while (nActive > 0 && iteration < maxIterations) {
            iteration++;
            int na = 0;
            for (int s = 0; s < starts; s++) {
                if (active[s]) {
                    activeIds[na++] = s;
                }
            }
            // 1. directions
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
                gp[s] = dot;
                alpha[s] = 1.0;
                pendingIds[nPending++] = s;
            }
            // 2. batched backtracking line search
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
                        double next;
                        if (Double.isFinite(ft)) {
                            double denom = 2 * (ft - f[s] - gp[s] * alpha[s]);
                            next = denom > 0 ? -gp[s] * alpha[s] * alpha[s] / denom : 0.5 * alpha[s];
                            next = Math.max(0.1 * alpha[s], Math.min(0.5 * alpha[s], next));
                        } else {
                            next = 0.25 * alpha[s];
                        }
                        alpha[s] = next;
                        pendingIds[still++] = s;
                    }
                }
                nPending = still;
            }
            // line searches that failed: reset to the gradient direction, or retire when that failed too
            for (int r = 0; r < nPending; r++) {
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
            // 3. gradients at the accepted points, history updates, convergence tests
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
                System.arraycopy(acceptedU, r * d, u, o, d);
                System.arraycopy(newG, r * d, g, o, d);
                f[s] = fNew;
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
            nActive = 0;
            for (int s = 0; s < starts; s++) {
                nActive += active[s] ? 1 : 0;
            }
            if (iteration % logEvery == 0 || nActive == 0 || iteration == maxIterations) {
                int nConv = 0;
                for (boolean c : converged) {
                    nConv += c ? 1 : 0;
                }
                double best = AdamW.min(f);
                LOG.info("lbfgs iteration {}/{}: best loss {}, converged {}/{} ({} active)", iteration, maxIterations, best,
                        nConv, starts, nActive);
                progress.onProgress(new ProgressListener.Progress(iteration, maxIterations, best,
                        (double) nConv / starts, nActive));
            }
        }
        for (int s = 0; s < starts; s++) {
            if (active[s]) {
                iterations[s] = iteration;
            }
        }
        return new OptimizationResult(d, u, f, iterations, converged, evaluations, gradients);
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
