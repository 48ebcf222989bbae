package org.lnpsaxs.core.formfactor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.core.resolution.SmearedModel;

/**
 * A monodisperse sasmodels model on a fixed q grid: a {@link FormFactor} with sasmodels'
 * {@code scale} and {@code background} put in front of its parameters,
 * \[ I(q) = \mathrm{scale}\cdot f2(q)/V + \mathrm{background} \quad [\mathrm{cm}^{-1}], \]
 * with \( f2 = 10^{-4}F^2 \) and \( V \) the form volume. This is the single-node case of
 * sasmodels' polydisperse average \( \mathrm{scale}\,\langle f2\rangle/\langle V\rangle +
 * \mathrm{background} \); with {@code scale} = volume fraction the intensity is absolute.
 *
 * <p>Parameters, in sasmodels' order: {@code scale} (dimensionless, default 1, [0, ∞)),
 * {@code background} (cm⁻¹, default 0.001 as in sasmodels, unbounded), then the kernel's
 * parameters with sasmodels' defaults. The model also carries a current value for every parameter
 * (initially the defaults), changed by name with {@link #with(String, double)}, so that a curve is
 * one line in JShell:
 * <pre>{@code
 * double[] i = SasModel.coreShellSphere(QGrid.log(0.001, 0.5, 200))
 *         .with("radius", 250).with("thickness", 30)
 *         .with("sld_core", 10).with("sld_shell", 10.5).with("sld_solvent", 9.47)
 *         .with("background", 0)
 *         .evaluate();
 * }</pre>
 * The batched {@link #evaluate(double[], int, double[])} and
 * {@link #vectorJacobianProduct(double[], int, double[], double[])} are the implementation (they
 * ignore the current values); the other calls use them. Immutable and thread-safe. A parameter
 * set whose form volume is 0 (radius + thickness = 0) is refused, since \( f2/V \) is undefined.
 */
public final class SasModel implements DifferentiableModel {

    /** Scale factor (volume fraction for absolute data), dimensionless. */
    public static final String SCALE = "scale";
    /** Flat background, cm⁻¹. */
    public static final String BACKGROUND = "background";
    /** sasmodels' default background, cm⁻¹. */
    public static final double DEFAULT_BACKGROUND = 0.001;

    private static final int NC = 2;

    private final FormFactor formFactor;
    private final QGrid grid;
    private final double[] q;
    private final ParameterSpace space;
    private final double[] defaults;
    private final double[] values;

    private SasModel(FormFactor formFactor, QGrid grid, ParameterSpace space, double[] defaults, double[] values) {
        this.formFactor = formFactor;
        this.grid = grid;
        this.q = grid.values();
        this.space = space;
        this.defaults = defaults;
        this.values = values;
    }

    /**
     * A model of {@code formFactor} on {@code grid} whose current values are scale 1,
     * background 0.001 and {@code kernelDefaults}.
     *
     * @param kernelDefaults one value per kernel parameter, in its order, inside its bounds
     */
    public static SasModel of(FormFactor formFactor, QGrid grid, double[] kernelDefaults) {
        Objects.requireNonNull(formFactor, "formFactor");
        Objects.requireNonNull(grid, "grid");
        ParameterSpace kernel = formFactor.parameters();
        if (kernelDefaults.length != kernel.size()) {
            throw new IllegalArgumentException(formFactor.name() + ": " + kernelDefaults.length
                    + " default values given for the " + kernel.size() + " parameters " + kernel.names());
        }
        List<Parameter> all = new ArrayList<>();
        all.add(new Parameter(SCALE, "", 0, Double.POSITIVE_INFINITY,
                "scale factor (volume fraction for absolute intensities)"));
        all.add(new Parameter(BACKGROUND, "1/cm", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                "flat background"));
        all.addAll(kernel.asList());
        ParameterSpace space = ParameterSpace.of(all);
        double[] v = new double[space.size()];
        v[0] = 1.0;
        v[1] = DEFAULT_BACKGROUND;
        System.arraycopy(kernelDefaults, 0, v, NC, kernelDefaults.length);
        checkFinite(space, v, 1);
        space.check(v, 1);
        return new SasModel(formFactor, grid, space, v, v);
    }

    /** A built-in model by its sasmodels name ({@code sphere}, {@code core_shell_sphere}) with sasmodels' defaults. */
    public static SasModel byName(String name, QGrid grid) {
        return of(FormFactors.byName(name), grid, FormFactors.defaults(name));
    }

    /** sasmodels' {@code sphere} on {@code grid}, at sasmodels' defaults (see {@link Sphere}). */
    public static SasModel sphere(QGrid grid) {
        return byName(Sphere.NAME, grid);
    }

    /** sasmodels' {@code core_shell_sphere} on {@code grid}, at sasmodels' defaults (see {@link CoreShellSphere}). */
    public static SasModel coreShellSphere(QGrid grid) {
        return byName(CoreShellSphere.NAME, grid);
    }

    /** The form factor. */
    public FormFactor formFactor() {
        return formFactor;
    }

    /** The q grid, Å⁻¹. */
    public QGrid grid() {
        return grid;
    }

    @Override
    public ParameterSpace parameters() {
        return space;
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    @Override
    public int qSize() {
        return q.length;
    }

    /**
     * sasmodels' default values in parameter order (scale 1, background 0.001, then the kernel's
     * defaults), whatever {@link #with} changed (a fresh array).
     */
    public double[] defaults() {
        return defaults.clone();
    }

    /** The current parameter values in order (the defaults, changed by {@link #with}; a fresh array). */
    public double[] values() {
        return values.clone();
    }

    /** The current value of parameter {@code name}. */
    public double value(String name) {
        return values[space.indexOf(name)];
    }

    /**
     * A copy whose current value of {@code name} is {@code value}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the allowed ones), a value
     *                                  that is not finite or outside the parameter's bounds
     */
    public SasModel with(String name, double value) {
        int i = space.indexOf(name);
        Parameter p = space.get(i);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("parameter " + name + " = " + value + " is not finite");
        }
        p.check(value);
        double[] v = values.clone();
        v[i] = value;
        return new SasModel(formFactor, grid, space, defaults, v);
    }

