package org.lnpsaxs.core.simulator;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * The nine parameters of the paper's LNP model, in the paper's order, with the paper's training
 * ranges. This is the one place where their order is written down; the simulator, the surrogate
 * and its model files all use {@link #SPACE}.
 *
 * <p>Densities are relative to the solvent (solvent = 1); lengths in Å; the spectral-density
 * means and widths are in Å⁻¹.
 */
public final class LnpParameters {

    /** Shift of the mean interior density: mean ρ_int = 1 + GRF_shift (relative units). */
    public static final String GRF_SHIFT = "GRF_shift";
    /** Outer particle radius, Å. */
    public static final String R = "R";
    /** Weight of the first log-normal component of the spectral density (0..1). */
    public static final String W_Q1 = "w_q1";
    /** Mean |k| of the first spectral component, Å⁻¹. */
    public static final String M_Q1 = "m_q1";
    /** Mean |k| of the second spectral component, Å⁻¹. */
    public static final String M_Q2 = "m_q2";
    /** Standard deviation in |k| of the first spectral component, Å⁻¹. */
    public static final String S_Q1 = "s_q1";
    /** Standard deviation in |k| of the second spectral component, Å⁻¹. */
    public static final String S_Q2 = "s_q2";
    /** Shell thickness, Å (the core radius is R − shell_thickness). */
    public static final String SHELL_THICKNESS = "shell_thickness";
    /** Shell density relative to the mean interior density. */
    public static final String RELATIVE_RHO_SHELL = "relative_rho_shell";

    /** The nine parameters in the paper's order with the paper's training ranges. */
    public static final ParameterSpace SPACE = ParameterSpace.of(
            new Parameter(GRF_SHIFT, "", -1, 1, "shift of the mean interior density (solvent = 1)"),
            new Parameter(R, "Å", 100, 500, "outer particle radius"),
            new Parameter(W_Q1, "", 0, 1, "weight of the first spectral component"),
            new Parameter(M_Q1, "1/Å", 0.05, 0.15, "mean |k| of the first spectral component"),
            new Parameter(M_Q2, "1/Å", 0.05, 0.15, "mean |k| of the second spectral component"),
            new Parameter(S_Q1, "1/Å", 0.01, 0.15, "standard deviation in |k| of the first spectral component"),
            new Parameter(S_Q2, "1/Å", 0.01, 0.15, "standard deviation in |k| of the second spectral component"),
            new Parameter(SHELL_THICKNESS, "Å", 40, 70, "shell thickness"),
            new Parameter(RELATIVE_RHO_SHELL, "", 0.7, 1.3, "shell density relative to the mean interior density"));

    /**
     * The example particle of the simulator issue and of {@code reference/lnp-simulator}
     * (lnp_example_R245): GRF_shift −0.1, R 245 Å, w_q1 0.7, m_q 0.10/0.11 Å⁻¹,
     * s_q 0.015/0.10 Å⁻¹, shell 60 Å, relative_rho_shell 0.96.
     */
    public static double[] example() {
        return new double[] {-0.1, 245, 0.7, 0.10, 0.11, 0.015, 0.10, 60, 0.96};
    }

    private LnpParameters() {
    }
}
