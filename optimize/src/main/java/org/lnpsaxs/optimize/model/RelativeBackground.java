package org.lnpsaxs.optimize.model;

import java.util.ArrayList;
import java.util.List;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * A model plus a constant background given relative to the model's own intensity at its first q
 * point: \( I'(q) = I(q) + \beta\,I(q_1) \), with the extra parameter {@value #NAME} = β
 * (dimensionless, ≥ 0) appended. A relative background keeps the fit scale-free: the
 * scale-free loss needs no absolute scale, so an absolute background would have no meaning.
 * Reverse mode: \( \partial L/\partial I_k = g_k + \delta_{k1}\beta\sum_i g_i \),
 * \( \partial L/\partial\beta = I(q_1)\sum_i g_i \). Not a user class: {@link AnalyticFitModel#withBackground}
 * uses it.
 */
final class RelativeBackground implements DifferentiableModel {

    /** The name of the appended parameter. */
    static final String NAME = AnalyticFitModel.BACKGROUND_RATIO;

    private final DifferentiableModel inner;
    private final ParameterSpace space;
    private final int p;
    private final int nq;

    /** Wraps {@code inner}. */
    RelativeBackground(DifferentiableModel inner) {
        this.inner = inner;
        List<Parameter> all = new ArrayList<>(inner.parameters().asList());
        all.add(new Parameter(NAME, "", 0, Double.POSITIVE_INFINITY,
                "constant background relative to the model intensity at the first fitted q"));
        this.space = ParameterSpace.of(all);
        this.p = inner.parameters().size();
        this.nq = inner.qSize();
    }

    @Override
    public ParameterSpace parameters() {
        return space;
    }

    @Override
    public double[] q() {
        return inner.q();
    }

    @Override
    public int qSize() {
        return nq;
    }

    private double[] innerTheta(double[] theta, int batch) {
        double[] t = new double[batch * p];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(theta, b * (p + 1), t, b * p, p);
        }
        return t;
    }

    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        space.check(theta, batch);
        inner.evaluate(innerTheta(theta, batch), batch, out);
        for (int b = 0; b < batch; b++) {
            double add = theta[b * (p + 1) + p] * out[b * nq];
            for (int i = 0; i < nq; i++) {
                out[b * nq + i] += add;
            }
        }
    }

    @Override
    public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
        space.check(theta, batch);
        double[] t = innerTheta(theta, batch);
        double[] first = new double[batch * nq];
        inner.evaluate(t, batch, first);
        double[] g = dLdI.clone();
        double[] sums = new double[batch];
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int i = 0; i < nq; i++) {
                s += dLdI[b * nq + i];
            }
            sums[b] = s;
            g[b * nq] += theta[b * (p + 1) + p] * s;
        }
        double[] dt = new double[batch * p];
        inner.vectorJacobianProduct(t, batch, g, dt);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(dt, b * p, dLdTheta, b * (p + 1), p);
            dLdTheta[b * (p + 1) + p] = first[b * nq] * sums[b];
        }
    }
}
