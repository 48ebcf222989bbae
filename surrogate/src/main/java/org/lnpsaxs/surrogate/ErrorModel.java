package org.lnpsaxs.surrogate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.lnpsaxs.optimize.loss.ErrorAmplitude;
import org.lnpsaxs.optimize.loss.ModelError;
import org.lnpsaxs.optimize.loss.SizeEstimateTerm;
import org.lnpsaxs.surrogate.internal.Json;
import org.lnpsaxs.surrogate.internal.JsonValues;

/**
 * The measured error of a surrogate model, shipped in its model file (the entry
 * {@value ModelFile#ERROR_MODEL}): the difference \( \ln I_\mathrm{model} - \ln I_\mathrm{simulator} \)
 * (natural logarithm, dimensionless) as a Gaussian process along q with standard deviation
 * \[ \sigma(q) = \sigma_0 + \sigma_1\,(q/q_\mathrm{ref})^{p},\qquad q_\mathrm{ref} = 0.1\ \text{Å}^{-1}, \]
 * and the Matérn-3/2 correlation \( \rho(\Delta q) = (1 + \sqrt3|\Delta q|/\ell)\,e^{-\sqrt3|\Delta q|/\ell} \)
 * (ℓ in Å⁻¹; see {@link ModelError}). {@code scope} says which model curve the error is of (for the
 * default model: the polydisperse {@code lnp} fit model against the direct simulator at the
 * training set's settings, realisation noise included), and {@code provenance} how it was measured:
 * the data sets with their SHA-256, the date, the method, the program and the measured numbers
 * (free-form JSON values). docs/surrogate.md, "The surrogate's error model", has the numbers.
 *
 * <p><b>Its size depends on the particle's contrast</b> (format version 2): the surrogate is
 * least accurate where the particle is nearly invisible, so σ(q) above is multiplied by
 * \[ a(\theta) = \Big(\frac{\sqrt{c^2 + c_\mathrm{min}^2}}{c_\mathrm{ref}}\Big)^{-b},\qquad
 *    c^2 = g^2 + \big(\rho(1 + g) - 1\big)^2,\qquad c_\mathrm{ref} = 0.1, \]
 * with g = {@code GRF_shift} (the core's mean contrast) and ρ = {@code relative_rho_shell}
 * (so that ρ(1 + g) − 1 is the shell's contrast; both change sign under the model's contrast-sign
 * symmetry, so c does not). b = 0 means a size that does not depend on the parameters (version 1).
 * The likelihood then carries the covariance's log-determinant (see
 * {@link org.lnpsaxs.optimize.loss.LogIntensityLikelihood}).
 *
 * <p><b>The size estimates' part of it depends on the size distribution's width</b> (format version
 * 3, optional): at a fit's best parameters the part of the error that moves the estimates of
 * {@value #SIZE_LOCATION} and {@value #SIZE_WIDTH} is scaled in variance by
 * \( f = (\mathrm{radius\_cv}/w_\mathrm{ref})^{-P} \) ({@link SizeEstimateTerm}); P = 0 means none.
 * Immutable.
 *
 * @param scope             what the error is of (one line)
 * @param sigma0            σ₀ ≥ 0, ln I
 * @param sigma1            σ₁ ≥ 0, ln I
 * @param exponent          p ≥ 0
 * @param correlationLength ℓ ≥ 0, Å⁻¹
 * @param contrastExponent  b ≥ 0 of the contrast law (0: none)
 * @param contrastFloor     c_min &gt; 0 of the contrast law (keeps a finite at c = 0; ignored when b = 0)
 * @param provenance        how it was measured (JSON values: maps, lists, strings, numbers)
 * @param sizeReferenceWidth w_ref &gt; 0 of the size-estimate law (the {@value #SIZE_WIDTH} at which f = 1;
 *                          ignored when P = 0)
 * @param sizePower         P ≥ 0 of the size-estimate law (0: none)
 */
