package org.lnpsaxs.core.simulator;

import org.apache.commons.math3.special.Erf;

/**
 * How the standardised Gaussian random field \( Y \) becomes the particle core's density
 * (relative units, solvent = 1):
 * \( \rho_{int} = t(Y) - \overline{t} + 1 + \mathrm{GRF\_shift} \), where \( \overline{t} \) is
 * the mean of \( t(Y) \) (its expectation, or the box's sample mean when the simulator uses
 * sample statistics).
 * <ul>
 *   <li>{@link #sigmoid()} — the paper's soft transform \( t(Y) = 1/(1 + e^{-Y}) \), expectation ½;</li>
 *   <li>{@link #levelCut(double)} — a hard two-phase cut: \( t(Y) = 1 \) where \( Y &gt; \beta \),
 *       else 0, with \( \beta = \sqrt 2\,\mathrm{erf}^{-1}(1 - 2\varphi) \), so that the denser
 *       phase (density \( 2 - \varphi + \mathrm{GRF\_shift} \), one unit above the other phase)
 *       fills the volume fraction \( \varphi \) (the limit of a steep sigmoid); its correlation
 *       function is Berk's closed form
 *       \( C(r) = \frac{1}{2\pi}\int_0^{g(r)} e^{-\beta^2/(1+t)}/\sqrt{1-t^2}\,dt \), with
 *       \( g \) the field's normalised correlation;</li>
 *   <li>{@link #uniform()} — no fluctuation: \( \rho_{int} = 1 + \mathrm{GRF\_shift} \) everywhere
 *       (a core-shell sphere; no field is generated).</li>
 * </ul>
 * Immutable.
 */
public final class InteriorModel {

    private enum Kind { SIGMOID, LEVEL_CUT, UNIFORM }

    private static final InteriorModel SIGMOID = new InteriorModel(Kind.SIGMOID, 0.5, Double.NaN);
    private static final InteriorModel UNIFORM = new InteriorModel(Kind.UNIFORM, 0.5, Double.NaN);

    private final Kind kind;
    private final double expectation;
    private final double threshold;

    private InteriorModel(Kind kind, double expectation, double threshold) {
        this.kind = kind;
        this.expectation = expectation;
        this.threshold = threshold;
    }

    /** The paper's sigmoid (the default). */
    public static InteriorModel sigmoid() {
        return SIGMOID;
    }

    /** No interior fluctuation: a constant core density \( 1 + \mathrm{GRF\_shift} \). */
    public static InteriorModel uniform() {
        return UNIFORM;
    }

    /**
     * A hard two-phase level cut: the denser phase fills the volume fraction {@code phi}.
     *
     * @param phi volume fraction of the denser phase, in (0, 1)
     * @throws IllegalArgumentException when {@code phi} is not in (0, 1)
     */
    public static InteriorModel levelCut(double phi) {
        if (!(phi > 0 && phi < 1)) {
            throw new IllegalArgumentException("level-cut volume fraction phi = " + phi + " is outside (0, 1)");
        }
        double beta = Math.sqrt(2.0) * Erf.erfInv(1.0 - 2.0 * phi);
        return new InteriorModel(Kind.LEVEL_CUT, phi, beta);
    }

    /** Whether the core density fluctuates (false only for {@link #uniform()}). */
    public boolean fluctuates() {
        return kind != Kind.UNIFORM;
    }

    /** Whether this is the hard level cut. */
    public boolean isLevelCut() {
        return kind == Kind.LEVEL_CUT;
    }

    /** The transform \( t(y) \) of a standardised field value. */
    public double apply(double y) {
        switch (kind) {
            case SIGMOID:
                return 1.0 / (1.0 + Math.exp(-y));
            case LEVEL_CUT:
                return y > threshold ? 1.0 : 0.0;
            default:
                return 0.5;
        }
    }

    /** The expectation of \( t(Y) \) for a standard normal \( Y \): ½, \( \varphi \) or ½. */
    public double expectation() {
        return expectation;
    }

    /** The level-cut volume fraction \( \varphi \) (NaN unless a level cut). */
    public double volumeFraction() {
        return kind == Kind.LEVEL_CUT ? expectation : Double.NaN;
    }

    /** The level-cut threshold \( \beta \) on the standardised field (NaN unless a level cut). */
    public double threshold() {
        return threshold;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InteriorModel m && m.kind == kind && Double.compare(m.expectation, expectation) == 0;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(expectation);
    }

    @Override
    public String toString() {
        switch (kind) {
            case SIGMOID:
                return "sigmoid";
            case LEVEL_CUT:
                return "level-cut(phi=" + expectation + ", beta=" + threshold + ")";
            default:
                return "uniform";
        }
    }
}
