package org.lnpsaxs.optimize.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.FormFactor;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;

/**
 * The analytic fit models' default quadrature over their whole default fit box, as the fitter
 * evaluates them ({@link AnalyticFitModel#bind}, {@link BoundModel#model()} on the box of
 * {@link BoundModel#defaultSpace()}), against a converged average written here independently of
 * the polydispersity module: commons-math's log-normal density, renormalised to the truncation
 * [lo/3, 3·hi] of the radius box [lo, hi] = [max(5, π/q_max), min(5000, π/q_min)] Å (at least a
 * factor 2 wide), times the kernel's f₂ and V, integrated with commons-math's 16-point
 * Gauss–Legendre rule on panels at most 0.05 σ wide in ln r and at most 1/q_max wide in r; the
 * average is sasmodels' ⟨f₂⟩/⟨V⟩ (scale 1, background 0, as the default space holds them). Its
 * own convergence is checked by halving both panel widths.
 *
 * <p>Points of the box: every corner of the free parameters (radius_mean, radius_cv, and for
 * {@code core_shell_sphere} thickness and sld_core), radius_mean on 5 geometric steps × CV 0.1,
 * 0.3, 0.45 with the other parameters at the middle of their boxes, and for
 * {@code core_shell_sphere} thickness × sld_core on 3 × 3 steps at the middle radius and CV 0.6;
 * on three q grids (the {@code analytic} command's default, the paper's, and a wide SANS-like
 * one), every q. Bar: 10⁻³ relative at every q. The printed summary (worst error, node counts,
 * the paper rule's worst error) is tabulated in docs/polydispersity.md
 * ({@code mvn -B -o -Dquick -pl optimize -am test -Dtest=AnalyticFitQuadratureTest}).
 */
class AnalyticFitQuadratureTest {

    static final GaussIntegrator UNIT = new GaussIntegratorFactory().legendreHighPrecision(16, 0, 1);
    static final QGrid[] GRIDS = {QGrid.log(0.001, 0.5, 200), QGrid.PAPER, QGrid.log(0.0005, 0.3, 150)};

    /** The radius box written out from the documented rule (not taken from the model). */
    static double[] radiusBox(QGrid grid) {
        double lo = Math.max(5.0, Math.PI / grid.max());
        double hi = Math.min(5000.0, Math.PI / grid.min());
        return new double[] {lo, Math.max(hi, 2 * lo)};
    }

    /** The converged ⟨f₂⟩/⟨V⟩ at the full layer vector {@code theta}; panel widths times {@code refine}. */
    static double[] reference(FormFactor ff, ParameterSpace layer, double[] theta, double[] q, double a, double b,
                              double refine) {
        double mean = theta[layer.indexOf("radius_mean")];
        double cv = theta[layer.indexOf("radius_cv")];
        double s2 = Math.log1p(cv * cv);
        double sigma = Math.sqrt(s2);
        double mu = Math.log(mean) - s2 / 2;
        LogNormalDistribution ln = new LogNormalDistribution(mu, sigma);
        double zLo = Math.max((Math.log(a) - mu) / sigma, -10);
        double zHi = Math.min((Math.log(b) - mu) / sigma, 6 * sigma + 10);
        double qMax = q[q.length - 1];
        int pk = ff.parameters().size();
        double[] kernel = new double[pk];
        int radius = ff.parameters().indexOf("radius");
        for (int j = 0; j < pk; j++) {
            if (j != radius) {
                kernel[j] = theta[layer.indexOf(ff.parameters().get(j).name())];
            }
        }
        int zPanels = (int) Math.ceil((zHi - zLo) / (0.05 * refine));
        int chunk = 4096;
        double[] rows = new double[chunk * pk];
        double[] w = new double[chunk];
        double[] f2 = new double[chunk * q.length];
        double[] vol = new double[chunk];
        double[] n = new double[q.length];
        double[] dv = {0};
        int filled = 0;
        for (int zp = 0; zp < zPanels; zp++) {
            double x0 = Math.max(a, Math.exp(mu + sigma * (zLo + zp * (zHi - zLo) / zPanels)));
            double x1 = Math.min(b, Math.exp(mu + sigma * (zLo + (zp + 1) * (zHi - zLo) / zPanels)));
            if (!(x1 > x0)) {
                continue;
            }
            int pieces = (int) Math.max(1, Math.ceil(qMax * (x1 - x0) / refine));
            for (int i = 0; i < pieces; i++) {
                double u = x0 + (x1 - x0) * i / pieces;
                double v = x0 + (x1 - x0) * (i + 1) / pieces;
                for (int k = 0; k < 16; k++) {
                    double x = u + (v - u) * UNIT.getPoint(k);
                    w[filled] = (v - u) * UNIT.getWeight(k) * ln.density(x);
                    kernel[radius] = x;
                    System.arraycopy(kernel, 0, rows, filled * pk, pk);
                    if (++filled == chunk) {
                        accumulate(ff, q, rows, w, filled, f2, vol, n, dv);
                        filled = 0;
                    }
                }
            }
        }
        accumulate(ff, q, rows, w, filled, f2, vol, n, dv);
        for (int i = 0; i < q.length; i++) {
            n[i] /= dv[0];
        }
        return n;
    }

