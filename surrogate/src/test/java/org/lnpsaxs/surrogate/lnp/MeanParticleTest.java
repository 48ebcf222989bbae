package org.lnpsaxs.surrogate.lnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.SphericalBessel;
import org.lnpsaxs.core.simulator.InteriorModel;
import org.lnpsaxs.core.simulator.LnpSimulator;

class MeanParticleTest {

    private static final double[] Q = QGrid.PAPER.values();
    private static final MeanParticle MEAN = new MeanParticle(RadialOperator.of(Q, 5.0, 1024, 1));

    private static double[] intensity(double r, double rc, double cc, double cs) {
        double[] out = new double[Q.length];
        MEAN.intensity(r, rc, cc, cs, out, 0, new MeanParticle.Work(MEAN));
        return out;
    }

    /**
     * Against the pixel-by-pixel average of the continuum core-shell amplitude (sasmodels-style
     * \( 3j_1(x)/x \) from core): only the node interpolation and the sine recurrences differ.
     */
    @Test
    void matchesThePixelSumOfTheContinuumCoreShellSphere() {
        double[][] cases = {{100, 60, 0.5, 0.2}, {245, 185, -0.1, -0.136}, {480, 420, 0.3, 0.04}, {333, 289, 0.9, 1.09}};
        for (double[] c : cases) {
            double r = c[0];
            double rc = c[1];
            double v = 4 * Math.PI / 3 / 125.0;
            double[] ref = PixelSums.average(Q, 5.0, 1024, x -> {
                double a = c[3] * v * r * r * r * SphericalBessel.value(x * r)
                        + (c[2] - c[3]) * v * rc * rc * rc * SphericalBessel.value(x * rc);
                return a * a;
            });
            double[] out = intensity(r, rc, c[2], c[3]);
            double mean = 0;
            double max = 0;
            for (int j = 0; j < Q.length; j++) {
                double d = Math.abs(Math.log10(out[j] / ref[j]));
                mean += d / Q.length;
                max = Math.max(max, d);
            }
            assertTrue(mean < 1e-4 && max < 1e-2, "R = " + r + ": mean |dlog10 I| " + mean + ", max " + max);
        }
    }

    /**
     * Against the simulator with the interior fluctuation switched off (a voxelised core-shell
     * sphere): the level at low q agrees to 1 %, the curve below q = 0.03 Å⁻¹ to 0.01 decades; at
     * higher q the voxelised sphere differs from the continuum one by lattice effects, on average
     * at most 0.05 decades over the grid (measured 0.014–0.044).
     */
    @Test
    void agreesWithTheSimulatorWithAUniformInteriorWithinTheLatticeEffects() {
        LnpSimulator sim = LnpSimulator.paperDefaults().withInterior(InteriorModel.uniform()).withRealizations(1)
                .withThreads(1);
        double[][] thetas = {{-0.1, 245, 0.7, 0.1, 0.11, 0.015, 0.1, 60, 0.96}, {0.5, 120, 0.5, 0.1, 0.1, 0.05, 0.05, 40, 1.0},
            {-0.8, 103, 0.5, 0.1, 0.1, 0.05, 0.05, 70, 1.2}, {0.3, 480, 0.5, 0.1, 0.1, 0.05, 0.05, 55, 0.8},
            {-0.2, 420, 0.5, 0.1, 0.1, 0.05, 0.05, 41, 1.25}};
        for (double[] t : thetas) {
            double[] s = sim.simulate(t);
            double cc = t[0];
            double cs = t[8] * (1 + t[0]) - 1;
            double[] out = intensity(t[1], t[1] - t[7], cc, cs);
            assertEquals(1.0, out[0] / s[0], 0.01, "level, R = " + t[1]);
            double mean = 0;
            for (int j = 0; j < Q.length; j++) {
                double d = Math.abs(Math.log10(out[j] / s[j]));
                if (Q[j] < 0.03) {
                    assertTrue(d < 0.01, "R = " + t[1] + ", q = " + Q[j] + ": " + d);
                }
                mean += d / Q.length;
            }
            assertTrue(mean < 0.05, "R = " + t[1] + ": mean |dlog10 I| " + mean);
        }
    }

