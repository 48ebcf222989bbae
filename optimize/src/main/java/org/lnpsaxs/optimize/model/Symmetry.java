package org.lnpsaxs.optimize.model;

import java.util.List;
import java.util.Objects;

/**
 * An exact symmetry of a fit model: a map of some of its parameters onto other values that give
 * the same model curve for every q, so that no data can tell the two images apart. A
 * {@link FitModel} declares its symmetries ({@link FitModel#symmetries()}); the fitter names them
 * in the report, and the posterior folds every draw onto one canonical image (the other image is
 * then equally compatible with the data, and the report says so).
 *
 * <p>The map acts on the values of {@link #parameters()} (in that order, model units) and must be
 * an involution (applying it twice gives the original values) that maps the non-canonical image
 * onto the canonical one ({@link #isCanonical}). Values outside the fit box may result from the
 * map; the fitter folds only draws whose image lies inside the box. Implementations are immutable
 * and thread-safe.
 */
public interface Symmetry {

    /** A short name, e.g. {@code contrast sign}. */
    String name();

    /** The map as a formula, e.g. {@code (a, b) -> (-a, 1 - b)}. */
    String mapping();

    /** What the data cannot determine, said plainly, e.g. {@code the sign of the contrast is not determined by SAXS}. */
    String statement();

    /** Which image is reported, e.g. {@code GRF_shift >= 0}. */
    String canonicalImage();

    /** The parameters the map changes, in the order of {@link #map} (all others stay as they are). */
    List<String> parameters();

    /**
     * The mirror image.
     *
     * @param values the values of {@link #parameters()}, model units
     * @return the mirrored values, same order (a new array)
     */
    double[] map(double[] values);

    /** Whether {@code values} (of {@link #parameters()}) lie in the reported image. */
    boolean isCanonical(double[] values);

