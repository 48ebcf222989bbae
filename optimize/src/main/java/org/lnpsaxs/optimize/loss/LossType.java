package org.lnpsaxs.optimize.loss;

import java.util.Locale;

/**
 * The losses a fit can be asked for by name: {@link #CHI2} ({@code chi2}, needs σ),
 * {@link #SCALE_FREE} ({@code scale-free}, the paper's loss) and {@link #LOGLIK} ({@code loglik},
 * the Gaussian likelihood in ln I with the model's own error).
 */
public enum LossType {

    /** σ-weighted χ² with scale and background in closed form ({@link ChiSquaredLoss}). */
    CHI2("chi2", false),
    /** The paper's scale-free loss ({@link ScaleFreeLoss}); it takes logarithms of the intensities. */
    SCALE_FREE("scale-free", true),
    /**
     * The Gaussian likelihood in ln I with the data's σ and the model's error, the scale profiled
     * ({@link LogIntensityLikelihood}); it takes logarithms of the intensities.
     */
    LOGLIK("loglik", true);

    private final String label;
    private final boolean logarithmic;

    LossType(String label, boolean logarithmic) {
        this.label = label;
        this.logarithmic = logarithmic;
    }

    /** The name as written in reports ({@code chi2}, {@code scale-free}, {@code loglik}). */
    public String label() {
        return label;
    }

    /** Whether the loss takes logarithms of the data, so that rows with I ≤ 0 cannot enter it. */
    public boolean takesLogarithms() {
        return logarithmic;
    }

    /**
     * The loss called {@code name} ({@code chi2}, {@code scale-free} or {@code loglik}, case and
     * surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the unknown loss and the known ones
     */
    public static LossType parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (LossType t : values()) {
            if (t.label.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; known: chi2, scale-free, loglik");
    }

    @Override
    public String toString() {
        return label;
    }
}
