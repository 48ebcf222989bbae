package org.lnpsaxs.surrogate.lnp;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;

/**
 * From the LNP simulator's nine parameters to what the surrogate's parts need, with the reverse
 * pass.
 *
 * <p><b>Derived physical values.</b> Outer radius R and core radius \( R_c = R - t \) (Å); core
 * contrast \( c_c = \mathrm{GRF\_shift} \); shell contrast
 * \( c_s = \mathrm{relative\_rho\_shell}\,(1 + \mathrm{GRF\_shift}) - 1 \) (the shell's density
 * is relative to the core's mean density \(1 + \mathrm{GRF\_shift}\), solvent 1);
 * \( \log_{10} N_c \), \( N_c = \tfrac43\pi R_c^3/\Delta x^3 \), the core volume in voxels.
 *
 * <p><b>Canonical spectrum.</b> The spectral density \( wLN(m_1, s_1) + (1 - w)LN(m_2, s_2) \) is
 * unchanged by swapping the components (\( w \leftrightarrow 1 - w \), \( m_1 \leftrightarrow m_2 \),
 * \( s_1 \leftrightarrow s_2 \)); the features use the order with \( m_1 \le m_2 \), so the network
 * learns half the box. (On the line \( m_1 = m_2 \) the two orders meet; the gradient there is that
 * of the side taken, \( m_1 \le m_2 \).)
 *
 * <p><b>Fluctuation features</b> ({@value #FLUCTUATION_FEATURES}, each mapped to [−1, 1] over the
 * box): \( R_c \), \( \ln R_c \), \( w \), \( m_1 \), \( m_2 \), \( s_1 \), \( s_2 \), \( \ln s_1 \),
 * \( \ln s_2 \) (canonical order). <b>Correction features</b> ({@value #CORRECTION_FEATURES}): R,
 * t, \( \ln R \), \( \ln R_c \) mapped to [−1, 1], and the contrast mix as a point on the unit
 * circle that does not change when both contrasts change sign (the intensity does not):
 * \( u = (c_s^2 - d^2)/(c_s^2 + d^2) \), \( v = 2c_sd/(c_s^2 + d^2) \), \( d = c_c - c_s \) (the
 * jump at the core surface; \( (u, v) = (1, 0) \) when both vanish). A value x in [lo, hi] maps to
 * \( 2(x - lo)/(hi - lo) - 1 \); a log feature maps \( \ln x \) over \( [\ln lo, \ln hi] \).
 *
 * <p>Immutable and thread-safe.
 */
public final class LnpFeatures {

    /** Inputs of the fluctuation MLP. */
    public static final int FLUCTUATION_FEATURES = 9;
    /** Inputs of the correction MLP. */
    public static final int CORRECTION_FEATURES = 6;

    private static final double LN10 = Math.log(10);

    private final int iShift;
    private final int iR;
    private final int iW;
    private final int iM1;
    private final int iM2;
    private final int iS1;
    private final int iS2;
    private final int iT;
    private final int iRel;
    private final int p;
    private final double rLo;
    private final double rHi;
    private final double tLo;
    private final double tHi;
    private final double rcLo;
    private final double rcHi;
    private final double wLo;
    private final double wHi;
    private final double mLo;
    private final double mHi;
    private final double sLo;
    private final double sHi;
    private final double lgVoxelVolume;

