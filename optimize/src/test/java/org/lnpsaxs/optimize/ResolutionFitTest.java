package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.resolution.Pinhole;
import org.lnpsaxs.core.resolution.ResolutionOperator;
import org.lnpsaxs.core.resolution.ResolutionSpec;
import org.lnpsaxs.core.resolution.SmearedModel;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.optimize.model.AnalyticFitModel;

/**
 * Resolution inside fits: a polydisperse sphere smeared by a 10 % pinhole resolution (the
 * converged quadrature, so the data do not come from the operator the fit uses), with 2 %
 * Gaussian noise: the smeared fit recovers the truth within its uncertainty (measured: R 200.5 ±
 * 0.2 Å, CV 0.0768 ± 0.0015), the unsmeared one does not; and the smeared objective's gradient agrees with finite differences.
 */
class ResolutionFitTest {

    static final double RADIUS = 200;
    static final double CV = 0.08;
    static final double DQ_OVER_Q = 0.10;

    /** scale 0.01, background 0.001 1/cm, sld 4 vs 1, R = 200 Å, CV 0.08, smeared, noise with seed 11. */
    static ScatteringCurve smearedSphere() {
        QGrid q = QGrid.log(0.005, 0.2, 80);
        double[] dq = Pinhole.widths(q, DQ_OVER_Q);
        ResolutionOperator exact = Pinhole.converged(q, dq);
        DifferentiableModel m = AnalyticFitModel.sphere().bind(exact.qCalc()).model();
        // scale, background, sld, sld_solvent, radius_mean, radius_cv
        double[] calc = m.evaluate(0.01, 0.001, 4, 1, RADIUS, CV);
        double[] truth = exact.apply(calc);
        Random rng = new Random(11);
        double[] i = new double[truth.length];
        double[] s = new double[truth.length];
        for (int k = 0; k < i.length; k++) {
            s[k] = 0.02 * truth[k];
            i[k] = truth[k] + s[k] * rng.nextGaussian();
        }
        return ScatteringCurve.of(q.values(), i, s, dq).withSource("smeared-sphere");
    }

    static FitResult fit(FitProblem p) {
        return Fitter.defaults().withStarts(24).withSeed(5).withThreads(2).fit(p);
    }

    @Test
    void theSmearedFitRecoversTheTruthAndTheUnsmearedFitDoesNot() {
        ScatteringCurve c = smearedSphere();
        FitProblem smeared = FitProblem.of(AnalyticFitModel.sphere(), c);
        assertEquals("data", smeared.resolution().spec().toString(), "dq present: data is the default");
        assertEquals("pinhole", smeared.resolution().applied().geometry());
        assertInstanceOf(SmearedModel.class, smeared.model());
        FitResult rs = fit(smeared);
        FitResult rn = fit(smeared.withResolution(ResolutionSpec.NONE));
        double seR = rs.identifiability().fisher().standardError("radius_mean");
        double seCv = rs.identifiability().fisher().standardError("radius_cv");
        double r = rs.bestParameters().get("radius_mean");
        double cv = rs.bestParameters().get("radius_cv");
        double rNone = rn.bestParameters().get("radius_mean");
        double cvNone = rn.bestParameters().get("radius_cv");
        double seCvNone = rn.identifiability().fisher().standardError("radius_cv");
        // within 3 standard errors of the truth, and chi2_red consistent with the 2 % noise
        assertEquals(RADIUS, r, 3 * seR);
        assertEquals(CV, cv, 3 * seCv);
        assertTrue(rs.reducedChi2() < 1.5, "smeared chi2_red " + rs.reducedChi2());
        // without smearing, the minima the resolution fills in are explained by a wider, smaller
        // distribution (measured: R 188.9 Å, CV 0.129, each about 50 standard errors off) -- and
        // the residuals do not show it (chi2_red 0.95): only the smeared model finds the truth
        double seRNone = rn.identifiability().fisher().standardError("radius_mean");
        assertTrue(Math.abs(cvNone - CV) > 10 * seCvNone, "unsmeared CV " + cvNone + " +- " + seCvNone);
        assertTrue(Math.abs(rNone - RADIUS) > 10 * seRNone, "unsmeared R " + rNone + " +- " + seRNone);
    }

