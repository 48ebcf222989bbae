package org.lnpsaxs.core.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.CoreShellSphere;
import org.lnpsaxs.core.testing.SasmodelsReference;

/**
 * The pinhole operators against SasView's smeared reference curves. Those curves are
 * polydisperse (Schulz in the radius), so this test averages the core-shell kernel over the
 * README's Schulz grid itself, in a few lines written only for this check (the library's
 * polydispersity layer lives in the {@code polydispersity} module and is tested there); the
 * unsmeared counterpart of the same case checks that average first.
 */
class SasmodelsSmearedReferenceTest {

    /** sasmodels' ⟨f2⟩/⟨V⟩ (README "Polydispersity", Schulz in the radius), scale 1, background 0. */
    static double[] schulzAverage(SasmodelsReference ref, double[] q) {
        double center = ref.parameter("radius");
        double pd = ref.parameter("radius_pd");
        int n = (int) ref.parameter("radius_pd_n");
        double nsigma = ref.parameter("radius_pd_nsigma");
        assertEquals("schulz", ref.header("par.radius_pd_type"));
        assertEquals(0.0, ref.parameter("thickness_pd"));
        double sigma = pd * center;
        double half = nsigma * sigma;
        double step = 2 * half / (n - 1);
        double z = (center / sigma) * (center / sigma);
        double[] theta = new double[n * 5];
        double[] w = new double[n];
        int m = 0;
        for (int k = 0; k < n; k++) {
            double x = center + (k == n - 1 ? half : k * step - half);
            if (x < 1e-8) {
                continue;
            }
            double r = x / center;
            w[m] = Math.exp(z * Math.log(z) + (z - 1) * Math.log(r) - r * z - Math.log(center) - Gamma.logGamma(z));
            double[] t = {x, ref.parameter("thickness"), ref.parameter("sld_core"), ref.parameter("sld_shell"),
                ref.parameter("sld_solvent")};
            System.arraycopy(t, 0, theta, m * 5, 5);
            m++;
        }
        double[] f2 = new double[m * q.length];
        double[] v = new double[m];
        new CoreShellSphere().compute(q, theta, m, f2, v);
        double sw = 0;
        double sv = 0;
        double[] out = new double[q.length];
        for (int b = 0; b < m; b++) {
            sw += w[b];
            sv += w[b] * v[b];
            for (int i = 0; i < q.length; i++) {
                out[i] += w[b] * f2[b * q.length + i];
            }
        }
        for (int i = 0; i < q.length; i++) {
            out[i] = ref.parameter("scale") * (out[i] / sw) / (sv / sw) + ref.parameter("background");
        }
        return out;
    }

    @Test
    void theTestAverageReproducesTheUnsmearedCase() {
        SasmodelsReference ref = SasmodelsReference.load("css_lnp_pdR_schulz_log");
        double err = SasmodelsReference.maxRelativeError(ref.intensity(), schulzAverage(ref, ref.q()));
        assertTrue(err <= 1e-9, "max relative error " + err);
    }

    @Test
    void sasmodelsOperatorReproducesTheDefaultSmearing() {
        SasmodelsReference ref = SasmodelsReference.load("css_lnp_pdR_schulz_res5_log");
        ResolutionOperator op = Pinhole.sasmodels(QGrid.of(ref.q()), ref.dqOverQ());
        double[] smeared = op.apply(schulzAverage(ref, op.qCalc().values()));
        double err = SasmodelsReference.maxRelativeError(ref.intensity(), smeared);
        assertTrue(err <= 1e-9, "max relative error " + err);
    }

    @Test
    void sasmodelsOperatorOnTheDenseGridReproducesTheDenseSmearing() {
        SasmodelsReference ref = SasmodelsReference.load("css_lnp_pdR_schulz_res5dense_log");
        QGrid q = QGrid.of(ref.q());
        double[] dq = Pinhole.widths(q, ref.dqOverQ());
        ResolutionOperator op = Pinhole.sasmodels(q, dq, Pinhole.geometricQCalc(q, dq, 1000));
        double[] smeared = op.apply(schulzAverage(ref, op.qCalc().values()));
        double err = SasmodelsReference.maxRelativeError(ref.intensity(), smeared);
        assertTrue(err <= 1e-9, "max relative error " + err);
    }

    /**
     * The converged operator against the dense file, which itself approximates the continuous
     * integral to 2e-5 (README): the bar is 1e-4.
     */
    @Test
    void convergedOperatorAgreesWithTheDenseSmearing() {
        SasmodelsReference ref = SasmodelsReference.load("css_lnp_pdR_schulz_res5dense_log");
        ResolutionOperator op = Pinhole.converged(QGrid.of(ref.q()), ref.dqOverQ());
        double[] smeared = op.apply(schulzAverage(ref, op.qCalc().values()));
        double err = SasmodelsReference.maxRelativeError(ref.intensity(), smeared);
        assertTrue(err <= 1e-4, "max relative error " + err);
    }
}
