package org.lnpsaxs.surrogate.train;

import java.util.List;
import java.util.Objects;

/**
 * Everything that determines a training run besides the data: the two MLPs' shapes, optimiser,
 * schedule, early stopping and the seed. Recorded in the model file's provenance so that a model
 * can be trained again.
 *
 * <p>Optimiser: Adam (β₁ 0.9, β₂ 0.999, ε 1e-8) on the mean squared error of log₁₀ I (decades²),
 * mini-batches of {@code batchSize} curves in a seeded shuffled order. Learning rate: a linear
 * warm-up over {@code warmupEpochs} epochs to {@code learningRate}, then a cosine decay to
 * {@code minLearningRate} at {@code maxEpochs}. Early stopping: after {@code patience} epochs
 * without a better validation error (the mean over validation curves of the mean |Δlog₁₀ I|),
 * training stops and the best epoch's weights are kept.
 *
 * @param fluctuationHidden  hidden widths of the fluctuation MLP
 * @param fluctuationRank    its output rank (0: full)
 * @param correctionHidden   hidden widths of the correction MLP
 * @param correctionRank     its output rank (0: full)
 * @param maxEpochs          the largest number of epochs
 * @param batchSize          curves per mini-batch
 * @param learningRate       peak learning rate
 * @param minLearningRate    learning rate at the end of the cosine decay
 * @param warmupEpochs       epochs of linear warm-up
 * @param patience           epochs without improvement before stopping
 * @param validationFraction fraction of the training set held back for validation (0 &lt; f &lt; 1)
 * @param seed               seeds the weights, the validation split and the batch order
 */
public record TrainerSettings(List<Integer> fluctuationHidden, int fluctuationRank, List<Integer> correctionHidden,
                              int correctionRank, int maxEpochs, int batchSize, double learningRate,
                              double minLearningRate, int warmupEpochs, int patience, double validationFraction,
                              long seed) {

    /**
     * The defaults: fluctuation MLP 64-64-64 with rank 32, correction MLP 32-32 with rank 16, ≤ 400
     * epochs of batch 64, lr 2e-3 → 1e-5 (3 warm-up epochs), patience 80, 5 % validation, seed 1.
     */
    public static final TrainerSettings DEFAULTS = new TrainerSettings(List.of(64, 64, 64), 32, List.of(32, 32), 16,
            400, 64, 2e-3, 1e-5, 3, 80, 0.05, 1L);

    /** Validates the record. */
    public TrainerSettings {
        fluctuationHidden = List.copyOf(Objects.requireNonNull(fluctuationHidden, "fluctuationHidden"));
        correctionHidden = List.copyOf(Objects.requireNonNull(correctionHidden, "correctionHidden"));
        if (fluctuationHidden.isEmpty() || correctionHidden.isEmpty() || fluctuationRank < 0 || correctionRank < 0
                || fluctuationHidden.stream().anyMatch(h -> h < 1) || correctionHidden.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("network shape not valid: fluctuation " + fluctuationHidden + " rank "
                    + fluctuationRank + ", correction " + correctionHidden + " rank " + correctionRank
                    + " (need at least one hidden layer of width >= 1 and rank >= 0)");
        }
        if (maxEpochs < 1 || batchSize < 1 || warmupEpochs < 0 || patience < 1) {
            throw new IllegalArgumentException("need epochs >= 1, batch size >= 1, warm-up >= 0, patience >= 1; got "
                    + maxEpochs + ", " + batchSize + ", " + warmupEpochs + ", " + patience);
        }
        if (!(learningRate > 0) || !(minLearningRate >= 0) || minLearningRate > learningRate) {
            throw new IllegalArgumentException("need 0 <= min learning rate <= learning rate, learning rate > 0; got "
                    + minLearningRate + ", " + learningRate);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
    }

    /** A copy with other MLP shapes. */
    public TrainerSettings withNetwork(List<Integer> dHidden, int dRank, List<Integer> eHidden, int eRank) {
        return new TrainerSettings(dHidden, dRank, eHidden, eRank, maxEpochs, batchSize, learningRate,
                minLearningRate, warmupEpochs, patience, validationFraction, seed);
    }

    /** A copy with another epoch limit. */
    public TrainerSettings withMaxEpochs(int n) {
        return new TrainerSettings(fluctuationHidden, fluctuationRank, correctionHidden, correctionRank, n, batchSize,
                learningRate, minLearningRate, Math.min(warmupEpochs, n), patience, validationFraction, seed);
    }

    /** A copy with another mini-batch size. */
    public TrainerSettings withBatchSize(int n) {
        return new TrainerSettings(fluctuationHidden, fluctuationRank, correctionHidden, correctionRank, maxEpochs, n,
                learningRate, minLearningRate, warmupEpochs, patience, validationFraction, seed);
    }

    /** A copy with other learning rates (peak and final). */
    public TrainerSettings withLearningRates(double peak, double last) {
        return new TrainerSettings(fluctuationHidden, fluctuationRank, correctionHidden, correctionRank, maxEpochs,
                batchSize, peak, last, warmupEpochs, patience, validationFraction, seed);
    }

    /** A copy with another warm-up length. */
    public TrainerSettings withWarmupEpochs(int n) {
        return new TrainerSettings(fluctuationHidden, fluctuationRank, correctionHidden, correctionRank, maxEpochs,
                batchSize, learningRate, minLearningRate, n, patience, validationFraction, seed);
    }

    /** A copy with another early-stopping patience. */
    public TrainerSettings withPatience(int n) {
        return new TrainerSettings(fluctuationHidden, fluctuationRank, correctionHidden, correctionRank, maxEpochs,
                batchSize, learningRate, minLearningRate, warmupEpochs, n, validationFraction, seed);
    }

    /** A copy with another validation fraction. */
    public TrainerSettings withValidationFraction(double f) {
        return new TrainerSettings(fluctuationHidden, fluctuationRank, correctionHidden, correctionRank, maxEpochs,
                batchSize, learningRate, minLearningRate, warmupEpochs, patience, f, seed);
    }

    /** A copy with another seed. */
    public TrainerSettings withSeed(long s) {
        return new TrainerSettings(fluctuationHidden, fluctuationRank, correctionHidden, correctionRank, maxEpochs,
                batchSize, learningRate, minLearningRate, warmupEpochs, patience, validationFraction, s);
    }
}
