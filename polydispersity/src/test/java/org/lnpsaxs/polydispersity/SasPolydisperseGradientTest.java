package org.lnpsaxs.polydispersity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreCdf;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;
import org.lnpsaxs.polydispersity.quadrature.Nodes;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;
import org.lnpsaxs.polydispersity.quadrature.QuadratureRule;

/**
 * Gradients of {@link SasPolydisperseModel} with respect to every parameter (scale, background,
 * SLDs, centres, pd's, the truncated log-normal's mean and CV) equal central finite differences
 * ({@link GradientCheck}: relative 1e-6), for random valid parameters, random distribution types
 * and rules (the accurate rule where the steps keep its node structure), one or two polydisperse
 * parameters, batches of two sets.
 */
class SasPolydisperseGradientTest {

    static final double[] Q = QGrid.log(0.001, 0.5, 40).values();
    /** The length over which the curves change at the largest q, Å. */
    static final double LENGTH_SCALE = 1 / (2 * 0.5);
    static final String[] SAS_TYPES = {"gaussian", "lognormal", "schulz"};

    @Property(tries = 60, seed = "11")
    void gradientEqualsFiniteDifferences(@ForAll long seed) {
        Random rnd = new Random(seed);
        String name = rnd.nextBoolean() ? "sphere" : "core_shell_sphere";
        List<Dispersion> dispersions = new ArrayList<>();
        // 0..2 sasmodels types, 3 TLN on CDF nodes, 4 TLN density-weighted, 5 TLN on the accurate rule, 6 none
        int radiusKind = rnd.nextInt(7);
        double lo = rnd.nextBoolean() ? 101 : 20;
        double hi = lo == 101 ? 499 : 120;
        if (radiusKind < 3) {
            dispersions.add(Dispersion.sasmodels("radius", SAS_TYPES[radiusKind], 5 + rnd.nextInt(40),
                    2 + 2 * rnd.nextDouble()));
        } else if (radiusKind == 3) {
            dispersions.add(Dispersion.of("radius", TruncatedLogNormal.of(0.5 * (lo + hi), 0.2, lo, hi),
                    GaussLegendreCdf.of(8 + rnd.nextInt(30))));
        } else if (radiusKind == 4) {
            dispersions.add(Dispersion.of("radius", TruncatedLogNormal.of(0.5 * (lo + hi), 0.2, lo, hi),
                    GaussLegendreDensity.of(8 + rnd.nextInt(40))));
        } else if (radiusKind == 5) {
            dispersions.add(Dispersion.paper("radius", lo, hi).withQuadrature(Quadrature.ACCURATE));
        }
        if (name.equals("core_shell_sphere") && rnd.nextInt(3) == 0) {
            dispersions.add(Dispersion.sasmodels("thickness", SAS_TYPES[rnd.nextInt(3)], 3 + rnd.nextInt(9), 3));
        }
        SasPolydisperseModel model = SasPolydisperseModel.of(FormFactors.byName(name), Q,
                dispersions.toArray(new Dispersion[0]));
        ParameterSpace space = model.parameters();
        int p = space.size();
        int batch = 2;
        double[] theta = new double[batch * p];
        double[] scales = new double[batch * p];
        for (int b = 0; b < batch; b++) {
            double[] slds = contrastingSlds(rnd);
            int sld = 0;
            for (int j = 0; j < p; j++) {
                String par = space.get(j).name();
                double v;
                double s;
                switch (par) {
                    case "scale" -> {
                        v = 0.01 + 2 * rnd.nextDouble();
                        s = v;
                    }
                    case "background" -> {
                        v = 0.1 * rnd.nextDouble();
                        s = 1e-3;
                    }
                    case "radius" -> {
                        v = 20 + 380 * rnd.nextDouble();
                        s = LENGTH_SCALE;
                    }
                    case "thickness" -> {
                        v = 5 + 55 * rnd.nextDouble();
                        s = LENGTH_SCALE;
                    }
                    case "radius_pd", "thickness_pd" -> {
                        v = 0.02 + 0.23 * rnd.nextDouble();
                        // sigma changes by about LENGTH_SCALE
                        s = LENGTH_SCALE / theta[b * p + j - 1];
                    }
                    case "radius_mean" -> {
                        v = lo + 5 + (hi - lo - 10) * rnd.nextDouble();
                        s = LENGTH_SCALE;
                    }
                    case "radius_cv" -> {
                        v = 0.05 + 0.35 * rnd.nextDouble();
                        s = LENGTH_SCALE / theta[b * p + j - 1];
                    }
                    default -> {
                        v = slds[sld++];
                        s = 1;
                    }
                }
                theta[b * p + j] = v;
                scales[b * p + j] = s;
            }
        }
        if (radiusKind == 5) {
            // the accurate rule's panels and pieces are a step function of the parameters: compare
            // where GradientCheck's steps leave them unchanged
            Assume.that(structureKept(model, theta, batch, scales));
        }
        int compared = GradientCheck.check(model, theta, batch, scales, seed);
        assertTrue(compared >= batch * Math.min(p, 4), model + ": only " + compared + " components compared");
    }

    /**
     * Whether the radius nodes of every set keep their structure (count, and positions as their
     * derivatives predict to a tenth of the gap between nodes) under GradientCheck's steps of
     * radius_mean and radius_cv.
     */
    static boolean structureKept(SasPolydisperseModel model, double[] theta, int batch, double[] scales) {
        Dispersion d = model.dispersions().get(0);
        QuadratureRule rule = d.rule().adaptedTo(d.distribution(), 0, Double.POSITIVE_INFINITY, Q[Q.length - 1]);
        ParameterSpace space = model.parameters();
        int p = space.size();
        int im = space.indexOf("radius_mean");
        int ic = space.indexOf("radius_cv");
        for (int b = 0; b < batch; b++) {
            double[] v = {theta[b * p + im], theta[b * p + ic]};
            Nodes base = rule.nodes(d.distribution().withParameters(v));
            for (int j = 0; j < 2; j++) {
                double h = 1e-3 * scales[b * p + (j == 0 ? im : ic)];
                for (double step : new double[] {h, -h, 2 * h, -2 * h}) {
                    double[] t = v.clone();
                    t[j] += step;
                    Nodes n = rule.nodes(d.distribution().withParameters(t));
                    if (n.size() != base.size()) {
                        return false;
                    }
                    double[] x = base.x();
                    double[] y = n.x();
                    double[] dx = base.dxdTheta();
                    for (int k = 0; k < x.length; k++) {
                        double gap = Math.min(k > 0 ? x[k] - x[k - 1] : Double.POSITIVE_INFINITY,
                                k < x.length - 1 ? x[k + 1] - x[k] : Double.POSITIVE_INFINITY);
                        if (Math.abs(y[k] - x[k] - step * dx[2 * k + j]) > 0.1 * gap) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /** Three SLDs (1e-6/Å²) whose successive contrasts are at least 0.3. */
    static double[] contrastingSlds(Random rnd) {
        double[] s = new double[3];
        do {
            for (int i = 0; i < 3; i++) {
                s[i] = -2 + 17 * rnd.nextDouble();
            }
        } while (Math.abs(s[0] - s[1]) < 0.3 || Math.abs(s[1] - s[2]) < 0.3);
        return s;
    }
}
