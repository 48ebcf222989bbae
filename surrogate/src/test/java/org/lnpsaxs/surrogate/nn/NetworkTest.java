package org.lnpsaxs.surrogate.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.surrogate.TestModels;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

class NetworkTest {

    private static final NetworkSpec SPEC = NetworkSpec.of(9, List.of("R"), 24, 2, 17);
    private static final Weights W = TestModels.randomWeights(SPEC, 3);

    private static Head directHead() {
        double[] ones = new double[SPEC.outputs()];
        java.util.Arrays.fill(ones, 1.0);
        return Head.of(SPEC, org.lnpsaxs.core.simulator.LnpParameters.SPACE, ones);
    }

    private static double[] randomX(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * SPEC.features()];
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

    /** An independent forward pass written from the formula, one row at a time. */
    private static double[] reference(double[] x, int row) {
        int f = SPEC.features();
        int w = SPEC.width();
        double[] s = new double[w];
        for (int i = 0; i < w; i++) {
            double u = W.get("b_in")[i];
            for (int j = 0; j < f; j++) {
                u += x[row * f + j] * W.get("w_in")[j * w + i];
            }
            s[i] = u / (1 + Math.exp(-u));
        }
        for (int b = 0; b < SPEC.blocks(); b++) {
            double[] v = new double[w];
            for (int o = 0; o < w; o++) {
                double u = W.get("b1_" + b)[o];
                for (int i = 0; i < w; i++) {
                    u += s[i] * W.get("w1_" + b)[i * w + o];
                }
                v[o] = u / (1 + Math.exp(-u));
            }
            double[] next = s.clone();
            for (int o = 0; o < w; o++) {
                double u = W.get("b2_" + b)[o];
                for (int i = 0; i < w; i++) {
                    u += v[i] * W.get("w2_" + b)[i * w + o];
                }
                next[o] += u;
            }
            s = next;
        }
        double[] z = new double[SPEC.outputs()];
        for (int k = 0; k < z.length; k++) {
            double u = W.get("b_out")[k];
            for (int i = 0; i < w; i++) {
                u += s[i] * W.get("w_out")[i * z.length + k];
            }
            z[k] = u;
        }
        return z;
    }

    @Test
    void javaForwardFollowsTheFormula() {
        double[] x = randomX(5, 1);
        double[] z = new double[5 * SPEC.outputs()];
        new JavaNetwork(W, org.lnpsaxs.core.simulator.LnpParameters.SPACE).forward(x, 5, z);
        for (int r = 0; r < 5; r++) {
            double[] ref = reference(x, r);
            for (int k = 0; k < ref.length; k++) {
                assertEquals(ref[k], z[r * ref.length + k], 1e-12 * (1 + Math.abs(ref[k])));
            }
        }
    }

    @Test
    void nd4jAndSameDiffAgreeWithJavaToFloatPrecision() {
        int n = 300;
        double[] x = randomX(n, 2);
        double[] zj = new double[n * SPEC.outputs()];
        new JavaNetwork(W, org.lnpsaxs.core.simulator.LnpParameters.SPACE).forward(x, n, zj);
        float[] zn = new float[zj.length];
        new Nd4jNetwork(W, org.lnpsaxs.core.simulator.LnpParameters.SPACE).forward(toFloat(x), n, zn);
        SameDiff sd = Graphs.inference(W, directHead(), org.lnpsaxs.core.simulator.LnpParameters.SPACE);
        float[] zs = sd.outputSingle(Collections.singletonMap(Graphs.INPUT,
                Nd4j.create(toFloat(x), new long[] {n, SPEC.features()}, 'c')), Graphs.OUTPUT).dup('c').data().asFloat();
        for (int i = 0; i < zj.length; i++) {
            assertEquals(zj[i], zn[i], 2e-5 * (1 + Math.abs(zj[i])), "ND4J at " + i);
            assertEquals(zj[i], zs[i], 2e-5 * (1 + Math.abs(zj[i])), "SameDiff at " + i);
        }
    }

    @Test
    void javaInputGradientEqualsCentralDifferences() {
        JavaNetwork net = new JavaNetwork(W, org.lnpsaxs.core.simulator.LnpParameters.SPACE);
        int f = SPEC.features();
        int nq = SPEC.outputs();
        double[] x = randomX(3, 4);
        SplittableRandom r = new SplittableRandom(9);
        double[] dz = new double[3 * nq];
        for (int i = 0; i < dz.length; i++) {
            dz[i] = r.nextGaussian();
        }
        double[] dx = new double[3 * f];
        net.backward(x, 3, dz, dx);
        double h = 1e-5;
        for (int row = 0; row < 3; row++) {
            double norm = 0;
            double[] fd = new double[f];
            for (int j = 0; j < f; j++) {
                double[] xp = java.util.Arrays.copyOfRange(x, row * f, row * f + f);
                double[] xm = xp.clone();
                xp[j] += h;
                xm[j] -= h;
                double[] zp = new double[nq];
                double[] zm = new double[nq];
                net.forward(xp, 1, zp);
                net.forward(xm, 1, zm);
                double s = 0;
                for (int k = 0; k < nq; k++) {
                    s += dz[row * nq + k] * (zp[k] - zm[k]) / (2 * h);
                }
                fd[j] = s;
                norm = Math.max(norm, Math.abs(s));
            }
            for (int j = 0; j < f; j++) {
                assertEquals(fd[j], dx[row * f + j], 1e-6 * norm, "row " + row + " feature " + j);
            }
        }
    }

