package org.lnpsaxs.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.surrogate.fit.LnpFitModel;
import org.lnpsaxs.surrogate.lnp.MeanParticle;
import org.lnpsaxs.surrogate.lnp.RadialOperator;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;

class SurrogateTest {

    /** The paper's grid (the diagonal radial operator) and a coarser one (the row operator). */
    private static final QGrid GRID = QGrid.PAPER;
    private static final QGrid COARSE = QGrid.linear(0.002, 0.2, 40);
    private static final Surrogate MODEL = TestModels.randomSurrogate(GRID, 5);
    private static final Surrogate JAVA = MODEL.withBackend(Surrogate.Backend.JAVA);
    private static final Surrogate COARSE_JAVA = TestModels.randomSurrogate(COARSE, 6)
            .withBackend(Surrogate.Backend.JAVA);
    private static final Surrogate ND4J = MODEL.withBackend(Surrogate.Backend.ND4J);

    private static double[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    /** dL/dθ of L = Σ g·I (or Σ g·log10 I) against central differences, in double on the Java path. */
    @Property(tries = 12, seed = "20261204")
    void inputGradientEqualsCentralDifferences(@ForAll long seed) {
        gradientCheck(JAVA, seed);
        gradientCheck(COARSE_JAVA, seed);
    }

    private static void gradientCheck(Surrogate model, long seed) {
        ParameterSpace space = model.parameters();
        int p = space.size();
        int nq = model.qSize();
        double[] theta = TestModels.randomTheta(1, seed);
        double[] g = gaussian(nq, seed + 1);
        for (boolean intensity : new boolean[] {true, false}) {
            double[] grad = new double[p];
            if (intensity) {
                model.vectorJacobianProduct(theta, 1, g, grad);
            } else {
                model.vectorJacobianProductLog10(theta, 1, g, grad);
            }
            double[] fd = new double[p];
            double norm = 0;
            for (int j = 0; j < p; j++) {
                double h = 1e-6 * (space.get(j).upper() - space.get(j).lower());
                double[] tp = theta.clone();
                double[] tm = theta.clone();
                tp[j] += h;
                tm[j] -= h;
                fd[j] = (loss(model, tp, g, intensity) - loss(model, tm, g, intensity)) / (2 * h);
                norm = Math.max(norm, Math.abs(fd[j]) * (space.get(j).upper() - space.get(j).lower()));
            }
            for (int j = 0; j < p; j++) {
                double range = space.get(j).upper() - space.get(j).lower();
                // compare in box-relative units so that R [Å] and m_q [1/Å] weigh alike
                assertEquals(fd[j] * range, grad[j] * range, 1e-6 * norm,
                        (intensity ? "dL/dI" : "dL/dlog10I") + " parameter " + space.get(j).name());
            }
        }
    }

    private static double loss(Surrogate model, double[] theta, double[] g, boolean intensity) {
        double[] out = new double[model.qSize()];
        if (intensity) {
            model.evaluate(theta, 1, out);
        } else {
            model.predictLog10(theta, 1, out);
        }
        double s = 0;
        for (int k = 0; k < out.length; k++) {
            s += g[k] * out[k];
        }
        return s;
    }

    @Test
    void nd4jPathEqualsJavaPathWithinFloatPrecision() {
        int batch = 200;
        int nq = MODEL.qSize();
        int p = MODEL.parameters().size();
        double[] theta = TestModels.randomTheta(batch, 11);
        double[] yj = new double[batch * nq];
        double[] yn = new double[batch * nq];
        JAVA.predictLog10(theta, batch, yj);
        ND4J.predictLog10(theta, batch, yn);
        for (int i = 0; i < yj.length; i++) {
            assertEquals(yj[i], yn[i], 1e-5 * (1 + Math.abs(yj[i])), "log10 I at " + i);
        }
        double[] ij = new double[batch * nq];
        double[] in = new double[batch * nq];
        JAVA.evaluate(theta, batch, ij);
        ND4J.evaluate(theta, batch, in);
        for (int i = 0; i < ij.length; i++) {
            assertEquals(ij[i], in[i], 3e-5 * Math.abs(ij[i]), "I at " + i);
            assertEquals(Math.pow(10, yj[i]), ij[i], 1e-12 * ij[i]);
        }
        double[] g = gaussian(batch * nq, 12);
        for (int i = 0; i < g.length; i++) {
            g[i] /= ij[i];
        }
        double[] gj = new double[batch * p];
        double[] gn = new double[batch * p];
        JAVA.vectorJacobianProduct(theta, batch, g, gj);
        ND4J.vectorJacobianProduct(theta, batch, g, gn);
        ParameterSpace space = MODEL.parameters();
        for (int b = 0; b < batch; b++) {
            double norm = 0;
            for (int j = 0; j < p; j++) {
                norm = Math.max(norm, Math.abs(gj[b * p + j]) * (space.get(j).upper() - space.get(j).lower()));
            }
            for (int j = 0; j < p; j++) {
                double range = space.get(j).upper() - space.get(j).lower();
                assertEquals(gj[b * p + j] * range, gn[b * p + j] * range, 2e-4 * norm, "set " + b + " parameter " + j);
            }
        }
    }

    @Test
    void largeBatchesAreChunkedAndReproducible() {
        int batch = 3000;
        int nq = MODEL.qSize();
        int p = MODEL.parameters().size();
        double[] theta = TestModels.randomTheta(batch, 21);
        double[] a = new double[batch * nq];
        double[] b = new double[batch * nq];
        double[] c = new double[batch * nq];
        ND4J.evaluate(theta, batch, a);
        ND4J.evaluate(theta, batch, b);
        ND4J.withChunkSize(97).evaluate(theta, batch, c);
        assertArrayEquals(a, b, 0.0, "same call, same bits");
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], c[i], 1e-5 * a[i], "chunk 97 at " + i);
        }
        double[] g = gaussian(batch * nq, 22);
        double[] ga = new double[batch * p];
        double[] gc = new double[batch * p];
        ND4J.vectorJacobianProductLog10(theta, batch, g, ga);
        ND4J.withChunkSize(500).vectorJacobianProductLog10(theta, batch, g, gc);
        double[] single = new double[p];
        // the last set alone (Java path) agrees with its row in the big batch
        MODEL.vectorJacobianProductLog10(java.util.Arrays.copyOfRange(theta, (batch - 1) * p, batch * p), 1,
                java.util.Arrays.copyOfRange(g, (batch - 1) * nq, batch * nq), single);
        ParameterSpace space = MODEL.parameters();
        for (int j = 0; j < p; j++) {
            double range = space.get(j).upper() - space.get(j).lower();
            assertEquals(single[j] * range, ga[(batch - 1) * p + j] * range, 1e-3 * (1 + Math.abs(single[j] * range)));
        }
        for (int i = 0; i < ga.length; i++) {
            double range = space.get(i % p).upper() - space.get(i % p).lower();
            assertEquals(ga[i] * range, gc[i] * range, 1e-3 * (1 + Math.abs(ga[i] * range)), "gradient at " + i);
        }
    }

    @Test
    void outOfBoxValuesAreRefusedWithTheParameterAndItsRange() {
        double[] theta = TestModels.randomTheta(3, 1);
        theta[9 + 1] = 520; // R of set 1
        double[] out = new double[3 * MODEL.qSize()];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MODEL.evaluate(theta, 3, out));
        assertTrue(e.getMessage().contains("R = 520") && e.getMessage().contains("[100, 500] Å")
                && e.getMessage().contains("set 1"), e.getMessage());
        double[] nan = TestModels.randomTheta(1, 2);
        nan[3] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> MODEL.withClamping(true).evaluate(nan));
        assertTrue(e.getMessage().contains("m_q1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MODEL.evaluate(new double[5]));
        assertThrows(IllegalArgumentException.class, () -> MODEL.evaluate(theta, 3, new double[10]));
    }

    @Test
    void clampingUsesTheBoundAndZeroesThatGradient() {
        Surrogate clamped = MODEL.withClamping(true);
        double[] inside = TestModels.randomTheta(1, 3);
        double[] outside = inside.clone();
        inside[1] = 500;
        outside[1] = 650;
        assertArrayEquals(MODEL.evaluate(inside), clamped.evaluate(outside), 0.0);
        double[] g = gaussian(MODEL.qSize(), 4);
        double[] gi = new double[9];
        double[] go = new double[9];
        clamped.vectorJacobianProductLog10(inside, 1, g, gi);
        clamped.vectorJacobianProductLog10(outside, 1, g, go);
        for (int j = 0; j < 9; j++) {
            assertEquals(j == 1 ? 0.0 : gi[j], go[j], 0.0, "parameter " + j);
        }
        assertTrue(gi[1] != 0);
    }

    @Test
    void concurrentCallsGiveTheSerialResults() throws Exception {
        int batch = 300;
        int nq = MODEL.qSize();
        double[][] thetas = new double[8][];
        double[][] serial = new double[8][];
        for (int t = 0; t < 8; t++) {
            thetas[t] = TestModels.randomTheta(t % 2 == 0 ? batch : 2, 100 + t);
            serial[t] = new double[thetas[t].length / 9 * nq];
            MODEL.evaluate(thetas[t], thetas[t].length / 9, serial[t]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> fs = new ArrayList<>();
            for (int rep = 0; rep < 3; rep++) {
                for (int t = 0; t < 8; t++) {
                    final int tt = t;
                    fs.add(pool.submit(() -> {
                        double[] o = new double[serial[tt].length];
                        MODEL.evaluate(thetas[tt], thetas[tt].length / 9, o);
                        return o;
                    }));
                }
            }
            for (int i = 0; i < fs.size(); i++) {
                assertArrayEquals(serial[i % 8], fs.get(i).get(), 0.0, "task " + i);
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * With zero weight matrices the MLP outputs are their biases, so the surrogate must be
     * \( \bar I\,10^{b_E} + N_c\,10^{b_D} \): the composition checked against the closed-form
     * mean particle and the core volume computed here.
     */
    @Test
    void outputIsTheMeanParticleTimesTenToEPlusTheFluctuationTerm() {
        ModelFile.Contents c = TestModels.random(GRID, 9);
        NetworkSpec spec = c.metadata().network();
        Weights w = c.weights();
        for (NetworkSpec.Tensor t : spec.tensors()) {
            if (t.rows() > 1 || t.name().endsWith("w0")) {
                w = w.with(t.name(), new float[t.size()]);
            }
        }
        int nq = GRID.size();
        float[] bd = new float[nq];
        float[] be = new float[nq];
        for (int k = 0; k < nq; k++) {
            bd[k] = (float) (1.5 - 8 * GRID.get(k));
            be[k] = (float) (0.05 * Math.sin(30 * GRID.get(k)));
        }
        w = w.with(NetworkSpec.D_PREFIX + "b_out", bd).with(NetworkSpec.E_PREFIX + "b_out", be);
        Surrogate s = Surrogate.of(new ModelFile.Contents(c.metadata(), w)).withBackend(Surrogate.Backend.JAVA);
        Surrogate sn = s.withBackend(Surrogate.Backend.ND4J);
        MeanParticle mp = new MeanParticle(RadialOperator.of(GRID.values(), TestModels.VOXEL, TestModels.PLANE, 1));
        MeanParticle.Work mw = new MeanParticle.Work(mp);
        double[] theta = TestModels.randomTheta(5, 31);
        double[] out = new double[5 * nq];
        double[] outN = new double[5 * nq];
        s.evaluate(theta, 5, out);
        sn.evaluate(theta, 5, outN);
        double[] mean = new double[nq];
        for (int b = 0; b < 5; b++) {
            double shift = theta[b * 9];
            double r = theta[b * 9 + 1];
            double t = theta[b * 9 + 7];
            double rel = theta[b * 9 + 8];
            double rc = r - t;
            mp.intensity(r, rc, shift, rel * (1 + shift) - 1, mean, 0, mw);
            double nc = 4 * Math.PI / 3 * Math.pow(rc / TestModels.VOXEL, 3);
            for (int k = 0; k < nq; k++) {
                double expected = mean[k] * Math.pow(10, be[k]) + nc * Math.pow(10, bd[k]);
                assertEquals(expected, out[b * nq + k], 1e-12 * expected, "set " + b + " q index " + k);
                assertEquals(expected, outN[b * nq + k], 1e-6 * expected, "ND4J set " + b + " q index " + k);
            }
        }
    }

    @Test
    void spectralComponentsInEitherOrderGiveTheSameCurve() {
        double[] theta = TestModels.randomTheta(1, 41);
        double[] swapped = theta.clone();
        swapped[2] = 1 - theta[2];
        swapped[3] = theta[4];
        swapped[4] = theta[3];
        swapped[5] = theta[6];
        swapped[6] = theta[5];
        assertArrayEquals(MODEL.evaluate(theta), MODEL.evaluate(swapped), 1e-12 * MODEL.evaluate(theta)[0]);
    }

    /** AUTO serves every batch with Java unless told otherwise; above its Java limit it uses ND4J. */
    @Test
    void autoBackendChoosesByTheJavaLimit() {
        int batch = 120;
        int nq = MODEL.qSize();
        double[] theta = TestModels.randomTheta(batch, 61);
        double[] auto = new double[batch * nq];
        double[] java = new double[batch * nq];
        double[] nd = new double[batch * nq];
        double[] limited = new double[batch * nq];
        MODEL.evaluate(theta, batch, auto);
        JAVA.evaluate(theta, batch, java);
        ND4J.evaluate(theta, batch, nd);
        MODEL.withJavaMaxBatch(100).evaluate(theta, batch, limited);
        assertArrayEquals(java, auto, 0.0);
        assertArrayEquals(nd, limited, 0.0);
        MODEL.withJavaMaxBatch(200).evaluate(theta, batch, limited);
        assertArrayEquals(java, limited, 0.0);
    }

    /** The one-pass forward + reverse calls give what separate evaluate and VJP calls give. */
    @Test
    void fusedCallsEqualSeparateCalls() {
        for (Surrogate s : new Surrogate[] {JAVA, ND4J.withChunkSize(70), MODEL}) {
            int batch = s == MODEL ? 4 : 150;
            int nq = s.qSize();
            double[] theta = TestModels.randomTheta(batch, 51);
            double[] out = new double[batch * nq];
            s.evaluate(theta, batch, out);
            double[] dLdI = new double[batch * nq];
            for (int i = 0; i < dLdI.length; i++) {
                dLdI[i] = Math.sin(i) / out[i];
            }
            double[] grad = new double[batch * 9];
            s.vectorJacobianProduct(theta, batch, dLdI, grad);

            double[] out2 = new double[batch * nq];
            double[] grad2 = new double[batch * 9];
            FusedDifferentiableModel f = s;
            f.evaluateAndBackpropagate(theta, batch, out2, (intensity, n, g) -> {
                assertEquals(batch, n);
                for (int i = 0; i < n * nq; i++) {
                    g[i] = Math.sin(i) / intensity[i];
                }
            }, grad2);
            double[] out3 = new double[batch * nq];
            double[] grad3 = new double[batch * 9];
            f.evaluateAndVectorJacobianProduct(theta, batch, dLdI, out3, grad3);
            boolean exact = s == JAVA || s == MODEL;
            for (int i = 0; i < out.length; i++) {
                assertEquals(out[i], out2[i], (exact ? 0 : 1e-6) * out[i], "fused intensity " + i);
                assertEquals(out[i], out3[i], (exact ? 0 : 1e-6) * out[i], "known-gradient intensity " + i);
            }
            ParameterSpace space = s.parameters();
            for (int i = 0; i < grad.length; i++) {
                double range = space.get(i % 9).upper() - space.get(i % 9).lower();
                double tol = (exact ? 1e-12 : 1e-4) * (1 + Math.abs(grad[i] * range));
                assertEquals(grad[i] * range, grad2[i] * range, tol, "fused gradient " + i);
                assertEquals(grad[i] * range, grad3[i] * range, tol, "known-gradient gradient " + i);
            }
        }
    }

    /**
     * The callback path reuses its upstream-gradient buffer between calls on a thread: the callback
     * still gets exactly batch × q values, all zero, after an earlier call filled them, and a
     * callback that writes only part of the buffer gets the gradient of exactly that part.
     */
    @Test
    void theCallbacksBufferArrivesZeroedAndExactlySizedOnEveryCall() {
        int batch = 5;
        int nq = JAVA.qSize();
        int p = JAVA.parameters().size();
        double[] theta = TestModels.randomTheta(batch, 71);
        double[] out = new double[batch * nq];
        double[] grad = new double[batch * p];
        for (int call = 0; call < 3; call++) {
            JAVA.evaluateAndBackpropagate(theta, batch, out, (intensity, n, dL) -> {
                assertEquals(n * nq, dL.length, "buffer length");
                for (int i = 0; i < dL.length; i++) {
                    assertEquals(0.0, dL[i], "value " + i + " on entry");
                }
                java.util.Arrays.fill(dL, 1.0);
            }, grad);
        }
        // a callback that leaves the second half of the curve alone: the gradient of the first half only
        double[] half = new double[batch * nq];
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(half, b * nq, b * nq + nq / 2, 1.0);
        }
        double[] expected = new double[batch * p];
        JAVA.evaluateAndVectorJacobianProduct(theta, batch, half, new double[batch * nq], expected);
        double[] got = new double[batch * p];
        JAVA.evaluateAndBackpropagate(theta, batch, out, (intensity, n, dL) -> {
            for (int b = 0; b < n; b++) {
                java.util.Arrays.fill(dL, b * nq, b * nq + nq / 2, 1.0);
            }
        }, got);
        assertArrayEquals(expected, got, 0.0);
    }

    /**
     * The Java evaluator works in blocks of rows: every row of a batch that is not a multiple of
     * the block (and its gradient, on both fused paths) is bit-for-bit the row evaluated alone.
     */
    @Test
    void rowsOfABatchEqualTheRowsAloneBitForBit() {
        int batch = 19;
        int nq = JAVA.qSize();
        int p = JAVA.parameters().size();
        double[] theta = TestModels.randomTheta(batch, 61);
        double[] g = gaussian(batch * nq, 62);
        double[] out = new double[batch * nq];
        double[] grad = new double[batch * p];
        double[] out2 = new double[batch * nq];
        double[] grad2 = new double[batch * p];
        double[] pred = new double[batch * nq];
        JAVA.evaluateAndVectorJacobianProduct(theta, batch, g, out, grad);
        JAVA.evaluateAndBackpropagate(theta, batch, out2, (intensity, n, dL) -> System.arraycopy(g, 0, dL, 0, n * nq),
                grad2);
        JAVA.evaluate(theta, batch, pred);
        for (int b = 0; b < batch; b++) {
            double[] t = java.util.Arrays.copyOfRange(theta, b * p, (b + 1) * p);
            double[] o = new double[nq];
            double[] gr = new double[p];
            JAVA.evaluateAndVectorJacobianProduct(t, 1, java.util.Arrays.copyOfRange(g, b * nq, (b + 1) * nq), o, gr);
            assertArrayEquals(o, java.util.Arrays.copyOfRange(out, b * nq, (b + 1) * nq), 0.0, "intensity of set " + b);
            assertArrayEquals(o, java.util.Arrays.copyOfRange(out2, b * nq, (b + 1) * nq), 0.0,
                    "intensity of set " + b + " (callback)");
            assertArrayEquals(o, java.util.Arrays.copyOfRange(pred, b * nq, (b + 1) * nq), 0.0,
                    "intensity of set " + b + " (evaluate)");
            assertArrayEquals(gr, java.util.Arrays.copyOfRange(grad, b * p, (b + 1) * p), 0.0, "gradient of set " + b);
            assertArrayEquals(gr, java.util.Arrays.copyOfRange(grad2, b * p, (b + 1) * p), 0.0,
                    "gradient of set " + b + " (callback)");
        }
    }

    @Test
    void describesItself() {
        assertEquals(9, MODEL.parameters().size());
        assertEquals(GRID, MODEL.qGrid());
        assertArrayEquals(GRID.values(), MODEL.q(), 0.0);
        String s = MODEL.toString();
        assertTrue(s.contains("random test network") && s.contains("[24, 24]") && s.contains("300 q points")
                && s.contains("shell_thickness") && !s.contains("@"), s);
        assertTrue(MODEL.withClamping(true).withBackend(Surrogate.Backend.JAVA).toString()
                .endsWith("; clamping; backend JAVA]"), MODEL.withClamping(true).withBackend(Surrogate.Backend.JAVA)
                .toString());
        String m = MODEL.metadata().toString();
        assertTrue(m.contains("R [100, 500] Å") && m.contains("relative_rho_shell [0.7, 1.3]")
                && m.contains("300 points 0.002 .. 0.1995 1/Å") && m.contains("(lnpsaxs-surrogate v3)")
                && !m.contains("@"), m);
    }

    /** Parameters by name: the named ones replace LnpParameters.example()'s values, in the model's order. */
    @Test
    void namedParametersGiveThePositionalResult() {
        double[] theta = LnpParameters.example();
        theta[LnpParameters.SPACE.indexOf(LnpParameters.R)] = 250;
        theta[LnpParameters.SPACE.indexOf(LnpParameters.SHELL_THICKNESS)] = 55.5;
        Map<String, Number> named = Map.of("R", 250, "shell_thickness", 55.5);
        assertArrayEquals(theta, MODEL.vector(named), 0.0);
        assertArrayEquals(MODEL.evaluate(theta), MODEL.evaluate(named), 0.0);
        assertArrayEquals(MODEL.predictLog10(theta), MODEL.predictLog10(named), 0.0);
        assertArrayEquals(LnpParameters.example(),
                MODEL.defaults().values().stream().mapToDouble(Double::doubleValue).toArray(), 0.0);
        assertEquals(LnpParameters.SPACE.names(), List.copyOf(MODEL.defaults().keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MODEL.evaluate(Map.of("radius", 250)));
        assertTrue(e.getMessage().contains("radius") && e.getMessage().contains("shell_thickness"), e.getMessage());
        Map<String, Number> withNull = new java.util.HashMap<>();
        withNull.put("R", null);
        e = assertThrows(IllegalArgumentException.class, () -> MODEL.evaluate(withNull));
        assertTrue(e.getMessage().contains("R"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MODEL.evaluate(Map.of("R", 900)));
        assertTrue(e.getMessage().contains("R = 900.0") && e.getMessage().contains("[100, 500] Å"), e.getMessage());
    }

    /** loadDefault() is unchecked, so it serves as a model supplier as it stands. */
    @Test
    void loadDefaultServesAsASupplier() {
        java.util.function.Supplier<DifferentiableModel> supplier = Surrogate::loadDefault;
        FitModel lnp = LnpFitModel.of(supplier.get());
        assertEquals("lnp", lnp.name());
        assertEquals(300, lnp.fixedGrid().orElseThrow().size());
    }
}
