package org.lnpsaxs.polydispersity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreCdf;
import org.lnpsaxs.polydispersity.quadrature.GaussLegendreDensity;

/**
 * Gradients of {@link SasPolydisperseModel} with respect to every parameter (scale, background,
 * SLDs, centres, pd's, the truncated log-normal's mean and CV) equal central finite differences
 * ({@link GradientCheck}: relative 1e-6), for random valid parameters, random distribution types
 * and rules, one or two polydisperse parameters, batches of two sets.
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
        int radiusKind = rnd.nextInt(6); // 0..2 sasmodels types, 3 TLN on CDF nodes, 4 TLN density-weighted, 5 none
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
        int compared = GradientCheck.check(model, theta, batch, scales, seed);
        assertTrue(compared >= batch * Math.min(p, 4), model + ": only " + compared + " components compared");
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
