/**
 * The surrogate's network: a residual multilayer perceptron with SiLU activations
 * ({@link org.lnpsaxs.surrogate.nn.NetworkSpec}), its input/output normalisation
 * ({@link org.lnpsaxs.surrogate.nn.Normalisation}: parameters → [−1, 1] plus log features,
 * normalised output → log₁₀ I), its weights, the SameDiff graphs used for training and storage
 * ({@link org.lnpsaxs.surrogate.nn.Graphs}), and two evaluators of forward pass and input
 * vector-Jacobian product: ND4J BLAS in float32 for large batches
 * ({@link org.lnpsaxs.surrogate.nn.Nd4jNetwork}) and plain Java in double for small ones
 * ({@link org.lnpsaxs.surrogate.nn.JavaNetwork}). Features and outputs here are dimensionless;
 * {@code org.lnpsaxs.surrogate.Surrogate} applies the units.
 */
package org.lnpsaxs.surrogate.nn;
