package org.lnpsaxs.polydispersity;

import java.util.List;
import java.util.Map;

import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * The number-weighted size-distribution layer over a {@link DifferentiableModel}, with reverse
 * mode. For \( \langle I\rangle_b = \sum_k w_k I(q; x_k, \theta_b) \) and an upstream gradient
 * \( g_b = \partial L/\partial\langle I\rangle_b \):
 * \[ \frac{\partial L}{\partial I_{b,k}} = w_k\,g_b, \quad
 *    \frac{\partial L}{\partial w_k} = \sum_q g_{b}(q)\,I(q; x_k, \theta_b), \]
 * the monodisperse model's own vector-Jacobian product gives \( \partial L/\partial\theta \) and
 * \( \partial L/\partial x_k \) for all rows in one batched call, and the chain rule through
 * \( x_k(\vartheta) \) and \( w_k(\vartheta) \) gives the distribution parameters ϑ (see
 * {@link PolydisperseModel} for the layout). With Gauss–Legendre nodes in CDF space the weights
 * are constant, so the plain {@link #vectorJacobianProduct} needs no forward evaluation of the
 * model at all; with sasmodels' grid it needs one.
 */
public final class DifferentiablePolydisperseModel extends PolydisperseModel implements FusedDifferentiableModel {

    private final DifferentiableModel differentiable;

    DifferentiablePolydisperseModel(DifferentiableModel model, List<Dispersion> dispersions, double[] values,
                                    ParameterSpace oldSpace) {
        super(model, dispersions, values, oldSpace);
        this.differentiable = model;
    }

    @Override
    DifferentiablePolydisperseModel restructured(List<Dispersion> newDispersions) {
        return new DifferentiablePolydisperseModel(differentiable, newDispersions, values, grid.space());
    }

    @Override
    DifferentiablePolydisperseModel withCheckedValues(double[] newValues) {
        return new DifferentiablePolydisperseModel(differentiable, dispersions, newValues, null);
    }

    @Override
    public DifferentiablePolydisperseModel withDispersions(Dispersion... newDispersions) {
        return restructured(List.of(newDispersions));
    }

    @Override
    public DifferentiablePolydisperseModel with(String name, double value) {
        return (DifferentiablePolydisperseModel) super.with(name, value);
    }

    @Override
    public DifferentiablePolydisperseModel with(String name, String value) {
        return (DifferentiablePolydisperseModel) super.with(name, value);
    }

    @Override
    public DifferentiablePolydisperseModel with(Map<String, ?> named) {
        return (DifferentiablePolydisperseModel) super.with(named);
    }

    @Override
    public DifferentiablePolydisperseModel withValues(double... newValues) {
        return (DifferentiablePolydisperseModel) super.withValues(newValues);
    }

    @Override
    public DifferentiableModel monodisperseModel() {
        return differentiable;
    }

    @Override
    public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
        run(theta, batch, null, null, dLdI, dLdTheta);
    }

    @Override
    public void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                         double[] dLdTheta) {
        run(theta, batch, out, upstream, null, dLdTheta);
    }

    private void run(double[] theta, int batch, double[] out, UpstreamGradient upstream, double[] fixedG,
                     double[] dLdTheta) {
        grid.space().check(theta, batch);
        int p = grid.space().size();
        if (dLdTheta.length < (long) batch * p) {
            throw new IllegalArgumentException("dLdTheta holds " + dLdTheta.length + " values, need " + ((long) batch * p));
        }
        Workspace ws = acquire();
        try {
            int rows = grid.expand(ws, theta, batch, p, 0, true);
            int pm = model.parameters().size();
            double[] rowsTheta = rowsTheta(ws, rows);
            double[] dMono = exact(ws, SLOT_DMONO, (long) rows * nq);
            double[] dRows = exact(ws, SLOT_DROWS, (long) rows * pm);
            boolean weightsMove = grid.weightsMove();
            double[] dLdW = weightsMove ? buffer(ws, SLOT_DLDW, rows) : null;
            double[] w = grid.rowWeights(ws);
            int[] start = grid.rowStart(ws);
            if (out == null && upstream == null && !weightsMove) {
                // constant weights: the model's VJP alone, no forward evaluation
                fillRowGradient(start, w, batch, fixedG, dMono);
                differentiable.vectorJacobianProduct(rowsTheta, rows, dMono, dRows);
            } else {
                double[] mono = exact(ws, SLOT_MONO, (long) rows * nq);
                double[] intensity = out != null ? out : buffer(ws, SLOT_OUT, (long) batch * nq);
                double[] g = fixedG != null ? fixedG : buffer(ws, SLOT_G, (long) batch * nq);
                if (differentiable instanceof FusedDifferentiableModel fused) {
                    fused.evaluateAndBackpropagate(rowsTheta, rows, mono, (m, n, dm) -> {
                        reduce(ws, batch, m, intensity);
                        if (upstream != null) {
                            upstream.compute(intensity, batch, g);
                        }
                        fillRowGradient(start, w, batch, g, dm);
                    }, dRows);
                } else {
                    differentiable.evaluate(rowsTheta, rows, mono);
                    reduce(ws, batch, mono, intensity);
                    if (upstream != null) {
                        upstream.compute(intensity, batch, g);
                    }
                    fillRowGradient(start, w, batch, g, dMono);
                    differentiable.vectorJacobianProduct(rowsTheta, rows, dMono, dRows);
                }
                if (weightsMove) {
                    for (int b = 0; b < batch; b++) {
                        int o = b * nq;
                        for (int r = start[b]; r < start[b + 1]; r++) {
                            int m = r * nq;
                            double s = 0;
                            for (int i = 0; i < nq; i++) {
                                s += g[o + i] * mono[m + i];
                            }
                            dLdW[r] = s;
                        }
                    }
                }
            }
            grid.backward(ws, batch, dRows, dLdW, dLdTheta, p, 0);
        } finally {
            ws.release();
        }
    }

    /** ∂L/∂I_row = W_r g_b. */
    private void fillRowGradient(int[] start, double[] w, int batch, double[] g, double[] dMono) {
        for (int b = 0; b < batch; b++) {
            int o = b * nq;
            for (int r = start[b]; r < start[b + 1]; r++) {
                double wr = w[r];
                int m = r * nq;
                for (int i = 0; i < nq; i++) {
                    dMono[m + i] = wr * g[o + i];
                }
            }
        }
    }
}
