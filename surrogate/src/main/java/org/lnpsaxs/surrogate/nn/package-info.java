/**
 * The shape and weights of the surrogate's two small networks: {@link org.lnpsaxs.surrogate.nn.NetworkSpec}
 * (the architecture with the simulator settings of the closed-form term) and
 * {@link org.lnpsaxs.surrogate.nn.MlpSpec} (SiLU hidden layers and a low-rank linear output), and
 * {@link org.lnpsaxs.surrogate.nn.Weights}, their float32 values. These are what a model file
 * stores ({@link org.lnpsaxs.surrogate.ModelFile}) and what a hand-made model is built from.
 * Features are dimensionless (see {@code org.lnpsaxs.surrogate.lnp.LnpFeatures}); outputs are in
 * decades (log₁₀ of intensities); {@link org.lnpsaxs.surrogate.Surrogate} combines them with the
 * closed-form mean particle. The evaluators and the SameDiff graphs are in
 * {@code org.lnpsaxs.surrogate.internal}.
 */
package org.lnpsaxs.surrogate.nn;
