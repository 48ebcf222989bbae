package org.lnpsaxs.surrogate.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.lnpsaxs.surrogate.lnp.LnpFeatures;
import org.lnpsaxs.surrogate.lnp.RadialOperator;

/**
 * The shape of the LNP surrogate ({@value #LNP_MEAN_FLUCTUATION}): a closed-form mean-particle
 * term and two small MLPs.
 *
 * <p>For parameters θ (the LNP simulator's nine) the surrogate predicts
 * \[ I_k = \bar I_k(R, R_c, c_c, c_s)\,10^{E_k} + 10^{\,\log_{10} N_c + D_k}, \]
 * where \( \bar I \) is the simulator's mean particle (a homogeneous core-shell sphere, voxel
 * Δx = {@code voxel}, plane {@code plane}, radial average through a {@link RadialOperator} with
 * {@code refine} nodes per plane pixel; see {@code org.lnpsaxs.surrogate.lnp.MeanParticle}),
 * \( N_c = \tfrac43\pi R_c^3/\Delta x^3 \) the core's volume in voxels, \(D\) the output of the
 * fluctuation MLP {@link #fluctuation()} over the core radius and the canonically ordered
 * spectrum, and \(E\) the output of the correction MLP {@link #correction()} over the geometry
 * and the contrast mix (features: {@link LnpFeatures}). D and E are in decades.
 *
 * @param architecture always {@value #LNP_MEAN_FLUCTUATION}
 * @param outputs      q points Q
 * @param voxel        the simulator's voxel Δx, Å (the training data's)
 * @param plane        the simulator's plane size Nf (the training data's)
 * @param refine       fine nodes per plane pixel of the radial operator
 * @param activation   always {@value #SILU}
 * @param fluctuation  the MLP for D ({@link LnpFeatures#FLUCTUATION_FEATURES} inputs, Q outputs)
 * @param correction   the MLP for E ({@link LnpFeatures#CORRECTION_FEATURES} inputs, Q outputs)
 */
public record NetworkSpec(String architecture, int outputs, double voxel, int plane, int refine, String activation,
                          MlpSpec fluctuation, MlpSpec correction) {

    /** The architecture name. */
    public static final String LNP_MEAN_FLUCTUATION = "lnp-mean-fluctuation";
    /** The only activation: SiLU / swish. */
    public static final String SILU = "silu";
    /** Tensor prefix of the fluctuation MLP. */
    public static final String D_PREFIX = "d_";
    /** Tensor prefix of the correction MLP. */
    public static final String E_PREFIX = "e_";

    /** Validates the record. */
    public NetworkSpec {
        if (!LNP_MEAN_FLUCTUATION.equals(architecture)) {
            throw new IllegalArgumentException("network architecture '" + architecture + "' is not supported; allowed: "
                    + LNP_MEAN_FLUCTUATION);
        }
        if (!SILU.equals(activation)) {
            throw new IllegalArgumentException("activation '" + activation + "' is not supported; allowed: " + SILU);
        }
        if (outputs < 1 || !(voxel > 0) || plane < 8 || refine < 1) {
            throw new IllegalArgumentException("network shape not valid: outputs " + outputs + ", voxel " + voxel
                    + ", plane " + plane + ", refine " + refine);
        }
        Objects.requireNonNull(fluctuation, "fluctuation");
        Objects.requireNonNull(correction, "correction");
        check(fluctuation, D_PREFIX, LnpFeatures.FLUCTUATION_FEATURES, outputs);
        check(correction, E_PREFIX, LnpFeatures.CORRECTION_FEATURES, outputs);
    }

    private static void check(MlpSpec m, String prefix, int inputs, int outputs) {
        if (!m.prefix().equals(prefix) || m.inputs() != inputs || m.outputs() != outputs) {
            throw new IllegalArgumentException("MLP " + m + " must have prefix " + prefix + ", " + inputs + " inputs and "
                    + outputs + " outputs");
        }
    }

    /**
     * The LNP surrogate with these MLP shapes.
     *
     * @param outputs    q points
     * @param voxel      simulator voxel, Å
     * @param plane      simulator plane size
     * @param dHidden    hidden widths of the fluctuation MLP
     * @param dRank      its output rank
     * @param eHidden    hidden widths of the correction MLP
     * @param eRank      its output rank
     */
    public static NetworkSpec lnp(int outputs, double voxel, int plane, List<Integer> dHidden, int dRank,
                                  List<Integer> eHidden, int eRank) {
        return new NetworkSpec(LNP_MEAN_FLUCTUATION, outputs, voxel, plane, RadialOperator.DEFAULT_REFINE, SILU,
                new MlpSpec(D_PREFIX, LnpFeatures.FLUCTUATION_FEATURES, dHidden, dRank, outputs),
                new MlpSpec(E_PREFIX, LnpFeatures.CORRECTION_FEATURES, eHidden, eRank, outputs));
    }

    /** The weight tensors in order: the fluctuation MLP's, then the correction MLP's. */
    public List<Tensor> tensors() {
        List<Tensor> t = new ArrayList<>(fluctuation.tensors());
        t.addAll(correction.tensors());
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

    /** Multiply-adds of the two MLPs per curve (the closed-form term comes on top). */
    public long multiplyAddsPerCurve() {
        return fluctuation.multiplyAdds() + correction.multiplyAdds();
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
