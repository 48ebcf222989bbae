/**
 * Training of the surrogate network with ND4J SameDiff: settings ({@link org.lnpsaxs.surrogate.train.TrainerSettings}),
 * the trainer ({@link org.lnpsaxs.surrogate.train.Trainer}: Adam on the mean squared error of the
 * normalised log₁₀ I, warm-up + cosine learning rate, early stopping on the validation mean
 * |Δlog₁₀ I| in decades) and its result (weights, metadata with provenance, per-epoch history).
 */
package org.lnpsaxs.surrogate.train;
