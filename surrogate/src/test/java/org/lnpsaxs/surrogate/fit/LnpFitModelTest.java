package org.lnpsaxs.surrogate.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.formfactor.SasModel;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.identifiability.ParameterSpread;
import org.lnpsaxs.optimize.loss.ScaleFreeLoss;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.model.FitModels;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.surrogate.Surrogate;

/**
 * The {@code lnp} path with a stand-in surrogate (random weights, independent of any training
 * run): the paper's parameters and box, the ordering of m_q1 and m_q2, and a fit of
 * noise-free data made by the model itself whose ensemble contains the truth.
 */
class LnpFitModelTest {

    static Surrogate surrogate;

    @BeforeAll
    static void load() {
        surrogate = StandInSurrogate.create(11);
    }

    @Test
    void parametersAndDefaultBoxAreThePapers() {
        LnpFitModel fm = LnpFitModel.of(surrogate);
        DifferentiableModel m = fm.model();
        assertEquals(List.of("GRF_shift", "radius_mean", "radius_cv", "w_q1", "m_q1", "m_q2", "s_q1", "s_q2",
                "shell_thickness", "relative_rho_shell"), m.parameters().names());
        assertArrayEquals(QGrid.PAPER.values(), fm.fixedGrid().orElseThrow().values(), 0.0);
        FitSpace s = fm.bind(fm.fixedGrid().orElseThrow()).defaultSpace();
        ParameterSpace b = s.box();
        assertEquals(-0.98, b.get("GRF_shift").lower(), 0.0);
        assertEquals(0.98, b.get("GRF_shift").upper(), 0.0);
        assertEquals(150, b.get("radius_mean").lower(), 0.0);
        assertEquals(320, b.get("radius_mean").upper(), 0.0);
        assertEquals(0.10, b.get("radius_cv").lower(), 0.0);
        assertEquals(0.40, b.get("radius_cv").upper(), 0.0);
        assertEquals(0.01, b.get("w_q1").lower(), 0.0);
        assertEquals(0.99, b.get("w_q1").upper(), 0.0);
        assertEquals(0.05, b.get("m_q2").lower(), 0.0);
        assertEquals(0.15, b.get("s_q1").upper(), 0.0);
        assertEquals(40, b.get("shell_thickness").lower(), 0.0);
        assertEquals(1.3, b.get("relative_rho_shell").upper(), 0.0);
        assertEquals("m_q1 <= m_q2", s.orderedPairs().get(0).toString());
        assertEquals(10, s.freeCount());
        assertThrows(IllegalArgumentException.class, () -> LnpFitModel.of(SasModel.sphere(QGrid.of(new double[] {0.1, 0.2}))));
    }

    static double[] truth(ParameterSpace ps) {
        double[] truth = new double[ps.size()];
        String[] names = {"GRF_shift", "radius_mean", "radius_cv", "w_q1", "m_q1", "m_q2", "s_q1", "s_q2",
            "shell_thickness", "relative_rho_shell"};
        double[] values = {0.2, 230, 0.22, 0.6, 0.08, 0.12, 0.04, 0.09, 55, 1.05};
        for (int k = 0; k < names.length; k++) {
            truth[ps.indexOf(names[k])] = values[k];
        }
        return truth;
    }