    /**
     * Features over a parameter space with the LNP parameter names.
     *
     * @param space the model's parameter space (its bounds set the feature ranges)
     * @param voxel the simulator's voxel Δx, Å
     * @throws IllegalArgumentException if a parameter is missing or a box does not allow the
     *                                  features (non-positive radii or widths)
     */
    public LnpFeatures(ParameterSpace space, double voxel) {
        this.p = space.size();
        this.iShift = space.indexOf(LnpParameters.GRF_SHIFT);
        this.iR = space.indexOf(LnpParameters.R);
        this.iW = space.indexOf(LnpParameters.W_Q1);
        this.iM1 = space.indexOf(LnpParameters.M_Q1);
        this.iM2 = space.indexOf(LnpParameters.M_Q2);
        this.iS1 = space.indexOf(LnpParameters.S_Q1);
        this.iS2 = space.indexOf(LnpParameters.S_Q2);
        this.iT = space.indexOf(LnpParameters.SHELL_THICKNESS);
        this.iRel = space.indexOf(LnpParameters.RELATIVE_RHO_SHELL);
        Parameter r = space.get(iR);
        Parameter t = space.get(iT);
        this.rLo = r.lower();
        this.rHi = r.upper();
        this.tLo = t.lower();
        this.tHi = t.upper();
        this.rcLo = rLo - tHi;
        this.rcHi = rHi - tLo;
        this.wLo = space.get(iW).lower();
        this.wHi = space.get(iW).upper();
        this.mLo = Math.min(space.get(iM1).lower(), space.get(iM2).lower());
        this.mHi = Math.max(space.get(iM1).upper(), space.get(iM2).upper());
        this.sLo = Math.min(space.get(iS1).lower(), space.get(iS2).lower());
        this.sHi = Math.max(space.get(iS1).upper(), space.get(iS2).upper());
        if (!(rcLo > 0) || !(sLo > 0) || !(mLo > 0) || !(rHi > rLo) || !(tHi > tLo) || !(wHi > wLo)
                || !(wLo >= 0 && wHi <= 1)) {
            throw new IllegalArgumentException("the parameter box does not allow the LNP surrogate's features: need"
                    + " R - shell_thickness > 0, m and s > 0, w_q1 in [0, 1]; got " + space);
        }
        if (!(voxel > 0)) {
            throw new IllegalArgumentException("voxel " + voxel + " Å must be > 0");
        }
        this.lgVoxelVolume = 3 * Math.log10(voxel);
    }

    /** The derived values and features of one parameter point. */
    public static final class Row {
        /** Outer radius R, Å. */
        public double r;
        /** Core radius R − t, Å. */
        public double rc;
        /** Core contrast. */
        public double cc;
        /** Shell contrast. */
        public double cs;
        /** log₁₀ of the core volume in voxels. */
        public double lgNc;
        /** Whether the spectral components were swapped into canonical order. */
        public boolean swapped;
        /** Fluctuation features. */
        public final double[] xf = new double[FLUCTUATION_FEATURES];
        /** Correction features. */
        public final double[] xe = new double[CORRECTION_FEATURES];
    }

    private static double lin(double v, double lo, double hi) {
        return 2 * (v - lo) / (hi - lo) - 1;
    }

    private static double log(double v, double lo, double hi) {
        return 2 * Math.log(v / lo) / Math.log(hi / lo) - 1;
    }

    /** d log(v)/dv. */
    private static double dlog(double v, double lo, double hi) {
        return 2 / (Math.log(hi / lo) * v);
    }

    /** Fills {@code row} for the point {@code theta[off .. off + P - 1]} (assumed inside the box). */
    public void compute(double[] theta, int off, Row row) {
        double shift = theta[off + iShift];
        double r = theta[off + iR];
        double t = theta[off + iT];
        double rel = theta[off + iRel];
        double rc = r - t;
        row.r = r;
        row.rc = rc;
        row.cc = shift;
        row.cs = rel * (1 + shift) - 1;
        row.lgNc = Math.log10(4 * Math.PI / 3 * rc * rc * rc) - lgVoxelVolume;
        double w = theta[off + iW];
        double m1 = theta[off + iM1];
        double m2 = theta[off + iM2];
        double s1 = theta[off + iS1];
        double s2 = theta[off + iS2];
        row.swapped = m1 > m2;
        if (row.swapped) {
            w = 1 - w;
            double x = m1;
            m1 = m2;
            m2 = x;
            x = s1;
            s1 = s2;
            s2 = x;
        }
        double[] f = row.xf;
        f[0] = lin(rc, rcLo, rcHi);
        f[1] = log(rc, rcLo, rcHi);
        f[2] = lin(w, wLo, wHi);
        f[3] = lin(m1, mLo, mHi);
        f[4] = lin(m2, mLo, mHi);
        f[5] = lin(s1, sLo, sHi);
        f[6] = lin(s2, sLo, sHi);
        f[7] = log(s1, sLo, sHi);
        f[8] = log(s2, sLo, sHi);
        double[] e = row.xe;
        e[0] = lin(r, rLo, rHi);
        e[1] = lin(t, tLo, tHi);
        e[2] = log(r, rLo, rHi);
        e[3] = log(rc, rcLo, rcHi);
        double a = row.cs;
        double b = row.cc - row.cs;
        double n2 = a * a + b * b;
        if (n2 > 1e-300) {
            e[4] = (a * a - b * b) / n2;
            e[5] = 2 * a * b / n2;
        } else {
            e[4] = 1;
            e[5] = 0;
        }
    }

