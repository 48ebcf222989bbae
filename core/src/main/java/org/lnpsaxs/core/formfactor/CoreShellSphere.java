package org.lnpsaxs.core.formfactor;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * sasmodels' {@code core_shell_sphere}: a core of radius \( R \) and SLD \( \rho_c \) inside a
 * shell of thickness \( t \) and SLD \( \rho_s \), in a solvent of \( \rho_\mathrm{solv} \).
 *
 * <p>\( F(q) = V_c(\rho_c - \rho_s)\,j(qR) + V_o(\rho_s - \rho_\mathrm{solv})\,j(q(R+t)) \) with
 * \( V_c = \tfrac{4\pi}{3}R^3 \), \( V_o = \tfrac{4\pi}{3}(R+t)^3 \) and
 * \( j(x) = 3(\sin x - x\cos x)/x^3 \) ({@link SphericalBessel}). The kernel returns
 * \( f2 = 10^{-4}F^2 \) in cm⁻¹·Å³ and the form volume \( V = V_o \), the volume of the whole
 * particle (not of the shell), in Å³, as sasmodels' {@code form_volume} does.
 *
 * <p>Parameters, in sasmodels' order (defaults and bounds as sasmodels 1.0.6): {@code radius}
 * (core radius, Å, default 60, [0, ∞)), {@code thickness} (shell, Å, default 10, [0, ∞)),
 * {@code sld_core} (default 1), {@code sld_shell} (default 2), {@code sld_solvent} (default 3),
 * SLDs in 10⁻⁶ Å⁻², unbounded. Values must be finite. Stateless and thread-safe.
 *
 * <p>A batch's rows are computed independently, but work is shared where rows share a radius or
 * a thickness (a size-distribution grid): the core amplitudes once per run of equal radii, and
 * \( \sin q(R+t) \), \( \cos q(R+t) \) by the addition formulas from \( \sin qR \), \( \cos qR \)
 * and the cached \( \sin qt \), \( \cos qt \), so that no row needs a transcendental per q. A
 * row's numbers are the same whatever else is in the batch.
 */
public final class CoreShellSphere implements FormFactor {

    /** The sasmodels name. */
    public static final String NAME = "core_shell_sphere";
    /** Core radius, Å. */
    public static final String RADIUS = "radius";
    /** Shell thickness, Å. */
    public static final String THICKNESS = "thickness";
    /** Core scattering length density, 10⁻⁶ Å⁻². */
    public static final String SLD_CORE = "sld_core";
    /** Shell scattering length density, 10⁻⁶ Å⁻². */
    public static final String SLD_SHELL = "sld_shell";
    /** Solvent scattering length density, 10⁻⁶ Å⁻². */
    public static final String SLD_SOLVENT = "sld_solvent";

    private static final ParameterSpace SPACE = ParameterSpace.of(
            new Parameter(RADIUS, "Å", 0, Double.POSITIVE_INFINITY, "core radius"),
            new Parameter(THICKNESS, "Å", 0, Double.POSITIVE_INFINITY, "shell thickness"),
            new Parameter(SLD_CORE, "1e-6/Å^2", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    "scattering length density of the core"),
            new Parameter(SLD_SHELL, "1e-6/Å^2", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    "scattering length density of the shell"),
            new Parameter(SLD_SOLVENT, "1e-6/Å^2", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                    "scattering length density of the solvent"));

    private static final double[] DEFAULTS = {60.0, 10.0, 1.0, 2.0, 3.0};

    private static final int P = 5;

    /** Creates the (stateless) form factor. */
    public CoreShellSphere() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ParameterSpace parameters() {
        return SPACE;
    }

