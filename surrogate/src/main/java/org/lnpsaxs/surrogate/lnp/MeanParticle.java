package org.lnpsaxs.surrogate.lnp;

/**
 * The intensity of the LNP simulator's mean particle in closed form: a homogeneous core-shell
 * sphere of contrasts \( c_c \) (core, radius \( R_c \)) and \( c_s \) (shell, from \( R_c \) to
 * R), in the simulator's units (the squared DFT of the projected contrast in voxel units, so
 * \( I(0) = (\sum_{voxels}(\rho - 1))^2 \)), smoothed and radially averaged as the simulator does.
 *
 * <p>Amplitude on the fine nodes \( Q_n \) of a {@link RadialOperator}:
 * \[ a(Q) = c_s\,B_R(Q) + (c_c - c_s)\,B_{R_c}(Q), \qquad
 *    B_r(Q) = \frac{4\pi(\sin Qr - Qr\cos Qr)}{Q^3\Delta x^3} = \frac{V_r}{\Delta x^3}\,
 *    \frac{3(\sin x - x\cos x)}{x^3}\Big|_{x = Qr}, \]
 * then \( I(q_j) = \sum_n M_{jn}\,a(Q_n)^2 \). The node grid is linear, so \( \sin(Q_n r) \),
 * \( \cos(Q_n r) \) come from one sine and cosine and the rotation recurrence (exact to rounding,
 * error growing like n·ε). Units: lengths in Å, Q in Å⁻¹.
 *
 * <p>Immutable and thread-safe; each call takes a {@link Work} buffer that only one thread may
 * use at a time.
 */
public final class MeanParticle {

    private static final double FOUR_PI = 4 * Math.PI;

    private final RadialOperator op;
    private final int nodes;
    private final double h;
    private final double scale;
    /** 1/Q_n^3 and 1/Q_n (0 at n = 0). */
    private final double[] invQ3;
    private final double[] invQ;

    /** The mean particle on the grid of {@code op}. */
    public MeanParticle(RadialOperator op) {
        this.op = op;
        this.nodes = op.nodes();
        this.h = op.spacing();
        double dx = op.voxel();
        this.scale = FOUR_PI / (dx * dx * dx);
        this.invQ3 = new double[nodes];
        this.invQ = new double[nodes];
        for (int n = 1; n < nodes; n++) {
            double qn = n * h;
            invQ3[n] = 1 / (qn * qn * qn);
            invQ[n] = 1 / qn;
        }
    }

    /** The radial operator. */
    public RadialOperator operator() {
        return op;
    }

    /** Work buffers for one thread. */
    public static final class Work {
        final double[] bR;
        final double[] bRc;
        final double[] sR;
        final double[] sRc;
        final double[] a2;
        final double[] g;

        /** Buffers for {@code particle}. */
        public Work(MeanParticle particle) {
            int n = particle.nodes;
            bR = new double[n];
            bRc = new double[n];
            sR = new double[n];
            sRc = new double[n];
            a2 = new double[n];
            g = new double[n];
        }
    }

    /** Fills b with B_r(Q_n) and s with sin(Q_n r)/Q_n · 4π/Δx³ (= dB_r/dr · 1/r). */
    private void ball(double r, double[] b, double[] s) {
        double c1 = Math.cos(h * r);
        double s1 = Math.sin(h * r);
        double sn = 0;
        double cn = 1;
        b[0] = scale * r * r * r / 3;
        s[0] = scale * r;                  // limit of sin(Qr)/Q
        for (int n = 1; n < nodes; n++) {
            double sNext = sn * c1 + cn * s1;
            double cNext = cn * c1 - sn * s1;
            sn = sNext;
            cn = cNext;
            double x = n * h * r;
            if (x < 0.05) {
                // series: sin x - x cos x = x^3/3 - x^5/30 + x^7/840 - x^9/45360
                double x2 = x * x;
                double u = x2 * x * (1.0 / 3 - x2 * (1.0 / 30 - x2 * (1.0 / 840 - x2 / 45360)));
                b[n] = scale * u * invQ3[n];
            } else {
                b[n] = scale * (sn - x * cn) * invQ3[n];
            }
            s[n] = scale * sn * invQ[n];
        }
    }

    /**
     * The mean-particle intensity on the output grid.
     *
     * @param r   outer radius R, Å
     * @param rc  core radius \( R_c = R - t \), Å (≥ 0)
     * @param cc  core contrast \( c_c \)
     * @param cs  shell contrast \( c_s \)
     * @param out receives {@link RadialOperator#outputs()} values from {@code oo}
     */
    public void intensity(double r, double rc, double cc, double cs, double[] out, int oo, Work w) {
        ball(r, w.bR, w.sR);
        ball(rc, w.bRc, w.sRc);
        double d = cc - cs;
        for (int n = 0; n < nodes; n++) {
            double a = cs * w.bR[n] + d * w.bRc[n];
            w.a2[n] = a * a;
        }
        op.apply(w.a2, 0, out, oo);
    }

    /**
     * Reverse mode of {@link #intensity} at the same point: from \( g_j = \partial L/\partial I_j \)
     * ({@code g[go ..]}) to {@code grad} = (∂L/∂R, ∂L/∂R_c, ∂L/∂c_c, ∂L/∂c_s) (overwritten).
     * Recomputes the amplitudes (cheap), so it may follow any other call on {@code w}.
     */
    public void backward(double r, double rc, double cc, double cs, double[] g, int go, double[] grad, Work w) {
        ball(r, w.bR, w.sR);
        ball(rc, w.bRc, w.sRc);
        op.applyTranspose(g, go, w.g, 0);
        double d = cc - cs;
        double gR = 0;
        double gRc = 0;
        double gcc = 0;
        double gcs = 0;
        for (int n = 0; n < nodes; n++) {
            double a = cs * w.bR[n] + d * w.bRc[n];
            double ga = 2 * w.g[n] * a;       // dL/da_n
            gcs += ga * (w.bR[n] - w.bRc[n]);
            gcc += ga * w.bRc[n];
            // dB_r/dr = r · 4π sin(Qr)/(Q Δx^3)
            gR += ga * cs * w.sR[n];
            gRc += ga * d * w.sRc[n];
        }
        grad[0] = gR * r;
        grad[1] = gRc * rc;
        grad[2] = gcc;
        grad[3] = gcs;
    }
}
