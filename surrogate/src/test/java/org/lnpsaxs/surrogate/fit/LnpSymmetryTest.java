package org.lnpsaxs.surrogate.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.optimize.model.Symmetry;
import org.lnpsaxs.surrogate.Surrogate;

/**
 * The lnp model's contrast-sign symmetry: (GRF_shift, relative_rho_shell) ↦ (−s, (2 − r(1+s))/(1 − s)).
 * Derived from the simulator's definition (core contrast φ(Y) + s, shell contrast r(1+s) − 1,
 * intensity |F|² of the contrast, Y and −Y equally likely; see {@link LnpFitModel#contrastSign()}).
 * Checked here: it is an involution, the image of GRF_shift &lt; 0 lies in the fit box, and the
 * shipped surrogate gives the same curve at both images (it keeps the symmetry exactly), while
 * flipping the shift alone changes the curve by far more. With the direct simulator the two
 * images differ only by realisation noise (docs/fitting.md, "Posterior"; measured: 0.027 and
 * 0.034 decades median against 0.019 and 0.034 between two seeds, 0.31 for the shift flipped alone).
 */
class LnpSymmetryTest {

    private static final Symmetry SIGN = LnpFitModel.contrastSign();

    @Test
    void theMapIsAnInvolutionAndFoldsIntoTheBox() {
        assertEquals(List.of("GRF_shift", "relative_rho_shell"), SIGN.parameters());
        Random rnd = new Random(3);
        for (int k = 0; k < 1000; k++) {
            double s = -0.98 + 1.96 * rnd.nextDouble();
            double r = 0.7 + 0.6 * rnd.nextDouble();
            double[] m = SIGN.map(new double[] {s, r});
            double[] back = SIGN.map(m);
            assertEquals(s, back[0], 1e-12);
            assertEquals(r, back[1], 1e-12);
            assertEquals(s >= 0, SIGN.isCanonical(new double[] {s, r}));
            if (s < 0) {
                assertTrue(SIGN.isCanonical(m));
                assertTrue(m[1] >= 0.7 && m[1] <= 1.3, "image " + m[1] + " of " + s + ", " + r);
            }
            // the contrasts: core mean s -> -s, shell r(1+s) - 1 -> its negative
            assertEquals(-(r * (1 + s) - 1), m[1] * (1 + m[0]) - 1, 1e-12);
        }
    }

    /**
     * The closed-form volume stretch, ln |det J| = ln((1+s)/(1−s)), against Symmetry's default
     * central differences of the same map (an independent computation of the Jacobian), and the
     * involution's property that the stretch at the image undoes the one at the point.
     */
    @Test
    void theJacobianInClosedFormAgreesWithFiniteDifferencesOfTheMap() {
        Symmetry numeric = Symmetry.of("fd", "", "", "", SIGN.parameters(), SIGN::map, SIGN::isCanonical);
        Random rnd = new Random(11);
        for (int i = 0; i < 200; i++) {
            double[] v = {-0.98 + 1.96 * rnd.nextDouble(), 0.7 + 0.6 * rnd.nextDouble()};
            double closed = SIGN.logAbsJacobian(v);
            assertEquals(numeric.logAbsJacobian(v), closed, 1e-7 * (1 + Math.abs(closed)), "at " + List.of(v[0], v[1]));
            assertEquals(0, closed + SIGN.logAbsJacobian(SIGN.map(v)), 1e-12, "J(M(v)) J(v) = 1 at " + List.of(v[0], v[1]));
        }
        // the stretch is not 1: a uniform prior gives the two images different mass
        assertEquals(Math.log(1.1 / 0.9), SIGN.logAbsJacobian(new double[] {0.1, 1.0}), 1e-15);
    }

