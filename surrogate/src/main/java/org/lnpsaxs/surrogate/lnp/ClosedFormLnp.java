package org.lnpsaxs.surrogate.lnp;

import java.util.Arrays;
import java.util.Comparator;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.jtransforms.fft.DoubleFFT_1D;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;

/**
 * The direct LNP simulator's expected intensity in closed form, without a network: the mean
 * particle ({@link MeanParticle}) plus the expected power of the interior's fluctuation,
 * \[ \mathrm E|F_\delta(Q)|^2 = \frac{4\pi}{\Delta x^6}\int_0^{2R_c} r^2\,\gamma(r)\,H(g(r))\,
 *    \frac{\sin Qr}{Qr}\,dr,\qquad \gamma(r) = V_c\Big(1 - \frac{3r}{4R_c} + \frac{r^3}{16R_c^3}\Big), \]
 * both through the simulator's smoothing and radial average ({@link RadialOperator}). Here
 * \( \delta = \mathrm{sigmoid}(Y) - \tfrac12 \) on the core of radius \( R_c = R - t \), γ is the
 * core's overlap volume, \( H(\rho) = \mathrm E[f(X)f(Y)] \) for a standard bivariate normal pair
 * with correlation ρ and \( f = \mathrm{sigmoid} - \tfrac12 \), and
 * \[ g(r) = \frac{\int G(k)\,k^2\,\Omega(k)\,\mathrm{sinc}(kr)\,dk}{\int G(k)\,k^2\,\Omega(k)\,dk} \]
 * is the field's correlation, G its spectral density
 * ({@link org.lnpsaxs.core.simulator.SpectralDensity}) and Ω(k) the share of the sphere
 * \( |\mathbf k| = k \) inside the lattice's Brillouin zone \( |k_i| \le \pi/\Delta x \), where the
 * simulator's field has its power. It is the simulator's mean over realisations but for the
 * voxelised particle's lattice effects (the continuum sphere of {@link MeanParticle}; docs/surrogate.md,
 * "A closed form for the fluctuation term", has the measurements).
 *
 * <p>Parameters: {@link LnpParameters#SPACE} (GRF_shift, R in Å, w_q1, m_q1 and m_q2 in Å⁻¹,
 * s_q1 and s_q2 in Å⁻¹, shell_thickness in Å, relative_rho_shell); intensities in the simulator's
 * units (the squared DFT of the projected contrast in voxel units, like {@link MeanParticle}).
 * Quadrature: the trapezoid rule in k (step {@link #kStep()}, at most {@value #K_STEP} Å⁻¹, up to the
 * Brillouin zone's corner \( \sqrt3\,\pi/\Delta x \)) and in r (step {@link #rStep()}, at most {@value #MAX_R_STEP} Å and
 * at most an eighth of the shortest period \( 2\pi/Q \) of the nodes, up to {@value #R_MAX} Å, which
 * holds every core of the space); H by 64-point Gauss–Hermite quadrature on 801 correlations and a
 * natural cubic spline. The gradient is exact for the function evaluated.
 *
 * <p>Rows that share a spectrum (w_q1, m_q1, m_q2, s_q1, s_q2 equal, as the radius nodes of one
 * curve of a size distribution) share the transform to g and one sweep over r; a row's values do
 * not depend on the others. In {@link #vectorJacobianProduct} the spectral part of the gradient of
 * such a run of consecutive rows is returned in its first row and 0 in the others: their sum, which
 * is what a size average needs, is exact. {@link #evaluateAndBackpropagate} keeps every run's
 * spectrum, running sums and mean particle from its forward pass for its reverse pass (the same
 * numbers, computed once). The mean particle and the fluctuation term are added on the radial
 * operator's nodes and averaged once; the spectrum's transform runs over the k points where a component is
 * above e⁻⁵⁰ of its peak and the r points the run's largest core needs.
 * Thread-safe (per-thread buffers); immutable.
 */
public final class ClosedFormLnp implements FusedDifferentiableModel {

    /**
     * The largest k step of the spectrum's quadrature, Å⁻¹. The step used ({@link #kStep()}) is
     * π/(N Δr) for the smallest N with only the factors 2, 3 and 5 that gives a step no larger,
     * so that k_i r_j = π i j / N and the transforms between k and r are sine transforms of
     * length N, taken by FFT.
     */
    public static final double K_STEP = 1e-3;
    /** The largest r step, Å. */
    public static final double MAX_R_STEP = 2.5;
    /** The largest r, Å (twice the largest core radius of the space is 920 Å). */
    public static final double R_MAX = 1000;
    /**
     * Half-width, in standard deviations of ln k, of the k range kept for each log-normal
     * component: beyond it the component is below e^{-50} ≈ 2·10⁻²² of its peak.
     */
    private static final double TAIL_Z = 10;

    private static final int P = 9;
    private static final int I_GRF = 0;
    private static final int I_R = 1;
    private static final int I_W = 2;
    private static final int I_M1 = 3;
    private static final int I_M2 = 4;
    private static final int I_S1 = 5;
    private static final int I_S2 = 6;
    private static final int I_T = 7;
    private static final int I_RHO = 8;

