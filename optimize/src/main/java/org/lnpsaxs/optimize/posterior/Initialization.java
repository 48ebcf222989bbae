package org.lnpsaxs.optimize.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Where the walkers of an ensemble sampler start: a Gaussian ball, a weighted list of modes (for
 * instance the modes of a multi-start fit, each with its own centre and spread), or given points.
 * Coordinates are the sampler's unconstrained coordinates.
 *
 * <p>Walkers are shared among the modes in proportion to their weights (largest remainders, at
 * least one walker per mode in each half-ensemble), and both half-ensembles get the same share,
 * so that every mode is present in the complementary half of every walker: the moves that jump
 * between modes need walkers of the target mode there. A walker of mode \( k \) starts at
 * \( c_k + s_k \odot \xi \), \( \xi \sim N(0, I) \). A start whose log density is
 * {@code -Infinity} is redrawn (up to a limit); given points are never redrawn.
 *
 * <p>Immutable.
 */
public final class Initialization {

    /**
     * One starting mode.
     *
     * @param centre the mode's centre (unconstrained coordinates)
     * @param spread the standard deviation of the starting ball along each coordinate, each &gt; 0
     * @param weight the mode's share of the walkers (relative, &gt; 0)
     */
    public record Mode(double[] centre, double[] spread, double weight) {

        /** Checks and copies the arrays. */
        public Mode {
            if (centre == null || spread == null || centre.length == 0 || centre.length != spread.length) {
                throw new IllegalArgumentException("mode: centre and spread must be non-empty and of equal length, got "
                        + (centre == null ? "null" : centre.length) + " and " + (spread == null ? "null" : spread.length));
            }
            for (int k = 0; k < centre.length; k++) {
                if (!Double.isFinite(centre[k])) {
                    throw new IllegalArgumentException("mode: centre[" + k + "] = " + centre[k] + " is not finite");
                }
                if (!(spread[k] > 0) || !Double.isFinite(spread[k])) {
                    throw new IllegalArgumentException("mode: spread[" + k + "] = " + spread[k]
                            + " must be finite and > 0 (the walkers of a mode must not coincide)");
                }
            }
            if (!(weight > 0) || !Double.isFinite(weight)) {
                throw new IllegalArgumentException("mode: weight = " + weight + " must be finite and > 0");
            }
            centre = centre.clone();
            spread = spread.clone();
        }

        @Override
        public double[] centre() {
            return centre.clone();
        }

        @Override
        public double[] spread() {
            return spread.clone();
        }
    }

    private final List<Mode> modes;
    private final double[][] points;
    private final int dimension;

    private Initialization(List<Mode> modes, double[][] points, int dimension) {
        this.modes = modes;
        this.points = points;
        this.dimension = dimension;
    }

    /** A Gaussian ball around {@code centre} with standard deviation {@code spread[k]} along coordinate k. */
    public static Initialization gaussianBall(double[] centre, double[] spread) {
        return modes(List.of(new Mode(centre, spread, 1.0)));
    }

    /** A Gaussian ball around {@code centre} with the same standard deviation along every coordinate. */
    public static Initialization gaussianBall(double[] centre, double spread) {
        double[] s = new double[centre.length];
        Arrays.fill(s, spread);
        return gaussianBall(centre, s);
    }

    /** Walkers shared among weighted modes (see the class comment). */
    public static Initialization modes(List<Mode> modes) {
        if (modes == null || modes.isEmpty()) {
            throw new IllegalArgumentException("modes: at least one mode is needed, got none");
        }
        int d = modes.get(0).centre.length;
        for (int i = 1; i < modes.size(); i++) {
            if (modes.get(i).centre.length != d) {
                throw new IllegalArgumentException("modes: mode " + i + " has " + modes.get(i).centre.length
                        + " coordinates, mode 0 has " + d + "; all must have the same dimension");
            }
        }
        return new Initialization(List.copyOf(modes), null, d);
    }

