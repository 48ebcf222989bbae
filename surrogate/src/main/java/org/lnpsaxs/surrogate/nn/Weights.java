package org.lnpsaxs.surrogate.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trainable values of a {@link NetworkSpec} network, as float32 arrays in the spec's tensor
 * order (each matrix row-major, {@code [in, out]}). Immutable: accessors copy.
 */
public final class Weights {

    private final NetworkSpec spec;
    private final Map<String, float[]> values;

    private Weights(NetworkSpec spec, Map<String, float[]> values) {
        this.spec = spec;
        this.values = values;
    }

    /**
     * Weights from named arrays; every tensor of the spec must be present with the right size
     * and finite values.
     *
     * @throws IllegalArgumentException naming the missing or malformed tensor
     */
    public static Weights of(NetworkSpec spec, Map<String, float[]> arrays) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (NetworkSpec.Tensor t : spec.tensors()) {
            float[] a = arrays.get(t.name());
            if (a == null) {
                throw new IllegalArgumentException("weight tensor " + t.name() + " is missing");
            }
            if (a.length != t.size()) {
                throw new IllegalArgumentException("weight tensor " + t.name() + " has " + a.length + " values, expected "
                        + t.rows() + " x " + t.columns() + " = " + t.size());
            }
            for (int i = 0; i < a.length; i++) {
                if (!Float.isFinite(a[i])) {
                    throw new IllegalArgumentException("weight tensor " + t.name() + " holds a non-finite value at " + i);
                }
            }
            copy.put(t.name(), a.clone());
        }
        if (arrays.size() != copy.size()) {
            throw new IllegalArgumentException("unexpected weight tensors " + arrays.keySet() + "; expected "
                    + copy.keySet());
        }
        return new Weights(spec, copy);
    }

    /**
     * Seeded random initial weights: hidden matrices normal with variance 2/fan-in, the rank
     * matrix 1/fan-in, the output matrix 0.01/fan-in (the first predictions are close to the
     * output bias), biases 0.
     */
    public static Weights initial(NetworkSpec spec, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> m = new LinkedHashMap<>();
        for (NetworkSpec.Tensor t : spec.tensors()) {
            float[] a = new float[t.size()];
            String base = t.name().substring(2);
            if (base.startsWith("w")) {
                double var;
                if (base.equals("w_out")) {
                    var = 0.01 / t.rows();
                } else if (base.equals("w_rank")) {
                    var = 1.0 / t.rows();
                } else {
                    var = 2.0 / t.rows();
                }
                double sd = Math.sqrt(var);
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (rng.nextGaussian() * sd);
                }
            }
            m.put(t.name(), a);
        }
        return new Weights(spec, m);
    }

    /**
     * A copy with tensor {@code name} replaced by {@code values} (same size, finite).
     *
     * @throws IllegalArgumentException if the tensor is unknown or the values do not fit
     */
    public Weights with(String name, float[] values) {
        Map<String, float[]> m = new LinkedHashMap<>(this.values);
        if (!m.containsKey(name)) {
            throw new IllegalArgumentException("no weight tensor " + name + "; have " + m.keySet());
        }
        m.put(name, values);
        return of(spec, m);
    }

    /** The network shape. */
    public NetworkSpec spec() {
        return spec;
    }

    /** The values of tensor {@code name} (a copy). */
    public float[] get(String name) {
        float[] a = values.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no weight tensor " + name + "; have " + values.keySet());
        }
        return a.clone();
    }

    /** The tensor names in order. */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** Equal when the shapes are and every value has the same bits. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Weights w) || !spec.equals(w.spec)) {
            return false;
        }
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            if (!Arrays.equals(e.getValue(), w.values.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = spec.hashCode();
        for (float[] a : values.values()) {
            h = 31 * h + Arrays.hashCode(a);
        }
        return h;
    }

    /** The tensors with their shapes, e.g. {@code Weights[27800 float32 values: d_w0 9x64, d_b0 1x64, …]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Weights[").append(spec.parameterCount()).append(" float32 values:");
        String sep = " ";
        for (NetworkSpec.Tensor t : spec.tensors()) {
            sb.append(sep).append(t.name()).append(' ').append(t.rows()).append('x').append(t.columns());
            sep = ", ";
        }
        return sb.append(']').toString();
    }
}
