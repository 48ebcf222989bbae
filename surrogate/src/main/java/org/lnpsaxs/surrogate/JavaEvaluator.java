package org.lnpsaxs.surrogate;

import org.lnpsaxs.core.model.FusedDifferentiableModel.UpstreamGradient;
import org.lnpsaxs.surrogate.SurrogateCore.Work;
import org.lnpsaxs.surrogate.internal.JavaNetwork;
import org.lnpsaxs.surrogate.lnp.LnpFeatures;

/**
 * The plain-Java evaluator of a surrogate: one row at a time, in double precision, through the
 * features, the closed-form mean particle, the Java networks and the composition, and back (exact
 * reverse mode). A row's result never depends on its batch; a batch-1 call allocates nothing (the
 * per-thread {@link Work} holds every buffer). Thread-safe.
 */
final class JavaEvaluator {

    private final SurrogateCore c;

    JavaEvaluator(SurrogateCore core) {
        this.c = core;
    }

    /**
     * The forward pass of row b: features, mean particle ({@code w.meanOut}), networks, and the
     * factors {@code w.eE}, {@code w.eD} with I = meanOut·eE + eD; with {@code forBackward} the
     * mean particle's slopes are kept for the reverse pass.
     */
    private void forwardRow(double[] theta, int b, Work w, boolean forBackward, boolean clamping) {
        c.inputRow(theta, b, w.theta, w.clamped, 0, clamping);
        c.features.compute(w.theta, 0, w.row);
        c.mean.intensity(w.row.r, w.row.rc, w.row.cc, w.row.cs, w.meanOut, 0, w.mean, forBackward);
        c.java.forward(w.row.xf, 0, w.row.xe, 0, w.d, w.e, 0, w.net);
        SurrogateCore.compose(w.meanOut, w.d, w.e, 0, w.row.lgNc, w.eE, w.eD);
    }

    /** I (or log₁₀ I) of a batch into {@code out}. */
    void predict(double[] theta, int batch, double[] out, boolean intensity, boolean clamping, Work w) {
        int nq = c.q.length;
        for (int b = 0; b < batch; b++) {
            forwardRow(theta, b, w, false, clamping);
            int base = b * nq;
            for (int k = 0; k < nq; k++) {
                double i = w.meanOut[k] * w.eE[k] + w.eD[k];
                out[base + k] = intensity ? i : Math.log10(i);
            }
        }
    }

    /**
     * Forward pass, upstream gradient, reverse pass. With {@code fixed} the upstream gradient is
     * given (with respect to I when {@code intensity}, else to log₁₀ I; {@code out} may be null)
     * and rows go one at a time; else every row's state is kept until {@code upstream} has given
     * the gradient of the whole batch.
     */
    void run(double[] theta, int batch, double[] out, UpstreamGradient upstream, double[] fixed, boolean intensity,
             double[] dLdTheta, boolean clamping, Work w) {
        int nq = c.q.length;
        int p = c.space.size();
        double[] g = fixed != null ? fixed : new double[batch * nq];
        double[] gI = new double[nq];
        if (fixed != null) {
            // upstream known: one row at a time, nothing kept
            for (int b = 0; b < batch; b++) {
                forwardRow(theta, b, w, true, clamping);
                if (out != null) {
                    for (int k = 0; k < nq; k++) {
                        out[b * nq + k] = w.meanOut[k] * w.eE[k] + w.eD[k];
                    }
                }
                c.upstreamToIntensity(g, b, intensity, w, gI);
                double gLg = SurrogateCore.composeBackward(gI, 0, w, w.gD, w.gE, 0);
                c.java.backward(w.gD, w.gE, 0, w.dxf, w.dxe, w.net);
                c.finishRow(w.theta, 0, w.row, w.clamped, gLg, w, dLdTheta, b * p);
            }
            return;
        }
        // fused with an upstream callback: keep every row's state
        RowState[] states = new RowState[batch];
        for (int b = 0; b < batch; b++) {
            RowState st = new RowState(c);
            c.inputRow(theta, b, st.theta, st.clamped, 0, clamping);
            c.features.compute(st.theta, 0, st.row);
            c.mean.intensity(st.row.r, st.row.rc, st.row.cc, st.row.cs, st.meanOut, 0, w.mean);
            c.java.forward(st.row.xf, 0, st.row.xe, 0, w.d, w.e, 0, st.net);
            SurrogateCore.compose(st.meanOut, w.d, w.e, 0, st.row.lgNc, st.eE, st.eD);
            for (int k = 0; k < nq; k++) {
                out[b * nq + k] = st.meanOut[k] * st.eE[k] + st.eD[k];
            }
            states[b] = st;
        }
        upstream.compute(out, batch, g);
        for (int b = 0; b < batch; b++) {
            RowState st = states[b];
            System.arraycopy(st.meanOut, 0, w.meanOut, 0, nq);
            System.arraycopy(st.eE, 0, w.eE, 0, nq);
            System.arraycopy(st.eD, 0, w.eD, 0, nq);
            double gLg = SurrogateCore.composeBackward(g, b * nq, w, w.gD, w.gE, 0);
            c.java.backward(w.gD, w.gE, 0, w.dxf, w.dxe, st.net);
            c.finishRow(st.theta, 0, st.row, st.clamped, gLg, w, dLdTheta, b * p);
        }
    }

    /** One row's forward state kept for a fused call. */
    private static final class RowState {
        final LnpFeatures.Row row = new LnpFeatures.Row();
        final double[] theta;
        final boolean[] clamped;
        final double[] meanOut;
        final double[] eE;
        final double[] eD;
        final JavaNetwork.Work net;

        RowState(SurrogateCore s) {
            int nq = s.q.length;
            theta = new double[s.space.size()];
            clamped = new boolean[s.space.size()];
            meanOut = new double[nq];
            eE = new double[nq];
            eD = new double[nq];
            net = new JavaNetwork.Work(s.java);
        }
    }
}
