package org.lnpsaxs.surrogate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.surrogate.TestModels;
import org.lnpsaxs.surrogate.lnp.LnpFeatures;
import org.lnpsaxs.surrogate.nn.MlpSpec;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NetworkTest {

    private static final int Q = 17;
    private static final NetworkSpec SPEC = NetworkSpec.lnp(Q, 5.0, 1024, List.of(24, 20, 12), 6, List.of(10), 0);
    private static final Weights W = TestModels.randomWeights(SPEC, 3, 0.5);
    private static final int FF = LnpFeatures.FLUCTUATION_FEATURES;
    private static final int FE = LnpFeatures.CORRECTION_FEATURES;

    private static double[] randomX(int n, int f, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * r.nextDouble() - 1;
        }
        return x;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** An independent forward pass of one MLP written from the formula, one row at a time. */
    private static double[] reference(MlpSpec m, double[] x, int row) {
        String p = m.prefix();
        double[] h = java.util.Arrays.copyOfRange(x, row * m.inputs(), (row + 1) * m.inputs());
        for (int l = 0; l < m.hidden().size(); l++) {
            int no = m.hidden().get(l);
            double[] next = new double[no];
            float[] w = W.get(p + "w" + l);
            float[] b = W.get(p + "b" + l);
            for (int o = 0; o < no; o++) {
                double u = b[o];
                for (int i = 0; i < h.length; i++) {
                    u += h[i] * w[i * no + o];
                }
                next[o] = u / (1 + Math.exp(-u));
            }
            h = next;
        }
        if (m.rank() > 0) {
            double[] u = new double[m.rank()];
            float[] w = W.get(p + "w_rank");
            for (int o = 0; o < u.length; o++) {
                for (int i = 0; i < h.length; i++) {
                    u[o] += h[i] * w[i * u.length + o];
                }
            }
            h = u;
        }
        double[] z = new double[m.outputs()];
        float[] w = W.get(p + "w_out");
        float[] b = W.get(p + "b_out");
        for (int k = 0; k < z.length; k++) {
            double u = b[k];
            for (int i = 0; i < h.length; i++) {
                u += h[i] * w[i * z.length + k];
            }
            z[k] = u;
        }
        return z;
    }

    /**
     * Blocks of rows (the evaluator's fast path) give every row exactly what the one-row calls
     * give, forward and backward, for full and partial blocks.
     */
    @Test
    void blocksOfRowsGiveTheOneRowResultsBitForBit() {
        JavaNetwork net = new JavaNetwork(W);
        JavaNetwork.Work one = new JavaNetwork.Work(net);
        JavaNetwork.Work block = new JavaNetwork.Work(net, 8);
        SplittableRandom rnd = new SplittableRandom(17);
        for (int m : new int[] {8, 5, 1}) {
            double[][] xf = new double[m][];
            double[][] xe = new double[m][];
            double[][] gd = new double[m][Q];
            double[][] ge = new double[m][Q];
            for (int r = 0; r < m; r++) {
                xf[r] = randomX(1, FF, 100 + r);
                xe[r] = randomX(1, FE, 200 + r);
                for (int q = 0; q < Q; q++) {
                    gd[r][q] = rnd.nextGaussian();
                    ge[r][q] = rnd.nextGaussian();
                }
            }
            double[][] d = new double[m][Q];
            double[][] e = new double[m][Q];
            double[][] dxf = new double[m][FF];
            double[][] dxe = new double[m][FE];
            net.forward(xf, xe, d, e, m, block);
            net.backward(gd, ge, dxf, dxe, m, block);
            for (int r = 0; r < m; r++) {
                double[] d1 = new double[Q];
                double[] e1 = new double[Q];
                double[] f1 = new double[FF];
                double[] g1 = new double[FE];
                net.forward(xf[r], 0, xe[r], 0, d1, e1, 0, one);
                net.backward(gd[r], ge[r], 0, f1, g1, one);
                assertArrayEquals(d1, d[r], 0.0, "D, block of " + m + ", row " + r);
                assertArrayEquals(e1, e[r], 0.0, "E, block of " + m + ", row " + r);
                assertArrayEquals(f1, dxf[r], 0.0, "dL/dxf, block of " + m + ", row " + r);
                assertArrayEquals(g1, dxe[r], 0.0, "dL/dxe, block of " + m + ", row " + r);
            }
        }
    }

    @Test
    void javaForwardFollowsTheFormula() {
        JavaNetwork net = new JavaNetwork(W);
        JavaNetwork.Work k = new JavaNetwork.Work(net);
        double[] xf = randomX(5, FF, 1);
        double[] xe = randomX(5, FE, 2);
        double[] d = new double[Q];
        double[] e = new double[Q];
        for (int r = 0; r < 5; r++) {
            net.forward(xf, r * FF, xe, r * FE, d, e, 0, k);
            double[] rd = reference(SPEC.fluctuation(), xf, r);
            double[] re = reference(SPEC.correction(), xe, r);
            for (int q = 0; q < Q; q++) {
                assertEquals(rd[q], d[q], 1e-12 * (1 + Math.abs(rd[q])), "D row " + r);
                assertEquals(re[q], e[q], 1e-12 * (1 + Math.abs(re[q])), "E row " + r);
            }
        }
    }

    @Test
    void javaInputGradientEqualsCentralDifferences() {
        JavaNetwork net = new JavaNetwork(W);
        JavaNetwork.Work k = new JavaNetwork.Work(net);
        SplittableRandom r = new SplittableRandom(9);
        double[] gd = new double[Q];
        double[] ge = new double[Q];
        for (int i = 0; i < Q; i++) {
            gd[i] = r.nextGaussian();
            ge[i] = r.nextGaussian();
        }
        double[] xf = randomX(1, FF, 4);
        double[] xe = randomX(1, FE, 5);
        double[] d = new double[Q];
        double[] e = new double[Q];
        net.forward(xf, 0, xe, 0, d, e, 0, k);
        double[] dxf = new double[FF];
        double[] dxe = new double[FE];
        net.backward(gd, ge, 0, dxf, dxe, k);
        double h = 1e-5;
        double[][] xs = {xf, xe};
        double[][] grads = {dxf, dxe};
        for (int which = 0; which < 2; which++) {
            double[] x = xs[which];
            double[] fd = new double[x.length];
            double norm = 0;
            for (int j = 0; j < x.length; j++) {
                double keep = x[j];
                x[j] = keep + h;
                net.forward(xf, 0, xe, 0, d, e, 0, k);
                double lp = dot(gd, d) + dot(ge, e);
                x[j] = keep - h;
                net.forward(xf, 0, xe, 0, d, e, 0, k);
                double lm = dot(gd, d) + dot(ge, e);
                x[j] = keep;
                fd[j] = (lp - lm) / (2 * h);
                norm = Math.max(norm, Math.abs(fd[j]));
            }
            for (int j = 0; j < x.length; j++) {
                assertEquals(fd[j], grads[which][j], 1e-7 * norm, (which == 0 ? "fluctuation" : "correction")
                        + " feature " + j);
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

    @Test
    void nd4jAndSameDiffAgreeWithJavaToFloatPrecision() {
        int n = 300;
        double[] xf = randomX(n, FF, 2);
        double[] xe = randomX(n, FE, 3);
        JavaNetwork net = new JavaNetwork(W);
        JavaNetwork.Work k = new JavaNetwork.Work(net);
        double[] dj = new double[n * Q];
        double[] ej = new double[n * Q];
        for (int r = 0; r < n; r++) {
            net.forward(xf, r * FF, xe, r * FE, dj, ej, r * Q, k);
        }
        float[] dn = new float[n * Q];
        float[] en = new float[n * Q];
        new Nd4jNetwork(W).forward(toFloat(xf), toFloat(xe), n, dn, en, false);
        SameDiff sd = Graphs.inference(W);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(Graphs.XF, Nd4j.create(toFloat(xf), new long[] {n, FF}, 'c'));
        ph.put(Graphs.XE, Nd4j.create(toFloat(xe), new long[] {n, FE}, 'c'));
        Map<String, INDArray> out = sd.output(ph, Graphs.D_OUT, Graphs.E_OUT);
        float[] ds = out.get(Graphs.D_OUT).dup('c').data().asFloat();
        float[] es = out.get(Graphs.E_OUT).dup('c').data().asFloat();
        for (int i = 0; i < dj.length; i++) {
            assertEquals(dj[i], dn[i], 2e-5 * (1 + Math.abs(dj[i])), "ND4J D at " + i);
            assertEquals(ej[i], en[i], 2e-5 * (1 + Math.abs(ej[i])), "ND4J E at " + i);
            assertEquals(dj[i], ds[i], 2e-5 * (1 + Math.abs(dj[i])), "SameDiff D at " + i);
            assertEquals(ej[i], es[i], 2e-5 * (1 + Math.abs(ej[i])), "SameDiff E at " + i);
        }
    }

    @Test
    void nd4jInputGradientAgreesWithJava() {
        int n = 50;
        double[] xf = randomX(n, FF, 5);
        double[] xe = randomX(n, FE, 6);
        SplittableRandom r = new SplittableRandom(10);
        double[] gd = new double[n * Q];
        double[] ge = new double[n * Q];
        for (int i = 0; i < gd.length; i++) {
            gd[i] = r.nextGaussian();
            ge[i] = r.nextGaussian();
        }
        JavaNetwork net = new JavaNetwork(W);
        JavaNetwork.Work k = new JavaNetwork.Work(net);
        double[] d = new double[Q];
        double[] e = new double[Q];
        double[] dxf = new double[n * FF];
        double[] dxe = new double[n * FE];
        double[] rf = new double[FF];
        double[] re = new double[FE];
        for (int row = 0; row < n; row++) {
            net.forward(xf, row * FF, xe, row * FE, d, e, 0, k);
            net.backward(java.util.Arrays.copyOfRange(gd, row * Q, row * Q + Q),
                    java.util.Arrays.copyOfRange(ge, row * Q, row * Q + Q), 0, rf, re, k);
            System.arraycopy(rf, 0, dxf, row * FF, FF);
            System.arraycopy(re, 0, dxe, row * FE, FE);
        }
        Nd4jNetwork nd = new Nd4jNetwork(W);
        float[] dn = new float[n * Q];
        float[] en = new float[n * Q];
        Nd4jNetwork.Tape tape = nd.forward(toFloat(xf), toFloat(xe), n, dn, en, true);
        float[] nf = new float[n * FF];
        float[] ne = new float[n * FE];
        nd.backward(tape, toFloat(gd), toFloat(ge), nf, ne);
        for (int row = 0; row < n; row++) {
            double norm = 0;
            for (int j = 0; j < FF; j++) {
                norm = Math.max(norm, Math.abs(dxf[row * FF + j]));
            }
            for (int j = 0; j < FE; j++) {
                norm = Math.max(norm, Math.abs(dxe[row * FE + j]));
            }
            for (int j = 0; j < FF; j++) {
                assertEquals(dxf[row * FF + j], nf[row * FF + j], 1e-4 * norm, "row " + row + " xf " + j);
            }
            for (int j = 0; j < FE; j++) {
                assertEquals(dxe[row * FE + j], ne[row * FE + j], 1e-4 * norm, "row " + row + " xe " + j);
            }
        }
    }

    /** Splitting a batch changes ND4J results at the float32 rounding level only; a repeated call is bit-identical. */
    @Test
    void nd4jChunkingChangesOnlyRoundingAndRepeatsExactly() {
        int n = 257;
        float[] xf = toFloat(randomX(n, FF, 6));
        float[] xe = toFloat(randomX(n, FE, 7));
        Nd4jNetwork net = new Nd4jNetwork(W);
        float[] d = new float[n * Q];
        float[] e = new float[n * Q];
        net.forward(xf, xe, n, d, e, false);
        float[] d2 = new float[n * Q];
        float[] e2 = new float[n * Q];
        net.forward(xf, xe, n, d2, e2, false);
        assertArrayEquals(d, d2, 0.0f, "repeated call");
        assertArrayEquals(e, e2, 0.0f, "repeated call");
        for (int chunk : new int[] {1, 7, 64, 200}) {
            float[] parts = new float[n * Q];
            for (int s = 0; s < n; s += chunk) {
                int m = Math.min(chunk, n - s);
                float[] dc = new float[m * Q];
                float[] ec = new float[m * Q];
                net.forward(java.util.Arrays.copyOfRange(xf, s * FF, (s + m) * FF),
                        java.util.Arrays.copyOfRange(xe, s * FE, (s + m) * FE), m, dc, ec, false);
                System.arraycopy(dc, 0, parts, s * Q, m * Q);
            }
            for (int i = 0; i < d.length; i++) {
                assertEquals(d[i], parts[i], 1e-5 * (1 + Math.abs(d[i])), "chunks of " + chunk + " at " + i);
            }
        }
    }

    @Test
    void graphWeightsRoundTrip() {
        Weights back = Graphs.weights(Graphs.inference(W), SPEC);
        for (String name : W.names()) {
            assertArrayEquals(W.get(name), back.get(name), 0.0f, name);
        }
        assertEquals(W, Graphs.weights(Graphs.inferenceBytes(W), SPEC), "through the serialised graph");
    }
}
