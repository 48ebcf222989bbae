package org.lnpsaxs.polydispersity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.FormFactor;
import org.lnpsaxs.core.formfactor.FormFactors;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;

/**
 * The q bands of {@link SasPolydisperseModel} with the accurate rule: the q values are split from
 * the top into bands (above half the band's largest q, at least 32 values), and where the bands pay
 * (a wide distribution) each band is averaged exactly as a model on that band's q values alone would
 * average it — by the rule adapted to the band's largest q — which needs fewer nodes below the top;
 * where they do not (a narrow distribution), the set is averaged as an unbanded model would. Accuracy against a converged integral at every q is
 * {@link AccurateQuadratureTest}'s (its log grid spans nine bands); finite differences of the
 * banded gradient are {@link SasPolydisperseGradientTest}'s.
 */
class QBandsTest {

    private static final double[] Q = QGrid.log(0.001, 0.5, 200).values();
    private static final double[] TRUNCATION = {2.1, 9425.0};

    private static SasPolydisperseModel model(String name, double[] q) {
        return SasPolydisperseModel.of(FormFactors.byName(name), q,
                Dispersion.paper("radius", TRUNCATION[0], TRUNCATION[1]).withQuadrature(Quadrature.ACCURATE));
    }

    /** Parameter sets of {@code m}: its defaults with (radius_mean, radius_cv) as given. */
    private static double[] theta(SasPolydisperseModel m, double[][] sizes) {
        int p = m.parameters().size();
        double[] t = new double[sizes.length * p];
        for (int b = 0; b < sizes.length; b++) {
            double[] v = m.with("background", 0).with("radius_mean", sizes[b][0]).with("radius_cv", sizes[b][1]).values();
            System.arraycopy(v, 0, t, b * p, p);
        }
        return t;
    }

    /** The band edges as the class comment states them: [from, to) index ranges, from the top down. */
    private static List<int[]> bands(double[] q) {
        List<int[]> list = new ArrayList<>();
        int to = q.length;
        while (to > 0) {
            int from = to - 1;
            while (from > 0 && q[from - 1] > q[to - 1] / 2) {
                from--;
            }
            from = Math.min(from, to - 32);
            if (from < 32) {
                from = 0;
            }
            list.add(new int[] {from, to});
            to = from;
        }
        return list;
    }

    private static double[] eval(SasPolydisperseModel m, double[] theta, int batch) {
        double[] out = new double[batch * m.qSize()];
        m.evaluate(theta, batch, out);
        return out;
    }

    private static final double[][] SIZES = {{1000, 0.6}, {40, 0.3}, {4000, 0.1}, {300, 0.01}};

    @Test
    void eachBandIsAveragedAsAModelOnItsOwnQValues() {
        for (String name : new String[] {"sphere", "core_shell_sphere"}) {
            SasPolydisperseModel banded = model(name, Q);
            double[] theta = theta(banded, SIZES);
            int batch = SIZES.length;
            double[] all = eval(banded, theta, batch);
            List<int[]> bands = bands(Q);
            assertEquals(6, bands.size(), "200 log-spaced q values over 2.7 decades: six bands of at least 32");
            double[] plain = eval(banded.unbanded(), theta, batch);
            int p = banded.parameters().size();
            int[] used = new int[2];
            for (int s = 0; s < batch; s++) {
                double[] one = Arrays.copyOfRange(theta, s * p, s * p + p);
                int[] lowest = bands.get(bands.size() - 1);
                boolean pays = 2 * model(name, Arrays.copyOfRange(Q, lowest[0], lowest[1])).quadratureRows(one)
                        <= banded.quadratureRows(one);
                used[pays ? 1 : 0]++;
                if (!pays) {
                    assertArrayEquals(Arrays.copyOfRange(plain, s * Q.length, s * Q.length + Q.length),
                            Arrays.copyOfRange(all, s * Q.length, s * Q.length + Q.length), 0.0, name + ", set " + s);
                    continue;
                }
                for (int[] b : bands) {
                    int n = b[1] - b[0];
                    double[] own = eval(model(name, Arrays.copyOfRange(Q, b[0], b[1])), one, 1);
                    assertArrayEquals(own, Arrays.copyOfRange(all, s * Q.length + b[0], s * Q.length + b[1]), 0.0,
                            name + ", set " + s + ", band from q = " + Q[b[0]]);
                }
            }
            assertTrue(used[0] > 0 && used[1] > 0, name + ": sets by band and in one pass " + Arrays.toString(used));
        }
    }

