package org.lnpsaxs.surrogate.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;

/**
 * The shape of the surrogate network: a residual multilayer perceptron with SiLU activations.
 *
 * <p>With \(x\) the {@code features()} normalised inputs (see {@link Normalisation}),
 * \( s_0 = \mathrm{silu}(x W_{in} + b_{in}) \); for each of the {@code blocks} residual blocks
 * \( s_{b+1} = s_b + \mathrm{silu}(s_b W_{1,b} + b_{1,b}) W_{2,b} + b_{2,b} \); the output is
 * \( z = s_B W_{out} + b_{out} \), the trunk outputs, which the {@link Head} turns into one
 * normalised log₁₀ I per q point ({@value Head#DIRECT}: z itself; {@value Head#LNP_CONTRAST}: four
 * curves per q point combined with the particle's contrasts). \( \mathrm{silu}(u) = u/(1+e^{-u}) \)
 * (also called swish). All hidden layers have {@code width} units.
 *
 * @param parameters  the number of model parameters P
 * @param logFeatures names of the parameters that also enter as a log-scaled feature (e.g. R,
 *                    since I ∝ V² spans decades); each must have a positive lower bound
 * @param width       hidden units per layer, {@code >= 1}
 * @param blocks      residual blocks, {@code >= 0}
 * @param outputs     the number of q points Q
 * @param activation  always {@value #SILU}
 * @param head        the output head, {@value Head#DIRECT} or {@value Head#LNP_CONTRAST}
 * @param trunk       {@value #SINGLE}: one MLP over all features; {@value #LNP_SPLIT} (with the LNP
 *                    contrast head only): two MLPs of the same shape, a geometry branch over
 *                    (R, shell_thickness and their log features) giving the three contrast kernels
 *                    (3Q outputs), and a fluctuation branch over (R, shell_thickness, w_q1, m_q1,
 *                    m_q2, s_q1, s_q2 and their log features) giving the fluctuation term (Q
 *                    outputs). This builds in that the kernels depend on the particle's geometry
 *                    only and the fluctuation term not on the contrasts (see {@link Head}).
 */