public record ErrorModel(String scope, double sigma0, double sigma1, double exponent, double correlationLength,
                         double contrastExponent, double contrastFloor, Map<String, Object> provenance,
                         double sizeReferenceWidth, double sizePower) {

    /** The format name of the entry. */
    public static final String FORMAT = "lnpsaxs-error-model";
    /**
     * The format version of the entry (3 with a size-estimate law; written as 2 with a contrast law
     * only, 1 without either; all three are read).
     */
    public static final int FORMAT_VERSION = 3;
    /** The reference q of the σ form, Å⁻¹. */
    public static final double REFERENCE_Q = 0.1;
    /** The reference contrast c_ref of the contrast law. */
    public static final double REFERENCE_CONTRAST = 0.1;
    /** The parameter whose value is the core's mean contrast g. */
    public static final String CORE_CONTRAST = "GRF_shift";
    /** The parameter ρ that makes the shell's contrast ρ(1 + g) − 1. */
    public static final String SHELL_DENSITY = "relative_rho_shell";
    /** The size distribution's location, whose estimate the size-estimate law concerns (Å). */
    public static final String SIZE_LOCATION = "radius_mean";
    /** The size distribution's width, whose value sets the size-estimate law's factor (dimensionless). */
    public static final String SIZE_WIDTH = "radius_cv";

    /** An error model with a contrast law (b &gt; 0) or without (b = 0), and no size-estimate law. */
    public ErrorModel(String scope, double sigma0, double sigma1, double exponent, double correlationLength,
                      double contrastExponent, double contrastFloor, Map<String, Object> provenance) {
        this(scope, sigma0, sigma1, exponent, correlationLength, contrastExponent, contrastFloor, provenance, 0, 0);
    }

    /** An error model whose size does not depend on the parameters (b = 0). */
    public ErrorModel(String scope, double sigma0, double sigma1, double exponent, double correlationLength,
                      Map<String, Object> provenance) {
        this(scope, sigma0, sigma1, exponent, correlationLength, 0, 0, provenance);
    }

    /**
     * Checks and copies.
     *
     * @throws IllegalArgumentException if a number is negative or not finite, or scope is blank
     */
    public ErrorModel {
        Objects.requireNonNull(scope, "scope");
        if (scope.isBlank()) {
            throw new IllegalArgumentException("error model: the scope (what the error is of) is blank");
        }
        check("sigma0", sigma0);
        check("sigma1", sigma1);
        check("exponent", exponent);
        check("correlation length", correlationLength);
        check("contrast exponent", contrastExponent);
        check("contrast floor", contrastFloor);
        if (contrastExponent > 0 && !(contrastFloor > 0)) {
            throw new IllegalArgumentException("error model: a contrast law (exponent " + contrastExponent
                    + ") needs a floor > 0, got " + contrastFloor);
        }
        check("size-estimate power", sizePower);
        check("size-estimate reference width", sizeReferenceWidth);
        if (sizePower > 0 && !(sizeReferenceWidth > 0)) {
            throw new IllegalArgumentException("error model: a size-estimate law (power " + sizePower
                    + ") needs a reference width > 0, got " + sizeReferenceWidth);
        }
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    private static void check(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("error model: " + name + " is " + v + "; it must be finite and >= 0");
        }
    }

    /**
     * This error model with the size-estimate law (w_ref, P) and {@code provenance} in place of its own
     * (P = 0: without the law).
     */
    public ErrorModel withSizeEstimates(double referenceWidth, double power, Map<String, Object> provenance) {
        return new ErrorModel(scope, sigma0, sigma1, exponent, correlationLength, contrastExponent, contrastFloor,
                provenance, power == 0 ? 0 : referenceWidth, power);
    }

    /** Whether the error model has a size-estimate law (P &gt; 0). */
    public boolean hasSizeEstimates() {
        return sizePower > 0;
    }

    /** σ(q) in ln I at {@code q} Å⁻¹ (q ≥ 0). */
    public double sigma(double q) {
        return sigma0 + sigma1 * Math.pow(q / REFERENCE_Q, exponent);
    }

    /** Whether the error's size depends on the parameters (a contrast law with b &gt; 0). */
    public boolean dependsOnContrast() {
        return contrastExponent > 0;
    }

    /**
     * The factor a of the contrast law at the core contrast g and shell density ρ (1 without a law).
     */
    public double amplitude(double g, double rho) {
        if (contrastExponent == 0) {
            return 1;
        }
        double cs = rho * (1 + g) - 1;
        double c2 = g * g + cs * cs + contrastFloor * contrastFloor;
        return Math.pow(c2 / (REFERENCE_CONTRAST * REFERENCE_CONTRAST), -contrastExponent / 2);
    }

    /**
     * The error on a grid, as the likelihood takes it: σ(q) at the grid points and, with a contrast
     * law, its amplitude bound to the positions of {@value #CORE_CONTRAST} and
     * {@value #SHELL_DENSITY} among {@code parameters}; with a size-estimate law, the
     * {@link SizeEstimateTerm} bound to {@value #SIZE_LOCATION} and {@value #SIZE_WIDTH} where the
     * parameters have both (a model without a size distribution has no size estimates: no term).
     *
     * @param grid       strictly ascending q, Å⁻¹ (normally the surrogate's grid or a window of it)
     * @param parameters the bound model's parameter names, in its order
     * @throws IllegalArgumentException if the error has a contrast law and a parameter it needs is missing
     */
    public ModelError modelError(double[] grid, List<String> parameters) {
        double[] s = new double[grid.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = sigma(grid[i]);
        }
        Object date = provenance.get("date");
        ModelError me = new ModelError(grid, s, correlationLength, scope + (date == null ? "" : " (measured " + date + ")"));
        int il = parameters.indexOf(SIZE_LOCATION);
        int iw = parameters.indexOf(SIZE_WIDTH);
        if (hasSizeEstimates() && il >= 0 && iw >= 0) {
            me = me.withSizeEstimates(new SizeEstimateTerm(il, iw, sizeReferenceWidth, sizePower));
        }
        if (!dependsOnContrast()) {
            return me;
        }
        int ig = parameters.indexOf(CORE_CONTRAST);
        int ir = parameters.indexOf(SHELL_DENSITY);
        if (ig < 0 || ir < 0) {
            throw new IllegalArgumentException("error model: its size depends on " + CORE_CONTRAST + " and " + SHELL_DENSITY
                    + ", which the model's parameters " + parameters + " lack");
        }
        return me.withAmplitude(new ContrastAmplitude(ig, ir, contrastExponent, contrastFloor));
    }

    /** The contrast law bound to parameter positions (see the class comment). */
    private record ContrastAmplitude(int ig, int ir, double b, double floor) implements ErrorAmplitude {
        @Override
        public double at(double[] theta, int offset, int parameters, double[] gradient, int gOffset) {
            double g = theta[offset + ig];
            double rho = theta[offset + ir];
            double cs = rho * (1 + g) - 1;
            double c2 = g * g + cs * cs + floor * floor;
            double a = Math.pow(c2 / (REFERENCE_CONTRAST * REFERENCE_CONTRAST), -b / 2);
            if (gradient != null) {
                java.util.Arrays.fill(gradient, gOffset, gOffset + parameters, 0.0);
                double dA = -b / 2 * a / c2;
                gradient[gOffset + ig] = dA * (2 * g + 2 * cs * rho);
                gradient[gOffset + ir] = dA * 2 * cs * (1 + g);
            }
            return a;
        }

        @Override
        public String description() {
            return String.format(Locale.ROOT, "(sqrt(c^2 + %.3g^2)/0.1)^-%.3g, c^2 = GRF_shift^2 + (relative_rho_shell"
                    + " (1 + GRF_shift) - 1)^2", floor, b);
        }
    }

    /** The entry's JSON text (UTF-8). */
    public byte[] toJson() {
        Map<String, Object> sigma = new LinkedHashMap<>();
        sigma.put("form", "sigma0 + sigma1 * (q / 0.1 1/A)^exponent, natural-log units");
        sigma.put("sigma0", sigma0);
        sigma.put("sigma1", sigma1);
        sigma.put("exponent", exponent);
        Map<String, Object> corr = new LinkedHashMap<>();
        corr.put("kernel", "matern-3/2");
        corr.put("length", correlationLength);
        corr.put("unit", "1/A");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("formatVersion", hasSizeEstimates() ? FORMAT_VERSION : dependsOnContrast() ? 2 : 1);
        m.put("quantity", "ln I_model - ln I_simulator");
        m.put("scope", scope);
        m.put("sigma", sigma);
        m.put("correlation", corr);
        if (dependsOnContrast()) {
            Map<String, Object> amp = new LinkedHashMap<>();
            amp.put("form", "sigma(q) times (sqrt(c^2 + floor^2) / 0.1)^-exponent, c^2 = GRF_shift^2 +"
                    + " (relative_rho_shell * (1 + GRF_shift) - 1)^2 (the core's and the shell's contrast)");
            amp.put("exponent", contrastExponent);
            amp.put("floor", contrastFloor);
            m.put("amplitude", amp);
        }
        if (hasSizeEstimates()) {
            Map<String, Object> size = new LinkedHashMap<>();
            size.put("form", "at the best fit, the part of the error that moves the estimates of radius_mean and"
                    + " radius_cv scaled in variance by (radius_cv / reference_width)^-power");
            size.put("reference_width", sizeReferenceWidth);
            size.put("power", sizePower);
            m.put("size_estimates", size);
        }
        m.put("provenance", provenance);
        return (Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the entry's JSON text (without Jackson databind).
     *
     * @param source names the model file in messages
     * @throws IOException if the text is not an error model of this format (the message says what)
     */
    public static ErrorModel fromJson(byte[] json, String source) throws IOException {
        String where = source + ": " + ModelFile.ERROR_MODEL;
        Object v;
        try {
            v = JsonValues.read(json);
        } catch (JsonProcessingException e) {
            throw new IOException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(v instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format"))) {
            throw new IOException(where + " is not an error model (format '" + (v instanceof Map<?, ?> mm
                    ? mm.get("format") : null) + "', expected '" + FORMAT + "')");
        }
        if (!(m.get("formatVersion") instanceof Long ver) || ver < 1 || ver > FORMAT_VERSION) {
            throw new IOException(where + ": error model version " + m.get("formatVersion") + " is not supported (this"
                    + " library reads versions 1 to " + FORMAT_VERSION + ")");
        }
        try {
            Map<?, ?> sigma = map(m, "sigma", where);
            Map<?, ?> corr = map(m, "correlation", where);
            if (!"matern-3/2".equals(corr.get("kernel"))) {
                throw new IOException(where + ": correlation kernel '" + corr.get("kernel") + "' is not supported (this"
                        + " library reads matern-3/2)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> prov = m.get("provenance") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
            double b = 0;
            double floor = 0;
            if (m.get("amplitude") != null) {
                Map<?, ?> amp = map(m, "amplitude", where);
                b = number(amp, "exponent", where);
                floor = number(amp, "floor", where);
            }
            double width = 0;
            double power = 0;
            if (m.get("size_estimates") != null) {
                Map<?, ?> size = map(m, "size_estimates", where);
                width = number(size, "reference_width", where);
                power = number(size, "power", where);
            }
            return new ErrorModel(String.valueOf(m.get("scope")), number(sigma, "sigma0", where),
                    number(sigma, "sigma1", where), number(sigma, "exponent", where), number(corr, "length", where), b,
                    floor, prov, width, power);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static Map<?, ?> map(Map<?, ?> m, String key, String where) throws IOException {
        if (!(m.get(key) instanceof Map<?, ?> v)) {
            throw new IOException(where + " lacks the object '" + key + "'");
        }
        return v;
    }

    private static double number(Map<?, ?> m, String key, String where) throws IOException {
        if (!(m.get(key) instanceof Number v)) {
            throw new IOException(where + " lacks the number '" + key + "'");
        }
        return v.doubleValue();
    }

    /** Equal when the JSON forms are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorModel e && Json.canonical(toMap()).equals(Json.canonical(e.toMap()));
    }

    @Override
    public int hashCode() {
        return Json.canonical(toMap()).hashCode();
    }

    private List<Object> toMap() {
        return List.of(scope, sigma0, sigma1, exponent, correlationLength, contrastExponent, contrastFloor, provenance,
                sizeReferenceWidth, sizePower);
    }

    /** The form with its numbers and the scope. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ErrorModel[sigma(q) = %.4g + %.4g (q/0.1)^%.3g in ln I%s, Matérn-3/2 length %.4g"
                + " 1/Å%s; %s]", sigma0, sigma1, exponent, dependsOnContrast() ? String.format(Locale.ROOT,
                " times (sqrt(c^2 + %.3g^2)/0.1)^-%.3g of the contrast c", contrastFloor, contrastExponent) : "",
                correlationLength, hasSizeEstimates() ? String.format(Locale.ROOT, ", the size estimates' part in"
                + " variance x (radius_cv/%.4g)^-%.3g", sizeReferenceWidth, sizePower) : "", scope);
    }
}
