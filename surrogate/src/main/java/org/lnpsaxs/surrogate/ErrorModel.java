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
import org.lnpsaxs.optimize.loss.ModelError;
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
 * <p>The error model does not depend on the parameters (the measured monodisperse error does
 * depend on the radius; the provenance records by how much), so that a likelihood's covariance
 * can be factorised once per fit. Immutable.
 *
 * @param scope             what the error is of (one line)
 * @param sigma0            σ₀ ≥ 0, ln I
 * @param sigma1            σ₁ ≥ 0, ln I
 * @param exponent          p ≥ 0
 * @param correlationLength ℓ ≥ 0, Å⁻¹
 * @param provenance        how it was measured (JSON values: maps, lists, strings, numbers)
 */
public record ErrorModel(String scope, double sigma0, double sigma1, double exponent, double correlationLength,
                         Map<String, Object> provenance) {

    /** The format name of the entry. */
    public static final String FORMAT = "lnpsaxs-error-model";
    /** The format version of the entry. */
    public static final int FORMAT_VERSION = 1;
    /** The reference q of the σ form, Å⁻¹. */
    public static final double REFERENCE_Q = 0.1;

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
        provenance = provenance == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    private static void check(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("error model: " + name + " is " + v + "; it must be finite and >= 0");
        }
    }

    /** σ(q) in ln I at {@code q} Å⁻¹ (q ≥ 0). */
    public double sigma(double q) {
        return sigma0 + sigma1 * Math.pow(q / REFERENCE_Q, exponent);
    }

    /**
     * The error on a grid, as the likelihood takes it.
     *
     * @param grid strictly ascending q, Å⁻¹ (normally the surrogate's grid or a window of it)
     */
    public ModelError modelError(double[] grid) {
        double[] s = new double[grid.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = sigma(grid[i]);
        }
        Object date = provenance.get("date");
        return new ModelError(grid, s, correlationLength, scope + (date == null ? "" : " (measured " + date + ")"));
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
        m.put("formatVersion", FORMAT_VERSION);
        m.put("quantity", "ln I_model - ln I_simulator");
        m.put("scope", scope);
        m.put("sigma", sigma);
        m.put("correlation", corr);
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
        if (!(m.get("formatVersion") instanceof Long ver) || ver != FORMAT_VERSION) {
            throw new IOException(where + ": error model version " + m.get("formatVersion") + " is not supported (this"
                    + " library reads version " + FORMAT_VERSION + ")");
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
            return new ErrorModel(String.valueOf(m.get("scope")), number(sigma, "sigma0", where),
                    number(sigma, "sigma1", where), number(sigma, "exponent", where), number(corr, "length", where), prov);
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
        return List.of(scope, sigma0, sigma1, exponent, correlationLength, provenance);
    }

    /** The form with its numbers and the scope. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ErrorModel[sigma(q) = %.4g + %.4g (q/0.1)^%.3g in ln I, Matérn-3/2 length %.4g"
                + " 1/Å; %s]", sigma0, sigma1, exponent, correlationLength, scope);
    }
}
