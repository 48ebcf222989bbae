/**
 * Helpers of the surrogate module that must be public for its sub-packages but are not for
 * users; they may change without notice. JSON mapping of parameter spaces and settings
 * ({@code Json}); the {@code .npy} codec of the model file's weight entries ({@code Npy}); the two
 * evaluators of the networks' forward pass and input vector-Jacobian product, plain Java in double
 * ({@code JavaNetwork}, {@code JavaMlp}) and ND4J BLAS in float32 ({@code Nd4jNetwork}); the
 * vectorised exponential ({@code FastExp}); the hot loops written with the JDK's vector API
 * ({@code VectorKernels}, used where {@code Vectors} finds the module, with the same numbers, until
 * {@code VectorWatch} finds them left uncompiled by the JIT and switches to the plain loops); the
 * SameDiff graphs used for training and for the model file's network entry ({@code Graphs}); and
 * what is set before ND4J starts ({@code Nd4jStartup}). Only {@code Nd4jNetwork} and {@code Graphs}
 * use ND4J, and only they start it; only {@code VectorKernels} uses {@code jdk.incubator.vector},
 * and it is loaded only when the JVM has that module. Dimensionless numbers unless a class says
 * otherwise.
 */
package org.lnpsaxs.surrogate.internal;
