package org.lnpsaxs.optimize.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A running ensemble sampler: the walkers' current state and the kept history. Made by
 * {@link EnsembleSampler#start}; {@link #advance} runs more steps, {@link #chain} returns the
 * kept states after a burn-in. Not thread-safe.
 */
public final class EnsembleRun {

    private static final int STRETCH = 0;
    private static final int DE = 1;
    private static final int JUMP = 2;
    /** How often a start that scores -Infinity is redrawn before the run gives up. */
    private static final int MAX_REDRAWS = 100;
    /** Scale of the differential-evolution noise relative to the complementary half's spread. */
    private static final double DE_NOISE = 1e-3;

    private final EnsembleSampler config;
    private final BatchLogDensity density;
    private final int walkers;
    private final int half;
    private final int d;
    private final Rng rng;
    private final double[] x;
    private final double[] logp;
    private final ToIntFunction<double[]> labelOf;
    private final int[] label;

    // per half-step buffers
    private final double[] proposal;
    private final double[] proposalLogp;
    private final double[] logq;
    private final int[] kind;
    private final int[] jumpTarget;
    private final int[] rowOf;
    private final double[] batchIn;
    private final double[] batchOut;
    private final double[] point;
    private final double[] compMean;
    private final double[] compSd;
    private final double[][] clusterMean;
    private final int[] clusterCount;
    private final boolean within;
    private final int[][] clusterMembers;
    private final double[][] clusterSd;

    private long stepsDone;
    private final List<double[]> keptX = new ArrayList<>();
    private final List<double[]> keptLogp = new ArrayList<>();
    private byte[] accepted = new byte[0];
    private long[] moves = new long[0];

    EnsembleRun(EnsembleSampler config, BatchLogDensity density, Initialization init, int walkers) {
        this.config = config;
        this.density = density;
        this.walkers = walkers;
        this.half = walkers / 2;
        this.d = density.dimension();
        this.rng = new Rng(config.seed());
        this.x = new double[walkers * d];
        this.logp = new double[walkers];
        this.labelOf = config.modeLabel();
        this.label = labelOf == null ? null : new int[walkers];
        this.proposal = new double[half * d];
        this.proposalLogp = new double[half];
        this.logq = new double[half];
        this.kind = new int[half];
        this.jumpTarget = new int[half];
        this.rowOf = new int[half];
        this.batchIn = new double[Math.max(half, walkers) * d];
        this.batchOut = new double[walkers];
        this.point = new double[d];
        this.compMean = new double[d];
        this.compSd = new double[d];
        int k = labelOf == null ? 0 : config.modeCount();
        this.clusterMean = new double[k][d];
        this.clusterCount = new int[k];
        this.within = config.withinModeMoves();
        this.clusterMembers = within ? new int[k][half] : null;
        this.clusterSd = within ? new double[k][d] : null;
        initialise(init);
    }

    private void initialise(Initialization init) {
        int[] mode = init.allocate(walkers);
        for (int w = 0; w < walkers; w++) {
            init.draw(w, mode[w], rng, x, w * d);
        }
        density.logDensity(x, walkers, batchOut);
        checkValues(x, batchOut, walkers);
        System.arraycopy(batchOut, 0, logp, 0, walkers);
        int[] pending = new int[walkers];
        for (int round = 0; ; round++) {
            int np = 0;
            for (int w = 0; w < walkers; w++) {
                if (logp[w] == Double.NEGATIVE_INFINITY) {
                    pending[np++] = w;
                }
            }
            if (np == 0) {
                break;
            }
            if (init.isFixedPoints() || round >= MAX_REDRAWS) {
                int w = pending[0];
                throw new IllegalStateException("initialization: walker " + w + " (of " + np
                        + " without a finite log density) starts at " + Arrays.toString(Arrays.copyOfRange(x, w * d, w * d + d))
                        + " where the log density is -Infinity"
                        + (init.isFixedPoints() ? "; given starting points must have a finite log density"
                        : " after " + MAX_REDRAWS + " redraws from mode " + mode[w]
                        + "; choose a starting mode inside the support"));
            }
            for (int i = 0; i < np; i++) {
                init.draw(pending[i], mode[pending[i]], rng, batchIn, i * d);
            }
            density.logDensity(batchIn, np, batchOut);
            checkValues(batchIn, batchOut, np);
            for (int i = 0; i < np; i++) {
                System.arraycopy(batchIn, i * d, x, pending[i] * d, d);
                logp[pending[i]] = batchOut[i];
            }
        }
        if (label != null) {
            for (int w = 0; w < walkers; w++) {
                label[w] = labelAt(x, w * d);
            }
        }
    }

    private int labelAt(double[] a, int offset) {
        System.arraycopy(a, offset, point, 0, d);
        int l = labelOf.applyAsInt(point);
        if (l < 0 || l >= clusterCount.length) {
            throw new IllegalStateException("mode label " + l + " at " + Arrays.toString(point)
                    + " is outside [0, " + clusterCount.length + "), the declared number of modes");
        }
        return l;
    }

    private void checkValues(double[] pts, double[] values, int batch) {
        for (int b = 0; b < batch; b++) {
            double v = values[b];
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                throw new IllegalStateException("the log density returned " + v + " at "
                        + Arrays.toString(Arrays.copyOfRange(pts, b * d, b * d + d))
                        + "; allowed are finite values and -Infinity (a point that cannot be scored)");
            }
        }
    }

    /** The walker count. */
    public int walkers() {
        return walkers;
    }

    /** The number of coordinates. */
    public int dimension() {
        return d;
    }

    /** Steps done so far. */
    public long stepsDone() {
        return stepsDone;
    }

    /** The walkers' current positions, {@code walkers * d}, walker-major (a copy). */
    public double[] positions() {
        return x.clone();
    }

    /** The walkers' current log densities (a copy). */
    public double[] logDensities() {
        return logp.clone();
    }

    /** Runs {@code steps} more steps (each updates both halves once), keeping every thin-th state. */
    public void advance(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps = " + steps + ": must be >= 0");
        }
        int thin = config.thin();
        ensureHistory(stepsDone + steps);
        for (int s = 0; s < steps; s++) {
            int at = (int) stepsDone;
            halfStep(0, at);
            halfStep(1, at);
            stepsDone++;
            if (stepsDone % thin == 0) {
                keptX.add(x.clone());
                keptLogp.add(logp.clone());
            }
        }
    }

    private void ensureHistory(long total) {
        if (total * walkers > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("steps: " + total + " steps of " + walkers
                    + " walkers exceed the history this run can keep");
        }
        int need = (int) (total * walkers);
        if (accepted.length < need) {
            accepted = Arrays.copyOf(accepted, Math.max(need, 2 * accepted.length));
            moves = Arrays.copyOf(moves, Math.max((int) total * 6, 2 * moves.length));
        }
    }

    private void halfStep(int h, int step) {
        int s0 = h * half;
        int c0 = (1 - h) * half;
        double pDe = config.deFraction();
        double pJump = config.jumpFraction();
        double a = config.stretchScale();
        double gamma0 = 2.38 / Math.sqrt(2.0 * d);
        if (pDe > 0) {
            complementSpread(c0);
        }
        int present = 0;
        if (label != null && (pJump > 0 || within)) {
            present = clusterMeans(c0);
        }
        int rows = 0;
        for (int i = 0; i < half; i++) {
            int k = s0 + i;
            int xo = k * d;
            int po = i * d;
            double u = rng.uniform();
            rowOf[i] = -1;
            logq[i] = 0;
            if (u < pJump) {
                kind[i] = JUMP;
                int li = label[k];
                if (clusterCount[li] == 0 || present < 2) {
                    continue;
                }
                int pick = rng.index(present - 1);
                int j = -1;
                for (int c = 0; c < clusterCount.length; c++) {
                    if (clusterCount[c] > 0 && c != li) {
                        if (pick-- == 0) {
                            j = c;
                            break;
                        }
                    }
                }
                for (int t = 0; t < d; t++) {
                    proposal[po + t] = x[xo + t] + clusterMean[j][t] - clusterMean[li][t];
                }
                jumpTarget[i] = j;
                if (labelAt(proposal, po) != j) {
                    continue;
                }
            } else if (u < pJump + pDe) {
                kind[i] = DE;
                int own = within ? clusterCount[label[k]] : 0;
                int pool = own >= 2 ? own : half;
                int ia = rng.index(pool);
                int ib = rng.index(pool - 1);
                if (ib >= ia) {
                    ib++;
                }
                double g = rng.uniform() < config.deUnitStepProbability() ? 1.0 : gamma0;
                if (own >= 2) {
                    ia = clusterMembers[label[k]][ia];
                    ib = clusterMembers[label[k]][ib];
                }
                double[] sd = own >= 2 ? clusterSd[label[k]] : compSd;
                int ao = (c0 + ia) * d;
                int bo = (c0 + ib) * d;
                for (int t = 0; t < d; t++) {
                    proposal[po + t] = x[xo + t] + g * (x[ao + t] - x[bo + t]) + DE_NOISE * sd[t] * rng.gaussian();
                }
            } else {
                kind[i] = STRETCH;
                int own = within ? clusterCount[label[k]] : 0;
                int jo = (c0 + (own >= 1 ? clusterMembers[label[k]][rng.index(own)] : rng.index(half))) * d;
                double v = (a - 1) * rng.uniform() + 1;
                double z = v * v / a;
                for (int t = 0; t < d; t++) {
                    proposal[po + t] = x[jo + t] + z * (x[xo + t] - x[jo + t]);
                }
                logq[i] = (d - 1) * StrictMath.log(z);
            }
            System.arraycopy(proposal, po, batchIn, rows * d, d);
            rowOf[i] = rows++;
        }
        if (rows > 0) {
            density.logDensity(batchIn, rows, batchOut);
            checkValues(batchIn, batchOut, rows);
        }
        int mo = step * 6;
        for (int i = 0; i < half; i++) {
            int k = s0 + i;
            double uAccept = rng.uniform();
            moves[mo + 2 * kind[i]]++;
            if (rowOf[i] < 0) {
                continue;
            }
            double lp = batchOut[rowOf[i]];
            if (lp == Double.NEGATIVE_INFINITY) {
                continue;
            }
            if (within && kind[i] != JUMP && labelAt(proposal, i * d) != label[k]) {
                continue; // a within-mode move must keep the walker's mode (see EnsembleSampler#withWithinModeMoves)
            }
            double logRatio = logq[i] + lp - logp[k];
            if (StrictMath.log(uAccept) < logRatio) {
                System.arraycopy(proposal, i * d, x, k * d, d);
                logp[k] = lp;
                accepted[step * walkers + k] = 1;
                moves[mo + 2 * kind[i] + 1]++;
                if (label != null) {
                    label[k] = kind[i] == JUMP ? jumpTarget[i] : labelAt(x, k * d);
                }
            }
        }
    }

    private void complementSpread(int c0) {
        Arrays.fill(compMean, 0);
        Arrays.fill(compSd, 0);
        for (int w = c0; w < c0 + half; w++) {
            for (int t = 0; t < d; t++) {
                compMean[t] += x[w * d + t];
            }
        }
        for (int t = 0; t < d; t++) {
            compMean[t] /= half;
        }
        for (int w = c0; w < c0 + half; w++) {
            for (int t = 0; t < d; t++) {
                double e = x[w * d + t] - compMean[t];
                compSd[t] += e * e;
            }
        }
        for (int t = 0; t < d; t++) {
            compSd[t] = Math.sqrt(compSd[t] / (half - 1));
        }
    }

    /** Means of the complementary walkers per label; returns how many labels are present. */
    private int clusterMeans(int c0) {
        Arrays.fill(clusterCount, 0);
        for (double[] m : clusterMean) {
            Arrays.fill(m, 0);
        }
        for (int w = c0; w < c0 + half; w++) {
            int l = label[w];
            clusterCount[l]++;
            for (int t = 0; t < d; t++) {
                clusterMean[l][t] += x[w * d + t];
            }
        }
        int present = 0;
        for (int c = 0; c < clusterCount.length; c++) {
            if (clusterCount[c] > 0) {
                present++;
                for (int t = 0; t < d; t++) {
                    clusterMean[c][t] /= clusterCount[c];
                }
            }
        }
        if (within) {
            int[] fill = new int[clusterCount.length];
            for (double[] sd : clusterSd) {
                Arrays.fill(sd, 0);
            }
            for (int w = c0; w < c0 + half; w++) {
                int l = label[w];
                clusterMembers[l][fill[l]++] = w - c0;
                for (int t = 0; t < d; t++) {
                    double e = x[w * d + t] - clusterMean[l][t];
                    clusterSd[l][t] += e * e;
                }
            }
            for (int c = 0; c < clusterCount.length; c++) {
                for (int t = 0; t < d; t++) {
                    clusterSd[c][t] = clusterCount[c] > 1 ? Math.sqrt(clusterSd[c][t] / (clusterCount[c] - 1)) : 0;
                }
            }
        }
        return present;
    }

    /**
     * The kept states after the first {@code burnIn} steps.
     *
     * @throws IllegalArgumentException when no kept state lies after the burn-in
     */
    public Chain chain(int burnIn) {
        if (burnIn < 0) {
            throw new IllegalArgumentException("burn-in = " + burnIn + ": must be >= 0");
        }
        int thin = config.thin();
        int first = burnIn / thin;
        int n = keptX.size() - first;
        if (n < 1) {
            throw new IllegalArgumentException("burn-in = " + burnIn + " leaves no kept state: " + stepsDone
                    + " steps done, thin = " + thin);
        }
        double[] xs = new double[n * walkers * d];
        double[] lps = new double[n * walkers];
        for (int i = 0; i < n; i++) {
            System.arraycopy(keptX.get(first + i), 0, xs, i * walkers * d, walkers * d);
            System.arraycopy(keptLogp.get(first + i), 0, lps, i * walkers, walkers);
        }
        double[] acceptance = new double[walkers];
        long[] m = new long[6];
        long steps = stepsDone - burnIn;
        for (long s = burnIn; s < stepsDone; s++) {
            for (int w = 0; w < walkers; w++) {
                acceptance[w] += accepted[(int) s * walkers + w];
            }
            for (int t = 0; t < 6; t++) {
                m[t] += moves[(int) s * 6 + t];
            }
        }
        for (int w = 0; w < walkers; w++) {
            acceptance[w] /= steps;
        }
        MoveCounts counts = new MoveCounts(m[0], m[1], m[2], m[3], m[4], m[5], 0, 0);
        return new Chain(Chain.defaultNames(d), walkers, n, d, xs, lps, thin, (long) (first + 1) * thin, acceptance,
                counts);
    }
}