    /** The smeared χ² objective: its gradient (fused and plain reverse mode) against central differences. */
    @Test
    void gradientOfTheSmearedObjectiveMatchesFiniteDifferences() {
        FitProblem p = FitProblem.of(AnalyticFitModel.sphere(), smearedSphere());
        DifferentiableModel model = p.model();
        Loss loss = p.loss();
        double[] theta = {0.01, 0.001, 4, 1, 230, 0.12};
        int n = model.qSize();
        double[] intensity = model.evaluate(theta);
        double[] value = new double[1];
        double[] dLdI = new double[n];
        loss.evaluate(intensity, 1, value, dLdI);
        double[] grad = new double[theta.length];
        model.vectorJacobianProduct(theta, 1, dLdI, grad);
        double[] fused = new double[theta.length];
        ((FusedDifferentiableModel) model).evaluateAndBackpropagate(theta, 1, new double[n],
                (in, rows, g) -> loss.evaluate(in, rows, new double[1], g), fused);
        for (int j : new int[] {4, 5}) {
            double h = 1e-5 * Math.abs(theta[j]);
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[j] += h;
            down[j] -= h;
            double fd = (value(loss, model, up) - value(loss, model, down)) / (2 * h);
            assertEquals(fd, grad[j], 1e-5 * Math.abs(fd), "parameter " + j);
            assertEquals(grad[j], fused[j], 1e-10 * Math.abs(grad[j]), "fused, parameter " + j);
        }
    }

    static double value(Loss loss, DifferentiableModel model, double[] theta) {
        double[] v = new double[1];
        loss.evaluate(model.evaluate(theta), 1, v, new double[model.qSize()]);
        return v[0];
    }

    @Test
    void noDqMeansNoResolutionAndGivenSpecsAreApplied() {
        ScatteringCurve c = smearedSphere();
        ScatteringCurve plain = ScatteringCurve.of(c.q(), c.intensity(), c.sigma());
        FitProblem p = FitProblem.of(AnalyticFitModel.sphere(), plain);
        assertEquals("none", p.resolution().spec().toString());
        assertTrue(p.resolution().applied().isNone());
        FitProblem slit = p.withResolution(ResolutionSpec.parse("slit:0.02"));
        assertEquals("slit", slit.resolution().applied().geometry());
        assertEquals(80, slit.model().qSize());
        assertTrue(slit.resolution().applied().calculationPoints() > 80);
        // data on a curve without dq or slit: nothing to apply
        assertTrue(p.withResolution(ResolutionSpec.DATA).resolution().applied().isNone());
        // the loss can change and the resolution stays
        assertEquals("slit", slit.withLoss("scale-free").resolution().applied().geometry());
        assertThrows(IllegalArgumentException.class, () -> ResolutionSpec.parse("slit:-1"));
    }

    /** A model that only implements bind(QGrid) is smeared by FitModel's default: bound to the calculation grid. */
    @Test
    void aModelWithoutItsOwnResolutionBindingIsSmearedByTheDefault() {
        AnalyticFitModel sphere = AnalyticFitModel.sphere();
        org.lnpsaxs.optimize.model.FitModel plain = new org.lnpsaxs.optimize.model.FitModel() {
            @Override
            public String name() {
                return "plain_sphere";
            }

            @Override
            public String intensityUnit() {
                return sphere.intensityUnit();
            }

            @Override
            public String sizeLabel() {
                return sphere.sizeLabel();
            }

            @Override
            public java.util.Optional<QGrid> fixedGrid() {
                return java.util.Optional.empty();
            }

            @Override
            public org.lnpsaxs.optimize.model.BoundModel bind(QGrid grid) {
                return sphere.bind(grid);
            }
        };
        ScatteringCurve c = smearedSphere();
        FitProblem a = FitProblem.of(sphere, c);
        FitProblem b = FitProblem.of(plain, c);
        assertEquals("pinhole", b.resolution().applied().geometry());
        assertEquals(a.space().toString(), b.space().toString());
        double[] theta = {0.01, 0.001, 4, 1, RADIUS, CV};
        double[] ia = a.model().evaluate(theta);
        double[] ib = b.model().evaluate(theta);
        // the same smeared sphere up to the size distribution's truncation, which follows the grid
        // a model is bound to (the calculation grid's wider q range gives another box): the
        // truncated tails hold < 1e-6 of the distribution at CV 0.08
        for (int i = 0; i < ia.length; i++) {
            assertEquals(ia[i], ib[i], 1e-6 * ia[i], "q = " + c.q(i));
        }
    }
}
