package org.lnpsaxs.surrogate.nn;

import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The output head: how the MLP trunk's outputs z become the normalised log₁₀ I, \( \hat z_k =
 * (\log_{10} I_k - \mu_k)/\sigma_k \). One implementation (double precision) serves both evaluators;
 * {@link #graph} builds the same function in SameDiff for training.
 *
 * <p><b>{@value #DIRECT}</b>: \( \hat z = z \) (Q trunk outputs).
 *
 * <p><b>{@value #LNP_CONTRAST}</b> (4Q trunk outputs \(a, b, c, d\)) builds the LNP simulator's
 * exact dependence on the two contrasts into the network. The mean density of the particle is
 * \(1 + c_c\) in the core and \(1 + c_s\) in the shell, with \( c_c = \mathrm{GRF\_shift} \) and
 * \( c_s = \mathrm{relative\_rho\_shell}\,(1 + \mathrm{GRF\_shift}) - 1 \); the interior
 * fluctuation (sigmoid of the standardised field minus its mean) does not depend on either. Since the
 * projection, smoothing and radial average are linear in \(|F|^2\), the expected intensity is
 * \( I = c_c^2 K_{cc} + 2 c_c c_s K_{cs} + c_s^2 K_{ss} + F \), where the kernels depend on the
 * geometry only and \(F\) (the fluctuation term) on the geometry and the spectrum. The head
 * parameterises them positively: with \( A = \ln 10\,\sigma_k a_k \), \( B = \ln 10\,\sigma_k b_k \),
 * \( D = \ln 10\,\sigma_k d_k \) and \( r = \tanh c_k \) (so that \(|K_{cs}| \le \sqrt{K_{cc}K_{ss}}\),
 * as Cauchy–Schwarz requires),
 * \[ J_k = c_c^2 e^{A} + 2 r\, c_c c_s\, e^{(A+B)/2} + c_s^2 e^{B} + e^{D}, \qquad
 *    \hat z_k = \ln J_k / (\ln 10\, \sigma_k), \]
 * i.e. \( I_k = 10^{\mu_k} J_k \) (J is positive). The network then learns four smooth curves instead
 * of the deep valleys that \(\log I\) has where a contrast changes sign.
 *
 * <p>Immutable and thread-safe.
 */
public final class Head {

    /** The identity head. */
    public static final String DIRECT = "direct";
    /** The LNP two-contrast head. */
    public static final String LNP_CONTRAST = "lnp-contrast";

    private static final double LN10 = Math.log(10);

    private final boolean contrast;
    private final int q;
    private final double[] lnScale;
    private final int shiftIndex;
    private final int relIndex;

    private Head(boolean contrast, int q, double[] scale, int shiftIndex, int relIndex) {
        this.contrast = contrast;
        this.q = q;
        this.lnScale = new double[q];
        for (int k = 0; k < q; k++) {
            lnScale[k] = LN10 * scale[k];
        }
        this.shiftIndex = shiftIndex;
        this.relIndex = relIndex;
    }

    /**
     * The head of a network over a parameter space with output scales \(\sigma_k\).
     *
     * @throws IllegalArgumentException if the head is unknown, or the LNP head's parameters
     *                                  ({@code GRF_shift}, {@code relative_rho_shell}) are missing
     */
    public static Head of(NetworkSpec spec, ParameterSpace space, double[] scale) {
        if (scale.length != spec.outputs()) {
            throw new IllegalArgumentException("output scales: " + scale.length + " values for " + spec.outputs()
                    + " outputs");
        }
        switch (spec.head()) {
            case DIRECT:
                return new Head(false, spec.outputs(), scale, -1, -1);
            case LNP_CONTRAST:
                return new Head(true, spec.outputs(), scale, space.indexOf(LnpParameters.GRF_SHIFT),
                        space.indexOf(LnpParameters.RELATIVE_RHO_SHELL));
            default:
                throw new IllegalArgumentException("unknown head '" + spec.head() + "'; allowed: " + DIRECT + ", "
                        + LNP_CONTRAST);
        }
    }

    /** Trunk outputs per q point of a head kind. */
    static int multiplier(String head) {
        switch (head) {
            case DIRECT:
                return 1;
            case LNP_CONTRAST:
                return 4;
            default:
                throw new IllegalArgumentException("unknown head '" + head + "'; allowed: " + DIRECT + ", "
                        + LNP_CONTRAST);
        }
    }

    /** The number of context values per row (the contrasts): 0 or 2. */
    public int contextSize() {
        return contrast ? 2 : 0;
    }

    /** Trunk outputs per row. */
    public int trunkOutputs() {
        return contrast ? 4 * q : q;
    }

    /** The context of one parameter point {@code theta[off ..]}: (c_c, c_s) into {@code ctx[co ..]}. */
    public void context(double[] theta, int off, double[] ctx, int co) {
        if (contrast) {
            double shift = theta[off + shiftIndex];
            ctx[co] = shift;
            ctx[co + 1] = theta[off + relIndex] * (1 + shift) - 1;
        }
    }

    /** \(\hat z\) of one row from its trunk outputs {@code z[zo ..]} and context {@code ctx[co ..]}. */
    public void forward(double[] z, int zo, double[] ctx, int co, double[] out, int oo) {
        if (!contrast) {
            System.arraycopy(z, zo, out, oo, q);
            return;
        }
        double cc = ctx[co];
        double cs = ctx[co + 1];
        for (int k = 0; k < q; k++) {
            double s = lnScale[k];
            double ea = Math.exp(s * z[zo + k]);
            double eb = Math.exp(s * z[zo + q + k]);
            double r = tanh(z[zo + 2 * q + k]);
            double ed = Math.exp(s * z[zo + 3 * q + k]);
            double j = cc * cc * ea + 2 * r * cc * cs * Math.sqrt(ea) * Math.sqrt(eb) + cs * cs * eb + ed;
            out[oo + k] = Math.log(j) / s;
        }
    }

    /** {@link #forward} from a float trunk output. */
    public void forward(float[] z, int zo, double[] ctx, int co, double[] out, int oo, double[] work) {
        int t = trunkOutputs();
        for (int i = 0; i < t; i++) {
            work[i] = z[zo + i];
        }
        forward(work, 0, ctx, co, out, oo);
    }

    /**
     * Reverse pass of one row: from dL/dẑ ({@code dOut[doo ..]}, Q values) to dL/dz
     * ({@code dz[dzo ..]}, trunk outputs, overwritten) and dL/d(context) ({@code dctx[0..1]},
     * overwritten).
     */
    public void backward(double[] z, int zo, double[] ctx, int co, double[] dOut, int doo, double[] dz, int dzo,
                         double[] dctx) {
        if (!contrast) {
            System.arraycopy(dOut, doo, dz, dzo, q);
            return;
        }
        double cc = ctx[co];
        double cs = ctx[co + 1];
        double gcc = 0;
        double gcs = 0;
        for (int k = 0; k < q; k++) {
            double s = lnScale[k];
            double ea = Math.exp(s * z[zo + k]);
            double eb = Math.exp(s * z[zo + q + k]);
            double r = tanh(z[zo + 2 * q + k]);
            double eab = Math.sqrt(ea) * Math.sqrt(eb);
            double ed = Math.exp(s * z[zo + 3 * q + k]);
            double j = cc * cc * ea + 2 * r * cc * cs * eab + cs * cs * eb + ed;
            // ẑ = ln J / s  ⇒  dẑ/dJ = 1/(s J)
            double g = dOut[doo + k] / (s * j);
            dz[dzo + k] = g * s * (cc * cc * ea + r * cc * cs * eab);
            dz[dzo + q + k] = g * s * (cs * cs * eb + r * cc * cs * eab);
            dz[dzo + 2 * q + k] = g * 2 * cc * cs * eab * (1 - r * r);
            dz[dzo + 3 * q + k] = g * s * ed;
            gcc += g * (2 * cc * ea + 2 * r * cs * eab);
            gcs += g * (2 * cs * eb + 2 * r * cc * eab);
        }
        dctx[0] = gcc;
        dctx[1] = gcs;
    }

    /** tanh through one exponential (Math.tanh is not an intrinsic and costs several times more). */
    private static double tanh(double x) {
        return 1 - 2 / (Math.exp(2 * x) + 1);
    }

    /** Adds the context gradient's share to the parameter gradient {@code dTheta[dOff ..]}. */
    public void contextToParameters(double[] theta, int off, double[] dctx, double[] dTheta, int dOff) {
        if (contrast) {
            // c_c = shift, c_s = rel (1 + shift) − 1
            dTheta[dOff + shiftIndex] += dctx[0] + dctx[1] * theta[off + relIndex];
            dTheta[dOff + relIndex] += dctx[1] * (1 + theta[off + shiftIndex]);
        }
    }

    /**
     * The head in SameDiff: from the trunk output {@code z} ([batch, trunk outputs]) and the
     * context placeholder {@code ctx} ([batch, 2], unused by the direct head) to ẑ ([batch, Q]).
     */
    public SDVariable graph(SameDiff sd, SDVariable z, SDVariable ctx, String name) {
        if (!contrast) {
            return sd.identity(name, z);
        }
        long n = q;
        float[] ls = new float[q];
        for (int k = 0; k < q; k++) {
            ls[k] = (float) lnScale[k];
        }
        SDVariable lnS = sd.constant("head_ln_scale", Nd4j.create(ls, new long[] {1, n}, 'c'));
        SDVariable a = z.get(SDIndex.all(), SDIndex.interval(0L, n)).mul(lnS);
        SDVariable b = z.get(SDIndex.all(), SDIndex.interval(n, 2 * n)).mul(lnS);
        SDVariable r = sd.math.tanh(z.get(SDIndex.all(), SDIndex.interval(2 * n, 3 * n)));
        SDVariable d = z.get(SDIndex.all(), SDIndex.interval(3 * n, 4 * n)).mul(lnS);
        SDVariable cc = ctx.get(SDIndex.all(), SDIndex.interval(0L, 1L));
        SDVariable cs = ctx.get(SDIndex.all(), SDIndex.interval(1L, 2L));
        SDVariable j = sd.math.exp(a).mul(cc.mul(cc))
                .add(r.mul(sd.math.exp(a.add(b).mul(0.5))).mul(cc.mul(cs).mul(2.0)))
                .add(sd.math.exp(b).mul(cs.mul(cs)))
                .add(sd.math.exp(d));
        return sd.math.log(j).div(name, lnS);
    }
}
