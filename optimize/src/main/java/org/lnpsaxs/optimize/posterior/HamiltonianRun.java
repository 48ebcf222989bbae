package org.lnpsaxs.optimize.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

import org.lnpsaxs.core.math.Cholesky;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hamiltonian Monte Carlo (Duane et al. 1987; Neal 2011) on a batched log density with
 * gradients, for many independent chains at once: every leapfrog step of all chains is one
 * batched {@link BatchLogDensity#logDensityAndGradient} call. Not thread-safe; seeded.
 *
 * <p><b>The transition.</b> In whitened coordinates \( z = L^{-1}(x - m) \), with \( LL^T = \Sigma \)
 * the metric (an estimate of the posterior covariance) — equivalently, mass matrix
 * \( \Sigma^{-1} \) — each chain draws a momentum \( r \sim N(0, I) \), makes n leapfrog steps of size
 * ε (the same n and ε for every chain of an iteration; ε jittered uniformly by ±10 % per
 * iteration, n = ⌈T/ε⌉ for the integration time T, at most {@link #MAX_LEAPFROG}), and accepts the
 * end point with probability \( \min(1, e^{-\Delta H}) \). Exact for any fixed ε, n and metric: the
 * leapfrog map is reversible and volume-preserving, so the gradient only has to be a
 * deterministic function of the point. A chain whose trajectory reaches a point the density
 * cannot score, or whose energy error exceeds {@link #DIVERGENCE}, stays where it was (a
 * divergence, counted).
 *
 * <p><b>Mode jumps.</b> HMC does not cross between separated modes. When the run is given the
 * starting modes' centres c_k and a labelling (the nearest centre), each iteration each chain
 * also proposes, with probability {@link #JUMP_PROBABILITY}, a jump to a uniformly chosen other mode
 * j (i its own), rejected unless label(y) = j and otherwise accepted with
 * \( \min(1, \pi(y)\,|\det \partial y/\partial x| / \pi(x)) \). The jump i → j and the jump j → i are
 * inverse maps chosen with the same probability, so this is a valid Metropolis step. The map:
 * <ul>
 *   <li>between a mode and its mirror image under an exact symmetry of the density
 *       ({@link #setMirror}), the symmetry's map;</li>
 *   <li>between two modes that each held enough draws in the last warm-up window that saw them
 *       (at least {@link #AFFINE_MIN_DRAWS_PER_DIMENSION} × d, from at least two chains), the affine
 *       map \( y = \mu_j + L_j L_i^{-1}(x - \mu_i) \) of the modes' own means μ and covariance
 *       Cholesky factors L, so that a typical point of mode i lands on a typical point of mode j
 *       whatever their shapes (log Jacobian \( \ln\det L_j - \ln\det L_i \));</li>
 *   <li>otherwise the translation \( y = x + c_j - c_i \) between the given centres (Jacobian 1).</li>
 * </ul>
 * The maps are fixed at the end of warm-up.
 *
 * <p><b>Warm-up</b> ({@link #warmUp}): ε by Nesterov dual averaging towards a mean acceptance
 * of {@link #TARGET_ACCEPTANCE} (Hoffman &amp; Gelman 2014, their constants γ = 0.05, t0 = 10,
 * κ = 0.75), and the metric re-estimated at the end of each window from the window's draws of
 * all chains pooled within modes when modes are given (covariance shrunk towards its diagonal by d / draws), ε re-adapted after
 * each. After warm-up ε and the metric are frozen; only the draws made since then are kept.
 */
public final class HamiltonianRun {

    private static final Logger LOG = LoggerFactory.getLogger(HamiltonianRun.class);
    /** The mean acceptance probability ε is tuned towards. */
    public static final double TARGET_ACCEPTANCE = 0.8;
    /** The integration time T in whitened units (one posterior standard deviation is 1). */
    public static final double INTEGRATION_TIME = 2.0;
    /** The most leapfrog steps per iteration. */
    public static final int MAX_LEAPFROG = 64;
    /** An energy error above this counts as a divergence. */
    public static final double DIVERGENCE = 1000;
    /** The most reflections off constraint faces in one leapfrog step. */
    public static final int MAX_REFLECTIONS = 100;
    /** Probability per iteration and chain of a mode jump (with modes given). */
    public static final double JUMP_PROBABILITY = 0.1;
    /** Draws per dimension a mode needs in a warm-up window before its jumps use its own shape (an affine map). */
    public static final int AFFINE_MIN_DRAWS_PER_DIMENSION = 20;

    private final BatchLogDensity density;
    private final int chains;
    private final int d;
    private final Rng rng;
    private final double[] x;
    private final double[] logp;
    private final double[] grad;
    private final double[][] centres;
    private final ToIntFunction<double[]> labelOf;

    private double[] mean;
    private double[] chol; // lower triangle of the metric, row-major
    private double[][] conA; // linear constraints a_k . x <= b_k, or null
    private double[] conB;
    private double[][] conG; // L^T a_k: the constraints' normals in whitened coordinates
    private double[] conH; // b_k - a_k . mean
    private double eps = 0.1;
    private long iterations;
    private long keptFrom;
    private final List<double[]> keptX = new ArrayList<>();
    private final List<double[]> keptLogp = new ArrayList<>();
    private final List<byte[]> acceptedHistory = new ArrayList<>();
    private long proposed;
    private long accepted;
    private long jumpsProposed;
    private long jumpsAccepted;
    private long divergences;
    private long unscored;
    private long leapfrogSteps;
    private java.util.function.UnaryOperator<double[]> mirror;
    private java.util.function.ToDoubleFunction<double[]> mirrorLogJacobian;
    private int[] partner;
    private double[][] modeMean; // per mode, from warm-up draws, or null entries (translation)
    private double[][] modeChol;
    private double[] modeLogDet;
    private boolean affineJumps = true;
    private java.util.function.LongConsumer onIteration = i -> { };

    /**
     * A run whose chains start at {@code start} ({@code chains * d}, chain-major; each must have a
     * finite log density), with the metric {@code covariance} ({@code d * d}, symmetric positive
     * definite) as a first guess.
     *
     * @param centres the modes' centres for mode jumps, or {@code null} (no jumps)
     * @param labelOf the nearest mode of a point (values index {@code centres}), or {@code null}
     */
    public HamiltonianRun(BatchLogDensity density, double[] start, int chains, double[] covariance, long seed,
                          double[][] centres, ToIntFunction<double[]> labelOf) {
        if (!density.hasGradient()) {
            throw new IllegalArgumentException("Hamiltonian Monte Carlo needs a log density with a gradient");
        }
        this.density = density;
        this.chains = chains;
        this.d = density.dimension();
        if (chains < 2 || start.length != chains * d) {
            throw new IllegalArgumentException("HMC: " + chains + " chains need " + chains * d + " starting coordinates, got "
                    + start.length);
        }
        this.rng = new Rng(seed);
        this.x = start.clone();
        this.logp = new double[chains];
        this.grad = new double[chains * d];
        this.centres = centres != null && centres.length > 1 && labelOf != null ? centres : null;
        this.labelOf = this.centres == null ? null : labelOf;
        density.logDensityAndGradient(x, chains, logp, grad);
        for (int c = 0; c < chains; c++) {
            if (!Double.isFinite(logp[c])) {
                throw new IllegalStateException("HMC: chain " + c + " starts where the log density is " + logp[c]);
            }
        }
        setMetric(covariance);
    }

    /**
     * The covariance of {@code n} points (row-major, {@code n * d}) pooled within groups: each
     * point's deviation from its group's mean ({@code labels}, values in {@code [0, groups)}), so
     * that separated modes do not inflate the metric; shrunk towards its diagonal by d / n.
     */
    public static double[] covarianceWithin(double[] pts, int n, int d, int[] labels, int groups) {
        double[] dev = Arrays.copyOf(pts, n * d);
        if (labels != null) {
            double[][] m = new double[groups][d];
            int[] cnt = new int[groups];
            for (int i = 0; i < n; i++) {
                cnt[labels[i]]++;
                for (int t = 0; t < d; t++) {
                    m[labels[i]][t] += pts[i * d + t];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < d; t++) {
                    dev[i * d + t] -= m[labels[i]][t] / cnt[labels[i]];
                }
            }
        }
        return covarianceOf(dev, n, d);
    }

    /** Called after every iteration (warm-up and sampling) with the number of iterations done, for progress reports. */
    public void onIteration(java.util.function.LongConsumer listener) {
        this.onIteration = listener == null ? i -> { } : listener;
    }

    /**
     * Jumps between two modes that are mirror images under an exact symmetry of the density go by the
     * symmetry's map instead of a translation: from x in mode i to y = mirror(x) when the chosen mode
     * j is i's partner, accepted with \( \min(1, \pi(y)\,|\det \partial y/\partial x| / \pi(x)) \)
     * (the map is an involution, so the proposal is its own reverse and the Jacobian is the whole
     * correction). The mirror of a typical point is a typical point of the other image, whereas a
     * translation lands where the other image's correlations differ (its shape is the map's image),
     * mostly rejected, and when accepted strands the chain where the metric fits neither image.
     *
     * @param mirror            the map on a point ({@code d} coordinates; a new array), or {@code null}
     *                          (outside the domain: no jump)
     * @param logAbsJacobian    ln |det ∂mirror/∂x| at a point
     * @param partnerOfMode     for each mode (index into the centres) its mirror mode, or −1
     */
    public void setMirror(java.util.function.UnaryOperator<double[]> mirror,
                          java.util.function.ToDoubleFunction<double[]> logAbsJacobian, int[] partnerOfMode) {
        if (centres == null) {
            return;
        }
        if (partnerOfMode.length != centres.length) {
            throw new IllegalArgumentException("HMC mirror: " + partnerOfMode.length + " partners for " + centres.length
                    + " modes");
        }
        for (int k = 0; k < partnerOfMode.length; k++) {
            int j = partnerOfMode[k];
            if (j != -1 && (j < 0 || j >= centres.length || j == k || partnerOfMode[j] != k)) {
                throw new IllegalArgumentException("HMC mirror: mode " + k + "'s partner " + j
                        + " is not a mode whose partner is " + k);
            }
        }
        this.mirror = mirror;
        this.mirrorLogJacobian = logAbsJacobian;
        this.partner = partnerOfMode.clone();
    }

    /** Sets the metric (the covariance the momenta are whitened by). */
    public void setMetric(double[] covariance) {
        double[] l = covariance.length == d * d ? Cholesky.lower(covariance, d) : null;
        if (l == null) {
            throw new IllegalArgumentException("HMC metric: not positive definite");
        }
        this.chol = l;
        this.mean = new double[d];
        whitenConstraints();
    }

    /**
     * Restricts the chains to the polytope \( a_k \cdot x \le b_k \) (rows of {@code a}, each of
     * length d): trajectories are reflected off its faces (Neal 2011, §5.1; the reflection of the
     * momentum at a face keeps the leapfrog map reversible and volume-preserving, so the chain stays
     * exact for a density that is zero outside). The chains must start inside.
     */
    public void setConstraints(double[][] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("constraints: " + a.length + " rows but " + b.length + " bounds");
        }
        for (double[] row : a) {
            if (row.length != d) {
                throw new IllegalArgumentException("constraints: a row of length " + row.length + ", not " + d);
            }
        }
        for (int c = 0; c < chains; c++) {
            for (int k = 0; k < a.length; k++) {
                double v = dot(a[k], 0, x, c * d);
                if (v > b[k] + 1e-12 * (1 + Math.abs(b[k]))) {
                    throw new IllegalArgumentException("constraints: chain " + c + " starts outside constraint " + k);
                }
            }
        }
        this.conA = a.length == 0 ? null : a;
        this.conB = a.length == 0 ? null : b.clone();
        whitenConstraints();
    }

    private void whitenConstraints() {
        if (conA == null) {
            conG = null;
            conH = null;
            return;
        }
        conG = new double[conA.length][d];
        conH = new double[conA.length];
        for (int k = 0; k < conA.length; k++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int i = j; i < d; i++) {
                    sum += chol[i * d + j] * conA[k][i];
                }
                conG[k][j] = sum;
            }
            conH[k] = conB[k] - dot(conA[k], 0, mean, 0);
        }
    }

    /**
     * Moves chain c's whitened position by {@code eps * r}, reflecting off the constraints' faces;
     * false when it reflects more than {@link #MAX_REFLECTIONS} times in one step (the transition
     * is then rejected).
     */
    private boolean drift(double[] z, double[] r, int o, double eps) {
        if (conG == null) {
            for (int i = 0; i < d; i++) {
                z[o + i] += eps * r[o + i];
            }
            return true;
        }
        double left = eps;
        for (int bounce = 0; bounce <= MAX_REFLECTIONS; bounce++) {
            double tHit = left;
            int hit = -1;
            for (int k = 0; k < conG.length; k++) {
                double gr = dot(conG[k], 0, r, o);
                if (gr > 0) {
                    double t = Math.max(0, (conH[k] - dot(conG[k], 0, z, o)) / gr);
                    if (t < tHit) {
                        tHit = t;
                        hit = k;
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                z[o + i] += tHit * r[o + i];
            }
            if (hit < 0) {
                return true;
            }
            double[] g = conG[hit];
            double f = 2 * dot(g, 0, r, o) / dot(g, 0, g, 0);
            for (int i = 0; i < d; i++) {
                r[o + i] -= f * g[i];
            }
            left -= tHit;
        }
        return false;
    }

    /** The step size ε. */
    public double stepSize() {
        return eps;
    }

    /** Chains. */
    public int chains() {
        return chains;
    }

    /** Iterations done. */
    public long iterations() {
        return iterations;
    }

    /** Leapfrog steps done (each one batched gradient call for all chains). */
    public long leapfrogSteps() {
        return leapfrogSteps;
    }

    /** Divergent transitions so far. */
    public long divergences() {
        return divergences;
    }

    /** The chains' current log densities (a copy). */
    public double[] logDensities() {
        return logp.clone();
    }

    /**
     * Warm-up: {@code windows.length} windows of the given lengths; ε is tuned by dual averaging
     * in every window, and after each window but the last the metric is re-estimated from that
     * window's draws. Draws made during warm-up are not kept.
     */
    public void warmUp(int... windows) {
        for (int w = 0; w < windows.length; w++) {
            DualAveraging da = new DualAveraging(eps);
            int n = windows[w];
            double[] draws = new double[n * chains * d];
            for (int i = 0; i < n; i++) {
                eps = da.current();
                double acc = transition(eps * (0.9 + 0.2 * rng.uniform()), null);
                da.update(acc);
                System.arraycopy(x, 0, draws, i * chains * d, chains * d);
            }
            eps = da.smoothed();
            if (centres != null && affineJumps) {
                estimateModeShapes(draws, n, chains);
            }
            if (w + 1 < windows.length) {
                // pooled within modes: chains in separated modes (say, mirror images) must not
                // stretch the metric across the gap between them
                int[] labels = null;
                if (centres != null) {
                    labels = new int[n * chains];
                    double[] point = new double[d];
                    for (int i = 0; i < labels.length; i++) {
                        System.arraycopy(draws, i * d, point, 0, d);
                        labels[i] = labelOf.applyAsInt(point);
                    }
                }
                setMetric(covarianceWithin(draws, n * chains, d, labels, centres == null ? 1 : centres.length));
                // a new metric changes the scale of good step sizes: start from a guess and re-tune
                eps = Math.max(eps, 0.2);
            }
            LOG.info("HMC warm-up window {} of {}: {} iterations, step size now {}, {} leapfrog steps so far, {} divergences "
                            + "({} reached a point the density cannot score)", w + 1, windows.length, n,
                    String.format(Locale.ROOT, "%.3g", eps), leapfrogSteps, divergences, unscored);
        }
        keptFrom = iterations;
        keptX.clear();
        keptLogp.clear();
        acceptedHistory.clear();
        proposed = accepted = jumpsProposed = jumpsAccepted = 0;
    }

    /**
     * Whether jumps between modes that are not mirror images use the modes' own shapes (the affine
     * map, the default) or only the translation between the centres; for measurements and tests.
     * Takes effect at the next warm-up window.
     */
    public void setAffineJumps(boolean on) {
        this.affineJumps = on;
        if (!on) {
            modeMean = null;
            modeChol = null;
            modeLogDet = null;
        }
    }

    /** The modes whose jumps use their own shape (affine map); 0 before warm-up or without modes. */
    public int affineModes() {
        int n = 0;
        if (modeChol != null) {
            for (double[] l : modeChol) {
                n += l != null ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * Gives the modes a first shape for the affine jumps from earlier draws, say an ensemble pilot's
     * walkers: {@code n} rows of {@code perRow} points each ({@code n * perRow * d}, row-major, the
     * k-th point of each row from the same walker). Modes with at least
     * {@link #AFFINE_MIN_DRAWS_PER_DIMENSION} × d points from at least two walkers get their mean
     * and covariance; the warm-up windows re-estimate them from the chains' own draws where a mode
     * holds enough. Ignored without modes or with affine jumps off.
     */
    public void seedModeShapes(double[] points, int n, int perRow) {
        if (centres == null || !affineJumps) {
            return;
        }
        if (points.length != (long) n * perRow * d) {
            throw new IllegalArgumentException("HMC mode shapes: " + points.length + " values for " + n + " rows of "
                    + perRow + " points of dimension " + d);
        }
        estimateModeShapes(points, n, perRow);
    }

    /**
     * Each mode's mean and covariance (Cholesky factor) from {@code n} rows of {@code perRow}
     * points, for modes with enough points from at least two walkers or chains; a mode without
     * enough keeps its earlier estimate, if any.
     */
    private void estimateModeShapes(double[] draws, int n, int perRow) {
        int k = centres.length;
        if (modeMean == null) {
            modeMean = new double[k][];
            modeChol = new double[k][];
            modeLogDet = new double[k];
        }
        int[] labels = new int[n * perRow];
        int[] count = new int[k];
        boolean[][] seen = new boolean[k][perRow];
        double[] point = new double[d];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(draws, i * d, point, 0, d);
            labels[i] = labelOf.applyAsInt(point);
            count[labels[i]]++;
            seen[labels[i]][i % perRow] = true;
        }
        for (int m = 0; m < k; m++) {
            int chainsIn = 0;
            for (boolean b : seen[m]) {
                chainsIn += b ? 1 : 0;
            }
            if (count[m] < AFFINE_MIN_DRAWS_PER_DIMENSION * d || chainsIn < 2) {
                continue;
            }
            double[] pts = new double[count[m] * d];
            int r = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == m) {
                    System.arraycopy(draws, i * d, pts, r++ * d, d);
                }
            }
            double[] l = Cholesky.lower(covarianceOf(pts, count[m], d), d);
            if (l == null) {
                continue;
            }
            double[] mu = new double[d];
            for (int i = 0; i < count[m]; i++) {
                for (int t = 0; t < d; t++) {
                    mu[t] += pts[i * d + t] / count[m];
                }
            }
            double logDet = 0;
            for (int t = 0; t < d; t++) {
                logDet += Math.log(l[t * d + t]);
            }
            modeMean[m] = mu;
            modeChol[m] = l;
            modeLogDet[m] = logDet;
        }
    }

    /** y = μ_j + L_j L_i⁻¹ (x − μ_i), in place in {@code point}. */
    private void affine(double[] point, int i, int j) {
        double[] z = new double[d];
        whiten(modeChol[i], modeMean[i], point, 0, z, 0);
        unwhiten(modeChol[j], modeMean[j], z, 0, point, 0);
    }

    /** Runs {@code n} more iterations with the frozen step size and metric, keeping every draw. */
    public void sample(int n) {
        for (int i = 0; i < n; i++) {
            byte[] acc = new byte[chains];
            transition(eps * (0.9 + 0.2 * rng.uniform()), acc);
            keptX.add(x.clone());
            keptLogp.add(logp.clone());
            acceptedHistory.add(acc);
        }
    }

    /** The draws kept since warm-up, skipping the first {@code skip}, as a {@link Chain} (one walker per chain). */
    public Chain chain(int skip) {
        int n = keptX.size() - skip;
        if (n < 1 || skip < 0) {
            throw new IllegalArgumentException("HMC: " + keptX.size() + " kept iterations, skip " + skip);
        }
        double[] xs = new double[n * chains * d];
        double[] lps = new double[n * chains];
        double[] acceptance = new double[chains];
        for (int i = 0; i < n; i++) {
            System.arraycopy(keptX.get(skip + i), 0, xs, i * chains * d, chains * d);
            System.arraycopy(keptLogp.get(skip + i), 0, lps, i * chains, chains);
            byte[] a = acceptedHistory.get(skip + i);
            for (int c = 0; c < chains; c++) {
                acceptance[c] += a[c];
            }
        }
        for (int c = 0; c < chains; c++) {
            acceptance[c] /= n;
        }
        MoveCounts counts = new MoveCounts(0, 0, 0, 0, jumpsProposed, jumpsAccepted, proposed, accepted);
        return new Chain(Chain.defaultNames(d), chains, n, d, xs, lps, 1, keptFrom + skip + 1, acceptance, counts);
    }

    /** Kept iterations since warm-up. */
    public int kept() {
        return keptX.size();
    }

    /** A one-line description. */
    public String describe() {
        return String.format(Locale.ROOT, "Hamiltonian Monte Carlo: %d chains, dense metric and step size %.3g tuned in "
                        + "warm-up (mean acceptance target %.2f), integration time %.1f posterior sd (at most %d leapfrog "
                        + "steps)%s", chains, eps, TARGET_ACCEPTANCE, INTEGRATION_TIME, MAX_LEAPFROG,
                centres == null ? "" : String.format(Locale.ROOT, ", mode jumps among %d modes (%.0f %% of iterations%s%s)",
                        centres.length, 100 * JUMP_PROBABILITY, mirrorPairs() == 0 ? ""
                                : String.format(Locale.ROOT, "; between the %d mirror pair(s) by the symmetry's map, with its "
                                        + "Jacobian", mirrorPairs()),
                        affineModes() == 0 ? "" : String.format(Locale.ROOT, "; %d mode(s) with their own shape, jumps "
                                + "between two such by the affine map of their means and covariances", affineModes())));
    }

    /** The pairs of modes whose jumps go by the mirror map ({@link #setMirror}); 0 without one. */
    public int mirrorPairs() {
        int n = 0;
        if (partner != null) {
            for (int k : partner) {
                n += k >= 0 ? 1 : 0;
            }
        }
        return n / 2;
    }

    /** One iteration of every chain; returns the mean acceptance probability of the HMC proposals. */
    private double transition(double stepSize, byte[] acceptedOut) {
        int steps = Math.max(1, Math.min(MAX_LEAPFROG, (int) Math.ceil(INTEGRATION_TIME / stepSize)));
        double[] r = new double[chains * d];
        for (int i = 0; i < r.length; i++) {
            r[i] = rng.gaussian();
        }
        double[] h0 = new double[chains];
        for (int c = 0; c < chains; c++) {
            h0[c] = -logp[c] + 0.5 * dot(r, c * d, r, c * d);
        }
        double[] z = new double[chains * d];
        for (int c = 0; c < chains; c++) {
            whiten(x, c * d, z, c * d);
        }
        double[] gz = new double[chains * d];
        for (int c = 0; c < chains; c++) {
            gradZ(grad, c * d, gz, c * d);
        }
        double[] xn = new double[chains * d];
        double[] lpn = new double[chains];
        double[] gn = new double[chains * d];
        boolean[] dead = new boolean[chains];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < r.length; i++) {
                r[i] += 0.5 * stepSize * gz[i];
            }
            for (int c = 0; c < chains; c++) {
                if (!dead[c] && !drift(z, r, c * d, stepSize)) {
                    dead[c] = true;
                }
                unwhiten(z, c * d, xn, c * d);
            }
            density.logDensityAndGradient(xn, chains, lpn, gn);
            leapfrogSteps++;
            for (int c = 0; c < chains; c++) {
                if (!Double.isFinite(lpn[c]) || dead[c]) {
                    if (!dead[c] && LOG.isDebugEnabled()) {
                        LOG.debug("HMC: unscored {} at {} (from {}), leapfrog step {} of {}, eps {}", lpn[c],
                                Arrays.toString(Arrays.copyOfRange(xn, c * d, c * d + d)),
                                Arrays.toString(Arrays.copyOfRange(x, c * d, c * d + d)), s, steps, stepSize);
                    }
                    dead[c] = true;
                    Arrays.fill(gz, c * d, c * d + d, 0.0);
                    continue;
                }
                gradZ(gn, c * d, gz, c * d);
            }
            for (int i = 0; i < r.length; i++) {
                r[i] += 0.5 * stepSize * gz[i];
            }
        }
        double meanAcc = 0;
        for (int c = 0; c < chains; c++) {
            double a = 0;
            proposed++;
            if (!dead[c]) {
                double h1 = -lpn[c] + 0.5 * dot(r, c * d, r, c * d);
                double dh = h1 - h0[c];
                if (Double.isNaN(dh) || dh > DIVERGENCE) {
                    divergences++;
                } else {
                    a = Math.min(1, Math.exp(-dh));
                    if (rng.uniform() < a) {
                        System.arraycopy(xn, c * d, x, c * d, d);
                        System.arraycopy(gn, c * d, grad, c * d, d);
                        logp[c] = lpn[c];
                        accepted++;
                        if (acceptedOut != null) {
                            acceptedOut[c] = 1;
                        }
                    }
                }
            } else {
                divergences++;
                unscored++;
            }
            meanAcc += a;
        }
        iterations++;
        if (centres != null) {
            jumps();
        }
        onIteration.accept(iterations);
        return meanAcc / chains;
    }

    private void jumps() {
        int k = centres.length;
        int[] who = new int[chains];
        int[] target = new int[chains];
        int n = 0;
        double[] y = new double[chains * d];
        double[] logJ = new double[chains];
        double[] point = new double[d];
        for (int c = 0; c < chains; c++) {
            if (rng.uniform() >= JUMP_PROBABILITY) {
                continue;
            }
            jumpsProposed++;
            System.arraycopy(x, c * d, point, 0, d);
            int i = labelOf.applyAsInt(point);
            int j = rng.index(k - 1);
            if (j >= i) {
                j++;
            }
            double lj = 0;
            if (partner != null && partner[i] == j) { // the mirror image of this very point
                double[] m = mirror.apply(point.clone());
                if (m == null) {
                    continue;
                }
                lj = mirrorLogJacobian.applyAsDouble(point.clone());
                if (!Double.isFinite(lj)) {
                    continue;
                }
                point = m;
            } else if (modeChol != null && modeChol[i] != null && modeChol[j] != null) {
                affine(point, i, j);
                lj = modeLogDet[j] - modeLogDet[i];
            } else {
                for (int t = 0; t < d; t++) {
                    point[t] = x[c * d + t] + centres[j][t] - centres[i][t];
                }
            }
            if (labelOf.applyAsInt(point) != j || !inside(point)) {
                continue;
            }
            System.arraycopy(point, 0, y, n * d, d);
            logJ[n] = lj;
            who[n] = c;
            target[n++] = j;
        }
        if (n == 0) {
            return;
        }
        double[] lp = new double[n];
        double[] g = new double[n * d];
        density.logDensityAndGradient(Arrays.copyOf(y, n * d), n, lp, g);
        for (int m = 0; m < n; m++) {
            int c = who[m];
            double u = rng.uniform();
            if (Double.isFinite(lp[m]) && Math.log(u) < lp[m] - logp[c] + logJ[m]) {
                System.arraycopy(y, m * d, x, c * d, d);
                System.arraycopy(g, m * d, grad, c * d, d);
                logp[c] = lp[m];
                jumpsAccepted++;
            }
        }
    }

    private boolean inside(double[] point) {
        if (conA == null) {
            return true;
        }
        for (int k = 0; k < conA.length; k++) {
            if (dot(conA[k], 0, point, 0) > conB[k]) {
                return false;
            }
        }
        return true;
    }

    private void whiten(double[] a, int ao, double[] out, int oo) {
        whiten(chol, mean, a, ao, out, oo);
    }

    private void unwhiten(double[] z, int zo, double[] out, int oo) {
        unwhiten(chol, mean, z, zo, out, oo);
    }

    /** z = L⁻¹(a − origin) by forward substitution, L lower triangular (row-major). */
    private void whiten(double[] l, double[] origin, double[] a, int ao, double[] out, int oo) {
        for (int i = 0; i < d; i++) {
            double s = a[ao + i] - origin[i];
            for (int j = 0; j < i; j++) {
                s -= l[i * d + j] * out[oo + j];
            }
            out[oo + i] = s / l[i * d + i];
        }
    }

    /** out = origin + L z. */
    private void unwhiten(double[] l, double[] origin, double[] z, int zo, double[] out, int oo) {
        for (int i = 0; i < d; i++) {
            double s = origin[i];
            for (int j = 0; j <= i; j++) {
                s += l[i * d + j] * z[zo + j];
            }
            out[oo + i] = s;
        }
    }

    /** The gradient in z: L^T times the gradient in x. */
    private void gradZ(double[] g, int go, double[] out, int oo) {
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int i = j; i < d; i++) {
                s += chol[i * d + j] * g[go + i];
            }
            out[oo + j] = s;
        }
    }

    private double dot(double[] a, int ao, double[] b, int bo) {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** Covariance of {@code n} points (row-major, {@code n * d}), shrunk towards its diagonal by d / n. */
    public static double[] covarianceOf(double[] pts, int n, int d) {
        double[] m = new double[d];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                m[t] += pts[i * d + t];
            }
        }
        for (int t = 0; t < d; t++) {
            m[t] /= n;
        }
        double[] cov = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double ea = pts[i * d + a] - m[a];
                for (int b = 0; b <= a; b++) {
                    cov[a * d + b] += ea * (pts[i * d + b] - m[b]);
                }
            }
        }
        double shrink = Math.min(1.0, (double) d / n);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                double c = cov[a * d + b] / (n - 1);
                c = a == b ? c + 1e-12 : (1 - shrink) * c;
                cov[a * d + b] = c;
                cov[b * d + a] = c;
            }
        }
        return cov;
    }

    /** Nesterov dual averaging of log ε towards {@link #TARGET_ACCEPTANCE} (Hoffman &amp; Gelman 2014, Alg. 5). */
    private static final class DualAveraging {
        private final double mu;
        private double hBar;
        private double logEps;
        private double logEpsBar;
        private int t;

        DualAveraging(double eps0) {
            this.mu = Math.log(10 * eps0);
            this.logEps = Math.log(eps0);
        }

        double current() {
            return Math.exp(logEps);
        }

        void update(double acceptance) {
            t++;
            double w = 1.0 / (t + 10);
            hBar = (1 - w) * hBar + w * (TARGET_ACCEPTANCE - acceptance);
            logEps = mu - Math.sqrt(t) / 0.05 * hBar;
            double eta = Math.pow(t, -0.75);
            logEpsBar = eta * logEps + (1 - eta) * logEpsBar;
        }

        double smoothed() {
            return t == 0 ? Math.exp(logEps) : Math.exp(logEpsBar);
        }
    }
}
