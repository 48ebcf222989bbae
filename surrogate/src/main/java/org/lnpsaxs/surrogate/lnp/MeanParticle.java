package org.lnpsaxs.surrogate.lnp;

import org.lnpsaxs.core.formfactor.SphericalBessel;
import org.lnpsaxs.surrogate.internal.PartialSums;
import org.lnpsaxs.surrogate.internal.VectorKernels;
import org.lnpsaxs.surrogate.internal.Vectors;

/**
 * The intensity of the LNP simulator's mean particle in closed form: a homogeneous core-shell
 * sphere of contrasts \( c_c \) (core, radius \( R_c \)) and \( c_s \) (shell, from \( R_c \) to
 * R), in the simulator's units (the squared DFT of the projected contrast in voxel units, so
 * \( I(0) = (\sum_{voxels}(\rho - 1))^2 \)), smoothed and radially averaged as the simulator does.
 *
 * <p>Amplitude on the nodes \( Q_n \) of a {@link RadialOperator}:
 * \[ a(Q) = c_s\,B_R(Q) + (c_c - c_s)\,B_{R_c}(Q), \qquad
 *    B_r(Q) = \frac{4\pi(\sin Qr - Qr\cos Qr)}{Q^3\Delta x^3} = \frac{V_r}{\Delta x^3}\,
 *    \frac{3(\sin x - x\cos x)}{x^3}\Big|_{x = Qr}, \]
 * then \( I(q_j) = \sum_n M_{jn}\,a(Q_n)^2 \). The nodes are linear in n, so \( \sin(Q_n r) \),
 * \( \cos(Q_n r) \) come from rotation recurrences (four segments per radius, each started from a
 * direct sine and cosine and holding eight interleaved chains that advance by 8·h·r, one per vector
 * lane; error ~ (8 + segment length/8) × ε; {@link VectorKernels#rotations}, with a plain loop of
 * the same numbers where the vector module is absent); \( x^3 j(x)/3 \) and, where
 * \( |Q_n r| &lt; 0.1 \), the series of \( j \) come from the shared sphere amplitude
 * {@link SphericalBessel} (no cancellation). This is the continuum sphere: the simulator's
 * voxelised sphere differs from it by lattice effects of a few per cent at high q that depend
 * erratically on R (the lattice ball changes only when R² crosses a lattice shell).
 * Units: lengths in Å, Q in Å⁻¹.
 *
 * <p>Immutable and thread-safe; each call takes a {@link Work} buffer that only one thread may
 * use at a time.
 */
public final class MeanParticle {

    private static final double FOUR_PI = 4 * Math.PI;
    /** Segments per radius, each started from a direct sine and cosine. */
    private static final int SEGMENTS = VectorKernels.CHAINS;
    /** Interleaved rotation chains per segment (one per vector lane). */
    private static final int LANES = VectorKernels.CHAIN_LANES;
    /** Below this |Q r| the series is used (the shared amplitude's switch). */
    private static final double SERIES = SphericalBessel.VALUE_SERIES_CUTOFF;

    private final RadialOperator op;
    private final int nodes;
    /** Nodes per segment, a multiple of {@link #LANES}; arrays hold {@code SEGMENTS * seg} values (the tail beyond the grid is unused). */
    private final int seg;
    private final int padded;
    private final double h;
    private final double scale;
    /** Q_n, 1/Q_n^3 and 1/Q_n (0 where Q_n = 0), over the padded length. */
    private final double[] qn;
    private final double[] invQ3;
    private final double[] invQ;

    /** The mean particle on the nodes of {@code op}. */
    public MeanParticle(RadialOperator op) {
        this.op = op;
        this.nodes = op.nodes();
        this.seg = LANES * ((nodes + SEGMENTS * LANES - 1) / (SEGMENTS * LANES));
        this.padded = SEGMENTS * seg;
        this.h = op.spacing();
        double dx = op.voxel();
        this.scale = FOUR_PI / (dx * dx * dx);
        this.qn = new double[padded];
        this.invQ3 = new double[padded];
        this.invQ = new double[padded];
        for (int n = 0; n < padded; n++) {
            double q = op.firstNode() + n * h;
            qn[n] = q;
            invQ3[n] = q == 0 ? 0 : 1 / (q * q * q);
            invQ[n] = q == 0 ? 0 : 1 / q;
        }
    }

    /**
     * The length of every node buffer of {@link Work} and {@link Amplitudes} (the padded nodes or
     * the outputs, whichever is more): one length, so that {@link #swap} may exchange them.
     */
    private int bufferLength() {
        return Math.max(padded, op.outputs());
    }

    /** The radial operator. */
    public RadialOperator operator() {
        return op;
    }

