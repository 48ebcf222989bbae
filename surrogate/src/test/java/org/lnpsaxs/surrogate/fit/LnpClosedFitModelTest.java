package org.lnpsaxs.surrogate.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.PolydisperseModel;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.lnp.ClosedFormLnp;
import org.lnpsaxs.optimize.model.BoundModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.model.FitModels;

/** {@code lnp-closed}: the lnp fit model over the closed form, found by name, with a size average that sums its gradient right. */
class LnpClosedFitModelTest {

    private static final FitModel CLOSED = FitModels.byName("lnp-closed");
    private static final BoundModel BOUND = CLOSED.bind(CLOSED.fixedGrid().orElseThrow());

    @Test
    void isFoundByNameWithTheShippedErrorModelAndGrid() {
        assertEquals(LnpFitModel.CLOSED_FORM_NAME, CLOSED.name());
        FitModel lnp = FitModels.byName("lnp");
        assertEquals(lnp.fixedGrid().orElseThrow(), CLOSED.fixedGrid().orElseThrow());
        assertTrue(BOUND.modelError().isPresent(), "the loglik likelihood needs the model's error");
        assertEquals(lnp.bind(lnp.fixedGrid().orElseThrow()).model().parameters().names(), BOUND.model().parameters().names());
    }

    /**
     * The size average over 52 radius nodes sums the rows' gradients: the closed form returns a
     * run's spectral gradient in its first row, so a layer that did not sum would fail here.
     */
    @Test
    void sizeAveragedGradientMatchesCentralDifferences() {
        DifferentiableModel m = BOUND.model();
        double[] th = LnpFitModelTest.truth(m.parameters());
        double[] y = m.evaluate(th);
        Random rnd = new Random(7);
        double[] up = new double[y.length];
        for (int i = 0; i < up.length; i++) {
            up[i] = rnd.nextGaussian() / y[i];
        }
        double[] grad = new double[th.length];
        m.vectorJacobianProduct(th, 1, up, grad);
        for (int p = 0; p < th.length; p++) {
            double h = 1e-6 * Math.max(1, Math.abs(th[p]));
            double[] tp = th.clone();
            double[] tm = th.clone();
            tp[p] += h;
            tm[p] -= h;
            double[] yp = m.evaluate(tp);
            double[] ym = m.evaluate(tm);
            double fd = 0;
            for (int i = 0; i < up.length; i++) {
                fd += up[i] * (yp[i] - ym[i]) / (2 * h);
            }
            assertEquals(fd, grad[p], 1e-5 * Math.abs(fd) + 1e-9, m.parameters().names().get(p));
        }
    }

    /**
     * The fit evaluates the size average on the closed form's nodes and averages radially once per
     * curve; that must be the size average of the closed form's own curves (the radial average is
     * linear), in value and, through the fused pass, in gradient. The reference is the plain size
     * layer over the monodisperse closed form, with the same quadrature rule.
     */
    @Test
    void sizeAverageOnTheNodesEqualsTheSizeAverageOfTheCurves() {
        LnpFitModel lnp = (LnpFitModel) CLOSED;
        ClosedFormLnp closed = (ClosedFormLnp) lnp.monodisperseModel();
        DifferentiableModel fast = lnp.model();
        DifferentiableModel plain = PolydisperseModel.of(closed, Dispersion.paper(LnpParameters.R, 101, 499)
                .withRule(GaussLegendreDensity.of(LnpFitModel.ACCURATE_NODES)));
        Random rnd = new Random(13);
        int batch = 3;
        int p = fast.parameters().size();
        double[] th = new double[batch * p];
        double[] one = LnpFitModelTest.truth(fast.parameters());
        for (int b = 0; b < batch; b++) {
            System.arraycopy(one, 0, th, b * p, p);
            th[b * p + fast.parameters().indexOf("radius_mean")] = 180 + 120 * rnd.nextDouble();
        }
        int nq = fast.qSize();
        double[] up = new double[batch * nq];
        for (int i = 0; i < up.length; i++) {
            up[i] = rnd.nextGaussian();
        }
        double[] yPlain = new double[batch * nq];
        plain.evaluate(th, batch, yPlain);
        double[] gPlain = new double[batch * p];
        plain.vectorJacobianProduct(th, batch, up, gPlain);
        double[] yFast = new double[batch * nq];
        double[] gFast = new double[batch * p];
        ((FusedDifferentiableModel) fast).evaluateAndBackpropagate(th, batch, yFast,
                (y, n, g) -> System.arraycopy(up, 0, g, 0, n * nq), gFast);
        for (int i = 0; i < yPlain.length; i++) {
            assertEquals(yPlain[i], yFast[i], 1e-12 * Math.abs(yPlain[i]), "intensity " + i);
        }
        for (int j = 0; j < gPlain.length; j++) {
            double scale = 0;
            for (int k = (j / p) * p; k < (j / p + 1) * p; k++) {
                scale = Math.max(scale, Math.abs(gPlain[k]));
            }
            assertEquals(gPlain[j], gFast[j], 1e-11 * scale, "gradient " + fast.parameters().names().get(j % p));
        }
    }
}
