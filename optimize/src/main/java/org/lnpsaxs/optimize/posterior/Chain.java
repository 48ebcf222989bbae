package org.lnpsaxs.optimize.posterior;

import java.util.ArrayList;
import java.util.List;

/**
 * The kept states of an ensemble run after burn-in: {@link #steps()} states of {@link #walkers()}
 * walkers in {@link #dimension()} named coordinates, with each state's log density, the walkers'
 * acceptance fractions and the move counts over the same steps. Immutable.
 *
 * <p>Draw {@code (s, w)} is the state of walker w after kept step s; the flat arrays are
 * step-major: coordinate j of it is at {@code ((s * walkers) + w) * dimension + j}. The
 * coordinates are the sampler's unless the chain was {@link #map mapped} to other quantities.
 */
public final class Chain {

    private final List<String> names;
    private final int walkers;
    private final int steps;
    private final int dimension;
    private final double[] x;
    private final double[] logDensity;
    private final int thin;
    private final long firstStep;
    private final double[] walkerAcceptance;
    private final MoveCounts moves;

    Chain(List<String> names, int walkers, int steps, int dimension, double[] x, double[] logDensity, int thin,
          long firstStep, double[] walkerAcceptance, MoveCounts moves) {
        this.names = List.copyOf(names);
        this.walkers = walkers;
        this.steps = steps;
        this.dimension = dimension;
        this.x = x;
        this.logDensity = logDensity;
        this.thin = thin;
        this.firstStep = firstStep;
        this.walkerAcceptance = walkerAcceptance;
        this.moves = moves;
    }

    static List<String> defaultNames(int d) {
        List<String> n = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            n.add("x" + j);
        }
        return n;
    }

    /** The coordinates' names ({@code x0, x1, ...} for sampler coordinates). */
    public List<String> names() {
        return names;
    }

    /** The number of walkers. */
    public int walkers() {
        return walkers;
    }

    /** The number of kept steps. */
    public int steps() {
        return steps;
    }

    /** The number of coordinates. */
    public int dimension() {
        return dimension;
    }

    /** The number of draws, steps × walkers. */
    public int size() {
        return steps * walkers;
    }

    /** The thinning: kept states are this many sampler steps apart. */
    public int thin() {
        return thin;
    }

    /** The sampler step (1-based) of the first kept state. */
    public long firstStep() {
        return firstStep;
    }

    /** Coordinate {@code j} of walker {@code w} after kept step {@code s}. */
    public double get(int s, int w, int j) {
        return x[(s * walkers + w) * dimension + j];
    }

    /** All draws, step-major, {@code size() * dimension()} values (a copy). */
    public double[] values() {
        return x.clone();
    }

    /** All draws as rows, {@code [size()][dimension()]}, step-major (pooled over walkers). */
    public double[][] draws() {
        double[][] r = new double[size()][dimension];
        for (int i = 0; i < r.length; i++) {
            System.arraycopy(x, i * dimension, r[i], 0, dimension);
        }
        return r;
    }

    /** The log densities of the draws, step-major (a copy). */
    public double[] logDensities() {
        return logDensity.clone();
    }

    /** Coordinate j as one chain per walker, {@code [walkers][steps]}: the diagnostics' input. */
    public double[][] walkerChains(int j) {
        if (j < 0 || j >= dimension) {
            throw new IllegalArgumentException("coordinate " + j + " is outside [0, " + dimension + ")");
        }
        double[][] c = new double[walkers][steps];
        for (int s = 0; s < steps; s++) {
            for (int w = 0; w < walkers; w++) {
                c[w][s] = x[(s * walkers + w) * dimension + j];
            }
        }
        return c;
    }

    /** Each walker's accepted fraction of proposals over the kept steps (a copy). */
    public double[] walkerAcceptance() {
        return walkerAcceptance.clone();
    }

    /** The accepted fraction of all proposals over the kept steps. */
    public double acceptanceFraction() {
        return moves.acceptanceFraction();
    }

    /** The proposals made and accepted over the kept steps, by kind. */
    public MoveCounts moves() {
        return moves;
    }

    /**
     * The same draws mapped through {@code transform} to {@code names.size()} quantities (for
     * instance parameters in model units), one step (all walkers) per batch call. Log densities,
     * acceptance and move counts carry over.
     */
    public Chain map(List<String> names, BatchTransform transform) {
        int m = names.size();
        if (m == 0) {
            throw new IllegalArgumentException("map: at least one output name is needed");
        }
        double[] out = new double[steps * walkers * m];
        double[] in = new double[walkers * dimension];
        double[] row = new double[walkers * m];
        for (int s = 0; s < steps; s++) {
            System.arraycopy(x, s * walkers * dimension, in, 0, walkers * dimension);
            transform.apply(in, walkers, row);
            System.arraycopy(row, 0, out, s * walkers * m, walkers * m);
        }
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                int draw = i / m;
                throw new IllegalStateException("map: output " + names.get(i % m) + " of draw (step " + draw / walkers
                        + ", walker " + draw % walkers + ") is " + out[i] + "; the transform must give finite values");
            }
        }
        return new Chain(names, walkers, steps, m, out, logDensity, thin, firstStep, walkerAcceptance, moves);
    }

    /**
     * The same draws with other log densities, say those of the mapped quantities' own coordinates
     * after {@link #map} (a sampler's log density includes the Jacobian of its coordinates).
     *
     * @param logDensities one per draw, step-major ({@link #size()} values; copied)
     * @throws IllegalArgumentException if the length is not {@link #size()}
     */
    public Chain withLogDensities(double[] logDensities) {
        if (logDensities.length != size()) {
            throw new IllegalArgumentException("withLogDensities: " + logDensities.length + " values for " + size()
                    + " draws");
        }
        return new Chain(names, walkers, steps, dimension, x, logDensities.clone(), thin, firstStep, walkerAcceptance,
                moves);
    }

    /**
     * The same chain with the first {@code n} kept steps dropped (a later burn-in). The acceptance
     * fractions and move counts stay those of the whole original chain.
     */
    public Chain dropFirst(int n) {
        if (n < 0 || n >= steps) {
            throw new IllegalArgumentException("dropFirst: n = " + n + " must lie in [0, " + steps + ")");
        }
        int k = steps - n;
        double[] xs = new double[k * walkers * dimension];
        System.arraycopy(x, n * walkers * dimension, xs, 0, xs.length);
        double[] lp = new double[k * walkers];
        System.arraycopy(logDensity, n * walkers, lp, 0, lp.length);
        return new Chain(names, walkers, k, dimension, xs, lp, thin, firstStep + (long) n * thin, walkerAcceptance,
                moves);
    }
}