    /** Work buffers for one thread. */
    public static final class Work {
        /** The amplitudes and slopes; not final, so that {@link #swap} can exchange them. */
        double[] bR;
        double[] bRc;
        double[] sR;
        double[] sRc;
        /** Scratch: the cosines of the two radii's recurrences. */
        final double[] cR;
        final double[] cRc;
        final double[] a2;
        final double[] g;
        final double[] tmp;
        /** Scratch of the reverse pass's sums ({@link PartialSums#particleBackward}). */
        final double[] sums = new double[PartialSums.SUMS_LENGTH];
        /** Scratch of the rotation chains: their starts and the rotations by j·h·r. */
        final double[] start = new double[2 * LANES * SEGMENTS + 2 * LANES + 2];
        /** The radii whose amplitudes and slopes the buffers hold (NaN: none). */
        double keptR = Double.NaN;
        double keptRc = Double.NaN;

        /** Buffers for {@code particle}. */
        public Work(MeanParticle particle) {
            int n = particle.bufferLength();
            bR = new double[n];
            bRc = new double[n];
            sR = new double[n];
            sRc = new double[n];
            cR = new double[n];
            cRc = new double[n];
            a2 = new double[n];
            g = new double[n];
            tmp = new double[n];
        }
    }

    /**
     * Fills, for the radii r and rc, {@code w.bR} and {@code w.bRc} with \( B_r(Q_n) \) and, when
     * {@code slopes}, {@code w.sR} and {@code w.sRc} with \( 4\pi\sin(Q_n r)/(Q_n\Delta x^3) \) (so
     * that \( dB_r/dr = r\,s \)); without slopes those two hold scratch values.
     */
    private void balls(double r, double rc, Work w, boolean slopes) {
        final double[] bR = w.bR;
        final double[] sR = w.sR;
        final double[] bC = w.bRc;
        final double[] sC = w.sRc;
        final double[] cR = w.cR;
        final double[] cC = w.cRc;
        final double[] q = qn;
        final double[] i3 = invQ3;
        final double sc = scale;
        chains(r, w.start, sR, cR);
        chains(rc, w.start, sC, cC);
        // Second pass, one index per loop so that the JIT vectorises it: the amplitudes and slopes.
        final int all = padded;
        for (int n = 0; n < all; n++) {
            bR[n] = sc * SphericalBessel.cubeValue(q[n] * r, sR[n], cR[n]) * i3[n];
        }
        for (int n = 0; n < all; n++) {
            bC[n] = sc * SphericalBessel.cubeValue(q[n] * rc, sC[n], cC[n]) * i3[n];
        }
        if (slopes) {
            final double[] i1 = invQ;
            for (int n = 0; n < all; n++) {
                sR[n] = sc * sR[n] * i1[n];
            }
            for (int n = 0; n < all; n++) {
                sC[n] = sc * sC[n] * i1[n];
            }
        }
        series(r, bR, sR, slopes);
        series(rc, bC, sC, slopes);
    }

    /**
     * \( \sin(Q_n r) \) into {@code s} and \( \cos(Q_n r) \) into {@code c} for the padded nodes, by
     * rotation chains: {@value #SEGMENTS} segments, each started from a direct sine and cosine at
     * its first node, hold {@value #LANES} interleaved chains (node {@code k·seg + 8m + j} is chain
     * j's m-th step, the chain's start rotated by j·h·r from the segment's), each advanced by
     * the rotation by 8·h·r. The rotations by j·h·r come from the recurrence on (cos hr, sin hr),
     * so a value carries about (8 + seg/8)·ε of error in its phase.
     */
    private void chains(double r, double[] start, double[] s, double[] c) {
        double c1 = Math.cos(h * r);
        double s1 = Math.sin(h * r);
        // the rotations by j h r, j = 0 .. 8, after the chains' starts: cosines at co + j, sines at so + j
        final int co = 2 * LANES * SEGMENTS;
        final int so = co + LANES + 1;
        start[co] = 1;
        start[so] = 0;
        for (int j = 0; j < LANES; j++) {
            double cj = start[co + j];
            double sj = start[so + j];
            start[co + j + 1] = cj * c1 - sj * s1;
            start[so + j + 1] = sj * c1 + cj * s1;
        }
        for (int k = 0; k < SEGMENTS; k++) {
            double x = qn[k * seg] * r;
            double sk = Math.sin(x);
            double ck = Math.cos(x);
            for (int j = 0; j < LANES; j++) {
                start[2 * LANES * k + j] = sk * start[co + j] + ck * start[so + j];
                start[2 * LANES * k + LANES + j] = ck * start[co + j] - sk * start[so + j];
            }
        }
        if (Vectors.active()) {
            VectorKernels.rotations(start, start[co + LANES], start[so + LANES], s, c, seg);
        } else {
            plainRotations(start, start[co + LANES], start[so + LANES], s, c, seg);
        }
    }

