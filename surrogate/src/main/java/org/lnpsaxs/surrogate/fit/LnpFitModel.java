package org.lnpsaxs.surrogate.fit;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.optimize.model.BoundModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.model.GridWindow;
import org.lnpsaxs.optimize.model.SizeSummary;
import org.lnpsaxs.optimize.model.Symmetry;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.polydispersity.DifferentiablePolydisperseModel;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.PolydisperseModel;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;

/**
 * The paper's LNP model: a monodisperse LNP model (the neural surrogate of the GRF core-shell
 * simulator, nine parameters of {@link LnpParameters#SPACE}) averaged, number-weighted, over a
 * truncated log-normal distribution of the outer radius R (32 Gauss–Legendre nodes in CDF space,
 * truncation [101, 499] Å): ten parameters {@code GRF_shift}, {@code radius_mean},
 * {@code radius_cv}, {@code w_q1}, {@code m_q1}, {@code m_q2}, {@code s_q1}, {@code s_q2},
 * {@code shell_thickness}, {@code relative_rho_shell}, with {@code m_q1 <= m_q2} built in.
 *
 * <p>Default box (the paper's fit box): GRF_shift [−0.98, 0.98], radius_mean [150, 320] Å,
 * radius_cv [0.10, 0.40], w_q1 [0.01, 0.99], m_q1, m_q2 [0.05, 0.15] Å⁻¹, s_q1, s_q2
 * [0.01, 0.15] Å⁻¹, shell_thickness [40, 70] Å, relative_rho_shell [0.7, 1.3]. The model has a
 * fixed q grid (the surrogate's); intensities are in the simulator's arbitrary units. Immutable.
 */
public final class LnpFitModel implements FitModel {

    /** The model's name. */
    public static final String NAME = "lnp";

    private final DifferentiableModel monodisperse;
    private final DifferentiablePolydisperseModel model;
    private final QGrid grid;
    private final double lower;
    private final double upper;

    private LnpFitModel(DifferentiableModel monodisperse, double lower, double upper) {
        this.monodisperse = Objects.requireNonNull(monodisperse, "monodisperse");
        ParameterSpace ps = monodisperse.parameters();
        if (!ps.names().equals(LnpParameters.SPACE.names())) {
            throw new IllegalArgumentException("the lnp fit model needs a monodisperse model with the parameters "
                    + LnpParameters.SPACE.names() + ", got " + ps.names());
        }
        this.lower = lower;
        this.upper = upper;
        this.model = PolydisperseModel.of(monodisperse, Dispersion.paper(LnpParameters.R, lower, upper));
        this.grid = QGrid.of(model.q());
    }

    /**
     * The LNP fit model over {@code monodisperse} (normally {@code Surrogate.loadDefault()}) with
     * the paper's truncation [101, 499] Å.
     */
    public static LnpFitModel of(DifferentiableModel monodisperse) {
        return new LnpFitModel(monodisperse, TruncatedLogNormal.DEFAULT_LOWER, TruncatedLogNormal.DEFAULT_UPPER);
    }

    /** A copy with another radius truncation [lower, upper] Å (inside the monodisperse model's R range). */
    public LnpFitModel withTruncation(double newLower, double newUpper) {
        return new LnpFitModel(monodisperse, newLower, newUpper);
    }

    /** The monodisperse model. */
    public DifferentiableModel monodisperseModel() {
        return monodisperse;
    }

