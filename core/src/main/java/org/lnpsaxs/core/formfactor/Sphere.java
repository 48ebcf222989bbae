package org.lnpsaxs.core.formfactor;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * sasmodels' {@code sphere}: a homogeneous sphere of radius \( R \) and scattering length density
 * \( \rho \) in a solvent of \( \rho_\mathrm{solv} \).
 *
 * <p>\( F(q) = (\rho - \rho_\mathrm{solv})\, V\, j(qR) \) with \( V = \tfrac{4\pi}{3}R^3 \) and
 * \( j(x) = 3(\sin x - x\cos x)/x^3 \) ({@link SphericalBessel}); the kernel returns
 * \( f2 = 10^{-4}F^2 \) in cm⁻¹·Å³ and the form volume \( V \) in Å³.
 *
 * <p>Parameters, in sasmodels' order (defaults and bounds as sasmodels 1.0.6):
 * {@code sld} (10⁻⁶ Å⁻², default 1, unbounded), {@code sld_solvent} (10⁻⁶ Å⁻², default 6,
 * unbounded), {@code radius} (Å, default 50, [0, ∞)). Values must be finite. Stateless and
 * thread-safe.
 */
public final class Sphere implements FormFactor {

    /** The sasmodels name. */
    public static final String NAME = "sphere";
    /** Sphere scattering length density, 10⁻⁶ Å⁻². */
    public static final String SLD = "sld";
    /** Solvent scattering length density, 10⁻⁶ Å⁻². */
    public static final String SLD_SOLVENT = "sld_solvent";
    /** Sphere radius, Å. */
    public static final String RADIUS = "radius";

    private static final ParameterSpace SPACE = ParameterSpace.of(
            new Parameter(SLD, "1e-6/Å^2", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    "scattering length density of the sphere"),
            new Parameter(SLD_SOLVENT, "1e-6/Å^2", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    "scattering length density of the solvent"),
            new Parameter(RADIUS, "Å", 0, Double.POSITIVE_INFINITY, "sphere radius"));

    private static final double[] DEFAULTS = {1.0, 6.0, 50.0};

    private static final int P = 3;

    /** Creates the (stateless) form factor. */
    public Sphere() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ParameterSpace parameters() {
        return SPACE;
    }

    /** sasmodels' default values in parameter order: sld 1, sld_solvent 6, radius 50 Å (a fresh array). */
    public double[] defaults() {
        return DEFAULTS.clone();
    }

    @Override
    public void compute(double[] q, double[] theta, int batch, double[] f2, double[] volume) {
        kernel(q, theta, batch, null, null, f2, volume, null);
    }

    @Override
    public void vectorJacobianProduct(double[] q, double[] theta, int batch, double[] dLdF2, double[] dLdV,
                                      double[] dLdTheta) {
        kernel(q, theta, batch, dLdF2, dLdV, null, null, dLdTheta);
    }

    @Override
    public void computeWithVectorJacobianProduct(double[] q, double[] theta, int batch, double[] dLdF2,
                                                 double[] dLdV, double[] f2, double[] volume,
                                                 double[] dLdTheta) {
        kernel(q, theta, batch, dLdF2, dLdV, f2, volume, dLdTheta);
    }

    /**
     * The one implementation: values when {@code f2}/{@code volume} are given, the
     * vector-Jacobian product when {@code dLdTheta} is given. The q loop is skipped when neither
     * {@code f2} nor {@code dLdF2} needs it. Deliberately private to this class, with its own
     * entry points: moving the entry points into a shared abstract class made the polydisperse
     * forward pass 35 % slower (JIT; PolydispersityBenchmark 169 → 231 µs, 2026-11-26).
     */
    private void kernel(double[] q, double[] theta, int batch, double[] dLdF2, double[] dLdV,
                        double[] f2, double[] volume, double[] dLdTheta) {
        Kernels.checkCall(this, q, theta, batch);
        int nq = q.length;
        long nOut = (long) batch * nq;
        Kernels.checkLength("f2", f2, nOut);
        Kernels.checkLength("volume", volume, batch);
        Kernels.checkLength("dLdF2", dLdF2, nOut);
        Kernels.checkLength("dLdV", dLdV, batch);
        Kernels.checkLength("dLdTheta", dLdTheta, (long) batch * P);
        boolean grad = dLdTheta != null;
        boolean gradQ = grad && dLdF2 != null;
        boolean loop = f2 != null || gradQ;
        Amplitudes amp = loop ? new Amplitudes(q) : null;
        Terms terms = loop ? new Terms(nq) : null;
        for (int b = 0; b < batch; b++) {
            double sld = theta[b * P];
            double solvent = theta[b * P + 1];
            double radius = theta[b * P + 2];
            double contrast = sld - solvent;
            double v = Kernels.FOUR_PI_3 * (radius * radius * radius);
            double dvdr = Kernels.FOUR_PI * radius * radius;
            if (volume != null) {
                volume[b] = v;
            }
            double cv = contrast * v;
            double gContrast = 0.0;
            double gRadius = 0.0;
            if (loop) {
                int off = b * nq;
                amp.at(radius, gradQ);
                double[] jv = amp.j;
                double[] djv = amp.dj;
                // f = cv j, 1e-4 f², and the gradient's terms in loops of one index that C2
                // vectorises; the two sums then run in q order
                double[] f = terms.f;
                for (int i = 0; i < nq; i++) {
                    f[i] = cv * jv[i];
                }
                if (f2 != null) {
                    terms.square(f, nq, f2, off);
                }
                if (gradQ) {
                    // d(1e-4 F^2) = 2e-4 F dF, dF/dcontrast = V j, dF/dR = contrast (V' j + V q j')
                    double[] g = terms.upstream(dLdF2, off, f, nq);
                    double[] tContrast = terms.t1;
                    double[] tRadius = terms.t2;
                    for (int i = 0; i < nq; i++) {
                        tContrast[i] = g[i] * (v * jv[i]);
                        tRadius[i] = g[i] * (dvdr * jv[i] + v * q[i] * djv[i]);
                    }
                    for (int i = 0; i < nq; i++) {
                        gContrast += tContrast[i];
                        gRadius += tRadius[i];
                    }
                }
            }
            if (grad) {
                double gv = dLdV == null ? 0.0 : dLdV[b];
                dLdTheta[b * P] = gContrast;
                dLdTheta[b * P + 1] = -gContrast;
                dLdTheta[b * P + 2] = contrast * gRadius + gv * dvdr;
            }
        }
    }

    @Override
    public String toString() {
        return "Sphere" + SPACE.names();
    }
}