    /** The walkers start at exactly these points, one per walker (the walker count must match). */
    public static Initialization points(double[][] points) {
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException("points: at least one point is needed, got none");
        }
        int d = points[0].length;
        double[][] copy = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != d || d == 0) {
                throw new IllegalArgumentException("points: point " + i + " has " + points[i].length
                        + " coordinates, point 0 has " + d + "; all must have the same, non-zero dimension");
            }
            for (int k = 0; k < d; k++) {
                if (!Double.isFinite(points[i][k])) {
                    throw new IllegalArgumentException("points: point " + i + " coordinate " + k + " = "
                            + points[i][k] + " is not finite");
                }
            }
            copy[i] = points[i].clone();
        }
        return new Initialization(null, copy, d);
    }

    /** The number of coordinates. */
    public int dimension() {
        return dimension;
    }

    /** The modes (empty for given points). */
    public List<Mode> modes() {
        return modes == null ? List.of() : modes;
    }

    /** The number of given starting points (0 for a ball or modes). */
    public int pointCount() {
        return points == null ? 0 : points.length;
    }

    /** Whether the walkers start at given points (which are never redrawn). */
    public boolean isFixedPoints() {
        return points != null;
    }

    /**
     * The mode each walker starts in: walker {@code i} and walker {@code i + walkers/2} share a
     * mode; within a half, mode {@code k} gets its weight's share by largest remainders, at least
     * one walker. For given points every walker is its own "mode" 0.
     *
     * @throws IllegalArgumentException when a half-ensemble has fewer walkers than there are modes
     */
    public int[] allocate(int walkers) {
        int[] mode = new int[walkers];
        if (points != null) {
            if (walkers != points.length) {
                throw new IllegalArgumentException("walkers = " + walkers + " but " + points.length
                        + " starting points were given; the counts must match");
            }
            return mode;
        }
        int half = walkers / 2;
        int m = modes.size();
        if (half < m) {
            throw new IllegalArgumentException("walkers = " + walkers + " is too few for " + m
                    + " starting modes: each half-ensemble needs at least one walker per mode");
        }
        double total = 0;
        for (Mode md : modes) {
            total += md.weight;
        }
        int[] count = new int[m];
        double[] remainder = new double[m];
        int free = half - m;
        int used = 0;
        for (int k = 0; k < m; k++) {
            double share = free * modes.get(k).weight / total;
            count[k] = 1 + (int) Math.floor(share);
            remainder[k] = share - Math.floor(share);
            used += count[k];
        }
        while (used < half) {
            int best = 0;
            for (int k = 1; k < m; k++) {
                if (remainder[k] > remainder[best]) {
                    best = k;
                }
            }
            count[best]++;
            remainder[best] = -1;
            used++;
        }
        int i = 0;
        for (int k = 0; k < m; k++) {
            for (int c = 0; c < count[k]; c++) {
                mode[i] = k;
                mode[i + half] = k;
                i++;
            }
        }
        return mode;
    }

    /** Writes walker {@code walker}'s starting point, of mode {@code mode}, into {@code out[offset..]}. */
    void draw(int walker, int mode, Rng rng, double[] out, int offset) {
        if (points != null) {
            System.arraycopy(points[walker], 0, out, offset, dimension);
            return;
        }
        Mode md = modes.get(mode);
        for (int k = 0; k < dimension; k++) {
            out[offset + k] = md.centre[k] + md.spread[k] * rng.gaussian();
        }
    }

    /**
     * The most probable starting mode of a point under the mixture of the modes' Gaussian balls
     * (\( \arg\max_k \ln w_k - \sum_j \ln s_{kj} - \tfrac12 \sum_j ((x_j - c_{kj})/s_{kj})^2 \)): a
     * fixed assignment for mode weights and for mode jumps. Meaningful when the spreads describe
     * the modes' widths; for given points it throws.
     */
    public ToIntFunction<double[]> nearestMode() {
        if (points != null) {
            throw new IllegalStateException("nearestMode: the walkers start at given points, which define no modes");
        }
        List<double[]> c = new ArrayList<>();
        List<double[]> s = new ArrayList<>();
        double[] logw = new double[modes.size()];
        for (int k = 0; k < modes.size(); k++) {
            Mode md = modes.get(k);
            c.add(md.centre);
            s.add(md.spread);
            double l = Math.log(md.weight);
            for (double v : md.spread) {
                l -= Math.log(v);
            }
            logw[k] = l;
        }
        int d = dimension;
        return x -> {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < logw.length; k++) {
                double[] ck = c.get(k);
                double[] sk = s.get(k);
                double q = 0;
                for (int j = 0; j < d; j++) {
                    double t = (x[j] - ck[j]) / sk[j];
                    q += t * t;
                }
                double score = logw[k] - 0.5 * q;
                if (score > bestScore) {
                    bestScore = score;
                    best = k;
                }
            }
            return best;
        };
    }
}