    /** The polydisperse model on the whole fixed grid. */
    public DifferentiableModel model() {
        return model;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String intensityUnit() {
        return "a.u. (simulator units)";
    }

    @Override
    public Optional<QGrid> fixedGrid() {
        return Optional.of(grid);
    }

    @Override
    public String sizeLabel() {
        return "outer radius R";
    }

    @Override
    public BoundModel bind(QGrid window) {
        DifferentiableModel m = GridWindow.of(model, window);
        return new BoundModel() {
            @Override
            public FitModel fitModel() {
                return LnpFitModel.this;
            }

            @Override
            public QGrid grid() {
                return window;
            }

            @Override
            public DifferentiableModel model() {
                return m;
            }

            @Override
            public FitSpace defaultSpace(Map<String, Double> fixed) {
                return LnpFitModel.this.defaultSpace(fixed);
            }

            @Override
            public SizeSummary sizeDistribution(double[] theta) {
                ParameterSpace ps = model.parameters();
                return SizeSummary.truncatedLogNormal(theta[ps.indexOf("radius_mean")], theta[ps.indexOf("radius_cv")], lower,
                        upper);
            }

            @Override
            public String toString() {
                return NAME + " on " + window;
            }
        };
    }

    /** The paper's fit box with {@code fixed} held (it does not depend on the data's q range). */
    public FitSpace defaultSpace(Map<String, Double> fixed) {
        ParameterSpace box = model.parameters()
                .withBounds(LnpParameters.GRF_SHIFT, -0.98, 0.98)
                .withBounds("radius_mean", 150, 320)
                .withBounds("radius_cv", 0.10, 0.40)
                .withBounds(LnpParameters.W_Q1, 0.01, 0.99)
                .withBounds(LnpParameters.M_Q1, 0.05, 0.15)
                .withBounds(LnpParameters.M_Q2, 0.05, 0.15)
                .withBounds(LnpParameters.S_Q1, 0.01, 0.15)
                .withBounds(LnpParameters.S_Q2, 0.01, 0.15)
                .withBounds(LnpParameters.SHELL_THICKNESS, 40, 70)
                .withBounds(LnpParameters.RELATIVE_RHO_SHELL, 0.7, 1.3);
        FitSpace s = FitSpace.of(box).withOrderedPair(LnpParameters.M_Q1, LnpParameters.M_Q2);
        for (Map.Entry<String, Double> e : fixed.entrySet()) {
            s = s.withFixed(e.getKey(), e.getValue());
        }
        return s;
    }

    /**
     * The contrast-sign symmetry of the GRF core-shell model. The contrast against the solvent is
     * \( \phi(Y) + s \) in the core (\( \phi = \mathrm{sigmoid}(Y) - \overline{\mathrm{sigmoid}(Y)} \),
     * s = GRF_shift) and \( r(1+s) - 1 \) in the shell (r = relative_rho_shell). The intensity is
     * \( |F|^2 \) of the contrast, so negating the whole contrast changes nothing; and since
     * \( \mathrm{sigmoid}(-Y) = 1 - \mathrm{sigmoid}(Y) \) gives \( \phi(-Y) = -\phi(Y) \) while
     * \( -Y \) is a Gaussian field with the same spectrum as Y, the negated core is again a core of
     * the model, with shift \( -s \). Its shell must carry \( 1 - r(1+s) = r'(1-s) - 1 \):
     * \[ (s, r) \mapsto \Bigl(-s,\ \frac{2 - r(1+s)}{1-s}\Bigr), \]
     * an involution that leaves the mean curve (over realisations) exactly unchanged. The image of
     * s &lt; 0 has \( |r' - 1| = |r - 1|(1+s)/(1-s) &lt; |r - 1| \), so it always lies inside the box;
     * the reported image is therefore GRF_shift &ge; 0.
     */
    public static Symmetry contrastSign() {
        return Symmetry.of("contrast sign",
                "(GRF_shift, relative_rho_shell) -> (-GRF_shift, (2 - relative_rho_shell * (1 + GRF_shift)) / (1 - GRF_shift))",
                "the sign of the particle's contrast against the solvent is not determined by SAXS: the mirror image "
                        + "gives the same curve",
                "GRF_shift >= 0",
                java.util.List.of(LnpParameters.GRF_SHIFT, LnpParameters.RELATIVE_RHO_SHELL),
                v -> new double[] {-v[0], (2 - v[1] * (1 + v[0])) / (1 - v[0])},
                v -> v[0] >= 0);
    }

    /** One exact symmetry: the contrast sign ({@link #contrastSign()}). */
    @Override
    public java.util.List<Symmetry> symmetries() {
        return java.util.List.of(contrastSign());
    }

    @Override
    public String toString() {
        return "lnp (surrogate of the GRF core-shell simulator, truncated log-normal R in [" + lower + ", " + upper + "] Å)";
    }
}