    /** The banded reverse pass is the sum of the bands' own reverse passes, and its values are the forward pass's. */
    @Test
    void theGradientIsTheSumOfTheBandsGradients() {
        SasPolydisperseModel banded = model("core_shell_sphere", Q);
        double[] theta = theta(banded, SIZES);
        int batch = SIZES.length;
        int p = banded.parameters().size();
        double[] g = new double[batch * Q.length];
        java.util.Random rnd = new java.util.Random(5);
        double[] forward = eval(banded, theta, batch);
        for (int i = 0; i < g.length; i++) {
            g[i] = (2 * rnd.nextDouble() - 1) / forward[i];
        }
        double[] out = new double[batch * Q.length];
        double[] d = new double[batch * p];
        banded.evaluateAndVectorJacobianProduct(theta, batch, g, out, d);
        assertArrayEquals(forward, out, 0.0);
        // the first set (CV 0.6 at 1000 Å) is averaged by band
        double[] sum = new double[p];
        for (int[] b : bands(Q)) {
            int n = b[1] - b[0];
            double[] gb = Arrays.copyOfRange(g, b[0], b[1]);
            double[] db = new double[p];
            model("core_shell_sphere", Arrays.copyOfRange(Q, b[0], b[1])).vectorJacobianProduct(
                    Arrays.copyOf(theta, p), 1, gb, db);
            for (int i = 0; i < p; i++) {
                sum[i] += db[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            assertEquals(sum[i], d[i], 1e-12 * Math.max(1e-300, Math.abs(sum[i])) + 1e-300, "component " + i);
        }
        // the callback path gives the same as the gradient given in advance
        double[] viaCallback = new double[batch * p];
        double[] out2 = new double[batch * Q.length];
        banded.evaluateAndBackpropagate(theta, batch, out2, (intensity, b, dLdI) -> System.arraycopy(g, 0, dLdI, 0,
                g.length), viaCallback);
        assertArrayEquals(d, viaCallback, 0.0);
        assertArrayEquals(forward, out2, 0.0);
    }

    /**
     * What the bands save: for the widest distribution of a large size the bottom band needs a
     * fraction of the top band's nodes, and the form-factor evaluations of a curve (rows × q summed
     * over the bands) are a fraction of what one rule for every q would cost.
     */
    /** The bands' choice counts nodes without writing them: the count is the number of nodes the rule writes. */
    @Test
    void theNodeCountIsTheNumberOfNodesWritten() {
        int checked = 0;
        for (double qMax : new double[] {0.002, 0.05, 0.5}) {
            for (double[] c : new double[][] {{1000, 0.6}, {40, 0.3}, {4000, 0.1}, {300, 0.01}, {3, 0.5}}) {
                var d = org.lnpsaxs.polydispersity.distribution.TruncatedLogNormal.of(c[0], c[1], TRUNCATION[0],
                        TRUNCATION[1]);
                var rule = Quadrature.ACCURATE.rule().adaptedTo(d, 0, Double.POSITIVE_INFINITY, qMax);
                assertEquals(rule.nodes(d).size(), rule.nodeCount(d), "mean " + c[0] + ", CV " + c[1] + ", q_max " + qMax);
                checked++;
            }
        }
        assertEquals(15, checked);
    }

    @Test
    void lowerBandsNeedFewerNodes() {
        SasPolydisperseModel banded = model("sphere", Q);
        double[] theta = theta(banded, new double[][] {{1000, 0.6}});
        int top = banded.quadratureRows(theta);
        long bandedEvaluations = 0;
        int bottom = 0;
        for (int[] b : bands(Q)) {
            bottom = model("sphere", Arrays.copyOfRange(Q, b[0], b[1])).quadratureRows(theta);
            bandedEvaluations += (long) bottom * (b[1] - b[0]);
            assertTrue(bottom <= top, bottom + " nodes in the band from q = " + Q[b[0]] + ", " + top + " at the top");
        }
        long unbanded = (long) top * Q.length;
        assertTrue(bottom * 10 < top, "bottom band " + bottom + " nodes, top " + top);
        assertTrue(bandedEvaluations * 3 < unbanded, bandedEvaluations + " against " + unbanded);
        FormFactor ff = FormFactors.byName("sphere");
        assertEquals(ff.name(), banded.formFactor().name());
    }
}
