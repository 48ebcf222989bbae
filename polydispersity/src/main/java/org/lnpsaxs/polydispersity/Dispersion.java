package org.lnpsaxs.polydispersity;

import java.util.Objects;

import org.lnpsaxs.polydispersity.distribution.SasDistribution;
import org.lnpsaxs.polydispersity.distribution.SizeDistribution;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreCdf;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;
import org.lnpsaxs.polydispersity.quadrature.QuadratureRule;
import org.lnpsaxs.polydispersity.quadrature.SasmodelsGrid;

/**
 * How one model parameter is made polydisperse: which parameter (a size in Å), which
 * distribution family, which quadrature rule, and how the distribution's parameters are named
 * in the polydisperse model.
 *
 * <p>Naming: the distribution parameter {@code center} (of the sasmodels distributions) takes the
 * name {@code prefix} itself, every other one is called {@code prefix_name}. So a sasmodels
 * Schulz radius gives {@code radius} and {@code radius_pd}; the paper's truncated log-normal gives
 * {@code radius_mean} and {@code radius_cv}. The values held by {@code distribution} are only a
 * template: the polydisperse model reads the distribution's parameters from its own parameter
 * vector.
 *
 * @param parameter    the name of the model parameter that is distributed (e.g. {@code radius}, {@code R})
 * @param distribution the distribution family (a template value)
 * @param rule         the quadrature rule
 * @param prefix       the prefix of the distribution parameters' names
 */
public record Dispersion(String parameter, SizeDistribution distribution, QuadratureRule rule, String prefix) {

    /** Validates the record. */
    public Dispersion {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(distribution, "distribution");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(prefix, "prefix");
        if (parameter.isBlank() || prefix.isBlank()) {
            throw new IllegalArgumentException("dispersion: parameter and prefix must not be blank");
        }
    }

    /** A dispersion whose parameters are named after the distributed parameter. */
    public static Dispersion of(String parameter, SizeDistribution distribution, QuadratureRule rule) {
        return new Dispersion(parameter, distribution, rule, parameter);
    }

    /**
     * The paper's dispersion: a truncated log-normal (mean, cv) truncated to [lower, upper] Å on
     * {@value GaussLegendreCdf#PAPER_NODES} Gauss–Legendre nodes in CDF space. Its parameters are
     * called {@code radius_mean} and {@code radius_cv} when the parameter is the LNP models'
     * {@code R} (the outer radius) or {@code radius}, else {@code <parameter>_mean},
     * {@code <parameter>_cv}.
     */
    public static Dispersion paper(String parameter, double lower, double upper) {
        String prefix = "R".equals(parameter) ? "radius" : parameter;
        double mean = 0.5 * (lower + upper);
        return new Dispersion(parameter, TruncatedLogNormal.of(mean, 0.2, lower, upper), GaussLegendreCdf.paper(), prefix);
    }

    /**
     * {@link #paper(String, double, double)} with the paper's truncation
     * [{@value TruncatedLogNormal#DEFAULT_LOWER}, {@value TruncatedLogNormal#DEFAULT_UPPER}] Å.
     */
    public static Dispersion paper(String parameter) {
        return paper(parameter, TruncatedLogNormal.DEFAULT_LOWER, TruncatedLogNormal.DEFAULT_UPPER);
    }

    /**
     * A sasmodels dispersion: distribution {@code type} (gaussian, lognormal, schulz) on sasmodels'
     * grid of npts points over ±nsigmas σ; parameters {@code <parameter>} (the centre) and
     * {@code <parameter>_pd}.
     */
    public static Dispersion sasmodels(String parameter, String type, int npts, double nsigmas) {
        return sasmodels(parameter, SasDistribution.Type.parse(type), npts, nsigmas);
    }

    /** {@link #sasmodels(String, String, int, double)} with the type as an enum. */
    public static Dispersion sasmodels(String parameter, SasDistribution.Type type, int npts, double nsigmas) {
        return of(parameter, type.create(1.0, 0.0), SasmodelsGrid.of(npts, nsigmas));
    }

    /**
     * A sasmodels dispersion with SasView's defaults ({@value SasmodelsGrid#DEFAULT_POINTS} points,
     * {@value SasmodelsGrid#DEFAULT_NSIGMAS} σ).
     */
    public static Dispersion sasmodels(String parameter, String type) {
        return sasmodels(parameter, type, SasmodelsGrid.DEFAULT_POINTS, SasmodelsGrid.DEFAULT_NSIGMAS);
    }

    /** A copy with another naming prefix. */
    public Dispersion withPrefix(String newPrefix) {
        return new Dispersion(parameter, distribution, rule, newPrefix);
    }

    /** A copy with another quadrature rule. */
    public Dispersion withRule(QuadratureRule newRule) {
        return new Dispersion(parameter, distribution, newRule, prefix);
    }

    /**
     * A copy with the named quadrature rule: {@code withQuadrature(Quadrature.ACCURATE)} for
     * averages within 10⁻³ of the converged integral, {@link Quadrature#PAPER} for the paper's rule.
     */
    public Dispersion withQuadrature(Quadrature quadrature) {
        return withRule(quadrature.rule());
    }

    /** Whether this is a sasmodels dispersion (a sasmodels distribution on sasmodels' grid). */
    public boolean isSasmodels() {
        return distribution instanceof SasDistribution && rule instanceof SasmodelsGrid;
    }

    /** A copy with another distribution family. */
    public Dispersion withDistribution(SizeDistribution newDistribution) {
        return new Dispersion(parameter, newDistribution, rule, prefix);
    }

    /** The name in the polydisperse model of the distribution parameter {@code name}. */
    public String parameterName(String name) {
        return "center".equals(name) ? prefix : prefix + "_" + name;
    }

    /** The names of the distribution's parameters in the polydisperse model, in order. */
    public java.util.List<String> parameterNames() {
        return distribution.parameters().names().stream().map(this::parameterName).toList();
    }

    /**
     * E.g. {@code radius ~ schulz on sasmodels-grid(35 points, ±3 sigma) [radius, radius_pd]}
     * (the distribution's values are a template and are not shown).
     */
    @Override
    public String toString() {
        String family = distribution instanceof TruncatedLogNormal t
                ? t.name() + " truncated to [" + number(t.truncationLower()) + ", " + number(t.truncationUpper()) + "] Å"
                : distribution.name();
        return parameter + " ~ " + family + " on " + rule.name() + " " + parameterNames();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
