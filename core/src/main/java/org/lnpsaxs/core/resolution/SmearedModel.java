package org.lnpsaxs.core.resolution;

import java.util.Arrays;
import java.util.Objects;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * A differentiable model seen through a resolution: an inner model evaluated on the operator's
 * calculation grid, then smeared, \( I_s = W\,I(q_\mathrm{calc};\theta) \), with the reverse mode
 * \( \partial L/\partial\theta = J_I^\mathsf{T}\,W^\mathsf{T}\,\partial L/\partial I_s \).
 *
 * <p>Same parameters (and units) as the inner model; the q grid is the operator's output grid
 * (Å⁻¹) and the intensity keeps the inner model's unit. Immutable and thread-safe when the inner
 * model is.
 */
public final class SmearedModel implements DifferentiableModel {

    private final DifferentiableModel inner;
    private final ResolutionOperator resolution;

    /**
     * Wraps {@code inner}, whose q grid must be exactly {@code resolution.qCalc()}.
     *
     * @throws IllegalArgumentException if the grids differ
     */
    public SmearedModel(DifferentiableModel inner, ResolutionOperator resolution) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.resolution = Objects.requireNonNull(resolution, "resolution");
        if (!Arrays.equals(inner.q(), resolution.qCalc().values())) {
            throw new IllegalArgumentException("the inner model's q grid (" + inner.qSize()
                    + " points) is not the resolution's calculation grid " + resolution.qCalc()
                    + "; build the inner model on resolution.qCalc()");
        }
    }

    /** The unsmeared model on the calculation grid. */
    public DifferentiableModel inner() {
        return inner;
    }

    /** The resolution operator. */
    public ResolutionOperator resolution() {
        return resolution;
    }

    @Override
    public ParameterSpace parameters() {
        return inner.parameters();
    }

    @Override
    public double[] q() {
        return resolution.q().values();
    }

    @Override
    public int qSize() {
        return resolution.outputSize();
    }

    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        double[] calc = new double[batch * resolution.calcSize()];
        inner.evaluate(theta, batch, calc);
        resolution.apply(calc, batch, out);
    }

    @Override
    public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
        double[] dLdCalc = new double[batch * resolution.calcSize()];
        resolution.applyTranspose(dLdI, batch, dLdCalc);
        inner.vectorJacobianProduct(theta, batch, dLdCalc, dLdTheta);
    }

    @Override
    public String toString() {
        return "SmearedModel[" + inner + ", " + resolution + "]";
    }
}
