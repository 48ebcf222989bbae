package org.lnpsaxs.surrogate.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One multilayer perceptron of the surrogate: SiLU hidden layers, then a linear low-rank output.
 *
 * <p>With input features \(x\) ({@code inputs} values), \( h_0 = x \),
 * \( h_{l+1} = \mathrm{silu}(h_l W_l + b_l) \) for each hidden width, then
 * \( u = h_L W_{rank} \) ({@code rank} values, no bias) and \( z = u W_{out} + b_{out} \)
 * ({@code outputs} values): the output matrix \( W_{rank}W_{out} \) has rank at most
 * {@code rank}, which is what makes a 300-point output cheap. With {@code rank = 0} the last
 * hidden layer maps straight to the output. \( \mathrm{silu}(u) = u/(1 + e^{-u}) \). Tensor
 * names: {@code <prefix>w<l>}, {@code <prefix>b<l>}, {@code <prefix>w_rank}, {@code <prefix>w_out},
 * {@code <prefix>b_out}; matrices are {@code [in, out]}, row-major.
 *
 * @param prefix  tensor name prefix (e.g. {@code "d_"})
 * @param inputs  input features, ≥ 1
 * @param hidden  hidden layer widths, each ≥ 1 (at least one layer)
 * @param rank    width of the linear bottleneck before the output, 0 for none
 * @param outputs outputs, ≥ 1
 */
public record MlpSpec(String prefix, int inputs, List<Integer> hidden, int rank, int outputs) {

    /** Validates and copies. */
    public MlpSpec {
        Objects.requireNonNull(prefix, "prefix");
        hidden = List.copyOf(Objects.requireNonNull(hidden, "hidden"));
        if (inputs < 1 || outputs < 1 || rank < 0 || hidden.isEmpty()) {
            throw new IllegalArgumentException("MLP " + prefix + ": need inputs, outputs >= 1, rank >= 0 and at least"
                    + " one hidden layer; got inputs " + inputs + ", hidden " + hidden + ", rank " + rank + ", outputs "
                    + outputs);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("MLP " + prefix + ": hidden widths must be >= 1, got " + hidden);
            }
        }
    }

    /** The weight tensors in order. */
    public List<NetworkSpec.Tensor> tensors() {
        List<NetworkSpec.Tensor> t = new ArrayList<>();
        int in = inputs;
        for (int l = 0; l < hidden.size(); l++) {
            int w = hidden.get(l);
            t.add(new NetworkSpec.Tensor(prefix + "w" + l, in, w));
            t.add(new NetworkSpec.Tensor(prefix + "b" + l, 1, w));
            in = w;
        }
        if (rank > 0) {
            t.add(new NetworkSpec.Tensor(prefix + "w_rank", in, rank));
            in = rank;
        }
        t.add(new NetworkSpec.Tensor(prefix + "w_out", in, outputs));
        t.add(new NetworkSpec.Tensor(prefix + "b_out", 1, outputs));
        return t;
    }

    /** Multiply-adds of one forward pass. */
    public long multiplyAdds() {
        long n = 0;
        for (NetworkSpec.Tensor t : tensors()) {
            if (!t.name().startsWith(prefix + "b")) {
                n += (long) t.rows() * t.columns();
            }
        }
        return n;
    }

    /** The width of the layer that feeds the output matrix. */
    public int lastWidth() {
        return rank > 0 ? rank : hidden.get(hidden.size() - 1);
    }
}