    @Test
    void noiseFreeDataFromTheModelItselfAreFittedAndTheTruthIsInsideTheEnsemble() {
        LnpFitModel fm = LnpFitModel.of(surrogate);
        DifferentiableModel m = fm.model();
        ParameterSpace ps = m.parameters();
        double[] truth = truth(ps);
        double[] curve = m.evaluate(truth);
        // measured on the model grid itself from q = 0.01 1/Å on: no interpolation error
        double[] grid = fm.fixedGrid().orElseThrow().values();
        FitProblem p = FitProblem.of(fm, ScatteringCurve.of(Arrays.copyOfRange(grid, 40, grid.length),
                Arrays.copyOfRange(curve, 40, curve.length)).withSource("standin.dat"));
        // bound to the run of grid points the data cover: the model gives exactly those intensities
        assertArrayEquals(Arrays.copyOfRange(grid, 40, grid.length), p.model().q(), 0.0);
        assertArrayEquals(Arrays.copyOfRange(curve, 40, curve.length), p.model().evaluate(truth), 0.0);
        assertEquals("scale-free", p.loss().name());
        FitResult r = Fitter.defaults().withStarts(40).fit(p);
        assertTrue(r.bestLoss() < 1e-12, "best loss " + r.bestLoss());
        // lnp declines bound pinning (measured: docs/benchmarks.md), so the fit ran without it
        assertFalse(p.fitModel().boundPinning());
        // lnp keeps the README's 512 starts whatever the free parameters (the analytic models' rule would give 320)
        assertEquals(org.lnpsaxs.optimize.FitSettings.DEFAULT_STARTS, p.fitModel().defaultStarts(10));
        assertEquals(512, p.fitModel().defaultStarts(2));
        assertEquals(0.0, ((org.lnpsaxs.optimize.multistart.Lbfgs) r.optimizer()).pinAt());
        // the ordering holds in every start
        int im1 = ps.indexOf("m_q1");
        int im2 = ps.indexOf("m_q2");
        for (int s = 0; s < r.starts(); s++) {
            assertTrue(r.parameters(s)[im1] <= r.parameters(s)[im2]);
        }
        // the truth, or its mirror image under the exact contrast-sign symmetry (the same curve, so
        // the same loss to rounding: which of the two the members sit on is not determined), lies
        // inside the ensemble: within the members' range of every parameter (widened by 0.1 % of the
        // box: members that converged onto it sit on it to rounding)
        double[] mirror = truth.clone();
        int ig = ps.indexOf("GRF_shift");
        int ir = ps.indexOf("relative_rho_shell");
        double[] image = LnpFitModel.contrastSign().map(new double[] {truth[ig], truth[ir]});
        mirror[ig] = image[0];
        mirror[ir] = image[1];
        boolean truthInside = true;
        boolean mirrorInside = true;
        StringBuilder ranges = new StringBuilder();
        for (ParameterSpread sp : r.identifiability().spreads()) {
            int k = ps.indexOf(sp.name());
            double tol = 1e-3 * (sp.upper() - sp.lower());
            truthInside &= sp.min() - tol <= truth[k] && truth[k] <= sp.max() + tol;
            mirrorInside &= sp.min() - tol <= mirror[k] && mirror[k] <= sp.max() + tol;
            ranges.append(sp.name()).append(' ').append(sp.min()).append("..").append(sp.max()).append("; ");
        }
        assertTrue(truthInside || mirrorInside, "neither the truth " + Arrays.toString(truth) + " nor its mirror image "
                + Arrays.toString(mirror) + " inside the ensemble ranges " + ranges);
        assertFalse(r.identifiability().modes().modes().isEmpty());
        assertEquals(230, r.sizeDistribution().mean(), 15); // the truncated mean differs from radius_mean a little
    }

    @Test
    void theCoarseApproximationIsTheSameAverageOnTwelveCdfNodesAndFollowsTheSmearing() {
        LnpFitModel fm = LnpFitModel.of(surrogate);
        QGrid g = fm.fixedGrid().orElseThrow();
        org.lnpsaxs.optimize.model.BoundModel b = fm.bind(g);
        DifferentiableModel coarse = b.coarse().orElseThrow();
        assertEquals(b.model().parameters().names(), coarse.parameters().names());
        assertArrayEquals(b.model().q(), coarse.q(), 0.0);
        double[] theta = truth(coarse.parameters());
        // what it is: the paper's truncated log-normal average on 12 Gauss-Legendre nodes in its CDF
        DifferentiableModel twelve = org.lnpsaxs.polydispersity.PolydisperseModel.of(surrogate,
                org.lnpsaxs.polydispersity.Dispersion.paper(org.lnpsaxs.core.simulator.LnpParameters.R, 101, 499)
                        .withRule(org.lnpsaxs.polydispersity.quadrature.GaussLegendreCdf.of(LnpFitModel.COARSE_NODES)));
        assertArrayEquals(twelve.evaluate(theta), coarse.evaluate(theta), 0.0);
        // an approximation of the model, not the model: different, but the same curve to within a factor
        double[] exact = b.model().evaluate(theta);
        double[] approx = coarse.evaluate(theta);
        double largest = 0;
        for (int i = 0; i < exact.length; i++) {
            largest = Math.max(largest, Math.abs(Math.log(approx[i] / exact[i])));
        }
        assertTrue(largest > 1e-6 && largest < Math.log(2), "largest |ln(coarse/model)| " + largest);
        // through a resolution the approximation is smeared as the model is
        QGrid q = QGrid.log(0.0021, 0.199, 60);
        double[] one = new double[q.size()];
        Arrays.fill(one, 1.0);
        FitProblem p = FitProblem.of(fm, ScatteringCurve.of(q.values(), one, null,
                org.lnpsaxs.core.resolution.Pinhole.widths(q, 0.05)).withSource("dq.dat"));
        DifferentiableModel smearedCoarse = p.boundModel().coarse().orElseThrow();
        assertArrayEquals(p.model().q(), smearedCoarse.q(), 0.0);
        assertTrue(smearedCoarse instanceof org.lnpsaxs.optimize.model.FixedGridSmearedModel);
    }