    /**
     * The reverse pass at the point {@code theta[off ..]} (with its {@code row} from
     * {@link #compute}): writes \( \partial L/\partial\theta \) into {@code dTheta[dOff ..]}
     * (overwrites) from the gradients with respect to the features and the derived values.
     *
     * @param dxf  dL/d(fluctuation features)
     * @param dxe  dL/d(correction features)
     * @param dR   dL/dR through the mean particle
     * @param dRc  dL/dR_c through the mean particle
     * @param dcc  dL/dc_c
     * @param dcs  dL/dc_s
     * @param dLgNc dL/d log₁₀ N_c
     */
    public void backward(double[] theta, int off, Row row, double[] dxf, double[] dxe, double dR, double dRc,
                         double dcc, double dcs, double dLgNc, double[] dTheta, int dOff) {
        for (int j = 0; j < p; j++) {
            dTheta[dOff + j] = 0;
        }
        double shift = theta[off + iShift];
        double r = row.r;
        double rc = row.rc;
        double rel = theta[off + iRel];
        // contrast circle
        double a = row.cs;
        double b = row.cc - row.cs;
        double n2 = a * a + b * b;
        double ga = 0;
        double gb = 0;
        if (n2 > 1e-300) {
            double n4 = n2 * n2;
            double du = dxe[4];
            double dv = dxe[5];
            ga = du * 4 * a * b * b / n4 + dv * 2 * b * (b * b - a * a) / n4;
            gb = -du * 4 * a * a * b / n4 + dv * 2 * a * (a * a - b * b) / n4;
        }
        double gcc = dcc + gb;
        double gcs = dcs + ga - gb;
        dTheta[dOff + iShift] += gcc + gcs * rel;
        dTheta[dOff + iRel] += gcs * (1 + shift);
        // radii
        double gRc = dRc + dLgNc * 3 / (rc * LN10)
                + dxf[0] * 2 / (rcHi - rcLo) + dxf[1] * dlog(rc, rcLo, rcHi) + dxe[3] * dlog(rc, rcLo, rcHi);
        double gR = dR + dxe[0] * 2 / (rHi - rLo) + dxe[2] * dlog(r, rLo, rHi);
        double gT = dxe[1] * 2 / (tHi - tLo);
        dTheta[dOff + iR] += gR + gRc;
        dTheta[dOff + iT] += gT - gRc;
        // spectrum, canonical order
        double s1 = row.swapped ? theta[off + iS2] : theta[off + iS1];
        double s2 = row.swapped ? theta[off + iS1] : theta[off + iS2];
        double gw = dxf[2] * 2 / (wHi - wLo);
        double gm1 = dxf[3] * 2 / (mHi - mLo);
        double gm2 = dxf[4] * 2 / (mHi - mLo);
        double gs1 = dxf[5] * 2 / (sHi - sLo) + dxf[7] * dlog(s1, sLo, sHi);
        double gs2 = dxf[6] * 2 / (sHi - sLo) + dxf[8] * dlog(s2, sLo, sHi);
        if (row.swapped) {
            dTheta[dOff + iW] += -gw;
            dTheta[dOff + iM1] += gm2;
            dTheta[dOff + iM2] += gm1;
            dTheta[dOff + iS1] += gs2;
            dTheta[dOff + iS2] += gs1;
        } else {
            dTheta[dOff + iW] += gw;
            dTheta[dOff + iM1] += gm1;
            dTheta[dOff + iM2] += gm2;
            dTheta[dOff + iS1] += gs1;
            dTheta[dOff + iS2] += gs2;
        }
    }
}