    /**
     * The plain loop of {@link VectorKernels#rotations} (the same chains, element by element); it
     * uses up the chains' starts in {@code start}.
     */
    static void plainRotations(double[] start, double cs, double sn, double[] s, double[] c, int seg) {
        final double[] st = start;
        for (int m = 0; m < seg / LANES; m++) {
            for (int k = 0; k < SEGMENTS; k++) {
                int o = 2 * LANES * k;
                int at = k * seg + LANES * m;
                for (int j = 0; j < LANES; j++) {
                    double sj = st[o + j];
                    double cj = st[o + LANES + j];
                    s[at + j] = sj;
                    c[at + j] = cj;
                    st[o + j] = sj * cs + cj * sn;
                    st[o + LANES + j] = cj * cs - sj * sn;
                }
            }
        }
    }

    /**
     * Nodes with \( |Q_n r| &lt; \) {@link SphericalBessel#VALUE_SERIES_CUTOFF}, where the closed form
     * cancels: \( B_r = \tfrac{4\pi r^3}{3\Delta x^3}\,j(x) \) from the shared series of
     * {@link SphericalBessel#valueSeries}, and \( \sin(Qr)/Q = r\,\mathrm{sinc}(x) \)
     * ({@link SphericalBessel#sinc}, also right at Q = 0), x = Q r.
     */
    private void series(double r, double[] b, double[] s, boolean slopes) {
        if (!(r > 0)) {
            return;
        }
        double lim = SERIES / r;
        int lo = (int) Math.max(0, Math.floor((-lim - qn[0]) / h));
        for (int n = lo; n < nodes && qn[n] < lim; n++) {
            double x = qn[n] * r;
            if (Math.abs(x) >= SERIES) {
                continue;
            }
            b[n] = scale * r * r * r / 3 * SphericalBessel.valueSeries(x);
            if (slopes) {
                s[n] = scale * r * SphericalBessel.sinc(x);
            }
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
        intensity(r, rc, cc, cs, out, oo, w, false);
    }

    /**
     * {@link #intensity(double, double, double, double, double[], int, Work)}, keeping the
     * amplitudes' slopes in {@code w} when {@code forBackward}, so that a following
     * {@link #backward} at the same radii on the same buffers need not recompute them.
     */
    public void intensity(double r, double rc, double cc, double cs, double[] out, int oo, Work w,
                          boolean forBackward) {
        nodeIntensity(r, rc, cc, cs, w.a2, w, forBackward);
        if (oo == 0) {
            op.apply(w.a2, out, w.tmp);
        } else {
            op.apply(w.a2, w.g, w.tmp);
            System.arraycopy(w.g, 0, out, oo, op.outputs());
        }
    }

    /**
     * The squared amplitude \( a(Q_n)^2 \) on the operator's nodes, before the radial average, into
     * {@code a2} ({@link RadialOperator#nodes()} values, in the simulator's units): for a model that
     * adds node values of its own and averages the sum once (the radial average is linear). {@code forBackward} as in {@link #intensity(double, double, double, double,
     * double[], int, Work, boolean)}.
     */
    public void nodeIntensity(double r, double rc, double cc, double cs, double[] a2, Work w, boolean forBackward) {
        balls(r, rc, w, forBackward);
        w.keptR = forBackward ? r : Double.NaN;
        w.keptRc = forBackward ? rc : Double.NaN;
        double d = cc - cs;
        final double[] br = w.bR;
        final double[] bc = w.bRc;
        for (int n = 0; n < nodes; n++) {
            double a = cs * br[n] + d * bc[n];
            a2[n] = a * a;
        }
    }

    /**
     * One row's amplitudes and slopes held aside for a later {@link #backward}, exchanged with a
     * {@link Work}'s by {@link #swap} without copying (the surrogate's callback path keeps one per
     * row of a block). Only one thread may use it at a time.
     */
    public static final class Amplitudes {
        private double[] bR;
        private double[] bRc;
        private double[] sR;
        private double[] sRc;
        private double keptR = Double.NaN;
        private double keptRc = Double.NaN;

        /** Empty amplitudes sized for {@code particle}'s work buffers. */
        public Amplitudes(MeanParticle particle) {
            int n = particle.bufferLength();
            bR = new double[n];
            bRc = new double[n];
            sR = new double[n];
            sRc = new double[n];
        }
    }

    /**
     * Exchanges the amplitudes and slopes that {@code w} holds (with the radii they belong to) with
     * those of {@code a}: after {@link #intensity(double, double, double, double, double[], int,
     * Work, boolean)} with {@code forBackward}, one swap puts the row's amplitudes aside in
     * {@code a}; a second swap before {@link #backward} puts them back. The same effect as
     * {@link #save} and {@link #restore}, without copying; {@code w}'s buffers meanwhile hold
     * {@code a}'s previous arrays as scratch.
     */
    public void swap(Work w, Amplitudes a) {
        double[] t = w.bR;
        w.bR = a.bR;
        a.bR = t;
        t = w.bRc;
        w.bRc = a.bRc;
        a.bRc = t;
        t = w.sR;
        w.sR = a.sR;
        a.sR = t;
        t = w.sRc;
        w.sRc = a.sRc;
        a.sRc = t;
        double r = w.keptR;
        w.keptR = a.keptR;
        a.keptR = r;
        r = w.keptRc;
        w.keptRc = a.keptRc;
        a.keptRc = r;
    }

    /** The length of a saved state ({@link #save}): the four amplitude arrays and the two radii. */
    public int savedLength() {
        return 4 * nodes + 2;
    }

    /**
     * Copies the amplitudes and slopes that {@code w} holds for a following {@link #backward} (after
     * {@link #intensity(double, double, double, double, double[], int, Work, boolean)} with
     * {@code forBackward}) into {@code to} from {@code off} ({@link #savedLength()} values), so that
     * a reverse pass done later, after other rows have used {@code w}, need not recompute them.
     */
    public void save(Work w, double[] to, int off) {
        System.arraycopy(w.bR, 0, to, off, nodes);
        System.arraycopy(w.sR, 0, to, off + nodes, nodes);
        System.arraycopy(w.bRc, 0, to, off + 2 * nodes, nodes);
        System.arraycopy(w.sRc, 0, to, off + 3 * nodes, nodes);
        to[off + 4 * nodes] = w.keptR;
        to[off + 4 * nodes + 1] = w.keptRc;
    }

    /** Puts a state saved by {@link #save} back into {@code w}. */
    public void restore(double[] from, int off, Work w) {
        System.arraycopy(from, off, w.bR, 0, nodes);
        System.arraycopy(from, off + nodes, w.sR, 0, nodes);
        System.arraycopy(from, off + 2 * nodes, w.bRc, 0, nodes);
        System.arraycopy(from, off + 3 * nodes, w.sRc, 0, nodes);
        w.keptR = from[off + 4 * nodes];
        w.keptRc = from[off + 4 * nodes + 1];
    }

    /**
     * Reverse mode of {@link #intensity} at the same point: from \( g_j = \partial L/\partial I_j \)
     * ({@code g[0 ..]}) to {@code grad} = (∂L/∂R, ∂L/∂R_c, ∂L/∂c_c, ∂L/∂c_s) (overwritten).
     * Recomputes the amplitudes unless {@code w} holds them for these radii (see
     * {@link #intensity(double, double, double, double, double[], int, Work, boolean)}), so it may
     * follow any other call on {@code w}.
     */
    public void backward(double r, double rc, double cc, double cs, double[] g, double[] grad, Work w) {
        op.applyTranspose(g, w.g, w.tmp);
        nodeBackward(r, rc, cc, cs, w.g, grad, w);
    }

    /**
     * Reverse mode of {@link #nodeIntensity}: from \( \partial L/\partial a(Q_n)^2 \) on the nodes
     * ({@code gn}, {@link RadialOperator#nodes()} values) to {@code grad} = (∂L/∂R, ∂L/∂R_c,
     * ∂L/∂c_c, ∂L/∂c_s) (overwritten). Recomputes the amplitudes unless {@code w} holds them for
     * these radii.
     */
    public void nodeBackward(double r, double rc, double cc, double cs, double[] gn, double[] grad, Work w) {
        if (!(r == w.keptR && rc == w.keptRc)) {
            balls(r, rc, w, true);
            w.keptR = r;
            w.keptRc = rc;
        }
        double d = cc - cs;
        // dL/da_n = 2 gn[n] a_n, summed against the amplitudes' derivatives (PartialSums' order)
        final double[] sums = w.sums;
        if (Vectors.active()) {
            VectorKernels.particleBackward(gn, w.bR, w.bRc, w.sR, w.sRc, cs, d, nodes, sums);
        } else {
            PartialSums.particleBackward(gn, w.bR, w.bRc, w.sR, w.sRc, cs, d, nodes, sums);
        }
        double gcs = sums[0];
        double gcc = sums[1];
        double gR = sums[2];
        double gRc = sums[3];
        // dB_r/dr = r · 4π sin(Qr)/(Q Δx^3)
        grad[0] = gR * cs * r;
        grad[1] = gRc * d * rc;
        grad[2] = gcc;
        grad[3] = gcs;
    }
}
