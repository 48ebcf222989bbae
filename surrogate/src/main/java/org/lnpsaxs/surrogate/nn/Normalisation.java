package org.lnpsaxs.surrogate.nn;

import java.util.List;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * The fixed maps between physical values and the network's inputs and outputs.
 *
 * <p>Inputs: parameter {@code j} with box \([l_j, h_j]\) becomes \( x_j = 2(\theta_j - l_j)/(h_j - l_j) - 1 \)
 * (so the box maps to \([-1, 1]\)), and each log feature of parameter {@code p} adds
 * \( 2(\ln\theta_p - \ln l_p)/(\ln h_p - \ln l_p) - 1 \). Outputs: the network's {@code z_k} maps to
 * \( \log_{10} I_k = \mu_k + \sigma_k z_k \) with the per-q mean \(\mu_k\) of the training set
 * and a scale \(\sigma_k\) (one common value, the root-mean-square per-q standard deviation, so
 * that the squared-error loss weighs all q points alike as the accuracy metric does).
 *
 * @param lower       the box's lower bounds, in parameter units
 * @param upper       the box's upper bounds
 * @param logIndex    for each log feature, the index of its parameter
 * @param outputMean  \(\mu_k\), log₁₀ of the intensity unit
 * @param outputScale \(\sigma_k\), decades
 */
public record Normalisation(double[] lower, double[] upper, int[] logIndex, double[] outputMean,
                            double[] outputScale) {

    /** Validates and copies. */
    public Normalisation {
        lower = lower.clone();
        upper = upper.clone();
        logIndex = logIndex.clone();
        outputMean = outputMean.clone();
        outputScale = outputScale.clone();
        if (lower.length != upper.length || outputMean.length != outputScale.length) {
            throw new IllegalArgumentException("normalisation arrays disagree in length");
        }
        for (int j = 0; j < lower.length; j++) {
            if (!(upper[j] > lower[j]) || !Double.isFinite(lower[j]) || !Double.isFinite(upper[j])) {
                throw new IllegalArgumentException("input " + j + ": box [" + lower[j] + ", " + upper[j] + "] is not valid");
            }
        }
        for (int p : logIndex) {
            if (p < 0 || p >= lower.length || !(lower[p] > 0)) {
                throw new IllegalArgumentException("log feature of input " + p + " needs a positive lower bound");
            }
        }
        for (int k = 0; k < outputMean.length; k++) {
            if (!Double.isFinite(outputMean[k]) || !(outputScale[k] > 0) || !Double.isFinite(outputScale[k])) {
                throw new IllegalArgumentException("output normalisation at q index " + k + " is not valid (mean "
                        + outputMean[k] + ", scale " + outputScale[k] + ")");
            }
        }
    }

    /** The input part for a parameter space and the named log features; outputs still to be set. */
    public static Normalisation inputs(ParameterSpace space, List<String> logFeatures, double[] outputMean,
                                       double[] outputScale) {
        int[] idx = new int[logFeatures.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = space.indexOf(logFeatures.get(i));
            Parameter p = space.get(idx[i]);
            if (!(p.lower() > 0)) {
                throw new IllegalArgumentException("log feature " + p.name() + " needs a positive lower bound, box "
                        + p.rangeText());
            }
        }
        return new Normalisation(space.lowerBounds(), space.upperBounds(), idx, outputMean, outputScale);
    }

    /** The number of parameters. */
    public int parameters() {
        return lower.length;
    }

    /** The number of features (parameters plus log features). */
    public int features() {
        return lower.length + logIndex.length;
    }

    /** The number of outputs. */
    public int outputs() {
        return outputMean.length;
    }

    /** Features of one parameter point {@code theta[off .. off+P-1]} into {@code x[xo .. xo+F-1]}. */
    public void features(double[] theta, int off, double[] x, int xo) {
        int p = lower.length;
        for (int j = 0; j < p; j++) {
            x[xo + j] = 2 * (theta[off + j] - lower[j]) / (upper[j] - lower[j]) - 1;
        }
        for (int i = 0; i < logIndex.length; i++) {
            int j = logIndex[i];
            double ll = Math.log(lower[j]);
            x[xo + p + i] = 2 * (Math.log(theta[off + j]) - ll) / (Math.log(upper[j]) - ll) - 1;
        }
    }

    /**
     * Chains a feature gradient back to the parameters: {@code dTheta[dOff + j] = Σ_f dx_f ∂x_f/∂θ_j}
     * at the point {@code theta[off ..]} (overwrites).
     */
    public void featureGradientToParameters(double[] theta, int off, double[] dx, int xo, double[] dTheta, int dOff) {
        int p = lower.length;
        for (int j = 0; j < p; j++) {
            dTheta[dOff + j] = dx[xo + j] * 2 / (upper[j] - lower[j]);
        }
        for (int i = 0; i < logIndex.length; i++) {
            int j = logIndex[i];
            double ll = Math.log(lower[j]);
            dTheta[dOff + j] += dx[xo + p + i] * 2 / ((Math.log(upper[j]) - ll) * theta[off + j]);
        }
    }

    /** A copy with other output statistics. */
    public Normalisation withOutputs(double[] mean, double[] scale) {
        return new Normalisation(lower, upper, logIndex, mean, scale);
    }

    /** The lower bounds (a copy). */
    @Override
    public double[] lower() {
        return lower.clone();
    }

    /** The upper bounds (a copy). */
    @Override
    public double[] upper() {
        return upper.clone();
    }

    /** The parameter index of each log feature (a copy). */
    @Override
    public int[] logIndex() {
        return logIndex.clone();
    }

    /** The per-q output means (a copy). */
    @Override
    public double[] outputMean() {
        return outputMean.clone();
    }

    /** The per-q output scales (a copy). */
    @Override
    public double[] outputScale() {
        return outputScale.clone();
    }

    /** {@code log10 I_k = mean_k + scale_k z_k}. */
    public double output(int k, double z) {
        return outputMean[k] + outputScale[k] * z;
    }

    /** The scale of output {@code k}. */
    public double scale(int k) {
        return outputScale[k];
    }
}