    @Test
    void fusedValueAndGradientEqualValueThenGradient() {
        // the size-distribution layer does the surrogate's forward pass once for both; the numbers
        // must be those of the separate value and gradient calls
        LnpFitModel fm = LnpFitModel.of(surrogate);
        DifferentiableModel m = fm.model();
        assertTrue(m instanceof FusedDifferentiableModel);
        double[] grid = fm.fixedGrid().orElseThrow().values();
        double[] data = m.evaluate(truth(m.parameters()));
        Reparameterization reparam = new Reparameterization(fm.defaultSpace(java.util.Map.of()));
        int n = 7;
        int d = reparam.freeSize();
        double[] u = new double[n * d];
        for (int i = 0; i < u.length; i++) {
            u[i] = 2 * Math.sin(1.3 * i + 0.4);
        }
        int[] ids = {0, 1, 2, 3, 4, 5, 6};
        FitObjective separate = new FitObjective(m, reparam, new ScaleFreeLoss(grid, data), null, 2, 3);
        double[] f = new double[n];
        double[] g = new double[n * d];
        separate.value(ids, u, n, f);
        separate.gradient(ids, u, n, g);
        FitObjective fused = new FitObjective(m, reparam, new ScaleFreeLoss(grid, data), null, 2, 3);
        double[] f2 = new double[n];
        double[] g2 = new double[n * d];
        fused.valueAndGradient(ids, u, n, f2, g2);
        for (int i = 0; i < n; i++) {
            assertEquals(f[i], f2[i], 1e-13 * Math.abs(f[i]), "value of start " + i);
        }
        double scale = Arrays.stream(g).map(Math::abs).max().orElseThrow();
        assertTrue(scale > 0);
        for (int i = 0; i < g.length; i++) {
            assertEquals(g[i], g2[i], 1e-12 * scale, "gradient component " + i);
        }
        // the cached dL/dI left by the fused call serves a later gradient call as value's does
        double[] g3 = new double[n * d];
        fused.gradient(ids, u, n, g3);
        assertArrayEquals(g, g3, 1e-12 * scale);
    }

    @Test
    void dataOnAnotherGridAreInterpolatedAndFittedAtLeastAsWellAsByTheTruth() {
        LnpFitModel fm = LnpFitModel.of(surrogate);
        DifferentiableModel m = fm.model();
        double[] truth = truth(m.parameters());
        double[] curve = m.evaluate(truth);
        // "measured" on every second model-grid point: interpolated (monotone cubic in ln I) onto the grid
        double[] grid = fm.fixedGrid().orElseThrow().values();
        int n = 0;
        double[] q = new double[grid.length];
        double[] i = new double[grid.length];
        for (int k = 4; k < grid.length; k += 2) {
            q[n] = grid[k];
            i[n] = curve[k];
            n++;
        }
        FitProblem p = FitProblem.of(fm,
                ScatteringCurve.of(Arrays.copyOf(q, n), Arrays.copyOf(i, n)).withSource("standin.dat"));
        assertTrue(p.data().interpolated());
        // the truth's own loss is not 0: the interpolation leaves a floor
        double truthLoss = p.loss().value(p.model().evaluate(truth));
        assertTrue(truthLoss < 1e-3, "interpolation floor " + truthLoss);
        FitResult r = Fitter.defaults().withStarts(32).withFisher(false).fit(p);
        assertTrue(r.bestLoss() <= truthLoss * 1.001, "best loss " + r.bestLoss() + ", loss of the truth " + truthLoss);
        // the best fit follows the data to the interpolation floor: |ln(data/fit)| small everywhere
        double[] d = r.data();
        for (int k = 0; k < d.length; k++) {
            assertEquals(0.0, Math.log(d[k] / r.bestCurve()[k]), 0.05, "q = " + r.q()[k]);
        }
    }

    @Test
    void theRegistryKnowsLnpAndBuildsItFromAModelFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        assertTrue(FitModels.names().contains("lnp"), FitModels.names().toString());
        java.nio.file.Path file = dir.resolve("standin.zip");
        org.lnpsaxs.surrogate.ModelFile.Contents c = StandInSurrogate.contents(16, 11);
        org.lnpsaxs.surrogate.ModelFile.write(file, c.metadata(), c.weights());
        var fm = FitModels.byName("LNP", file);
        assertTrue(fm instanceof LnpFitModel);
        assertEquals("lnp", fm.name());
        assertEquals(QGrid.PAPER, fm.fixedGrid().orElseThrow());
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> FitModels.byName("lnp", dir.resolve("missing.zip")));
        assertTrue(e.getMessage().contains("missing.zip"), e.getMessage());
    }
}
