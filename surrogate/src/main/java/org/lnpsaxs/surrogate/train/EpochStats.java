package org.lnpsaxs.surrogate.train;

/**
 * One epoch of training.
 *
 * @param epoch              1-based epoch number
 * @param trainLoss          training loss (MSE of normalised log₁₀ I) at the end of the epoch, on a fixed
 *                           sample of up to 4096 training curves
 * @param validationLoss     MSE of normalised log₁₀ I on the validation curves
 * @param validationMeanAbs  mean over validation curves of the per-curve mean |Δlog₁₀ I|
 * @param validationMedian   median over validation curves of the per-curve mean |Δlog₁₀ I|
 * @param validationP90      90th percentile of the same
 * @param learningRate       learning rate at the end of the epoch
 * @param seconds            wall time of the epoch (training and validation), s
 */
public record EpochStats(int epoch, double trainLoss, double validationLoss, double validationMeanAbs,
                         double validationMedian, double validationP90, double learningRate, double seconds) {
}