    private final double[] q;
    private final double voxel;
    private final RadialOperator op;
    private final MeanParticle particle;
    private final int nodes;
    private final int nk;
    private final int nr;
    private final double dr;
    private final double[] k;
    /** k_i² Ω(k_i) Δk. */
    private final double[] kWeight;
    /** The sine transform's length N (k_i r_j = π (i + 1) j / N). */
    private final int sineLength;
    /** The k step, Å⁻¹ (π/(N Δr)). */
    private final double kStep;
    /** (4π/Δx⁶) Δr r_j² sinc(Q_n r_j), [j][n]. */
    private final double[] kernel;
    private final ThreadLocal<Work> works;
    /** Whether the outputs are the radial operator's node values ({@link #onNodes()}) instead of I(q). */
    private final boolean onNodes;

    /** The same tables, with outputs on the nodes or on q. */
    private ClosedFormLnp(ClosedFormLnp base, boolean onNodes) {
        this.q = base.q;
        this.voxel = base.voxel;
        this.op = base.op;
        this.particle = base.particle;
        this.nodes = base.nodes;
        this.nk = base.nk;
        this.nr = base.nr;
        this.dr = base.dr;
        this.k = base.k;
        this.kWeight = base.kWeight;
        this.sineLength = base.sineLength;
        this.kStep = base.kStep;
        this.kernel = base.kernel;
        this.onNodes = onNodes;
        this.works = ThreadLocal.withInitial(Work::new);
    }

    private ClosedFormLnp(double[] q, double voxel, int plane) {
        this.q = q.clone();
        this.voxel = voxel;
        this.op = RadialOperator.of(q, voxel, plane, RadialOperator.DEFAULT_REFINE);
        this.particle = new MeanParticle(op);
        this.nodes = op.nodes();
        double kMax = Math.sqrt(3) * Math.PI / voxel;
        double qMax = Math.abs(op.firstNode()) + nodes * op.spacing();
        double step = Math.min(MAX_R_STEP, Math.PI / (4 * qMax));
        if (kMax * step >= 0.95 * Math.PI) {
            step = 0.9 * Math.PI / kMax; // so that the sine transform's N - 1 points hold every k point
        }
        this.dr = step;
        this.nr = (int) Math.ceil(R_MAX / dr);
        this.sineLength = smooth((int) Math.ceil(Math.PI / (K_STEP * dr)));
        this.kStep = Math.PI / (sineLength * dr);
        this.nk = (int) Math.ceil(kMax / kStep);
        if (nk > sineLength - 1 || nr > sineLength - 1) {
            throw new IllegalStateException("closed form: " + nk + " k points and " + nr + " r points do not fit a sine"
                    + " transform of length " + sineLength);
        }
        this.k = new double[nk];
        this.kWeight = new double[nk];
        double[] maxComponent = directions(20_000);
        for (int i = 0; i < nk; i++) {
            k[i] = (i + 1) * kStep;
            kWeight[i] = k[i] * k[i] * insideZone(k[i], voxel, maxComponent) * kStep;
        }
        this.kernel = new double[(nr + 1) * nodes];
        double scale = 4 * Math.PI / Math.pow(voxel, 6) * dr;
        for (int j = 1; j <= nr; j++) {
            double r = j * dr;
            for (int n = 0; n < nodes; n++) {
                double x = (op.firstNode() + n * op.spacing()) * r;
                kernel[j * nodes + n] = scale * r * r * (Math.abs(x) < 1e-12 ? 1 : Math.sin(x) / x);
            }
        }
        this.onNodes = false;
        this.works = ThreadLocal.withInitial(Work::new);
    }

    /**
     * The closed form on the q grid {@code q} (Å⁻¹, ascending) for the simulator's paper settings:
     * voxel 5 Å, plane 1024 (those of the shipped surrogate).
     */
    public static ClosedFormLnp of(double[] q) {
        return of(q, 5.0, 1024);
    }

    /** The closed form on {@code q} (Å⁻¹) for a simulator of voxel {@code voxel} Å and plane {@code plane}. */
    public static ClosedFormLnp of(double[] q, double voxel, int plane) {
        if (!(voxel > 0) || Double.isInfinite(voxel)) {
            throw new IllegalArgumentException("voxel " + voxel + " Å must be finite and > 0");
        }
        return new ClosedFormLnp(q, voxel, plane);
    }

    /** The k step of the spectrum's quadrature, Å⁻¹ (at most {@value #K_STEP}). */
    public double kStep() {
        return kStep;
    }

    /** The smallest n' ≥ n whose only prime factors are 2, 3 and 5. */
    private static int smooth(int n) {
        for (int m = Math.max(1, n); ; m++) {
            int r = m;
            for (int f : new int[] {2, 3, 5}) {
                while (r % f == 0) {
                    r /= f;
                }
            }
            if (r == 1) {
                return m;
            }
        }
    }

