package org.lnpsaxs.polydispersity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.polydispersity.distribution.SasDistribution;
import org.lnpsaxs.polydispersity.quadrature.SasmodelsGrid;

/**
 * The named tier shared by the polydisperse layers: sasmodels' names of the dispersion settings
 * ({@code P_pd}, {@code P_pd_n}, {@code P_pd_nsigma}, {@code P_pd_type}) and their defaults, the
 * default value of every layer parameter, and values carried across a change of structure (a
 * dispersion added or changed). Not a user class.
 */
final class NamedParameters {

    /** The relative width σ/centre: a parameter of the layer once the dispersion exists. */
    static final String PD = "_pd";
    /** The number of points of sasmodels' grid. */
    static final String PD_N = "_pd_n";
    /** The half-width of sasmodels' grid in σ. */
    static final String PD_NSIGMA = "_pd_nsigma";
    /** The distribution type (gaussian, lognormal, schulz). */
    static final String PD_TYPE = "_pd_type";
    /** The settings' suffixes, in sasmodels' order. */
    static final List<String> SUFFIXES = List.of(PD, PD_N, PD_NSIGMA, PD_TYPE);
    /** sasmodels' default distribution type. */
    static final SasDistribution.Type DEFAULT_TYPE = SasDistribution.Type.GAUSSIAN;

    private NamedParameters() {
    }

    /** A dispersion setting: the distributed parameter and the suffix. */
    record Setting(String parameter, String suffix) {

        String name() {
            return parameter + suffix;
        }
    }

    /** The setting called {@code name} of one of the {@code distributable} parameters, or null. */
    static Setting setting(String name, List<String> distributable) {
        for (String p : distributable) {
            for (String suffix : SUFFIXES) {
                if (name.equals(p + suffix)) {
                    return new Setting(p, suffix);
                }
            }
        }
        return null;
    }

    /**
     * Every name a user may set: the layer's parameters, then the settings of each distributable
     * parameter (not distributed, or with a sasmodels distribution) that are not already among them.
     */
    static List<String> knownNames(ParameterSpace space, List<String> distributable, List<Dispersion> dispersions) {
        List<String> names = new ArrayList<>(space.names());
        for (String p : distributable) {
            Dispersion d = find(dispersions, p);
            if (d != null && !(d.distribution() instanceof SasDistribution)) {
                continue;
            }
            for (String suffix : SUFFIXES) {
                if (!names.contains(p + suffix)) {
                    names.add(p + suffix);
                }
            }
        }
        return names;
    }

    /** The error for an unknown name, listing the known ones. */
    static IllegalArgumentException unknown(String name, String model, ParameterSpace space, List<String> distributable,
                                            List<Dispersion> dispersions) {
        return new IllegalArgumentException("unknown parameter '" + name + "' for " + model + "; allowed: "
                + String.join(", ", knownNames(space, distributable, dispersions)));
    }

    /** The dispersion of {@code parameter}, or null. */
    static Dispersion find(List<Dispersion> dispersions, String parameter) {
        for (Dispersion d : dispersions) {
            if (d.parameter().equals(parameter)) {
                return d;
            }
        }
        return null;
    }

    /**
     * The dispersions after setting {@code setting} to {@code value} (an Integer for
     * {@code _pd_n}, a Double for {@code _pd_nsigma}, a {@link SasDistribution.Type} for
     * {@code _pd_type}; ignored for {@code _pd}, whose value is a layer parameter). A parameter
     * without a dispersion gets sasmodels' (gaussian, {@value SasmodelsGrid#DEFAULT_POINTS} points,
     * ±{@value SasmodelsGrid#DEFAULT_NSIGMAS} σ), inserted in the model's parameter order.
     *
     * @throws IllegalArgumentException when the parameter is distributed otherwise (e.g. the
     *                                  paper's truncated log-normal) and the setting does not apply
     */
    static List<Dispersion> withSetting(List<Dispersion> dispersions, List<String> modelOrder, Setting setting,
                                        Object value) {
        Dispersion d = find(dispersions, setting.parameter());
        boolean added = d == null;
        if (added) {
            d = Dispersion.sasmodels(setting.parameter(), DEFAULT_TYPE, SasmodelsGrid.DEFAULT_POINTS,
                    SasmodelsGrid.DEFAULT_NSIGMAS);
        } else if (!(d.distribution() instanceof SasDistribution)) {
            throw new IllegalArgumentException("parameter " + setting.parameter() + " is distributed as "
                    + d.distribution().name() + " " + d.parameterNames() + "; " + setting.name()
                    + " applies to sasmodels' distributions (gaussian, lognormal, schulz)");
        }
        Dispersion changed = switch (setting.suffix()) {
            case PD -> d;
            case PD_TYPE -> d.withDistribution(((SasDistribution.Type) value).create(1.0, 0.0));
            default -> {
                if (!(d.rule() instanceof SasmodelsGrid grid)) {
                    throw new IllegalArgumentException("the dispersion of " + setting.parameter() + " uses the rule "
                            + d.rule().name() + "; " + setting.name() + " sets sasmodels' grid");
                }
                yield setting.suffix().equals(PD_N)
                        ? d.withRule(SasmodelsGrid.of((Integer) value, grid.nsigmas()))
                        : d.withRule(SasmodelsGrid.of(grid.npts(), (Double) value));
            }
        };
        List<Dispersion> out = new ArrayList<>();
        boolean placed = false;
        for (String p : modelOrder) {
            Dispersion existing = find(dispersions, p);
            if (p.equals(setting.parameter())) {
                out.add(changed);
                placed = true;
            } else if (existing != null) {
                out.add(existing);
            }
        }
        if (!placed) {
            throw new IllegalArgumentException("parameter " + setting.parameter() + " is not a model parameter");
        }
        return out;
    }

