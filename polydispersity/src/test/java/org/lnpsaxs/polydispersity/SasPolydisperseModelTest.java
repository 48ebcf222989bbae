package org.lnpsaxs.polydispersity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.CoreShellSphere;
import org.lnpsaxs.core.formfactor.SasModel;

/**
 * {@link SasPolydisperseModel}: large batches (processed in chunks) equal set-by-set results,
 * concurrent calls equal sequential ones, the monodisperse case equals core's {@link SasModel},
 * and bad input is refused with the parameter's name.
 */
class SasPolydisperseModelTest {

    static final QGrid Q = QGrid.log(0.001, 0.5, 200);

    static SasPolydisperseModel radiusAndThickness() {
        return SasPolydisperseModel.of(new CoreShellSphere(), Q, Dispersion.sasmodels("radius", "schulz"),
                Dispersion.sasmodels("thickness", "gaussian"));
    }

    static double[] sets(int batch, long seed) {
        Random rnd = new Random(seed);
        double[] theta = new double[batch * 10];
        for (int b = 0; b < batch; b++) {
            double[] t = {0.5 + rnd.nextDouble(), 0.01 * rnd.nextDouble(), 100 + 300 * rnd.nextDouble(),
                0.05 + 0.2 * rnd.nextDouble(), 10 + 40 * rnd.nextDouble(), 0.05 + 0.25 * rnd.nextDouble(),
                10, 10.5 + rnd.nextDouble(), 9.47};
            // scale, background, radius, radius_pd, thickness, thickness_pd, sld_core, sld_shell, sld_solvent
            System.arraycopy(t, 0, theta, b * 9, 9);
        }
        return Arrays.copyOf(theta, batch * 9);
    }

    /** 35 × 35 rows × 200 q per set: a batch of 20 sets is processed in two chunks. */
    @Test
    void chunkedBatchEqualsSetBySet() {
        SasPolydisperseModel m = radiusAndThickness();
        assertEquals(List.of("scale", "background", "radius", "radius_pd", "thickness", "thickness_pd", "sld_core",
                "sld_shell", "sld_solvent"), m.parameters().names());
        int batch = 20;
        double[] theta = sets(batch, 3);
        double[] g = new double[batch * Q.size()];
        Random rnd = new Random(5);
        for (int i = 0; i < g.length; i++) {
            g[i] = rnd.nextGaussian();
        }
        double[] out = new double[batch * Q.size()];
        double[] grad = new double[batch * 9];
        m.evaluateAndVectorJacobianProduct(theta, batch, g, out, grad);
        double[] out2 = new double[batch * Q.size()];
        double[] grad2 = new double[batch * 9];
        m.evaluateAndBackpropagate(theta, batch, out2, (in, n, d) -> System.arraycopy(g, 0, d, 0, g.length), grad2);
        assertArrayEquals(out, out2, 0.0);
        assertArrayEquals(grad, grad2, 0.0);
        double[] values = new double[batch * Q.size()];
        m.evaluate(theta, batch, values);
        assertArrayEquals(out, values, 0.0);
        for (int b = 0; b < batch; b++) {
            double[] t = Arrays.copyOfRange(theta, b * 9, b * 9 + 9);
            double[] one = m.evaluate(t);
            assertArrayEquals(one, Arrays.copyOfRange(out, b * Q.size(), (b + 1) * Q.size()), 0.0, "set " + b);
            double[] gb = new double[9];
            m.vectorJacobianProduct(t, 1, Arrays.copyOfRange(g, b * Q.size(), (b + 1) * Q.size()), gb);
            assertArrayEquals(gb, Arrays.copyOfRange(grad, b * 9, b * 9 + 9), 0.0, "gradient of set " + b);
        }
    }

    @Test
    void concurrentCallsEqualSequentialOnes() {
        SasPolydisperseModel m = SasPolydisperseModel.of(new CoreShellSphere(), Q, Dispersion.sasmodels("radius", "lognormal"));
        double[][] thetas = new double[16][];
        double[][] expected = new double[16][];
        for (int k = 0; k < 16; k++) {
            thetas[k] = new double[] {1, 0, 150 + 10 * k, 0.1, 30, 10, 10.5, 9.47};
            expected[k] = m.evaluate(thetas[k]);
        }
        double[][] parallel = IntStream.range(0, 64).parallel().mapToObj(k -> m.evaluate(thetas[k % 16]))
                .toArray(double[][]::new);
        for (int k = 0; k < 64; k++) {
            assertArrayEquals(expected[k % 16], parallel[k], 0.0);
        }
    }