    /**
     * The sine transform S_j = Σ_{m=1}^{N−1} x_m sin(π m j / N) (DST-I) of {@code a[1 … N−1]} by a
     * real FFT of length 2N over the odd extension; {@code a} (2N values, a[0] = a[N] = 0 and
     * a[2N − m] = −a[m] set here) is overwritten and S_j is then −a[2j + 1]/2 for 0 &lt; j &lt; N.
     */
    private void sineTransform(double[] a, DoubleFFT_1D fft) {
        int n = sineLength;
        a[0] = 0;
        a[n] = 0;
        for (int m = 1; m < n; m++) {
            a[2 * n - m] = -a[m];
        }
        fft.realForward(a);
    }

    /** The r step of the fluctuation integral, Å. */
    public double rStep() {
        return dr;
    }

    /** The voxel size Δx, Å. */
    public double voxel() {
        return voxel;
    }

    @Override
    public ParameterSpace parameters() {
        return LnpParameters.SPACE;
    }

    @Override
    public double[] q() {
        if (onNodes) {
            double[] nq = new double[nodes];
            for (int n = 0; n < nodes; n++) {
                nq[n] = op.firstNode() + n * op.spacing();
            }
            return nq;
        }
        return q.clone();
    }

    @Override
    public int qSize() {
        return onNodes ? nodes : q.length;
    }

    /**
     * The same model before its radial average: each row's outputs are the {@link
     * RadialOperator#nodes()} values (mean particle's squared amplitude plus the fluctuation term, in
     * the simulator's units) at the operator's nodes \( Q_n \) (Å⁻¹, {@link #q()}; the first may be
     * ≤ 0), whose radial average is this model's I(q). The average is linear, so it commutes with a
     * size average: {@link #radialAverage} of a size average of this model is the size average of
     * the model, with one radial average per curve instead of one per radius node.
     */
    public ClosedFormLnp onNodes() {
        return onNodes ? this : new ClosedFormLnp(this, true);
    }

    /**
     * {@code inner}'s outputs, node values of this model's radial operator (a size average of
     * {@link #onNodes()}, say), radially averaged onto this model's q grid: a model with
     * {@code inner}'s parameters and this model's q (Å⁻¹) whose gradient is {@code inner}'s through
     * the operator's transpose. Fused when {@code inner} is.
     *
     * @throws IllegalArgumentException if {@code inner} does not have {@link RadialOperator#nodes()} outputs
     */
    public FusedDifferentiableModel radialAverage(DifferentiableModel inner) {
        if (inner.qSize() != nodes) {
            throw new IllegalArgumentException("the radial average needs a model with " + nodes + " node outputs, got "
                    + inner.qSize());
        }
        return new Averaged(inner);
    }

    /** A model on the nodes, radially averaged onto q ({@link #radialAverage}). */
    private final class Averaged implements FusedDifferentiableModel {
        private final DifferentiableModel inner;
        private final ThreadLocal<Scratch> scratch;

        /** Per-thread buffers: the inner model's node values and their gradient (batch × nodes), one row's. */
        private final class Scratch {
            double[] nodeValues = new double[0];
            double[] nodeGradient = new double[0];
            double[] upstream = new double[0];
            final double[] rowNodes = new double[nodes];
            final double[] rowQ = new double[q.length];
            final double[] tmp = new double[nodes + q.length];

            Scratch grow(int batch) {
                if (nodeValues.length < batch * nodes) {
                    nodeValues = new double[batch * nodes];
                    nodeGradient = new double[batch * nodes];
                    upstream = new double[batch * q.length];
                }
                return this;
            }

            /** The radial average of each of {@code batch} rows of node values into {@code out}. */
            void average(double[] onNodes, int batch, double[] out) {
                int nq = q.length;
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(onNodes, r * nodes, rowNodes, 0, nodes);
                    op.apply(rowNodes, rowQ, tmp);
                    System.arraycopy(rowQ, 0, out, r * nq, nq);
                }
            }

