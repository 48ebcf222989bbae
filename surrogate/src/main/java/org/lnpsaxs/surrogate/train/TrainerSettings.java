package org.lnpsaxs.surrogate.train;

import java.util.List;
import java.util.Objects;

import org.lnpsaxs.surrogate.nn.Head;
import org.lnpsaxs.surrogate.nn.NetworkSpec;

/**
 * Everything that determines a training run besides the data: network shape, optimiser,
 * schedule, early stopping and the seed. Recorded in the model file's provenance so that a model
 * can be trained again.
 *
 * <p>Optimiser: Adam (β₁ 0.9, β₂ 0.999, ε 1e-8) on the mean squared error of the normalised
 * log₁₀ I, mini-batches of {@code batchSize} curves in a seeded shuffled order. Learning rate: a
 * linear warm-up over {@code warmupEpochs} epochs to {@code learningRate}, then a cosine decay to
 * {@code minLearningRate} at {@code maxEpochs}. Early stopping: after {@code patience} epochs
 * without a better validation error (the mean over validation curves of the mean |Δlog₁₀ I|),
 * training stops and the best epoch's weights are kept.
 *
 * @param width              hidden units per layer
 * @param blocks             residual blocks
 * @param logFeatures        parameters that also enter as log-scaled features (e.g. R)
 * @param maxEpochs          the largest number of epochs
 * @param batchSize          curves per mini-batch
 * @param learningRate       peak learning rate
 * @param minLearningRate    learning rate at the end of the cosine decay
 * @param warmupEpochs       epochs of linear warm-up
 * @param patience           epochs without improvement before stopping
 * @param validationFraction fraction of the training set held back for validation (0 &lt; f &lt; 1)
 * @param seed               seeds the weights, the validation split and the batch order
 * @param head               the output head ({@value Head#LNP_CONTRAST} or {@value Head#DIRECT})
 * @param trunk              the trunk ({@value NetworkSpec#LNP_SPLIT} or {@value NetworkSpec#SINGLE})
 */
public record TrainerSettings(int width, int blocks, List<String> logFeatures, int maxEpochs, int batchSize,
                              double learningRate, double minLearningRate, int warmupEpochs, int patience,
                              double validationFraction, long seed, String head, String trunk) {

    /**
     * The defaults: the LNP contrast head on the LNP split trunk, two residual MLPs of width 256 with
     * 3 blocks, log R feature, ≤ 250 epochs of batch 128, lr 2e-3 → 1e-5 (3 warm-up epochs), patience
     * 60, 10 % validation, seed 1.
     */
    public static final TrainerSettings DEFAULTS = new TrainerSettings(256, 3, List.of("R"), 250, 128, 2e-3, 1e-5, 3,
            60, 0.1, 1L, Head.LNP_CONTRAST, NetworkSpec.LNP_SPLIT);

    /** Validates the record. */
    public TrainerSettings {
        logFeatures = List.copyOf(Objects.requireNonNull(logFeatures, "logFeatures"));
        if (width < 1 || blocks < 0) {
            throw new IllegalArgumentException("network width must be >= 1 and blocks >= 0, got " + width + ", " + blocks);
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
        if (!Head.DIRECT.equals(head) && !Head.LNP_CONTRAST.equals(head)) {
            throw new IllegalArgumentException("unknown head '" + head + "'; allowed: " + Head.LNP_CONTRAST + ", "
                    + Head.DIRECT);
        }
        if (!NetworkSpec.SINGLE.equals(trunk) && !NetworkSpec.LNP_SPLIT.equals(trunk)) {
            throw new IllegalArgumentException("unknown trunk '" + trunk + "'; allowed: " + NetworkSpec.LNP_SPLIT + ", "
                    + NetworkSpec.SINGLE);
        }
        if (NetworkSpec.LNP_SPLIT.equals(trunk) && !Head.LNP_CONTRAST.equals(head)) {
            throw new IllegalArgumentException("the " + NetworkSpec.LNP_SPLIT + " trunk needs the " + Head.LNP_CONTRAST
                    + " head; use --trunk " + NetworkSpec.SINGLE + " with --head " + head);
        }
    }

    /** A copy with another trunk. */
    public TrainerSettings withTrunk(String t) {
        return new TrainerSettings(width, blocks, logFeatures, maxEpochs, batchSize, learningRate, minLearningRate,
                warmupEpochs, patience, validationFraction, seed, head, t);
    }

    /** A copy with another output head. */
    public TrainerSettings withHead(String h) {
        return new TrainerSettings(width, blocks, logFeatures, maxEpochs, batchSize, learningRate, minLearningRate,
                warmupEpochs, patience, validationFraction, seed, h,
                Head.DIRECT.equals(h) ? NetworkSpec.SINGLE : trunk);
    }

    /** A copy with another network shape. */
    public TrainerSettings withNetwork(int newWidth, int newBlocks) {
        return new TrainerSettings(newWidth, newBlocks, logFeatures, maxEpochs, batchSize, learningRate, minLearningRate,
                warmupEpochs, patience, validationFraction, seed, head, trunk);
    }

    /** A copy with other log features. */
    public TrainerSettings withLogFeatures(List<String> names) {
        return new TrainerSettings(width, blocks, names, maxEpochs, batchSize, learningRate, minLearningRate,
                warmupEpochs, patience, validationFraction, seed, head, trunk);
    }

    /** A copy with another epoch limit. */
    public TrainerSettings withMaxEpochs(int n) {
        return new TrainerSettings(width, blocks, logFeatures, n, batchSize, learningRate, minLearningRate,
                Math.min(warmupEpochs, n), patience, validationFraction, seed, head, trunk);
    }

    /** A copy with another mini-batch size. */
    public TrainerSettings withBatchSize(int n) {
        return new TrainerSettings(width, blocks, logFeatures, maxEpochs, n, learningRate, minLearningRate,
                warmupEpochs, patience, validationFraction, seed, head, trunk);
    }

    /** A copy with other learning rates (peak and final). */
    public TrainerSettings withLearningRates(double peak, double last) {
        return new TrainerSettings(width, blocks, logFeatures, maxEpochs, batchSize, peak, last, warmupEpochs,
                patience, validationFraction, seed, head, trunk);
    }

    /** A copy with another warm-up length. */
    public TrainerSettings withWarmupEpochs(int n) {
        return new TrainerSettings(width, blocks, logFeatures, maxEpochs, batchSize, learningRate, minLearningRate, n,
                patience, validationFraction, seed, head, trunk);
    }

    /** A copy with another early-stopping patience. */
    public TrainerSettings withPatience(int n) {
        return new TrainerSettings(width, blocks, logFeatures, maxEpochs, batchSize, learningRate, minLearningRate,
                warmupEpochs, n, validationFraction, seed, head, trunk);
    }

    /** A copy with another validation fraction. */
    public TrainerSettings withValidationFraction(double f) {
        return new TrainerSettings(width, blocks, logFeatures, maxEpochs, batchSize, learningRate, minLearningRate,
                warmupEpochs, patience, f, seed, head, trunk);
    }

    /** A copy with another seed. */
    public TrainerSettings withSeed(long s) {
        return new TrainerSettings(width, blocks, logFeatures, maxEpochs, batchSize, learningRate, minLearningRate,
                warmupEpochs, patience, validationFraction, s, head, trunk);
    }
}