public record NetworkSpec(int parameters, List<String> logFeatures, int width, int blocks, int outputs,
                          String activation, String head, String trunk) {

    /** One MLP over all features. */
    public static final String SINGLE = "single";
    /** The LNP geometry + fluctuation split. */
    public static final String LNP_SPLIT = "lnp-split";

    private static final List<String> GEOMETRY = List.of(LnpParameters.R, LnpParameters.SHELL_THICKNESS);
    private static final List<String> FLUCTUATION = List.of(LnpParameters.R, LnpParameters.SHELL_THICKNESS,
            LnpParameters.W_Q1, LnpParameters.M_Q1, LnpParameters.M_Q2, LnpParameters.S_Q1, LnpParameters.S_Q2);

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
        Head.multiplier(Objects.requireNonNull(head, "head"));
        if (!SINGLE.equals(trunk) && !LNP_SPLIT.equals(trunk)) {
            throw new IllegalArgumentException("unknown trunk '" + trunk + "'; allowed: " + SINGLE + ", " + LNP_SPLIT);
        }
        if (LNP_SPLIT.equals(trunk) && !Head.LNP_CONTRAST.equals(head)) {
            throw new IllegalArgumentException("the " + LNP_SPLIT + " trunk needs the " + Head.LNP_CONTRAST + " head");
        }
    }

    /** A SiLU residual MLP with the direct head. */
    public static NetworkSpec of(int parameters, List<String> logFeatures, int width, int blocks, int outputs) {
        return new NetworkSpec(parameters, logFeatures, width, blocks, outputs, SILU, Head.DIRECT, SINGLE);
    }

    /** A single SiLU residual MLP with the given head. */
    public static NetworkSpec of(int parameters, List<String> logFeatures, int width, int blocks, int outputs,
                                 String head) {
        return new NetworkSpec(parameters, logFeatures, width, blocks, outputs, SILU, head, SINGLE);
    }

    /** A SiLU network with the given head and trunk. */
    public static NetworkSpec of(int parameters, List<String> logFeatures, int width, int blocks, int outputs,
                                 String head, String trunk) {
        return new NetworkSpec(parameters, logFeatures, width, blocks, outputs, SILU, head, trunk);
    }

    /**
     * One MLP of the trunk: it reads the features {@code features} (indices into the feature
     * vector) and writes the trunk outputs {@code outputOffset .. outputOffset + outputs - 1}; its
     * tensors' names start with {@code prefix}.
     *
     * @param prefix       tensor name prefix ({@code ""}, {@code "g_"} or {@code "f_"})
     * @param features     feature indices read
     * @param outputOffset first trunk output written
     * @param outputs      trunk outputs written
     */
    public record Branch(String prefix, int[] features, int outputOffset, int outputs) {
        /** Copies the indices. */
        public Branch {
            features = features.clone();
        }

        /** The feature indices (a copy). */
        @Override
        public int[] features() {
            return features.clone();
        }
    }

    /**
     * The branches of the trunk, with feature indices resolved in a parameter space (features are
     * the parameters in the space's order, then the log features in {@link #logFeatures()} order).
     *
     * @throws IllegalArgumentException if a parameter the split needs is missing
     */
    public List<Branch> branches(ParameterSpace space) {
        if (SINGLE.equals(trunk)) {
            int[] all = new int[features()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return List.of(new Branch("", all, 0, trunkOutputs()));
        }
        return List.of(new Branch("g_", indices(space, GEOMETRY), 0, 3 * outputs),
                new Branch("f_", indices(space, FLUCTUATION), 3 * outputs, outputs));
    }

    private int[] indices(ParameterSpace space, List<String> names) {
        List<Integer> idx = new ArrayList<>();
        for (String n : names) {
            idx.add(space.indexOf(n));
        }
        for (int i = 0; i < logFeatures.size(); i++) {
            if (names.contains(logFeatures.get(i))) {
                idx.add(parameters + i);
            }
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Inputs of each branch (prefix, input count, output count), without a parameter space. */
    private List<Layout> layout() {
        if (SINGLE.equals(trunk)) {
            return List.of(new Layout("", features(), trunkOutputs()));
        }
        return List.of(new Layout("g_", branchInputs(GEOMETRY), 3 * outputs),
                new Layout("f_", branchInputs(FLUCTUATION), outputs));
    }

    private record Layout(String prefix, int inputs, int outputs) {
    }

    private int branchInputs(List<String> names) {
        int n = names.size();
        for (String lf : logFeatures) {
            if (names.contains(lf)) {
                n++;
            }
        }
        return n;
    }

    /** The number of trunk outputs: Q times the head's multiplier. */
    public int trunkOutputs() {
        return outputs * Head.multiplier(head);
    }

    /** The number of input features: the parameters plus the log features. */
    public int features() {
        return parameters + logFeatures.size();
    }

    /** The weight tensors in order, with their shapes ({@code [rows, columns]}; a bias is {@code [1, n]}). */
    public List<Tensor> tensors() {
        List<Tensor> t = new ArrayList<>();
        for (Layout b : layout()) {
            String p = b.prefix();
            int in = b.inputs();
            int out = b.outputs();
            t.add(new Tensor(p + "w_in", in, width));
            t.add(new Tensor(p + "b_in", 1, width));
            for (int k = 0; k < blocks; k++) {
                t.add(new Tensor(p + "w1_" + k, width, width));
                t.add(new Tensor(p + "b1_" + k, 1, width));
                t.add(new Tensor(p + "w2_" + k, width, width));
                t.add(new Tensor(p + "b2_" + k, 1, width));
            }
            t.add(new Tensor(p + "w_out", width, out));
            t.add(new Tensor(p + "b_out", 1, out));
        }
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
        long n = 0;
        for (Tensor t : tensors()) {
            if (t.rows() > 1) {
                n += (long) t.rows() * t.columns();
            }
        }
        return n;
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

        /** The name without its branch prefix ({@code w_in}, {@code w1_0}, …). */
        public String base() {
            return name.startsWith("g_") || name.startsWith("f_") ? name.substring(2) : name;
        }
    }
}
