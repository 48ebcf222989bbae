package org.lnpsaxs.surrogate.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HeadTest {

    private static final int Q = 7;
    private static final NetworkSpec SPEC = NetworkSpec.of(9, List.of("R"), 8, 1, Q, Head.LNP_CONTRAST);
    private static final double[] SCALE = {0.5, 0.7, 0.9, 1.1, 0.6, 0.8, 1.0};
    private static final Head HEAD = Head.of(SPEC, LnpParameters.SPACE, SCALE);

    private static double[] randomZ(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] z = new double[4 * Q];
        for (int i = 0; i < z.length; i++) {
            z[i] = r.nextGaussian();
        }
        return z;
    }

    /** The head equals the intensity formula written out: I/10^μ = c_c² K_cc + 2 c_c c_s K_cs + c_s² K_ss + F. */
    @Test
    void contrastHeadIsTheQuadraticFormInTheContrasts() {
        double[] theta = LnpParameters.example();
        double[] ctx = new double[2];
        HEAD.context(theta, 0, ctx, 0);
        assertEquals(-0.1, ctx[0], 0.0);
        assertEquals(0.96 * 0.9 - 1, ctx[1], 1e-15);
        double[] z = randomZ(1);
        double[] out = new double[Q];
        HEAD.forward(z, 0, ctx, 0, out, 0);
        for (int k = 0; k < Q; k++) {
            double kcc = Math.pow(10, SCALE[k] * z[k]);
            double kss = Math.pow(10, SCALE[k] * z[Q + k]);
            double kcs = Math.tanh(z[2 * Q + k]) * Math.sqrt(kcc * kss);
            double fl = Math.pow(10, SCALE[k] * z[3 * Q + k]);
            double i = ctx[0] * ctx[0] * kcc + 2 * ctx[0] * ctx[1] * kcs + ctx[1] * ctx[1] * kss + fl;
            assertEquals(Math.log10(i) / SCALE[k], out[k], 1e-12);
        }
    }

    @Test
    void backwardEqualsCentralDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        double[] z = randomZ(2);
        double[] ctx = {0.4, -0.7};
        double[] g = new double[Q];
        for (int k = 0; k < Q; k++) {
            g[k] = r.nextGaussian();
        }
        double[] dz = new double[4 * Q];
        double[] dc = new double[2];
        HEAD.backward(z, 0, ctx, 0, g, 0, dz, 0, dc);
        double h = 1e-6;
        for (int i = 0; i < 4 * Q; i++) {
            double[] zp = z.clone();
            double[] zm = z.clone();
            zp[i] += h;
            zm[i] -= h;
            double fd = (dot(g, out(zp, ctx)) - dot(g, out(zm, ctx))) / (2 * h);
            assertEquals(fd, dz[i], 1e-7 * (1 + Math.abs(fd)), "trunk output " + i);
        }
        for (int i = 0; i < 2; i++) {
            double[] cp = ctx.clone();
            double[] cm = ctx.clone();
            cp[i] += h;
            cm[i] -= h;
            double fd = (dot(g, out(z, cp)) - dot(g, out(z, cm))) / (2 * h);
            assertEquals(fd, dc[i], 1e-7 * (1 + Math.abs(fd)), "contrast " + i);
        }
    }

    private static double[] out(double[] z, double[] ctx) {
        double[] o = new double[Q];
        HEAD.forward(z, 0, ctx, 0, o, 0);
        return o;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void sameDiffGraphEqualsTheJavaHead() {
        int n = 5;
        SplittableRandom r = new SplittableRandom(4);
        float[] zf = new float[n * 4 * Q];
        float[] cf = new float[n * 2];
        for (int i = 0; i < zf.length; i++) {
            zf[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < cf.length; i++) {
            cf[i] = (float) (2 * r.nextDouble() - 1);
        }
        SameDiff sd = SameDiff.create();
        SDVariable z = sd.placeHolder("z", DataType.FLOAT, -1, 4 * Q);
        SDVariable c = sd.placeHolder("c", DataType.FLOAT, -1, 2);
        HEAD.graph(sd, z, c, "out");
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("z", Nd4j.create(zf, new long[] {n, 4 * Q}, 'c'));
        ph.put("c", Nd4j.create(cf, new long[] {n, 2}, 'c'));
        float[] got = sd.outputSingle(ph, "out").dup('c').data().asFloat();
        double[] work = new double[4 * Q];
        double[] ctx = new double[2];
        double[] expect = new double[Q];
        for (int row = 0; row < n; row++) {
            ctx[0] = cf[2 * row];
            ctx[1] = cf[2 * row + 1];
            HEAD.forward(zf, row * 4 * Q, ctx, 0, expect, 0, work);
            for (int k = 0; k < Q; k++) {
                assertEquals(expect[k], got[row * Q + k], 1e-4 * (1 + Math.abs(expect[k])), "row " + row + " q " + k);
            }
        }
    }

    @Test
    void contrastHeadNeedsTheLnpParameters() {
        ParameterSpace other = ParameterSpace.of(Parameter.of("radius", "Å", 10, 100));
        NetworkSpec spec = NetworkSpec.of(1, List.of(), 4, 1, Q, Head.LNP_CONTRAST);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Head.of(spec, other, SCALE));
        assertTrue(e.getMessage().contains("GRF_shift"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.of(9, List.of(), 4, 1, Q, "dct"));
    }
}