    /** A point count for {@code name}: a whole number from 0 to 100000. */
    static int points(String name, double value) {
        if (!(value >= 0 && value <= 100_000) || value != Math.rint(value)) {
            throw new IllegalArgumentException("parameter " + name + " = " + value
                    + " must be a whole number of points from 0 to 100000");
        }
        return (int) value;
    }

    /** A grid half-width for {@code name}: finite and &gt; 0. */
    static double nsigmas(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("parameter " + name + " = " + value + " must be a finite number > 0");
        }
        return value;
    }

    /** The distribution type for {@code name}, by its sasmodels name. */
    static SasDistribution.Type type(String name, String value) {
        try {
            return SasDistribution.Type.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter " + name + " = " + value + " is not a distribution; allowed: "
                    + String.join(", ", Arrays.stream(SasDistribution.Type.values()).map(SasDistribution.Type::sasName)
                    .toList()), e);
        }
    }

    /** A number given as text for {@code name}. */
    static double number(String name, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter " + name + " = '" + value + "' is not a number", e);
        }
    }

    /**
     * Checks that {@code value} is finite and inside the bounds of parameter {@code name}.
     *
     * @return the index of the parameter
     */
    static int check(ParameterSpace space, String name, double value) {
        int i = space.indexOf(name);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("parameter " + name + " = " + value + " is not finite");
        }
        space.get(i).check(value);
        return i;
    }

    /** The values for {@code newSpace}: the old value of each name the old space had, else the default. */
    static double[] carry(ParameterSpace oldSpace, double[] oldValues, ParameterSpace newSpace, double[] newDefaults) {
        double[] v = newDefaults.clone();
        for (int i = 0; i < v.length; i++) {
            String name = newSpace.get(i).name();
            if (oldSpace.contains(name)) {
                double old = oldValues[oldSpace.indexOf(name)];
                if (newSpace.get(i).contains(old)) {
                    v[i] = old;
                }
            }
        }
        return v;
    }

    /**
     * The defaults of the expanded parameters: a model parameter's own default; a distribution's
     * location (its first parameter: sasmodels' centre, the truncated log-normal's mean) the default
     * of the distributed parameter when that lies inside the location's bounds; every other
     * distribution parameter the template's value (pd 0 for sasmodels' families).
     *
     * @param modelDefaults one value per model parameter (NaN where the model has no default)
     */
    static double[] expandedDefaults(ParameterSpace modelSpace, double[] modelDefaults, List<Dispersion> dispersions,
                                     ParameterSpace expanded) {
        double[] v = new double[expanded.size()];
        Arrays.fill(v, Double.NaN);
        for (int i = 0; i < modelSpace.size(); i++) {
            String name = modelSpace.get(i).name();
            Dispersion d = find(dispersions, name);
            if (d == null) {
                v[expanded.indexOf(name)] = modelDefaults[i];
                continue;
            }
            List<String> names = d.parameterNames();
            double[] template = d.distribution().parameterValues();
            for (int j = 0; j < names.size(); j++) {
                int at = expanded.indexOf(names.get(j));
                Parameter p = expanded.get(at);
                double own = modelDefaults[i];
                v[at] = j == 0 && p.contains(own) ? own : (p.contains(template[j]) ? template[j] : Double.NaN);
            }
        }
        return v;
    }

    /**
     * Checks that every current value is set (models without a default leave NaN).
     *
     * @throws IllegalArgumentException naming the parameters without a value
     */
    static void requireSet(ParameterSpace space, double[] values, String model) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                missing.add(space.get(i).name());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(model + " has no default for " + String.join(", ", missing)
                    + "; set " + (missing.size() == 1 ? "it" : "them") + " by name with with(name, value)");
        }
    }

    /**
     * Checks that no sasmodels dispersion has a width on a grid of zero points.
     *
     * @throws IllegalArgumentException naming {@code P_pd_n} and {@code P_pd}
     */
    static void requirePoints(ParameterSpace space, double[] values, List<Dispersion> dispersions) {
        for (Dispersion d : dispersions) {
            if (d.rule() instanceof SasmodelsGrid grid && grid.npts() == 0 && d.distribution() instanceof SasDistribution) {
                String pdName = d.parameterName("pd");
                double pd = values[space.indexOf(pdName)];
                if (pd > 0) {
                    throw new IllegalArgumentException("parameter " + d.prefix() + PD_N + " = 0 with " + pdName + " = "
                            + text(pd) + " > 0: give at least 1 point (SasView uses " + SasmodelsGrid.DEFAULT_POINTS
                            + "), or " + pdName + " = 0 for a single " + d.parameter());
                }
            }
        }
    }

    /** Name = value pairs of the current values, e.g. {@code radius=250 radius_pd=0.1}. */
    static String describe(ParameterSpace space, double[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : " ").append(space.get(i).name()).append('=').append(text(values[i]));
        }
        return sb.toString();
    }

    /** A number as a person writes it: {@code 250} rather than {@code 250.0}. */
    static String text(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
