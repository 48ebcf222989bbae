/**
 * The surrogate's two small networks: their shape ({@link org.lnpsaxs.surrogate.nn.NetworkSpec},
 * {@link org.lnpsaxs.surrogate.nn.MlpSpec}: SiLU hidden layers and a low-rank linear output), their
 * weights, the SameDiff graphs used for training and storage ({@link org.lnpsaxs.surrogate.nn.Graphs}),
 * and two evaluators of forward pass and input vector-Jacobian product: plain Java in double for
 * small batches ({@link org.lnpsaxs.surrogate.nn.JavaNetwork}, {@link org.lnpsaxs.surrogate.nn.JavaMlp})
 * and ND4J BLAS in float32 for large ones ({@link org.lnpsaxs.surrogate.nn.Nd4jNetwork}). Features
 * are dimensionless (see {@code org.lnpsaxs.surrogate.lnp.LnpFeatures}); outputs are in decades
 * (log₁₀ of intensities); {@code org.lnpsaxs.surrogate.Surrogate} combines them with the
 * closed-form mean particle.
 */
package org.lnpsaxs.surrogate.nn;
