package org.lnpsaxs.optimize.param;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * The search space of a fit: every parameter of the fitted model (in the model's order) with its
 * fit box, which of them are held fixed (and at what value), and the ordering constraints
 * between free parameters.
 *
 * <p>Immutable; configure with {@code withX(..)}. The box lives in the {@link ParameterSpace}
 * returned by {@link #box()} (units as the model's parameters: Å, Å⁻¹, dimensionless, ...).
 * A free parameter needs a box of positive width and finite bounds; a fixed parameter keeps its
 * box only for reporting. The box must lie inside the model's own domain: {@link #checkInside}
 * tests that.
 */
public final class FitSpace {

    private final ParameterSpace box;
    private final boolean[] fixed;
    private final double[] fixedValue;
    private final List<OrderedPair> pairs;
    private final boolean[] logScale;

    private FitSpace(ParameterSpace box, boolean[] fixed, double[] fixedValue, List<OrderedPair> pairs) {
        this(box, fixed, fixedValue, pairs, new boolean[box.size()]);
    }

    private FitSpace(ParameterSpace box, boolean[] fixed, double[] fixedValue, List<OrderedPair> pairs,
                     boolean[] logScale) {
        this.box = box;
        this.fixed = fixed;
        this.fixedValue = fixedValue;
        this.pairs = Collections.unmodifiableList(new ArrayList<>(pairs));
        this.logScale = logScale;
        validate();
    }

    /** A space in which every parameter of {@code box} is free within its bounds. */
    public static FitSpace of(ParameterSpace box) {
        int p = box.size();
        return new FitSpace(box, new boolean[p], new double[p], List.of());
    }

    /**
     * A space in which the parameters named in {@code fixed} are held at the given values and all
     * others are free within their bounds (which must then be finite).
     */
    public static FitSpace of(ParameterSpace box, java.util.Map<String, Double> fixed) {
        int p = box.size();
        boolean[] f = new boolean[p];
        double[] v = new double[p];
        for (java.util.Map.Entry<String, Double> e : fixed.entrySet()) {
            int j = box.indexOf(e.getKey());
            f[j] = true;
            v[j] = e.getValue();
        }
        return new FitSpace(box, f, v, List.of());
    }

    private void validate() {
        for (int j = 0; j < box.size(); j++) {
            Parameter par = box.get(j);
            if (fixed[j]) {
                if (!Double.isFinite(fixedValue[j])) {
                    throw new IllegalArgumentException("fixed parameter " + par.name() + " = " + fixedValue[j]
                            + " is not a finite number");
                }
            } else if (!Double.isFinite(par.lower()) || !Double.isFinite(par.upper()) || !(par.upper() > par.lower())) {
                throw new IllegalArgumentException("free parameter " + par.name() + " needs a finite box of positive width, got "
                        + par.rangeText() + "; give it bounds or fix it");
            }
        }
        for (int j = 0; j < box.size(); j++) {
            if (logScale[j] && !(box.get(j).lower() > 0)) {
                throw new IllegalArgumentException("parameter " + box.get(j).name() + " cannot be searched on a log scale: its box "
                        + box.get(j).rangeText() + " does not lie above 0");
            }
        }
        List<String> seen = new ArrayList<>();
        for (OrderedPair pair : pairs) {
            int a = box.indexOf(pair.first());
            int b = box.indexOf(pair.second());
            for (String n : List.of(pair.first(), pair.second())) {
                if (seen.contains(n)) {
                    throw new IllegalArgumentException("parameter " + n + " appears in two ordering constraints; one each is allowed");
                }
                seen.add(n);
            }
            Parameter pa = box.get(a);
            Parameter pb = box.get(b);
            if (logScale[a] || logScale[b]) {
                throw new IllegalArgumentException("ordering " + pair + ": a member of an ordered pair cannot be searched on a log scale");
            }
            if (!fixed[a] && !fixed[b] && (pa.lower() > pb.lower() || pa.upper() > pb.upper())) {
                throw new IllegalArgumentException("ordering " + pair + " needs " + pa.name() + "'s box " + pa.rangeText()
                        + " to start and end no later than " + pb.name() + "'s box " + pb.rangeText());
            }
            if (fixed[a] && fixed[b] && fixedValue[a] > fixedValue[b]) {
                throw new IllegalArgumentException("ordering " + pair + " is violated by the fixed values "
                        + fixedValue[a] + " and " + fixedValue[b]);
            }
            if (fixed[a] && !fixed[b] && fixedValue[a] > pb.upper()) {
                throw new IllegalArgumentException("ordering " + pair + ": fixed " + pa.name() + " = " + fixedValue[a]
                        + " is above " + pb.name() + "'s box " + pb.rangeText());
            }
            if (fixed[b] && !fixed[a] && fixedValue[b] < pa.lower()) {
                throw new IllegalArgumentException("ordering " + pair + ": fixed " + pb.name() + " = " + fixedValue[b]
                        + " is below " + pa.name() + "'s box " + pa.rangeText());
            }
        }
    }

    /** The parameters with their fit boxes, in the model's order. */
    public ParameterSpace box() {
        return box;
    }

    /** The number of parameters (free and fixed). */
    public int size() {
        return box.size();
    }

    /** The ordering constraints. */
    public List<OrderedPair> orderedPairs() {
        return pairs;
    }

    /** Whether parameter {@code j} is fixed. */
    public boolean isFixed(int j) {
        return fixed[j];
    }

    /** Whether the parameter called {@code name} is fixed. */
    public boolean isFixed(String name) {
        return fixed[box.indexOf(name)];
    }

    /** The value of fixed parameter {@code j} (NaN-free; meaningless when the parameter is free). */
    public double fixedValue(int j) {
        return fixedValue[j];
    }

    /** The names of the free parameters, in the model's order. */
    public List<String> freeNames() {
        List<String> n = new ArrayList<>();
        for (int j = 0; j < box.size(); j++) {
            if (!fixed[j]) {
                n.add(box.get(j).name());
            }
        }
        return Collections.unmodifiableList(n);
    }

    /** The model indices of the free parameters, in order. */
    public int[] freeIndices() {
        int[] idx = new int[freeCount()];
        int k = 0;
        for (int j = 0; j < box.size(); j++) {
            if (!fixed[j]) {
                idx[k++] = j;
            }
        }
        return idx;
    }

    /** The number of free parameters. */
    public int freeCount() {
        int c = 0;
        for (boolean f : fixed) {
            c += f ? 0 : 1;
        }
        return c;
    }

    /**
     * A copy in which parameter {@code name} has the fit box [{@code lower}, {@code upper}] (its
     * unit); an ordering constraint touching it is checked again.
     */
    public FitSpace withBounds(String name, double lower, double upper) {
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || !(upper > lower)) {
            throw new IllegalArgumentException("bounds of " + name + " must be finite with lower < upper, got ["
                    + lower + ", " + upper + "]");
        }
        return new FitSpace(box.withBounds(name, lower, upper), fixed.clone(), fixedValue.clone(), pairs, logScale.clone());
    }

    /** A copy in which parameter {@code name} is held at {@code value}. */
    public FitSpace withFixed(String name, double value) {
        int j = box.indexOf(name);
        boolean[] f = fixed.clone();
        double[] v = fixedValue.clone();
        f[j] = true;
        v[j] = value;
        return new FitSpace(box, f, v, pairs, logScale.clone());
    }

    /** A copy in which parameter {@code name} is free within its box. */
    public FitSpace withFree(String name) {
        int j = box.indexOf(name);
        boolean[] f = fixed.clone();
        f[j] = false;
        return new FitSpace(box, f, fixedValue.clone(), pairs, logScale.clone());
    }

    /** A copy with one more ordering constraint {@code first <= second}. */
    public FitSpace withOrderedPair(String first, String second) {
        List<OrderedPair> p = new ArrayList<>(pairs);
        p.add(new OrderedPair(first, second));
        return new FitSpace(box, fixed.clone(), fixedValue.clone(), p, logScale.clone());
    }

    /**
     * A copy without the ordering constraint {@code pair} (the same space when it has none such):
     * for a sampler that samples across the ordering and folds its draws back onto it, where the
     * ordering is the canonical image of an exact relabelling symmetry
     * ({@link org.lnpsaxs.optimize.model.Symmetry#canonicalOrdering()}).
     */
    public FitSpace withoutOrderedPair(OrderedPair pair) {
        if (!pairs.contains(pair)) {
            return this;
        }
        List<OrderedPair> p = new ArrayList<>(pairs);
        p.remove(pair);
        return new FitSpace(box, fixed.clone(), fixedValue.clone(), p, logScale.clone());
    }

    /**
     * A copy in which parameter {@code name} is searched on a logarithmic scale: its starting
     * points are spread uniformly in \( \ln\theta \) and the optimiser's coordinate maps onto the
     * box through \( \theta = l\,(h/l)^{s(u)} \). Meant for scale parameters whose box spans a
     * decade or more (a radius box from π/q_max to π/q_min), where uniform starts would leave the
     * small values almost unexplored. Needs a box with {@code lower > 0}; not allowed for a member
     * of an ordered pair.
     */
    public FitSpace withLogScale(String name) {
        int j = box.indexOf(name);
        boolean[] ls = logScale.clone();
        ls[j] = true;
        return new FitSpace(box, fixed.clone(), fixedValue.clone(), pairs, ls);
    }

    /** Whether parameter {@code j} is searched on a logarithmic scale (see {@link #withLogScale}). */
    public boolean isLogScale(int j) {
        return logScale[j];
    }

    /**
     * Checks that every fit box and every fixed value lies inside the model's domain {@code domain}
     * (same names, same order); {@link #checkInside(ParameterSpace, String)} with "the model's range".
     *
     * @throws IllegalArgumentException naming the parameter, its fit box and the model's range
     */
    public void checkInside(ParameterSpace domain) {
        checkInside(domain, "the model's range");
    }

    /**
     * Checks that every fit box and every fixed value lies inside the model's domain {@code domain}
     * (same names, same order).
     *
     * @param domain      the model's parameter space
     * @param description what the domain is, for the message (e.g. "the range where the sphere model is defined")
     * @throws IllegalArgumentException naming the parameter, its fit box or value, the range and what it is
     */
    public void checkInside(ParameterSpace domain, String description) {
        if (!domain.names().equals(box.names())) {
            throw new IllegalArgumentException("fit space parameters " + box.names() + " differ from the model's "
                    + domain.names());
        }
        for (int j = 0; j < box.size(); j++) {
            Parameter d = domain.get(j);
            Parameter b = box.get(j);
            if (fixed[j]) {
                if (!d.contains(fixedValue[j])) {
                    throw new IllegalArgumentException("fixed " + b.name() + " = " + fixedValue[j] + " is outside "
                            + d.rangeText() + ", " + description + "; choose a value inside it");
                }
            } else if (b.lower() < d.lower() || b.upper() > d.upper()) {
                throw new IllegalArgumentException("the fit box of " + b.name() + " " + b.rangeText()
                        + " reaches outside " + d.rangeText() + ", " + description + "; choose a box inside it");
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("FitSpace[");
        for (int j = 0; j < box.size(); j++) {
            Parameter p = box.get(j);
            sb.append(j == 0 ? "" : ", ").append(p.name()).append(' ');
            sb.append(fixed[j] ? "= " + fixedValue[j] : p.rangeText());
        }
        for (OrderedPair pair : pairs) {
            sb.append(", ").append(pair);
        }
        return sb.append(']').toString();
    }
}