    private static void accumulate(FormFactor ff, double[] q, double[] rows, double[] w, int count, double[] f2,
                                   double[] vol, double[] n, double[] dv) {
        if (count == 0) {
            return;
        }
        int pk = ff.parameters().size();
        ff.compute(q, Arrays.copyOf(rows, count * pk), count, f2, vol);
        for (int r = 0; r < count; r++) {
            dv[0] += w[r] * vol[r];
            for (int i = 0; i < q.length; i++) {
                n[i] += w[r] * f2[r * q.length + i];
            }
        }
    }

    static double maxRelative(double[] ref, double[] value) {
        double max = 0;
        for (int i = 0; i < ref.length; i++) {
            max = Math.max(max, Math.abs(value[i] / ref[i] - 1));
        }
        return max;
    }

    /** The box points: corners, a (radius_mean × CV) grid and a (thickness × sld_core) grid. */
    static List<double[]> points(FitSpace space) {
        ParameterSpace box = space.box();
        int[] free = space.freeIndices();
        double[] base = new double[box.size()];
        for (int j = 0; j < box.size(); j++) {
            Parameter p = box.get(j);
            base[j] = space.isFixed(j) ? space.fixedValue(j) : middle(p);
        }
        List<double[]> out = new ArrayList<>();
        for (int c = 0; c < 1 << free.length; c++) {
            double[] t = base.clone();
            for (int k = 0; k < free.length; k++) {
                Parameter p = box.get(free[k]);
                t[free[k]] = (c >> k & 1) == 0 ? p.lower() : p.upper();
            }
            out.add(t);
        }
        Parameter mean = box.get("radius_mean");
        int im = box.indexOf("radius_mean");
        int ic = box.indexOf("radius_cv");
        for (int m = 0; m < 5; m++) {
            for (double cv : new double[] {0.1, 0.3, 0.45}) {
                double[] t = base.clone();
                t[im] = mean.lower() * Math.pow(mean.upper() / mean.lower(), m / 4.0);
                t[ic] = cv;
                out.add(t);
            }
        }
        if (box.contains("thickness") && !space.isFixed("thickness") && !space.isFixed("sld_core")) {
            Parameter th = box.get("thickness");
            Parameter core = box.get("sld_core");
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double[] t = base.clone();
                    t[ic] = box.get(ic).upper();
                    t[box.indexOf("thickness")] = th.lower() * Math.pow(th.upper() / th.lower(), i / 2.0);
                    t[box.indexOf("sld_core")] = core.lower() + (core.upper() - core.lower()) * j / 2.0;
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** The geometric middle of a length box spanning a decade, else the arithmetic middle. */
    static double middle(Parameter p) {
        return p.lower() > 0 && p.upper() >= 10 * p.lower() ? Math.sqrt(p.lower() * p.upper())
                : 0.5 * (p.lower() + p.upper());
    }

    static double[] evaluate(DifferentiableModel m, double[] theta) {
        double[] out = new double[m.qSize()];
        m.evaluate(theta, 1, out);
        return out;
    }

    @Test
    void defaultIsTheAccurateRule() {
        assertEquals(Quadrature.ACCURATE, AnalyticFitModel.sphere().quadrature().orElseThrow());
        assertEquals(Quadrature.ACCURATE, AnalyticFitModel.coreShellSphere().quadrature().orElseThrow());
        AnalyticFitModel paper = AnalyticFitModel.coreShellSphere().withQuadrature(Quadrature.PAPER);
        assertEquals(Quadrature.PAPER, paper.quadrature().orElseThrow());
        // other copies keep the choice
        assertEquals(Quadrature.PAPER, paper.withBackground(true).withName("css").quadrature().orElseThrow());
        BoundModel b = paper.bind(QGrid.PAPER);
        double[] theta = points(b.defaultSpace()).get(0);
        QuadratureSummary s = b.quadrature(theta);
        assertEquals("paper", s.choice());
        assertEquals("gauss-legendre-cdf(32)", s.rule());
        assertEquals(32, s.nodes());
        QuadratureSummary a = AnalyticFitModel.coreShellSphere().bind(QGrid.PAPER).quadrature(theta);
        assertEquals("accurate", a.choice());
        // the rule as the layer uses it: adapted to the grid's largest q
        assertEquals("adaptive-gauss-legendre(q_max=0.1995 1/Å)", a.rule());
    }

    @Test
    void defaultRuleIsWithin1eMinus3OverTheWholeFitBox() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "| q grid (1/Å) | model | points | accurate: worst rel. error | nodes min / median / max "
                        + "| paper: worst rel. error | paper: worst at q_min |%n|---|---|---|---|---|---|---|%n"));
        double worst = 0;
        for (QGrid grid : GRIDS) {
            double[] q = grid.values();
            double[] box = radiusBox(grid);
            for (AnalyticFitModel fm : new AnalyticFitModel[] {AnalyticFitModel.sphere(), AnalyticFitModel.coreShellSphere()}) {
                BoundModel accurate = fm.bind(grid);
                BoundModel paper = fm.withQuadrature(Quadrature.PAPER).bind(grid);
                FitSpace space = accurate.defaultSpace();
                assertEquals(box[0], space.box().get("radius_mean").lower(), 1e-12 * box[0]);
                assertEquals(box[1], space.box().get("radius_mean").upper(), 1e-12 * box[1]);
                assertEquals(0.6, space.box().get("radius_cv").upper(), 0.0);
                double worstModel = 0;
                double worstPaper = 0;
                double worstPaperLow = 0;
                List<Integer> nodes = new ArrayList<>();
                List<double[]> pts = points(space);
                for (double[] theta : pts) {
                    double[] ref = reference(fm.formFactor(), accurate.model().parameters(), theta, q, box[0] / 3,
                            box[1] * 3, 1);
                    double err = maxRelative(ref, evaluate(accurate.model(), theta));
                    double[] p = evaluate(paper.model(), theta);
                    worstModel = Math.max(worstModel, err);
                    worstPaper = Math.max(worstPaper, maxRelative(ref, p));
                    worstPaperLow = Math.max(worstPaperLow, Math.abs(p[0] / ref[0] - 1));
                    nodes.add(accurate.quadrature(theta).nodes());
                    assertTrue(err <= 1e-3, fm.name() + " on " + grid + " at " + accurate.model().parameters().names()
                            + " = " + Arrays.toString(theta) + ": max relative error " + err);
                }
                nodes.sort(null);
                worst = Math.max(worst, worstModel);
                table.append(String.format(Locale.ROOT, "| %s..%s (%d) | %s | %d | %.1e | %d / %d / %d | %.1e | %.1e |%n",
                        grid.min(), grid.max(), grid.size(), fm.name(), pts.size(), worstModel, nodes.get(0),
                        nodes.get(nodes.size() / 2), nodes.get(nodes.size() - 1), worstPaper, worstPaperLow));
            }
        }
        System.out.print(table);
        System.out.printf(Locale.ROOT, "default (accurate) rule: worst %.2e over the fit box%n", worst);
    }

    /** The reference is converged: halving both panel widths moves it by < 1e-8 at the hard corners. */
    @Test
    void referenceIsConverged() {
        QGrid grid = GRIDS[0];
        double[] box = radiusBox(grid);
        BoundModel b = AnalyticFitModel.coreShellSphere().bind(grid);
        ParameterSpace layer = b.model().parameters();
        List<double[]> pts = points(b.defaultSpace());
        for (double[] theta : List.of(pts.get(pts.size() - 1), pts.get(3), pts.get(15))) {
            double[] r1 = reference(AnalyticFitModel.coreShellSphere().formFactor(), layer, theta, grid.values(),
                    box[0] / 3, box[1] * 3, 1);
            double[] r2 = reference(AnalyticFitModel.coreShellSphere().formFactor(), layer, theta, grid.values(),
                    box[0] / 3, box[1] * 3, 0.5);
            double d = maxRelative(r2, r1);
            assertTrue(d < 1e-8, "reference at " + Arrays.toString(theta) + " moved by " + d);
        }
    }
}