            /** The transpose of the average for each of {@code batch} rows of dL/dI into {@code dNodes}. */
            void transpose(double[] dLdI, int batch, double[] dNodes) {
                int nq = q.length;
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(dLdI, r * nq, rowQ, 0, nq);
                    op.applyTranspose(rowQ, rowNodes, tmp);
                    System.arraycopy(rowNodes, 0, dNodes, r * nodes, nodes);
                }
            }
        }

        Averaged(DifferentiableModel inner) {
            this.inner = inner;
            this.scratch = ThreadLocal.withInitial(Scratch::new);
        }

        @Override
        public ParameterSpace parameters() {
            return inner.parameters();
        }

        @Override
        public double[] q() {
            return q.clone();
        }

        @Override
        public int qSize() {
            return q.length;
        }

        @Override
        public void evaluate(double[] theta, int batch, double[] out) {
            Scratch s = scratch.get().grow(batch);
            inner.evaluate(theta, batch, s.nodeValues);
            s.average(s.nodeValues, batch, out);
        }

        @Override
        public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
            Scratch s = scratch.get().grow(batch);
            s.transpose(dLdI, batch, s.nodeGradient);
            inner.vectorJacobianProduct(theta, batch, s.nodeGradient, dLdTheta);
        }

        @Override
        public void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                             double[] dLdTheta) {
            if (!(inner instanceof FusedDifferentiableModel fused)) {
                FusedDifferentiableModel.super.evaluateAndBackpropagate(theta, batch, out, upstream, dLdTheta);
                return;
            }
            Scratch s = scratch.get().grow(batch);
            fused.evaluateAndBackpropagate(theta, batch, s.nodeValues, (onNodes, rows, dNodes) -> {
                s.average(onNodes, rows, out);
                upstream.compute(out, rows, s.upstream);
                s.transpose(s.upstream, rows, dNodes);
            }, dLdTheta);
        }

        @Override
        public String toString() {
            return "radial average of " + inner;
        }
    }

    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        LnpParameters.SPACE.check(theta, batch);
        Work w = works.get();
        for (int b0 = 0; b0 < batch; ) {
            int b1 = runEnd(theta, b0, batch);
            w.ensure(b1 - b0);
            sweepRun(theta, b0, b1, w, 0, 0, false);
            runIntensities(theta, b0, b1, w, 0, false, out);
            b0 = b1;
        }
    }

    @Override
    public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
        LnpParameters.SPACE.check(theta, batch);
        Work w = works.get();
        for (int b0 = 0; b0 < batch; ) {
            int b1 = runEnd(theta, b0, batch);
            w.ensure(b1 - b0);
            Spectrum sp = sweepRun(theta, b0, b1, w, 0, 0, true);
            for (int b = b0; b < b1; b++) {
                reverseRow(theta, b, b - b0, dLdI, dLdTheta, w);
            }
            spectralGradient(theta, b0, b1, w, 0, sp, dLdTheta);
            b0 = b1;
        }
    }

    /**
     * The forward and the reverse pass in one call: every run's spectrum, running sums and mean
     * particle are kept from the forward pass for the reverse pass (per-thread buffers that grow
     * with the batch), so nothing is computed twice. The numbers are those of {@link #evaluate}
     * and {@link #vectorJacobianProduct}, bit for bit.
     */
    @Override
    public void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                         double[] dLdTheta) {
        LnpParameters.SPACE.check(theta, batch);
        Work w = works.get();
        int nq = qSize();
        w.ensure(batch);
        int saved = particle.savedLength();
        w.ensureSaved(batch * saved);
        int runs = 0;
        for (int b0 = 0; b0 < batch; runs++) {
            int b1 = runEnd(theta, b0, batch);
            sweepRun(theta, b0, b1, w, b0, runs, true);
            runIntensities(theta, b0, b1, w, b0, true, out);
            b0 = b1;
        }
        double[] dLdI = w.upstream(batch * nq);
        upstream.compute(out, batch, dLdI);
        runs = 0;
        for (int b0 = 0; b0 < batch; runs++) {
            int b1 = runEnd(theta, b0, batch);
            for (int b = b0; b < b1; b++) {
                particle.restore(w.saved, b * saved, w.mp);
                reverseRow(theta, b, b, dLdI, dLdTheta, w);
            }
            spectralGradient(theta, b0, b1, w, b0, w.spectrum(runs), dLdTheta);
            b0 = b1;
        }
    }

    /**
     * Rows b0 … b1−1 (one spectrum) into the buffers from {@code base}, with spectrum buffer
     * {@code slot}: prepared, their spectrum made, and the fluctuation sums swept ({@code keep}: the
     * sums the reverse pass needs kept). Returns the spectrum.
     */
    private Spectrum sweepRun(double[] theta, int b0, int b1, Work w, int base, int slot, boolean keep) {
        Spectrum sp = w.spectrum(slot);
        sp.at(w, theta, b0 * P, prepare(theta, b0, b1, w, base));
        sweep(b1 - b0, w, base, sp, keep);
        return sp;
    }

    /**
     * The intensities of the swept rows b0 … b1−1 (buffer rows from {@code base}) into {@code out};
     * with {@code keep}, each row's mean-particle state saved in {@code w.saved} for the reverse pass.
     */
    private void runIntensities(double[] theta, int b0, int b1, Work w, int base, boolean keep, double[] out) {
        int nq = qSize();
        int saved = particle.savedLength();
        for (int b = b0; b < b1; b++) {
            int o = b * P;
            double g = theta[o + I_GRF];
            double r = theta[o + I_R];
            double rc = r - theta[o + I_T];
            double cs = theta[o + I_RHO] * (1 + g) - 1;
            rowIntensity(r, rc, g, cs, w, base + b - b0, keep, out, b * nq);
            if (keep) {
                particle.save(w.mp, w.saved, b * saved);
            }
        }
    }

    /**
     * Row {@code i} of the buffers: the mean particle's squared amplitude plus the fluctuation term
     * on the nodes, radially averaged once, to {@code out} from {@code oo}.
     */
    private void rowIntensity(double r, double rc, double cc, double cs, Work w, int i, boolean forBackward,
                              double[] out, int oo) {
        double[] v = w.nodeValues;
        particle.nodeIntensity(r, rc, cc, cs, v, w.mp, forBackward);
        int fo = i * nodes;
        for (int n = 0; n < nodes; n++) {
            v[n] += w.fluct[fo + n];
        }
        if (onNodes) {
            System.arraycopy(v, 0, out, oo, nodes);
            return;
        }
        op.apply(v, w.row, w.tmp);
        System.arraycopy(w.row, 0, out, oo, q.length);
    }

    /**
     * The reverse pass of row {@code b} but for its spectrum: the mean particle's gradient and the
     * fluctuation term's in R and t, into {@code dLdTheta}; the row's node gradient to
     * {@code w.dFluct} at buffer row {@code i} (for {@link #spectralGradient}).
     */
    private void reverseRow(double[] theta, int b, int i, double[] dLdI, double[] dLdTheta, Work w) {
        int o = b * P;
        double g = theta[o + I_GRF];
        double r = theta[o + I_R];
        double rho = theta[o + I_RHO];
        double rc = r - theta[o + I_T];
        double cs = rho * (1 + g) - 1;
        double[] dF = w.dF;
        if (onNodes) {
            System.arraycopy(dLdI, b * nodes, dF, 0, nodes);
        } else {
            // one transpose serves both terms: each is a sum over the same nodes
            System.arraycopy(dLdI, b * q.length, w.up, 0, q.length);
            op.applyTranspose(w.up, dF, w.tmp);
        }
        particle.nodeBackward(r, rc, g, cs, dF, w.grad4, w.mp);
        int fo = i * nodes;
        System.arraycopy(dF, 0, w.dFluct, fo, nodes);
        // γ's derivative in R_c: 4π R_c² − 2π R_c r, against the kept running sums
        double s0 = 0;
        double s1 = 0;
        for (int n = 0; n < nodes; n++) {
            s0 += dF[n] * w.kept0[fo + n];
            s1 += dF[n] * w.kept1[fo + n];
        }
        double dRc = w.grad4[1] + 4 * Math.PI * rc * rc * s0 - 2 * Math.PI * rc * s1;
        dLdTheta[o + I_GRF] = w.grad4[2] + w.grad4[3] * rho;
        dLdTheta[o + I_R] = w.grad4[0] + dRc;
        dLdTheta[o + I_T] = -dRc;
        dLdTheta[o + I_RHO] = w.grad4[3] * (1 + g);
    }

    /** The end of the run of consecutive rows from {@code b} with the same spectrum. */
    private static int runEnd(double[] theta, int b, int batch) {
        int e = b + 1;
        while (e < batch && Arrays.equals(theta, b * P + I_W, b * P + I_S2 + 1, theta, e * P + I_W, e * P + I_S2 + 1)) {
            e++;
        }
        return e;
    }

    /**
     * Rows b0 … b1−1 (one spectrum) into the buffers from {@code base}: each row's core radius, V_c,
     * πR_c², last r point and the rows' order by it; returns the largest r point the run needs.
     */
    private int prepare(double[] theta, int b0, int b1, Work w, int base) {
        int rows = b1 - b0;
        int top = 0;
        for (int i = 0; i < rows; i++) {
            double rc = theta[(b0 + i) * P + I_R] - theta[(b0 + i) * P + I_T];
            int x = base + i;
            w.coreVolume[x] = 4 * Math.PI / 3 * rc * rc * rc;
            w.rcArea[x] = Math.PI * rc * rc;
            w.last[x] = Math.min(nr, (int) Math.ceil(2 * rc / dr) - 1);
            w.order[x] = x;
            top = Math.max(top, w.last[x]);
        }
        Arrays.sort(w.order, base, base + rows, Comparator.comparingInt(x -> w.last[x]));
        return top;
    }

    /**
     * The fluctuation term of the {@code rows} buffer rows from {@code base} (one spectrum, {@link
     * #prepare}d) on the nodes, into {@code w.fluct}: with γ = V_c − πR_c² r + (π/12) r³ each row is
     * three running sums over r, taken in one sweep with the rows in the order of their last r point.
     * With {@code keep}, the first two sums at each row's end go to {@code w.kept0}, {@code w.kept1}
     * (the reverse pass needs them).
     */
    private void sweep(int rows, Work w, int base, Spectrum sp, boolean keep) {
        double[] a0 = w.acc0;
        double[] a1 = w.acc1;
        double[] a3 = w.acc3;
        Arrays.fill(a0, 0.0);
        Arrays.fill(a1, 0.0);
        Arrays.fill(a3, 0.0);
        double[] c = sp.c;
        int j = 1;
        for (int idx = base; idx < base + rows; idx++) {
            int row = w.order[idx];
            for (; j <= w.last[row]; j++) {
                double c0 = c[j];
                double rj = j * dr;
                double c1 = c0 * rj;
                double c3 = c1 * rj * rj;
                int o = j * nodes;
                for (int n = 0; n < nodes; n++) {
                    double kv = kernel[o + n];
                    a0[n] += kv * c0;
                    a1[n] += kv * c1;
                    a3[n] += kv * c3;
                }
            }
            double vc = w.coreVolume[row];
            double p1 = w.rcArea[row];
            double p3 = Math.PI / 12;
            int fo = row * nodes;
            for (int n = 0; n < nodes; n++) {
                w.fluct[fo + n] = vc * a0[n] - p1 * a1[n] + p3 * a3[n];
            }
            if (keep) {
                System.arraycopy(a0, 0, w.kept0, fo, nodes);
                System.arraycopy(a1, 0, w.kept1, fo, nodes);
            }
        }
    }

    /**
     * The gradient of the run b0 … b1−1's loss in (w_q1, m_q1, m_q2, s_q1, s_q2), into the run's
     * first row of {@code dLdTheta} (0 in the others), from the rows' node gradients in
     * {@code w.dFluct} (buffer rows from {@code base}): dL/dC_j = Σ_n kernel_jn E_jn with
     * E_j = B0 − r_j B1 + (π/12) r_j³ B3, the B summed over the rows whose integral reaches r_j (a
     * sweep downwards in r), then through H, the normalised transform and the spectrum's weights.
     */
    private void spectralGradient(double[] theta, int b0, int b1, Work w, int base, Spectrum sp, double[] dLdTheta) {
        int rows = b1 - b0;
        double[] b0s = w.acc0;
        double[] b1s = w.acc1;
        double[] b3s = w.acc3;
        Arrays.fill(b0s, 0.0);
        Arrays.fill(b1s, 0.0);
        Arrays.fill(b3s, 0.0);
        int top = w.last[w.order[base + rows - 1]];
        double[] dg = w.dg;
        Arrays.fill(dg, 0.0);
        int idx = base + rows - 1;
        for (int j = top; j >= 1; j--) {
            while (idx >= base && w.last[w.order[idx]] >= j) {
                int row = w.order[idx];
                double vc = w.coreVolume[row];
                double p1 = w.rcArea[row];
                int fo = row * nodes;
                for (int n = 0; n < nodes; n++) {
                    double d = w.dFluct[fo + n];
                    b0s[n] += vc * d;
                    b1s[n] += p1 * d;
                    b3s[n] += d;
                }
                idx--;
            }
            double rj = j * dr;
            double c3 = Math.PI / 12 * rj * rj * rj;
            double sum = 0;
            int o = j * nodes;
            for (int n = 0; n < nodes; n++) {
                sum += kernel[o + n] * (b0s[n] - rj * b1s[n] + c3 * b3s[n]);
            }
            dg[j] = sum * SigmoidCovariance.derivative(sp.g[j]);
        }
        // g_j = Σ_i sinc_ji w_i / Σ_i w_i
        double dot = 0;
        for (int j = 1; j <= top; j++) {
            dot += dg[j] * sp.g[j];
        }
        double inv = 1 / sp.norm;
        // dW_i = -dot/norm + Σ_j sinc(k_i r_j) dg_j / norm: a sine transform of dg_j / (norm r_j)
        double[] dW = w.dW;
        int from = sp.from;
        int to = sp.to;
        double[] a = w.sine;
        Arrays.fill(a, 0, sineLength + 1, 0.0);
        for (int j = 1; j <= top; j++) {
            a[j] = dg[j] * inv / (j * dr);
        }
        sineTransform(a, w.fft);
        for (int i = from; i < to; i++) {
            dW[i] = -dot * inv - 0.5 * a[2 * (i + 1) + 1] / k[i];
        }
        double[] s = w.spec5;
        Arrays.fill(s, 0.0);
        for (int i = from; i < to; i++) {
            for (int p = 0; p < 5; p++) {
                s[p] += dW[i] * sp.dWeight[p][i];
            }
        }
        for (int b = b0; b < b1; b++) {
            int o = b * P;
            for (int p = 0; p < 5; p++) {
                dLdTheta[o + I_W + p] = b == b0 ? s[p] : 0;
            }
        }
    }

    /**
     * One spectrum's weights on the k grid, their derivatives, and g and C = H(g) on the r points
     * up to the largest a run has needed (kept while the spectrum is unchanged).
     */
    private final class Spectrum {
        final double[] weight = new double[nk];
        /** d weight / d (w_q1, m_q1, m_q2, s_q1, s_q2). */
        final double[][] dWeight = new double[5][nk];
        final double[] g = new double[nr + 1];
        final double[] c = new double[nr + 1];
        final double[] spec = new double[5];
        final double[] c1 = new double[3];
        final double[] c2 = new double[3];
        boolean has;
        /** C holds r points 0 … done (g holds them all). */
        int done = -1;
        /** The k points from … to − 1 carry the spectrum; the others are below e⁻⁵⁰ of each component's peak and left out. */
        int from;
        int to;
        double norm;

        /** Makes this the spectrum of the row at {@code o}, with g and C up to r point {@code top}; {@code w}'s transform buffer. */
        void at(Work w, double[] theta, int o, int top) {
            if (!(has && Arrays.equals(spec, 0, 5, theta, o + I_W, o + I_S2 + 1))) {
                System.arraycopy(theta, o + I_W, spec, 0, 5);
                has = true;
                done = -1;
                double w1 = theta[o + I_W];
                // the k points where either component exceeds e^-50 of its peak (the rest adds < 1e-20 relative)
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int comp = 0; comp < 2; comp++) {
                    double m = theta[o + (comp == 0 ? I_M1 : I_M2)];
                    double sd = theta[o + (comp == 0 ? I_S1 : I_S2)];
                    double sig2 = Math.log1p(sd * sd / (m * m));
                    double mu = Math.log(m * m / Math.sqrt(m * m + sd * sd));
                    double half = TAIL_Z * Math.sqrt(sig2);
                    lo = Math.min(lo, mu - sig2 - half);
                    hi = Math.max(hi, mu + 2 * sig2 + half);
                }
                from = Math.max(0, (int) Math.floor(Math.exp(lo) / K_STEP) - 2);
                to = Math.min(nk, (int) Math.ceil(Math.exp(Math.min(hi, 10)) / K_STEP) + 1);
                double sum = 0;
                for (int i = from; i < to; i++) {
                    double lnk = Math.log(k[i]);
                    logNormal(lnk, k[i], theta[o + I_M1], theta[o + I_S1], c1);
                    logNormal(lnk, k[i], theta[o + I_M2], theta[o + I_S2], c2);
                    double b = kWeight[i];
                    weight[i] = b * (w1 * c1[0] + (1 - w1) * c2[0]);
                    dWeight[0][i] = b * (c1[0] - c2[0]);
                    dWeight[1][i] = b * w1 * c1[1];
                    dWeight[2][i] = b * (1 - w1) * c2[1];
                    dWeight[3][i] = b * w1 * c1[2];
                    dWeight[4][i] = b * (1 - w1) * c2[2];
                    sum += weight[i];
                }
                norm = sum;
                // g_j = Σ_i sinc(k_i r_j) w_i / norm: a sine transform of w_i / k_i, every r point at once
                double[] a = w.sine;
                Arrays.fill(a, 0, sineLength + 1, 0.0);
                for (int i = from; i < to; i++) {
                    a[i + 1] = weight[i] / k[i];
                }
                sineTransform(a, w.fft);
                g[0] = 1;
                for (int j = 1; j <= nr; j++) {
                    g[j] = -0.5 * a[2 * j + 1] / (j * dr * norm);
                }
            }
            for (int j = done + 1; j <= top; j++) {
                c[j] = SigmoidCovariance.value(g[j]);
            }
            done = Math.max(done, top);
        }
    }

    /** Per-thread buffers, and the spectra of the last call's runs. */
    private final class Work {
        final MeanParticle.Work mp = new MeanParticle.Work(particle);
        final double[] dg = new double[nr + 1];
        final double[] dW = new double[nk];
        final double[] row = new double[q.length];
        final double[] up = new double[q.length];
        final double[] dF = new double[nodes];
        final double[] nodeValues = new double[nodes];
        final double[] tmp = new double[nodes + q.length];
        final double[] grad4 = new double[4];
        final double[] acc0 = new double[nodes];
        final double[] acc1 = new double[nodes];
        final double[] acc3 = new double[nodes];
        final double[] spec5 = new double[5];
        /** The sine transform's buffer (2N values) and its FFT. */
        final double[] sine = new double[2 * sineLength];
        final DoubleFFT_1D fft = new DoubleFFT_1D(2L * sineLength);
        Spectrum[] spectra = new Spectrum[0];
        /** Per buffer row: the core's volume V_c (Å³) and π R_c² (Å²), the running sums' coefficients. */
        double[] coreVolume = new double[0];
        double[] rcArea = new double[0];
        int[] last = new int[0];
        Integer[] order = new Integer[0];
        double[] fluct = new double[0];
        double[] kept0 = new double[0];
        double[] kept1 = new double[0];
        double[] dFluct = new double[0];
        double[] saved = new double[0];
        double[] dLdI = new double[0];

        void ensure(int rows) {
            if (coreVolume.length < rows) {
                coreVolume = new double[rows];
                rcArea = new double[rows];
                last = new int[rows];
                order = new Integer[rows];
                fluct = new double[rows * nodes];
                kept0 = new double[rows * nodes];
                kept1 = new double[rows * nodes];
                dFluct = new double[rows * nodes];
            }
        }

        void ensureSaved(int length) {
            if (saved.length < length) {
                saved = new double[length];
            }
        }

        double[] upstream(int length) {
            if (dLdI.length < length) {
                dLdI = new double[length];
            }
            return dLdI;
        }

        /** The spectrum buffer of run {@code i} of a call. */
        Spectrum spectrum(int i) {
            if (i >= spectra.length) {
                Spectrum[] more = Arrays.copyOf(spectra, Math.max(i + 1, 2 * spectra.length));
                for (int j = spectra.length; j < more.length; j++) {
                    more[j] = new Spectrum();
                }
                spectra = more;
            }
            return spectra[i];
        }
    }

    /**
     * The log-normal component of {@link org.lnpsaxs.core.simulator.SpectralDensity} at k (mean m,
     * standard deviation s, Å⁻¹) into {@code out[0]}, and its derivatives in m and s into
     * {@code out[1]}, {@code out[2]}.
     */
    static void logNormal(double lnk, double kk, double m, double s, double[] out) {
        double m2s2 = m * m + s * s;
        double sig2 = Math.log1p(s * s / (m * m));
        double mu = Math.log(m * m / Math.sqrt(m2s2));
        double d = lnk - mu;
        double v = Math.exp(-0.5 * d * d / sig2) / (kk * Math.sqrt(2 * Math.PI * sig2));
        double dmu = v * d / sig2;
        double dsig2 = v * (d * d / (2 * sig2 * sig2) - 1 / (2 * sig2));
        out[0] = v;
        out[1] = dmu * (2 / m - m / m2s2) + dsig2 * (2 * m / m2s2 - 2 / m);
        out[2] = -dmu * s / m2s2 + dsig2 * 2 * s / m2s2;
    }

    /** The largest |component| of n near-uniform unit vectors (a Fibonacci sphere). */
    private static double[] directions(int n) {
        double[] d = new double[n];
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int i = 0; i < n; i++) {
            double z = 1 - (2 * i + 1.0) / n;
            double r = Math.sqrt(1 - z * z);
            double phi = i * golden;
            d[i] = Math.max(Math.abs(z), Math.max(Math.abs(r * Math.cos(phi)), Math.abs(r * Math.sin(phi))));
        }
        return d;
    }

    /** The share of the sphere |k| = kk inside the cube |k_i| ≤ π/voxel. */
    static double insideZone(double kk, double voxel, double[] maxComponent) {
        double a = Math.PI / voxel;
        if (kk <= a) {
            return 1;
        }
        int in = 0;
        for (double m : maxComponent) {
            if (kk * m <= a) {
                in++;
            }
        }
        return (double) in / maxComponent.length;
    }

    /**
     * \( H(\rho) = \mathrm E[f(X)f(Y)] \), \( f = \mathrm{sigmoid} - \tfrac12 \), for a standard
     * bivariate normal pair with correlation ρ ∈ [−1, 1]: 64-point Gauss–Hermite quadrature in both
     * variables on 801 values of ρ ∈ [0, 1], a natural cubic spline, and \( H(-\rho) = -H(\rho) \)
     * (f is odd).
     */
    static final class SigmoidCovariance {
        private static final int HALF = 800;
        private static final double STEP = 1.0 / HALF;
        private static final double[] Y;
        private static final double[] M2;

        static {
            GaussIntegrator gh = new GaussIntegratorFactory().hermite(64);
            int m = gh.getNumberOfPoints();
            double[] z = new double[m];
            double[] wt = new double[m];
            for (int i = 0; i < m; i++) {
                z[i] = Math.sqrt(2) * gh.getPoint(i);
                wt[i] = gh.getWeight(i) / Math.sqrt(Math.PI);
            }
            Y = new double[2 * HALF + 1];
            for (int kk = 0; kk <= HALF; kk++) {
                double rho = kk * STEP;
                double c = Math.sqrt(Math.max(0, 1 - rho * rho));
                double sum = 0;
                for (int i = 0; i < m; i++) {
                    double inner = 0;
                    for (int j = 0; j < m; j++) {
                        inner += wt[j] * f(rho * z[i] + c * z[j]);
                    }
                    sum += wt[i] * f(z[i]) * inner;
                }
                Y[HALF + kk] = sum;
                Y[HALF - kk] = -sum;
            }
            int n = Y.length;
            M2 = new double[n];
            double[] cp = new double[n];
            double[] dp = new double[n];
            for (int i = 1; i < n - 1; i++) {
                double rhs = 6 * (Y[i + 1] - 2 * Y[i] + Y[i - 1]) / (STEP * STEP);
                double den = 4 - cp[i - 1];
                cp[i] = 1 / den;
                dp[i] = (rhs - dp[i - 1]) / den;
            }
            for (int i = n - 2; i >= 1; i--) {
                M2[i] = dp[i] - cp[i] * M2[i + 1];
            }
        }

        private SigmoidCovariance() {
        }

        static double f(double x) {
            return 1 / (1 + Math.exp(-x)) - 0.5;
        }

        /** H(ρ), ρ clamped to [−1, 1]. */
        static double value(double rho) {
            double s = (Math.max(-1, Math.min(1, rho)) + 1) / STEP;
            int i = Math.min((int) s, Y.length - 2);
            double t = s - i;
            double u = 1 - t;
            return u * Y[i] + t * Y[i + 1] + STEP * STEP / 6 * ((u * u * u - u) * M2[i] + (t * t * t - t) * M2[i + 1]);
        }

        /** dH/dρ (0 outside (−1, 1)). */
        static double derivative(double rho) {
            if (rho <= -1 || rho >= 1) {
                return 0;
            }
            double s = (rho + 1) / STEP;
            int i = Math.min((int) s, Y.length - 2);
            double t = s - i;
            double u = 1 - t;
            return (Y[i + 1] - Y[i]) / STEP + STEP / 6 * ((1 - 3 * u * u) * M2[i] + (3 * t * t - 1) * M2[i + 1]);
        }
    }
}
