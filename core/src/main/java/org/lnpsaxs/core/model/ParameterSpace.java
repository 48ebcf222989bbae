package org.lnpsaxs.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, ordered set of {@link Parameter}s: the single place where a model's parameter
 * order is written down.
 *
 * <p>Batched arrays of parameter values are batch-major: parameter {@code j} of set {@code b}
 * sits at {@code theta[b * size() + j]}. Code looks indices up by name with {@link #indexOf}
 * instead of relying on a bare array order.
 */
public final class ParameterSpace {

    private final List<Parameter> parameters;
    private final Map<String, Integer> index;

    private ParameterSpace(List<Parameter> parameters) {
        this.parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = Objects.requireNonNull(parameters.get(i), "parameter " + i);
            if (m.put(p.name(), i) != null) {
                throw new IllegalArgumentException("parameter name " + p.name() + " appears twice");
            }
        }
        this.index = Collections.unmodifiableMap(m);
    }

    /** A space holding these parameters in this order. Names must be unique. */
    public static ParameterSpace of(Parameter... parameters) {
        return new ParameterSpace(Arrays.asList(parameters));
    }

    /** A space holding these parameters in this order. Names must be unique. */
    public static ParameterSpace of(List<Parameter> parameters) {
        return new ParameterSpace(parameters);
    }

    /** The number of parameters. */
    public int size() {
        return parameters.size();
    }

    /** Parameter {@code i} in order. */
    public Parameter get(int i) {
        return parameters.get(i);
    }

    /** The parameter called {@code name}; throws with the list of known names if there is none. */
    public Parameter get(String name) {
        return parameters.get(indexOf(name));
    }

    /** The parameters in order (unmodifiable). */
    public List<Parameter> asList() {
        return parameters;
    }

    /** The names in order. */
    public List<String> names() {
        List<String> n = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) {
            n.add(p.name());
        }
        return Collections.unmodifiableList(n);
    }

    /** Whether a parameter of this name exists. */
    public boolean contains(String name) {
        return index.containsKey(name);
    }

    /**
     * The position of {@code name}.
     *
     * @throws IllegalArgumentException naming the unknown parameter and listing the allowed ones
     */
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException(
                    "unknown parameter '" + name + "'; allowed: " + String.join(", ", names()));
        }
        return i;
    }

    /** Lower bounds in order (a fresh array). */
    public double[] lowerBounds() {
        double[] lo = new double[size()];
        for (int i = 0; i < lo.length; i++) {
            lo[i] = parameters.get(i).lower();
        }
        return lo;
    }

    /** Upper bounds in order (a fresh array). */
    public double[] upperBounds() {
        double[] hi = new double[size()];
        for (int i = 0; i < hi.length; i++) {
            hi[i] = parameters.get(i).upper();
        }
        return hi;
    }

    /** A copy in which parameter {@code name} has other bounds. */
    public ParameterSpace withBounds(String name, double lower, double upper) {
        List<Parameter> copy = new ArrayList<>(parameters);
        int i = indexOf(name);
        copy.set(i, copy.get(i).withBounds(lower, upper));
        return new ParameterSpace(copy);
    }

    /**
     * Checks a batch of parameter sets (batch-major, {@code batch * size()} values) against the
     * bounds.
     *
     * @throws IllegalArgumentException naming the first offending parameter, its value, the set
     *                                  index and the allowed range
     */
    public void check(double[] theta, int batch) {
        int p = size();
        if (theta.length < (long) batch * p) {
            throw new IllegalArgumentException("parameter array holds " + theta.length
                    + " values, need " + ((long) batch * p) + " (" + batch + " sets of " + p + ")");
        }
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < p; j++) {
                double v = theta[b * p + j];
                Parameter par = parameters.get(j);
                if (!par.contains(v)) {
                    throw new IllegalArgumentException("parameter " + par.name() + " = " + v
                            + (batch > 1 ? " (set " + b + ")" : "")
                            + " is outside its range " + par.rangeText());
                }
            }
        }
    }

    /**
     * Builds one parameter vector from named values; parameters not named take
     * {@code defaults}' value.
     *
     * @param defaults a full vector in this space's order
     * @param values   name → value; unknown names are an error that lists the allowed ones
     */
    public double[] vector(double[] defaults, Map<String, Double> values) {
        if (defaults.length != size()) {
            throw new IllegalArgumentException(
                    "defaults hold " + defaults.length + " values, the space has " + size());
        }
        double[] v = defaults.clone();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            v[indexOf(e.getKey())] = e.getValue();
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpace other && other.parameters.equals(parameters);
    }

    @Override
    public int hashCode() {
        return parameters.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ParameterSpace[");
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            sb.append(i == 0 ? "" : ", ").append(p.name()).append(' ').append(p.rangeText());
        }
        return sb.append(']').toString();
    }
}
