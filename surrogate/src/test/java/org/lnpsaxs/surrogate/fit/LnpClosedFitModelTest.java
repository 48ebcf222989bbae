package org.lnpsaxs.surrogate.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.DifferentiableModel;
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
}