    @Test
    void withoutDispersionsItIsTheMonodisperseSasModel() {
        SasPolydisperseModel m = SasPolydisperseModel.of(new CoreShellSphere(), Q);
        SasModel ref = SasModel.coreShellSphere(Q);
        assertEquals(ref.parameters().names(), m.parameters().names());
        double[] theta = {0.3, 0.002, 250, 30, 10, 10.5, 9.47};
        double[] a = m.evaluate(theta);
        double[] b = ref.evaluate(theta);
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-15 * b[i]);
        }
        SasPolydisperseModel back = m.withDispersion(Dispersion.sasmodels("radius", "schulz")).withoutDispersion("radius");
        assertEquals(m.parameters(), back.parameters());
        assertArrayEquals(a, back.evaluate(theta), 0.0);
    }

    @Test
    void refusesBadInputNamingTheParameter() {
        SasPolydisperseModel m = radiusAndThickness();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.evaluate(1, 0, 250, -0.1, 30, 0.1, 10, 10.5, 9.47));
        assertTrue(e.getMessage().contains("radius_pd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.evaluate(1, 0, 250, 0.1, 30));
        assertTrue(e.getMessage().contains("9 parameter values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SasPolydisperseModel.of(new CoreShellSphere(), Q, Dispersion.sasmodels("radius_core", "schulz")));
        assertTrue(e.getMessage().contains("radius_core") && e.getMessage().contains("thickness"), e.getMessage());
        // a gaussian that puts every point below radius 0 is refused, not NaN
        e = assertThrows(IllegalArgumentException.class,
                () -> SasPolydisperseModel.of(new CoreShellSphere(), Q, Dispersion.sasmodels("radius", "gaussian", 1, 3))
                        .evaluate(1, 0, 0, 0.1, 0, 10, 10.5, 9.47));
        assertTrue(e.getMessage().contains("<V>") || e.getMessage().contains("radius"), e.getMessage());
    }

    /** Rows split over threads give exactly the one-thread values and gradients (35 × 35 rows, 200 q). */
    @Test
    void threadsChangeNothing() {
        SasPolydisperseModel one = radiusAndThickness();
        int batch = 3;
        double[] theta = sets(batch, 7);
        double[] g = new double[batch * Q.size()];
        Random rnd = new Random(9);
        for (int i = 0; i < g.length; i++) {
            g[i] = rnd.nextGaussian();
        }
        double[] out1 = new double[g.length];
        double[] grad1 = new double[batch * 9];
        one.evaluateAndVectorJacobianProduct(theta, batch, g, out1, grad1);
        for (int threads : new int[] {2, 3, 5}) {
            SasPolydisperseModel many = one.withThreads(threads);
            assertEquals(threads, many.threads());
            double[] out = new double[g.length];
            double[] grad = new double[batch * 9];
            many.evaluateAndVectorJacobianProduct(theta, batch, g, out, grad);
            assertArrayEquals(out1, out, 0.0, threads + " threads: values");
            assertArrayEquals(grad1, grad, 0.0, threads + " threads: gradient");
            double[] fwd = new double[g.length];
            many.evaluate(theta, batch, fwd);
            assertArrayEquals(out1, fwd, 0.0, threads + " threads: evaluate");
        }
        assertThrows(IllegalArgumentException.class, () -> one.withThreads(0));
    }

    /** A product grid too large to hold is refused before any allocation, naming the point counts. */
    @Test
    void aProductGridBeyondTheLimitIsRefusedBeforeWork() {
        SasPolydisperseModel m = SasPolydisperseModel.byName("core_shell_sphere", QGrid.log(0.001, 0.5, 200))
                .with("radius_pd", 0.1).with("thickness_pd", 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.with("radius_pd_n", 100000).with("thickness_pd_n", 100000).evaluate());
        assertTrue(e.getMessage().contains("100000 radius x 100000 thickness = 10000000000 points")
                && e.getMessage().contains("limit of 4000000"), e.getMessage());
        assertEquals(200, m.with("radius_pd_n", 35).with("thickness_pd_n", 35).evaluate().length);
    }
}
