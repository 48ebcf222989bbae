package org.lnpsaxs.core.resolution;

import java.util.Arrays;
import java.util.Objects;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * A differentiable model seen through a resolution: an inner model evaluated on the operator's
 * calculation grid, then smeared, \( I_s = W\,I(q_\mathrm{calc};\theta) \), with the reverse mode
 * \( \partial L/\partial\theta = J_I^\mathsf{T}\,W^\mathsf{T}\,\partial L/\partial I_s \).
 *
 * <p>Same parameters (and units) as the inner model; the q grid is the operator's output grid
 * (Å⁻¹) and the intensity keeps the inner model's unit. When the inner model has a fused forward
 * and reverse pass ({@link FusedDifferentiableModel}), {@link #evaluateAndBackpropagate} uses it
 * (the smearing and its transpose run inside the callback); otherwise it evaluates, then
 * back-propagates. Immutable and thread-safe when the inner model is.
 */
public final class SmearedModel implements FusedDifferentiableModel {

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
    public void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                         double[] dLdTheta) {
        if (!(inner instanceof FusedDifferentiableModel fused)) {
            FusedDifferentiableModel.super.evaluateAndBackpropagate(theta, batch, out, upstream, dLdTheta);
            return;
        }
        int m = resolution.calcSize();
        double[] calc = new double[batch * m];
        double[] smeared = new double[batch * resolution.outputSize()];
        fused.evaluateAndBackpropagate(theta, batch, calc, (intensity, rows, g) -> {
            resolution.apply(intensity, rows, out);
            upstream.compute(out, rows, smeared);
            resolution.applyTranspose(smeared, rows, g);
        }, dLdTheta);
        resolution.apply(calc, batch, out);
    }

    @Override
    public String toString() {
        return "SmearedModel[" + inner + ", " + resolution + "]";
    }
}