    @Test
    void theSurrogateGivesTheSameCurveAtBothImages() {
        Surrogate sur = Surrogate.loadDefault();
        Random rnd = new Random(7);
        double worstMirror = 0;
        double leastWrong = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 20; k++) {
            double s = -0.9 * rnd.nextDouble() - 0.05;
            double r = 0.7 + 0.6 * rnd.nextDouble();
            double m1 = 0.05 + 0.1 * rnd.nextDouble();
            double m2 = 0.05 + 0.1 * rnd.nextDouble();
            // GRF_shift, R, w_q1, m_q1, m_q2, s_q1, s_q2, shell_thickness, relative_rho_shell
            double[] t = {s, 150 + 300 * rnd.nextDouble(), rnd.nextDouble(), Math.min(m1, m2), Math.max(m1, m2),
                0.01 + 0.14 * rnd.nextDouble(), 0.01 + 0.14 * rnd.nextDouble(), 40 + 30 * rnd.nextDouble(), r};
            double[] img = SIGN.map(new double[] {s, r});
            double[] mt = t.clone();
            mt[0] = img[0];
            mt[8] = img[1];
            double[] flipped = t.clone();
            flipped[0] = -s;
            double[] a = sur.predictLog10(t);
            double[] b = sur.predictLog10(mt);
            double[] c = sur.predictLog10(flipped);
            double wrong = 0;
            for (int i = 0; i < a.length; i++) {
                worstMirror = Math.max(worstMirror, Math.abs(a[i] - b[i]));
                wrong = Math.max(wrong, Math.abs(a[i] - c[i]));
            }
            leastWrong = Math.min(leastWrong, wrong);
        }
        assertTrue(worstMirror < 1e-6, "largest |d log10 I| between the images: " + worstMirror);
        assertTrue(leastWrong > 0.01, "flipping the shift alone changes the curve by only " + leastWrong);
    }

    private static final Symmetry SWAP = LnpFitModel.componentSwap();

    /**
     * The spectral components' swap (w, m₁, m₂, s₁, s₂) ↦ (1 − w, m₂, m₁, s₂, s₁): an involution, the
     * canonical image is the fit space's ordering m_q1 ≤ m_q2, it sends the default box onto itself,
     * and it preserves volume (finite differences of the map against the declared ln|det J| = 0).
     */
    @Test
    void theComponentSwapIsAVolumePreservingInvolutionOfTheBoxWhoseCanonicalImageIsTheOrdering() {
        assertEquals(List.of("w_q1", "m_q1", "m_q2", "s_q1", "s_q2"), SWAP.parameters());
        assertEquals("m_q1 <= m_q2", SWAP.canonicalOrdering().orElseThrow().toString());
        LnpFitModel fm = LnpFitModel.of(Surrogate.loadDefault());
        var space = fm.bind(fm.fixedGrid().orElseThrow()).defaultSpace();
        assertTrue(space.orderedPairs().contains(SWAP.canonicalOrdering().orElseThrow()));
        Symmetry numeric = Symmetry.of("fd", "", "", "", SWAP.parameters(), SWAP::map, SWAP::isCanonical);
        Random rnd = new Random(5);
        for (int k = 0; k < 500; k++) {
            double[] v = new double[5];
            for (int t = 0; t < 5; t++) {
                var par = space.box().get(SWAP.parameters().get(t));
                v[t] = par.lower() + rnd.nextDouble() * (par.upper() - par.lower());
            }
            double[] m = SWAP.map(v);
            double[] back = SWAP.map(m);
            for (int t = 0; t < 5; t++) {
                assertEquals(v[t], back[t], 1e-15);
                var par = space.box().get(SWAP.parameters().get(t));
                assertTrue(m[t] >= par.lower() && m[t] <= par.upper(), "image outside the box: " + java.util.Arrays.toString(m));
            }
            assertEquals(v[1] <= v[2], SWAP.isCanonical(v));
            assertTrue(SWAP.isCanonical(v) || SWAP.isCanonical(m));
            assertEquals(numeric.logAbsJacobian(v), SWAP.logAbsJacobian(v), 1e-8);
        }
    }

    /**
     * The shipped surrogate and the closed form give the same curve for both labellings of the
     * components (to rounding: 1 − (1 − w) need not be w), while swapping the means alone changes it.
     */
    @Test
    void bothModelsGiveTheSameCurveForBothLabellingsOfTheComponents() {
        Surrogate sur = Surrogate.loadDefault();
        org.lnpsaxs.surrogate.lnp.ClosedFormLnp closed = org.lnpsaxs.surrogate.lnp.ClosedFormLnp.of(sur.q());
        Random rnd = new Random(9);
        double worstSurrogate = 0;
        double worstClosed = 0;
        double leastWrong = Double.POSITIVE_INFINITY;
        int nq = sur.qSize();
        for (int k = 0; k < 20; k++) {
            double m1 = 0.05 + 0.1 * rnd.nextDouble();
            double m2 = 0.05 + 0.1 * rnd.nextDouble();
            // GRF_shift, R, w_q1, m_q1, m_q2, s_q1, s_q2, shell_thickness, relative_rho_shell
            double[] t = {-0.9 + 1.8 * rnd.nextDouble(), 150 + 300 * rnd.nextDouble(), 0.05 + 0.9 * rnd.nextDouble(),
                Math.min(m1, m2), Math.max(m1, m2), 0.01 + 0.14 * rnd.nextDouble(), 0.01 + 0.14 * rnd.nextDouble(),
                40 + 30 * rnd.nextDouble(), 0.7 + 0.6 * rnd.nextDouble()};
            double[] img = SWAP.map(new double[] {t[2], t[3], t[4], t[5], t[6]});
            double[] st = t.clone();
            System.arraycopy(img, 0, st, 2, 5);
            double[] means = t.clone();
            means[3] = t[4];
            means[4] = t[3];
            double[] a = sur.predictLog10(t);
            double[] b = sur.predictLog10(st);
            double[] c = sur.predictLog10(means);
            double[] ca = new double[nq];
            double[] cb = new double[nq];
            closed.evaluate(t, 1, ca);
            closed.evaluate(st, 1, cb);
            double wrong = 0;
            for (int i = 0; i < nq; i++) {
                worstSurrogate = Math.max(worstSurrogate, Math.abs(a[i] - b[i]));
                worstClosed = Math.max(worstClosed, Math.abs(Math.log10(ca[i]) - Math.log10(cb[i])));
                wrong = Math.max(wrong, Math.abs(a[i] - c[i]));
            }
            leastWrong = Math.min(leastWrong, wrong);
        }
        assertTrue(worstSurrogate < 1e-10, "largest |d log10 I| between the labellings, surrogate: " + worstSurrogate);
        assertTrue(worstClosed < 1e-10, "largest |d log10 I| between the labellings, closed form: " + worstClosed);
        assertTrue(leastWrong > 1e-3, "swapping the means alone changes the curve by only " + leastWrong);
    }
}