    /**
     * The natural logarithm of |det ∂map/∂values| at {@code values} (dimensionless): how much the map
     * stretches volume there. A sampler that moves a chain from one image to the other by the map
     * needs it, because a prior that is uniform on the box gives the two images different prior mass
     * when the map is not volume-preserving. This default differentiates {@link #map} by central
     * differences (steps of 10⁻⁵ × max(1, |value|); about 10⁻⁹ relative error for a smooth map); a
     * symmetry with a closed form gives it to
     * {@link #of(String, String, String, String, List, java.util.function.UnaryOperator, java.util.function.Predicate, java.util.function.ToDoubleFunction)}.
     *
     * @param values the values of {@link #parameters()}, model units
     * @return ln |det J|, or NaN where the map is not differentiable or not finite
     */
    default double logAbsJacobian(double[] values) {
        int k = values.length;
        double[][] j = new double[k][k];
        for (int c = 0; c < k; c++) {
            double h = 1e-5 * Math.max(1, Math.abs(values[c]));
            double[] up = values.clone();
            double[] down = values.clone();
            up[c] += h;
            down[c] -= h;
            double[] fu = map(up);
            double[] fd = map(down);
            for (int r = 0; r < k; r++) {
                j[r][c] = (fu[r] - fd[r]) / (2 * h);
            }
        }
        double det = new org.apache.commons.math3.linear.LUDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(j, false)).getDeterminant();
        return det != 0 && Double.isFinite(det) ? Math.log(Math.abs(det)) : Double.NaN;
    }

    /**
     * The ordering constraint that this symmetry's canonical image is, when it is one: a relabelling
     * symmetry (say, the swap of two interchangeable components) whose reported image is
     * {@code first <= second}, with a map that sends the fit box onto itself. A posterior sampler may
     * then drop that ordering, sample the whole box — where the two labellings meet continuously, so
     * that a chain is not stopped by the ordering's wall between two descriptions of one curve — and
     * fold its draws onto the ordering. Empty (the default) for every other symmetry.
     */
    default java.util.Optional<org.lnpsaxs.optimize.param.OrderedPair> canonicalOrdering() {
        return java.util.Optional.empty();
    }

    /**
     * This symmetry with {@link #canonicalOrdering()} {@code first <= second}.
     *
     * @param first  the parameter that is never larger in the canonical image; one of {@link #parameters()}
     * @param second the parameter that is never smaller; one of {@link #parameters()}
     * @return a symmetry that behaves as this one and names the ordering
     * @throws IllegalArgumentException if either name is not among {@link #parameters()}
     */
    default Symmetry withCanonicalOrdering(String first, String second) {
        if (!parameters().contains(first) || !parameters().contains(second)) {
            throw new IllegalArgumentException("symmetry " + name() + ": its canonical ordering " + first + " <= " + second
                    + " must name two of its parameters " + parameters());
        }
        org.lnpsaxs.optimize.param.OrderedPair pair = new org.lnpsaxs.optimize.param.OrderedPair(first, second);
        Symmetry self = this;
        return new Symmetry() {
            @Override
            public String name() {
                return self.name();
            }

            @Override
            public String mapping() {
                return self.mapping();
            }

            @Override
            public String statement() {
                return self.statement();
            }

            @Override
            public String canonicalImage() {
                return self.canonicalImage();
            }

            @Override
            public List<String> parameters() {
                return self.parameters();
            }

            @Override
            public double[] map(double[] values) {
                return self.map(values);
            }

            @Override
            public boolean isCanonical(double[] values) {
                return self.isCanonical(values);
            }

            @Override
            public double logAbsJacobian(double[] values) {
                return self.logAbsJacobian(values);
            }

            @Override
            public java.util.Optional<org.lnpsaxs.optimize.param.OrderedPair> canonicalOrdering() {
                return java.util.Optional.of(pair);
            }

            @Override
            public String toString() {
                return self.toString();
            }
        };
    }

    /**
     * Where the map's parameters sit in a fit's box, in the order of {@link #parameters()}; or
     * {@code null} when one of them is absent or fixed there, so that the mirror image is not a fit
     * of that problem and the symmetry does not apply.
     *
     * @param space the fit space
     * @return indices into {@code space.box()}, or {@code null}
     */
    default int[] indicesIn(org.lnpsaxs.optimize.param.FitSpace space) {
        List<String> names = parameters();
        int[] idx = new int[names.size()];
        for (int t = 0; t < idx.length; t++) {
            String n = names.get(t);
            if (!space.box().names().contains(n) || space.isFixed(n)) {
                return null;
            }
            idx[t] = space.box().indexOf(n);
        }
        return idx;
    }

    /**
     * {@code values} folded onto the canonical image within a box: the mirror image ({@link #map}) where
     * the values are not canonical and the mirror lies inside [lower, upper] (every bound inclusive), else
     * the values themselves (the same array). How a posterior folds its draws.
     *
     * @param values the values of {@link #parameters()}, model units
     * @param lower  their box's lower bounds, same order
     * @param upper  their box's upper bounds
     */
    default double[] canonicalInBox(double[] values, double[] lower, double[] upper) {
        if (isCanonical(values)) {
            return values;
        }
        double[] w = map(values);
        for (int t = 0; t < w.length; t++) {
            if (!(w[t] >= lower[t] && w[t] <= upper[t])) {
                return values;
            }
        }
        return w;
    }

    /** The Sobol points of the box that {@link #canonicalWidths} folds. */
    int CANONICAL_POINTS = 1 << 16;

    /**
     * Per parameter of this symmetry, the width of the range it takes in the canonical image of the fit
     * box, where that is narrower than the box: what a uniform prior on the box, folded, spans (the
     * contrast sign's GRF_shift ≥ 0: half a symmetric box). Found by folding {@value #CANONICAL_POINTS}
     * Sobol points of the box of {@link #parameters()} onto the canonical image (a point whose mirror
     * lies outside the box stays where it is, as posterior draws do); deterministic. A range that folding
     * leaves wider than 0.99 of the box is not listed.
     *
     * @param space the fit space
     * @return parameter name → width (parameter units), in the order of {@link #parameters()}; empty when
     *         the symmetry does not apply in {@code space} ({@link #indicesIn}) or narrows nothing
     */
    default java.util.Map<String, Double> canonicalWidths(org.lnpsaxs.optimize.param.FitSpace space) {
        int[] idx = indicesIn(space);
        java.util.Map<String, Double> widths = new java.util.LinkedHashMap<>();
        if (idx == null) {
            return widths;
        }
        int n = idx.length;
        double[] lower = new double[n];
        double[] upper = new double[n];
        for (int t = 0; t < n; t++) {
            lower[t] = space.box().get(idx[t]).lower();
            upper[t] = space.box().get(idx[t]).upper();
        }
        double[] u = org.lnpsaxs.core.sampling.ScrambledSobol.points(CANONICAL_POINTS, n, 1L);
        double[] lo = new double[n];
        double[] hi = new double[n];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        double[] v = new double[n];
        for (int i = 0; i < CANONICAL_POINTS; i++) {
            for (int t = 0; t < n; t++) {
                v[t] = lower[t] + u[i * n + t] * (upper[t] - lower[t]);
            }
            double[] f = canonicalInBox(v, lower, upper);
            for (int t = 0; t < n; t++) {
                lo[t] = Math.min(lo[t], f[t]);
                hi[t] = Math.max(hi[t], f[t]);
            }
        }
        for (int t = 0; t < n; t++) {
            if (hi[t] - lo[t] < 0.99 * (upper[t] - lower[t])) {
                widths.put(parameters().get(t), hi[t] - lo[t]);
            }
        }
        return widths;
    }

    /**
     * Per free parameter of {@code space} (in the order of its free indices), the width of the range it
     * takes once folded onto the canonical images of {@code symmetries}: the box's, or the narrowest
     * {@link #canonicalWidths} of a symmetry that narrows it (parameter units).
     */
    static double[] freeWidths(List<Symmetry> symmetries, org.lnpsaxs.optimize.param.FitSpace space) {
        int[] free = space.freeIndices();
        double[] widths = new double[free.length];
        for (int j = 0; j < free.length; j++) {
            widths[j] = space.box().get(free[j]).upper() - space.box().get(free[j]).lower();
        }
        for (Symmetry sym : symmetries) {
            for (java.util.Map.Entry<String, Double> e : sym.canonicalWidths(space).entrySet()) {
                int j = java.util.Arrays.binarySearch(free, space.box().indexOf(e.getKey()));
                if (j >= 0) {
                    widths[j] = Math.min(widths[j], e.getValue());
                }
            }
        }
        return widths;
    }

    /**
     * The mirror image of a set of named parameter values: the map applied to {@link #parameters()},
     * every other entry as it is.
     *
     * @param values parameter values by name (model units); must hold every one of {@link #parameters()}
     * @return a new map in the same order
     * @throws IllegalArgumentException if one of {@link #parameters()} is missing
     */
    default java.util.Map<String, Double> image(java.util.Map<String, Double> values) {
        List<String> names = parameters();
        double[] v = new double[names.size()];
        for (int t = 0; t < v.length; t++) {
            Double x = values.get(names.get(t));
            if (x == null) {
                throw new IllegalArgumentException("symmetry " + name() + ": no value for " + names.get(t));
            }
            v[t] = x;
        }
        double[] w = map(v);
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>(values);
        for (int t = 0; t < w.length; t++) {
            out.put(names.get(t), w[t]);
        }
        return out;
    }

    /**
     * A symmetry from its parts.
     *
     * @param name       short name
     * @param mapping    the map as a formula
     * @param statement  what the data cannot determine
     * @param canonical  which image is reported (text)
     * @param parameters the parameters the map changes
     * @param map        the map on their values (an involution)
     * @param isCanonical whether values lie in the reported image
     */
    static Symmetry of(String name, String mapping, String statement, String canonical, List<String> parameters,
                       java.util.function.UnaryOperator<double[]> map,
                       java.util.function.Predicate<double[]> isCanonical) {
        return of(name, mapping, statement, canonical, parameters, map, isCanonical, null);
    }

    /**
     * A symmetry from its parts, with the closed form of {@link #logAbsJacobian}.
     *
     * @param name           short name
     * @param mapping        the map as a formula
     * @param statement      what the data cannot determine
     * @param canonical      which image is reported (text)
     * @param parameters     the parameters the map changes
     * @param map            the map on their values (an involution)
     * @param isCanonical    whether values lie in the reported image
     * @param logAbsJacobian ln |det ∂map/∂values| at the values, or {@code null} for finite differences
     */
    static Symmetry of(String name, String mapping, String statement, String canonical, List<String> parameters,
                       java.util.function.UnaryOperator<double[]> map,
                       java.util.function.Predicate<double[]> isCanonical,
                       java.util.function.ToDoubleFunction<double[]> logAbsJacobian) {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(isCanonical, "isCanonical");
        List<String> names = List.copyOf(parameters);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("symmetry " + name + ": it must change at least one parameter");
        }
        return new Symmetry() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String mapping() {
                return mapping;
            }

            @Override
            public String statement() {
                return statement;
            }

            @Override
            public String canonicalImage() {
                return canonical;
            }

            @Override
            public List<String> parameters() {
                return names;
            }

            @Override
            public double[] map(double[] values) {
                if (values.length != names.size()) {
                    throw new IllegalArgumentException("symmetry " + name + ": expected " + names.size() + " values ("
                            + names + "), got " + values.length);
                }
                return map.apply(values.clone());
            }

            @Override
            public boolean isCanonical(double[] values) {
                return isCanonical.test(values);
            }

            @Override
            public double logAbsJacobian(double[] values) {
                if (logAbsJacobian == null) {
                    return Symmetry.super.logAbsJacobian(values);
                }
                if (values.length != names.size()) {
                    throw new IllegalArgumentException("symmetry " + name + ": expected " + names.size() + " values ("
                            + names + "), got " + values.length);
                }
                return logAbsJacobian.applyAsDouble(values.clone());
            }

            @Override
            public String toString() {
                return "Symmetry[" + name + ": " + mapping + "]";
            }
        };
    }
}