    /** A copy with several current values changed by name (see {@link #with(String, double)}). */
    public SasModel with(Map<String, ? extends Number> named) {
        SasModel m = this;
        for (Map.Entry<String, ? extends Number> e : named.entrySet()) {
            m = m.with(e.getKey(), e.getValue().doubleValue());
        }
        return m;
    }

    /** The same model and current values on another q grid. */
    public SasModel withGrid(QGrid newGrid) {
        return new SasModel(formFactor, Objects.requireNonNull(newGrid, "grid"), space, defaults, values);
    }

    /** I(q) in cm⁻¹ at the current values (calls the batched path). */
    public double[] evaluate() {
        return evaluate(values);
    }

    /**
     * This model smeared by {@code resolution}: the same form factor and current values, evaluated
     * on the operator's calculation grid and mapped to its output grid (which need not be this
     * model's grid).
     */
    public SmearedModel smeared(ResolutionOperator resolution) {
        return new SmearedModel(withGrid(resolution.qCalc()), resolution);
    }

    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        int p = space.size();
        int pk = p - NC;
        int nq = q.length;
        checkFinite(space, theta, batch);
        space.check(theta, batch);
        if (out.length < (long) batch * nq) {
            throw new IllegalArgumentException("out holds " + out.length + " values, need " + ((long) batch * nq));
        }
        double[] kernelTheta = kernelTheta(theta, batch, p, pk);
        double[] volume = new double[batch];
        formFactor.compute(q, kernelTheta, batch, out, volume);
        for (int b = 0; b < batch; b++) {
            double v = checkVolume(volume[b], b, batch);
            double scaleOverV = theta[b * p] / v;
            double background = theta[b * p + 1];
            int off = b * nq;
            for (int i = 0; i < nq; i++) {
                out[off + i] = scaleOverV * out[off + i] + background;
            }
        }
    }

    @Override
    public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
        int p = space.size();
        int pk = p - NC;
        int nq = q.length;
        checkFinite(space, theta, batch);
        space.check(theta, batch);
        if (dLdI.length < (long) batch * nq) {
            throw new IllegalArgumentException("dLdI holds " + dLdI.length + " values, need " + ((long) batch * nq));
        }
        if (dLdTheta.length < (long) batch * p) {
            throw new IllegalArgumentException("dLdTheta holds " + dLdTheta.length + " values, need " + ((long) batch * p));
        }
        double[] kernelTheta = kernelTheta(theta, batch, p, pk);
        double[] f2 = new double[batch * nq];
        double[] volume = new double[batch];
        double[] gF2 = new double[batch * pk];
        // one pass: f2, V and sum_i dLdI_i df2_i/dtheta (the factor scale/V is applied below)
        formFactor.computeWithVectorJacobianProduct(q, kernelTheta, batch, dLdI, null, f2, volume, gF2);
        double[] dLdV = new double[batch];
        for (int b = 0; b < batch; b++) {
            double v = checkVolume(volume[b], b, batch);
            double scale = theta[b * p];
            int off = b * nq;
            double sumF2 = 0.0;
            double sumI = 0.0;
            for (int i = 0; i < nq; i++) {
                sumF2 += dLdI[off + i] * f2[off + i];
                sumI += dLdI[off + i];
            }
            dLdTheta[b * p] = sumF2 / v;
            dLdTheta[b * p + 1] = sumI;
            dLdV[b] = -scale * sumF2 / (v * v);
            double scaleOverV = scale / v;
            for (int k = 0; k < pk; k++) {
                dLdTheta[b * p + NC + k] = scaleOverV * gF2[b * pk + k];
            }
        }
        // dV/dtheta only: no q loop
        formFactor.vectorJacobianProduct(q, kernelTheta, batch, null, dLdV, gF2);
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < pk; k++) {
                dLdTheta[b * p + NC + k] += gF2[b * pk + k];
            }
        }
    }

    private static double[] kernelTheta(double[] theta, int batch, int p, int pk) {
        double[] k = new double[batch * pk];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(theta, b * p + NC, k, b * pk, pk);
        }
        return k;
    }

    private double checkVolume(double v, int b, int batch) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(formFactor.name() + ": the form volume is " + v + " Å^3"
                    + (batch > 1 ? " (set " + b + ")" : "")
                    + "; I = scale*F^2/V needs a particle of positive size (radius"
                    + (formFactor.parameters().size() > 3 ? " + thickness" : "") + " > 0)");
        }
        return v;
    }

    private static void checkFinite(ParameterSpace space, double[] theta, int batch) {
        int p = space.size();
        long n = Math.min((long) batch * p, theta.length);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(theta[i])) {
                throw new IllegalArgumentException("parameter " + space.get(i % p).name() + " = " + theta[i]
                        + (batch > 1 ? " (set " + i / p + ")" : "") + " is not finite");
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SasModel[").append(formFactor.name()).append(", ")
                .append(grid).append(',');
        for (int i = 0; i < values.length; i++) {
            sb.append(' ').append(space.get(i).name()).append('=').append(values[i]);
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SasModel m && m.formFactor.getClass() == formFactor.getClass()
                && m.formFactor.name().equals(formFactor.name())
                && m.grid.equals(grid) && Arrays.equals(m.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(formFactor.name(), grid, Arrays.hashCode(values));
    }
}
