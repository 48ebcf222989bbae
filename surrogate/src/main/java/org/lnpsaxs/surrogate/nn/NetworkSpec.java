package org.lnpsaxs.surrogate.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shape of the surrogate network: a residual multilayer perceptron with SiLU activations.
 *
 * <p>With \(x\) the {@code features()} normalised inputs (see {@link Normalisation}),
 * \( s_0 = \mathrm{silu}(x W_{in} + b_{in}) \); for each of the {@code blocks} residual blocks
 * \( s_{b+1} = s_b + \mathrm{silu}(s_b W_{1,b} + b_{1,b}) W_{2,b} + b_{2,b} \); the output is
 * \( z = s_B W_{out} + b_{out} \), one normalised log₁₀ I per q point. \( \mathrm{silu}(u) =
 * u/(1+e^{-u}) \) (also called swish). All hidden layers have {@code width} units.
 *
 * @param parameters  the number of model parameters P
 * @param logFeatures names of the parameters that also enter as a log-scaled feature (e.g. R,
 *                    since I ∝ V² spans decades); each must have a positive lower bound
 * @param width       hidden units per layer, {@code >= 1}
 * @param blocks      residual blocks, {@code >= 0}
 * @param outputs     the number of q points Q
 * @param activation  always {@value #SILU}
 */
public record NetworkSpec(int parameters, List<String> logFeatures, int width, int blocks, int outputs,
                          String activation) {

    /** The only activation: SiLU / swish. */
    public static final String SILU = "silu";

    /** Validates the record. */
    public NetworkSpec {
        logFeatures = List.copyOf(Objects.requireNonNull(logFeatures, "logFeatures"));
        if (parameters < 1 || width < 1 || blocks < 0 || outputs < 1) {
            throw new IllegalArgumentException("network shape not valid: parameters " + parameters + ", width "
                    + width + ", blocks " + blocks + ", outputs " + outputs
                    + " (need parameters, width, outputs >= 1 and blocks >= 0)");
        }
        if (!SILU.equals(activation)) {
            throw new IllegalArgumentException("activation '" + activation + "' is not supported; allowed: " + SILU);
        }
    }

    /** A SiLU residual MLP. */
    public static NetworkSpec of(int parameters, List<String> logFeatures, int width, int blocks, int outputs) {
        return new NetworkSpec(parameters, logFeatures, width, blocks, outputs, SILU);
    }

    /** The number of input features: the parameters plus the log features. */
    public int features() {
        return parameters + logFeatures.size();
    }

    /** The weight tensors in order, with their shapes ({@code [rows, columns]} or {@code [n]}). */
    public List<Tensor> tensors() {
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("w_in", features(), width));
        t.add(new Tensor("b_in", 1, width));
        for (int b = 0; b < blocks; b++) {
            t.add(new Tensor("w1_" + b, width, width));
            t.add(new Tensor("b1_" + b, 1, width));
            t.add(new Tensor("w2_" + b, width, width));
            t.add(new Tensor("b2_" + b, 1, width));
        }
        t.add(new Tensor("w_out", width, outputs));
        t.add(new Tensor("b_out", 1, outputs));
        return t;
    }

    /** The number of trainable values. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors()) {
            n += (long) t.rows() * t.columns();
        }
        return n;
    }

    /** Multiply-adds per curve for one forward pass. */
    public long multiplyAddsPerCurve() {
        return (long) features() * width + 2L * blocks * width * width + (long) width * outputs;
    }

    /**
     * One weight tensor: a {@code rows × columns} matrix (row-major; a bias is {@code 1 × n}).
     *
     * @param name    its name in the SameDiff graph and the model file
     * @param rows    rows
     * @param columns columns
     */
    public record Tensor(String name, int rows, int columns) {
        /** The number of values. */
        public int size() {
            return rows * columns;
        }
    }
}