    /**
     * sasmodels' default values in parameter order: radius 60 Å, thickness 10 Å, sld_core 1,
     * sld_shell 2, sld_solvent 3 (a fresh array).
     */
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
        // j(qR), j'(qR), sin qR and cos qR of the last core radius: the rows of a radius × thickness
        // grid share their radius (consecutive rows), so the core amplitudes are computed once per radius
        Amplitudes core = loop ? new Amplitudes(q) : null;
        Amplitudes shell = loop ? new Amplitudes(core) : null;
        double cachedRadius = Double.NaN;
        // sin qt and cos qt of the thicknesses seen, so that the outer amplitude's sin q(R + t) and
        // cos q(R + t) come from the addition formulas without a transcendental per row and q
        Thicknesses thicknesses = loop ? new Thicknesses(nq) : null;
        Terms terms = loop ? new Terms(nq) : null;
        for (int b = 0; b < batch; b++) {
            int t0 = b * P;
            double radius = theta[t0];
            double thickness = theta[t0 + 1];
            double sldCore = theta[t0 + 2];
            double sldShell = theta[t0 + 3];
            double sldSolvent = theta[t0 + 4];
            double outer = radius + thickness;
            double coreContrast = sldCore - sldShell;
            double shellContrast = sldShell - sldSolvent;
            double vc = Kernels.FOUR_PI_3 * (radius * radius * radius);
            double vo = Kernels.FOUR_PI_3 * (outer * outer * outer);
            double dvc = Kernels.FOUR_PI * radius * radius;
            double dvo = Kernels.FOUR_PI * outer * outer;
            if (volume != null) {
                volume[b] = vo;
            }
            double gCore = 0.0;    // sum g Vc j(qR)
            double gShell = 0.0;   // sum g Vo j(qRo)
            double gRc = 0.0;      // sum g d(Vc j(qR))/dR
            double gRo = 0.0;      // sum g d(Vo j(qRo))/dRo
            if (loop) {
                int off = b * nq;
                if (!(radius == cachedRadius)) {
                    core.at(radius, gradQ);
                    cachedRadius = radius;
                }
                double[][] st = thicknesses.of(thickness, q);
                double[] sinT = st[0];
                double[] cosT = st[1];
                double[] sinR = core.sin;
                double[] cosR = core.cos;
                double[] xo = shell.x;
                double[] so = shell.sin;
                double[] co = shell.cos;
                for (int i = 0; i < nq; i++) {
                    xo[i] = q[i] * outer;
                }
                for (int i = 0; i < nq; i++) {
                    so[i] = sinR[i] * cosT[i] + cosR[i] * sinT[i];
                    co[i] = cosR[i] * cosT[i] - sinR[i] * sinT[i];
                }
                shell.fromSinCos(gradQ);
                double[] jcAt = core.j;
                double[] djcAt = core.dj;
                double[] joAt = shell.j;
                double[] djoAt = shell.dj;
                // the amplitude, the same operations in the same order as sasmodels' core_shell_fq
                // (f = vc jc Δρc, then f += vo jo Δρs), in loops of one index that C2 vectorises;
                // the four sums of the gradient then run in q order as one would write them
                double[] f = terms.f;
                for (int i = 0; i < nq; i++) {
                    f[i] = vc * jcAt[i] * coreContrast + vo * joAt[i] * shellContrast;
                }
                if (f2 != null) {
                    terms.square(f, nq, f2, off);
                }
                if (gradQ) {
                    double[] g = terms.upstream(dLdF2, off, f, nq);
                    double[] tCore = terms.t1;
                    double[] tShell = terms.t2;
                    double[] tRc = terms.t3;
                    double[] tRo = terms.t4;
                    for (int i = 0; i < nq; i++) {
                        tCore[i] = g[i] * (vc * jcAt[i]);
                        tShell[i] = g[i] * (vo * joAt[i]);
                    }
                    for (int i = 0; i < nq; i++) {
                        tRc[i] = g[i] * (dvc * jcAt[i] + vc * q[i] * djcAt[i]);
                    }
                    for (int i = 0; i < nq; i++) {
                        tRo[i] = g[i] * (dvo * joAt[i] + vo * q[i] * djoAt[i]);
                    }
                    for (int i = 0; i < nq; i++) {
                        gCore += tCore[i];
                        gShell += tShell[i];
                        gRc += tRc[i];
                        gRo += tRo[i];
                    }
                }
            }
            if (grad) {
                double gv = dLdV == null ? 0.0 : dLdV[b];
                double dOuter = shellContrast * gRo + gv * dvo;
                dLdTheta[t0] = coreContrast * gRc + dOuter;
                dLdTheta[t0 + 1] = dOuter;
                dLdTheta[t0 + 2] = gCore;
                dLdTheta[t0 + 3] = gShell - gCore;
                dLdTheta[t0 + 4] = -gShell;
            }
        }
    }

    /**
     * \( \sin qt \) and \( \cos qt \) on the q grid for up to {@value #SLOTS} thicknesses of one
     * kernel call (a radius × thickness grid cycles through its thicknesses once per radius), the
     * oldest replaced when full. A row's numbers do not depend on what the cache held: the values
     * are computed the same way whenever they are needed.
     */
    private static final class Thicknesses {
        private static final int SLOTS = 64;
        private final double[] keys = new double[SLOTS];
        private final double[][][] values = new double[SLOTS][][];
        private final int nq;
        private int used;
        private int next;
        private final double[] x;
        private final SinCos.Work work = new SinCos.Work();

        Thicknesses(int nq) {
            this.nq = nq;
            this.x = new double[nq];
        }

        double[][] of(double t, double[] q) {
            for (int k = 0; k < used; k++) {
                if (keys[k] == t) {
                    return values[k];
                }
            }
            int k = next;
            next = (next + 1) % SLOTS;
            used = Math.min(SLOTS, used + 1);
            double[][] v = values[k] != null ? values[k] : new double[2][nq];
            for (int i = 0; i < nq; i++) {
                x[i] = q[i] * t;
            }
            SinCos.of(x, nq, v[0], v[1], work);
            keys[k] = t;
            values[k] = v;
            return v;
        }
    }

    @Override
    public String toString() {
        return "CoreShellSphere" + SPACE.names();
    }
}