    @Test
    void nd4jInputGradientAgreesWithJava() {
        int n = 50;
        int f = SPEC.features();
        double[] x = randomX(n, 5);
        SplittableRandom r = new SplittableRandom(10);
        double[] dz = new double[n * SPEC.outputs()];
        for (int i = 0; i < dz.length; i++) {
            dz[i] = r.nextGaussian();
        }
        double[] dxj = new double[n * f];
        new JavaNetwork(W, org.lnpsaxs.core.simulator.LnpParameters.SPACE).backward(x, n, dz, dxj);
        float[] dxn = new float[n * f];
        new Nd4jNetwork(W, org.lnpsaxs.core.simulator.LnpParameters.SPACE).backward(toFloat(x), n, toFloat(dz), dxn);
        for (int row = 0; row < n; row++) {
            double norm = 0;
            for (int j = 0; j < f; j++) {
                norm = Math.max(norm, Math.abs(dxj[row * f + j]));
            }
            for (int j = 0; j < f; j++) {
                assertEquals(dxj[row * f + j], dxn[row * f + j], 1e-4 * norm, "row " + row + " feature " + j);
            }
        }
    }

    /**
     * OpenBLAS's SGEMM rounds differently for different matrix shapes and row positions (measured
     * on these machines), so splitting a batch changes results at the float32 rounding level only;
     * the same call repeated is bit-identical.
     */
    @Test
    void nd4jChunkingChangesOnlyRoundingAndRepeatsExactly() {
        int n = 257;
        float[] x = toFloat(randomX(n, 6));
        Nd4jNetwork net = new Nd4jNetwork(W, org.lnpsaxs.core.simulator.LnpParameters.SPACE);
        int nq = SPEC.outputs();
        int f = SPEC.features();
        float[] all = new float[n * nq];
        net.forward(x, n, all);
        float[] again = new float[n * nq];
        net.forward(x, n, again);
        assertArrayEquals(all, again, 0.0f, "repeated call");
        for (int chunk : new int[] {1, 7, 64, 200}) {
            float[] parts = new float[n * nq];
            for (int s = 0; s < n; s += chunk) {
                int m = Math.min(chunk, n - s);
                float[] zc = new float[m * nq];
                net.forward(java.util.Arrays.copyOfRange(x, s * f, (s + m) * f), m, zc);
                System.arraycopy(zc, 0, parts, s * nq, m * nq);
            }
            for (int i = 0; i < all.length; i++) {
                assertEquals(all[i], parts[i], 1e-5 * (1 + Math.abs(all[i])), "chunks of " + chunk + " at " + i);
            }
        }
    }

    /** The split trunk: Java, ND4J and the SameDiff graph (selection matrices, concatenation) agree. */
    @Test
    void splitTrunkAgreesAcrossEvaluatorsAndTheGraph() {
        NetworkSpec split = NetworkSpec.of(9, List.of("R"), 16, 1, 5, Head.LNP_CONTRAST, NetworkSpec.LNP_SPLIT);
        Weights w = TestModels.randomWeights(split, 12);
        var space = org.lnpsaxs.core.simulator.LnpParameters.SPACE;
        int n = 20;
        int f = split.features();
        int t = split.trunkOutputs();
        assertEquals(20, t);
        double[] x = new double[n * f];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = 2 * r.nextDouble() - 1;
        }
        double[] zj = new double[n * t];
        new JavaNetwork(w, space).forward(x, n, zj);
        float[] zn = new float[n * t];
        new Nd4jNetwork(w, space).forward(toFloat(x), n, zn);
        double[] ones = {1, 1, 1, 1, 1};
        SameDiff sd = Graphs.inference(w, Head.of(split, space, ones), space);
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> ph = new java.util.HashMap<>();
        ph.put(Graphs.INPUT, Nd4j.create(toFloat(x), new long[] {n, f}, 'c'));
        ph.put(Graphs.CONTEXT, Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, 2));
        float[] zs = sd.output(ph, Graphs.TRUNK).get(Graphs.TRUNK).dup('c').data().asFloat();
        for (int i = 0; i < zj.length; i++) {
            assertEquals(zj[i], zn[i], 2e-5 * (1 + Math.abs(zj[i])), "ND4J at " + i);
            assertEquals(zj[i], zs[i], 2e-5 * (1 + Math.abs(zj[i])), "SameDiff at " + i);
        }
        // the geometry outputs (first 3Q) do not move with the spectral or contrast features
        double[] x2 = x.clone();
        for (int row = 0; row < n; row++) {
            for (int j : new int[] {0, 2, 3, 4, 5, 6, 8}) {
                x2[row * f + j] = -x2[row * f + j];
            }
        }
        double[] z2 = new double[n * t];
        new JavaNetwork(w, space).forward(x2, n, z2);
        for (int row = 0; row < n; row++) {
            for (int k = 0; k < 15; k++) {
                assertEquals(zj[row * t + k], z2[row * t + k], 0.0);
            }
        }
    }

    @Test
    void weightsAreChecked() {
        java.util.Map<String, float[]> m = new java.util.LinkedHashMap<>();
        for (String name : W.names()) {
            m.put(name, W.get(name));
        }
        m.put("w1_0", new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Weights.of(SPEC, m));
        assertTrue(e.getMessage().contains("w1_0"), e.getMessage());
        m.remove("w1_0");
        e = assertThrows(IllegalArgumentException.class, () -> Weights.of(SPEC, m));
        assertTrue(e.getMessage().contains("w1_0") && e.getMessage().contains("missing"), e.getMessage());
        assertEquals(SPEC.parameterCount(), SPEC.tensors().stream().mapToLong(NetworkSpec.Tensor::size).sum());
    }

    @Test
    void graphWeightsRoundTrip() {
        Weights back = Graphs.weights(Graphs.inference(W, directHead(), org.lnpsaxs.core.simulator.LnpParameters.SPACE), SPEC);
        for (String name : W.names()) {
            assertArrayEquals(W.get(name), back.get(name), 0.0f, name);
        }
    }
}
