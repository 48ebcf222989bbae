/**
 * Training of the surrogate's two networks with ND4J SameDiff: settings ({@link org.lnpsaxs.surrogate.train.TrainerSettings}),
 * the trainer ({@link org.lnpsaxs.surrogate.train.Trainer}: Adam on the mean squared error of
 * log₁₀ I, the closed-form mean particle fed per curve, warm-up + cosine learning rate, early stopping on the validation mean
 * |Δlog₁₀ I| in decades) and its result (weights, metadata with provenance, per-epoch history).
 */
package org.lnpsaxs.surrogate.train;