    /** j(x) = 3 Σ (-1)^k (2k+2) x^{2k}/(2k+3)! in 120-digit arithmetic (exact for the double x). */
    private static BigDecimal exactJ(double x, MathContext mc) {
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, mc);
        BigDecimal power = BigDecimal.ONE;
        BigDecimal factorial = BigDecimal.valueOf(6);
        BigDecimal v = BigDecimal.ZERO;
        for (int k = 0; k < 600; k++) {
            BigDecimal t = power.multiply(BigDecimal.valueOf(3L * (2 * k + 2)), mc).divide(factorial, mc);
            v = v.add(k % 2 == 1 ? t.negate() : t, mc);
            if (k > 10 && t.abs().compareTo(new BigDecimal("1e-90")) < 0) {
                break;
            }
            power = power.multiply(x2, mc);
            factorial = factorial.multiply(BigDecimal.valueOf((2L * k + 4) * (2L * k + 5)));
        }
        return v;
    }

    /**
     * The closed form with recurrences and the shared series is accurate to rounding: the same
     * operator applied to amplitudes from a 120-digit Taylor series of j agrees to 3e-13 relative
     * at every q (measured at most 9.8e-14; the series switch near Q = 0 included).
     */
    @Test
    void equalsTheOperatorOnHighPrecisionAmplitudes() {
        MathContext mc = new MathContext(120);
        RadialOperator op = MEAN.operator();
        double scale = 4 * Math.PI / 125.0;
        double[][] cases = {{100, 60, 0.5, 0.2}, {130, 60, 0.6, -0.3}, {150, 5, 0.6, -0.3}};
        for (double[] c : cases) {
            double[] a2 = new double[op.nodes()];
            for (int n = 0; n < a2.length; n++) {
                double qn = op.firstNode() + n * op.spacing();
                BigDecimal br = exactJ(qn * c[0], mc).multiply(new BigDecimal(scale * c[0] * c[0] * c[0] / 3), mc);
                BigDecimal bc = exactJ(qn * c[1], mc).multiply(new BigDecimal(scale * c[1] * c[1] * c[1] / 3), mc);
                BigDecimal a = br.multiply(new BigDecimal(c[3]), mc).add(bc.multiply(new BigDecimal(c[2] - c[3]), mc), mc);
                a2[n] = a.multiply(a, mc).doubleValue();
            }
            double[] ref = new double[Q.length];
            op.apply(a2, ref, new double[Math.max(Q.length, a2.length)]);
            double[] out = intensity(c[0], c[1], c[2], c[3]);
            for (int j = 0; j < Q.length; j++) {
                assertEquals(ref[j], out[j], 3e-13 * ref[j], "R = " + c[0] + ", q = " + Q[j]);
            }
        }
    }

    /**
     * Intensities and gradients as they were before the mean particle used the shared sphere
     * amplitude ({@link SphericalBessel}): equal to 1e-12 relative. The switch to the shared
     * series (below |Qr| = 0.1 instead of 0.05) moved a few of the lowest-q values by at most
     * 1.4e-13 relative, all others are bit-identical.
     */
    @Test
    void matchesTheValuesPinnedBeforeTheSharedAmplitude() {
        Map<String, double[]> pinned = Pinned.read("pinned-mean-particle-4da5d55.txt");
        double[][] grids = {Q, QGrid.linear(0.002, 0.2, 40).values(), QGrid.log(0.003, 0.15, 60).values()};
        double[][] cases = {{100, 60, 0.5, 0.2}, {245, 185, -0.1, -0.136}, {480, 420, 0.3, 0.04}, {333, 289, 0.9, 1.09},
            {130, 60, 0.6, -0.3}, {150, 5, 0.6, -0.3}};
        for (int g = 0; g < grids.length; g++) {
            MeanParticle mp = new MeanParticle(RadialOperator.of(grids[g], 5, 1024, 1));
            MeanParticle.Work w = new MeanParticle.Work(mp);
            for (int c = 0; c < cases.length; c++) {
                double[] t = cases[c];
                double[] out = new double[grids[g].length];
                mp.intensity(t[0], t[1], t[2], t[3], out, 0, w);
                double[] expected = pinned.get("mp" + g + "." + c + ".I");
                for (int j = 0; j < out.length; j++) {
                    assertEquals(expected[j], out[j], 1e-12 * Math.abs(expected[j]), "grid " + g + " case " + c + " q " + j);
                }
                double[] y = new double[out.length];
                for (int j = 0; j < y.length; j++) {
                    y[j] = Math.cos(j) / Math.max(1, out[j]);
                }
                double[] grad = new double[4];
                mp.backward(t[0], t[1], t[2], t[3], y, grad, new MeanParticle.Work(mp));
                double[] expectedGrad = pinned.get("mp" + g + "." + c + ".grad");
                for (int i = 0; i < 4; i++) {
                    assertEquals(expectedGrad[i], grad[i], 1e-12 * Pinned.maxAbs(expectedGrad),
                            "gradient, grid " + g + " case " + c + " input " + i);
                }
            }
        }
    }

    @Test
    void gradientEqualsCentralDifferences() {
        double[][] cases = {{245, 185, -0.1, -0.136}, {130, 60, 0.6, -0.3}, {480, 440, 0.05, 0.5}};
        MeanParticle.Work w = new MeanParticle.Work(MEAN);
        double[] g = new double[Q.length];
        for (int j = 0; j < g.length; j++) {
            g[j] = Math.cos(j) / Math.max(1, intensity(245, 185, -0.1, -0.136)[j]);
        }
        for (double[] c : cases) {
            double[] grad = new double[4];
            MEAN.backward(c[0], c[1], c[2], c[3], g, grad, w);
            double[] scale = {1e-3, 1e-3, 1e-6, 1e-6};
            for (int i = 0; i < 4; i++) {
                double[] p = c.clone();
                double[] m = c.clone();
                p[i] += scale[i];
                m[i] -= scale[i];
                double fd = (dot(g, intensity(p[0], p[1], p[2], p[3])) - dot(g, intensity(m[0], m[1], m[2], m[3])))
                        / (2 * scale[i]);
                assertEquals(fd, grad[i], 1e-6 * Math.abs(fd) + 1e-9, "case R = " + c[0] + ", input " + i);
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
