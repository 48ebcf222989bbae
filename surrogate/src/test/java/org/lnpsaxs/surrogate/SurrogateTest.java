package org.lnpsaxs.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.nn.Head;
import org.lnpsaxs.surrogate.nn.NetworkSpec;

class SurrogateTest {

    private static final QGrid GRID = QGrid.linear(0.002, 0.2, 40);
    private static final Surrogate MODEL = TestModels.randomSurrogate(GRID, 32, 2, 5);
    private static final Surrogate JAVA = MODEL.withBackend(Surrogate.Backend.JAVA);
    private static final Surrogate DIRECT_JAVA = TestModels.randomSurrogate(GRID, 32, 2, 6, Head.DIRECT,
            NetworkSpec.SINGLE).withBackend(Surrogate.Backend.JAVA);
    private static final Surrogate SINGLE_CONTRAST_JAVA = TestModels.randomSurrogate(GRID, 24, 1, 7, Head.LNP_CONTRAST,
            NetworkSpec.SINGLE).withBackend(Surrogate.Backend.JAVA);
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
    @Property(tries = 12)
    void inputGradientEqualsCentralDifferences(@ForAll long seed) {
        gradientCheck(JAVA, seed);
        gradientCheck(DIRECT_JAVA, seed);
        gradientCheck(SINGLE_CONTRAST_JAVA, seed);
    }

    private static void gradientCheck(Surrogate model, long seed) {
        ParameterSpace space = model.parameters();
        int p = space.size();
        int nq = MODEL.qSize();
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
        MODEL.evaluate(theta, batch, a);
        MODEL.evaluate(theta, batch, b);
        MODEL.withChunkSize(97).evaluate(theta, batch, c);
        assertArrayEquals(a, b, 0.0, "same call, same bits");
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], c[i], 1e-5 * a[i], "chunk 97 at " + i);
        }
        double[] g = gaussian(batch * nq, 22);
        double[] ga = new double[batch * p];
        double[] gc = new double[batch * p];
        MODEL.vectorJacobianProductLog10(theta, batch, g, ga);
        MODEL.withChunkSize(500).vectorJacobianProductLog10(theta, batch, g, gc);
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

    @Test
    void describesItself() {
        assertEquals(9, MODEL.parameters().size());
        assertEquals(GRID, MODEL.qGrid());
        assertArrayEquals(GRID.values(), MODEL.q(), 0.0);
        assertTrue(MODEL.toString().contains("32"));
    }
}
