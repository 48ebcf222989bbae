package org.lnpsaxs.surrogate;

import org.lnpsaxs.core.model.FusedDifferentiableModel.UpstreamGradient;
import org.lnpsaxs.surrogate.SurrogateCore.Work;
import org.lnpsaxs.surrogate.internal.Nd4jNetwork;
import org.lnpsaxs.surrogate.lnp.LnpFeatures;
import org.lnpsaxs.surrogate.nn.Weights;

/**
 * The ND4J evaluator of a surrogate: the networks on ND4J BLAS in float32, in chunks of rows; the
 * features, the closed-form mean particle and the composition in Java, double (as in
 * {@link JavaEvaluator}). The forward pass of a chunk keeps its activations (a tape) for the
 * reverse pass. Making one starts ND4J. Thread-safe (calls allocate their own chunk state).
 */
final class Nd4jEvaluator {

    private final SurrogateCore c;
    private final Nd4jNetwork nd4j;

    Nd4jEvaluator(SurrogateCore core, Weights weights) {
        this.c = core;
        this.nd4j = new Nd4jNetwork(weights);
    }

    /** I (or log₁₀ I) of a batch into {@code out}, {@code chunk} rows at a time. */
    void predict(double[] theta, int batch, double[] out, boolean intensity, boolean clamping, int chunk, Work w) {
        int nq = c.q.length;
        Chunk ch = new Chunk(Math.min(chunk, batch));
        for (int start = 0; start < batch; start += chunk) {
            int n = Math.min(chunk, batch - start);
            ch.forward(theta, start, n, false, clamping);
            for (int r = 0; r < n; r++) {
                ch.row(r, w);
                int base = (start + r) * nq;
                for (int k = 0; k < nq; k++) {
                    double i = w.meanOut[k] * w.eE[k] + w.eD[k];
                    out[base + k] = intensity ? i : Math.log10(i);
                }
            }
        }
    }

    /**
     * Forward pass, upstream gradient, reverse pass. With {@code fixed} the upstream gradient is
     * given (with respect to I when {@code intensity}, else to log₁₀ I; {@code out} may be null)
     * and chunks go one at a time; else every chunk's tape and mean-particle curves are kept until
     * {@code upstream} has given the gradient of the whole batch.
     */
    void run(double[] theta, int batch, double[] out, UpstreamGradient upstream, double[] fixed, boolean intensity,
             double[] dLdTheta, boolean clamping, int chunk, Work w) {
        int nq = c.q.length;
        double[] g = fixed != null ? fixed : new double[batch * nq];
        double[] gI = new double[nq];
        int chunks = (batch + chunk - 1) / chunk;
        if (fixed != null) {
            Chunk ch = new Chunk(Math.min(chunk, batch));
            for (int ci = 0; ci < chunks; ci++) {
                int start = ci * chunk;
                ch.forward(theta, start, Math.min(chunk, batch - start), true, clamping);
                backwardChunk(ch, g, intensity, out, dLdTheta, w, gI);
            }
            return;
        }
        Chunk[] cs = new Chunk[chunks];
        for (int ci = 0; ci < chunks; ci++) {
            int start = ci * chunk;
            int n = Math.min(chunk, batch - start);
            Chunk ch = new Chunk(n);
            ch.forward(theta, start, n, true, clamping);
            ch.meanKept = new float[n * nq];
            ch.keptValid = false;
            for (int r = 0; r < n; r++) {
                ch.row(r, w);
                int base = (start + r) * nq;
                for (int k = 0; k < nq; k++) {
                    out[base + k] = w.meanOut[k] * w.eE[k] + w.eD[k];
                }
            }
            ch.keptValid = true;
            cs[ci] = ch;
        }
        upstream.compute(out, batch, g);
        for (Chunk ch : cs) {
            backwardChunk(ch, g, true, null, dLdTheta, w, gI);
        }
    }

    /** The state of one chunk of rows. */
    private final class Chunk {
        final double[] thetaRows;
        final boolean[] clamped;
        final LnpFeatures.Row[] rows;
        final float[] xf;
        final float[] xe;
        final float[] d;
        final float[] e;
        final float[] gD;
        final float[] gE;
        final float[] dxf;
        final float[] dxe;
        int start;
        int n;
        Nd4jNetwork.Tape tape;
        /** The rows' mean-particle intensities, kept by a fused call (else null). */
        float[] meanKept;
        /** Whether meanKept holds the current rows' values. */
        boolean keptValid;

        Chunk(int cap) {
            int p = c.space.size();
            int nq = c.q.length;
            thetaRows = new double[cap * p];
            clamped = new boolean[cap * p];
            rows = new LnpFeatures.Row[cap];
            for (int i = 0; i < cap; i++) {
                rows[i] = new LnpFeatures.Row();
            }
            xf = new float[cap * LnpFeatures.FLUCTUATION_FEATURES];
            xe = new float[cap * LnpFeatures.CORRECTION_FEATURES];
            d = new float[cap * nq];
            e = new float[cap * nq];
            gD = new float[cap * nq];
            gE = new float[cap * nq];
            dxf = new float[cap * LnpFeatures.FLUCTUATION_FEATURES];
            dxe = new float[cap * LnpFeatures.CORRECTION_FEATURES];
        }

        /** Features of rows start .. start+n-1 and the networks' forward pass. */
        void forward(double[] theta, int from, int count, boolean keep, boolean clamping) {
            this.start = from;
            this.n = count;
            int p = c.space.size();
            int ff = LnpFeatures.FLUCTUATION_FEATURES;
            int fe = LnpFeatures.CORRECTION_FEATURES;
            for (int r = 0; r < count; r++) {
                c.inputRow(theta, from + r, thetaRows, clamped, r * p, clamping);
                LnpFeatures.Row row = rows[r];
                c.features.compute(thetaRows, r * p, row);
                for (int j = 0; j < ff; j++) {
                    xf[r * ff + j] = (float) row.xf[j];
                }
                for (int j = 0; j < fe; j++) {
                    xe[r * fe + j] = (float) row.xe[j];
                }
            }
            tape = nd4j.forward(xf, xe, count, d, e, keep);
        }

        /** Row r's mean term (computed, or read back when kept) and composition into w (meanOut, eE, eD). */
        void row(int r, Work w) {
            LnpFeatures.Row row = rows[r];
            int nq = c.q.length;
            int o = r * nq;
            if (meanKept != null && keptValid) {
                for (int k = 0; k < nq; k++) {
                    w.meanOut[k] = meanKept[o + k];
                }
            } else {
                c.mean.intensity(row.r, row.rc, row.cc, row.cs, w.meanOut, 0, w.mean);
                if (meanKept != null) {
                    for (int k = 0; k < nq; k++) {
                        meanKept[o + k] = (float) w.meanOut[k];
                    }
                }
            }
            for (int k = 0; k < nq; k++) {
                w.d[k] = d[o + k];
                w.e[k] = e[o + k];
            }
            SurrogateCore.compose(w.d, w.e, row.lgNc, w);
        }
    }

    /** The reverse pass of a chunk whose forward pass (with tape) is done. */
    private void backwardChunk(Chunk ch, double[] g, boolean intensity, double[] out, double[] dLdTheta, Work w,
                               double[] gI) {
        int nq = c.q.length;
        int p = c.space.size();
        double[] gDr = new double[nq];
        double[] gEr = new double[nq];
        double[] gLg = new double[ch.n];
        for (int r = 0; r < ch.n; r++) {
            int b = ch.start + r;
            ch.row(r, w);
            if (out != null) {
                for (int k = 0; k < nq; k++) {
                    out[b * nq + k] = w.meanOut[k] * w.eE[k] + w.eD[k];
                }
            }
            c.upstreamToIntensity(g, b, intensity, w, gI);
            gLg[r] = SurrogateCore.composeBackward(gI, 0, w, gDr, gEr, 0);
            for (int k = 0; k < nq; k++) {
                ch.gD[r * nq + k] = (float) gDr[k];
                ch.gE[r * nq + k] = (float) gEr[k];
            }
            // the mean term's reverse pass needs this row's gMean now
            c.mean.backward(ch.rows[r].r, ch.rows[r].rc, ch.rows[r].cc, ch.rows[r].cs, w.gMean, w.grad4, w.mean);
            int o = b * p;
            dLdTheta[o] = w.grad4[0];
            dLdTheta[o + 1] = w.grad4[1];
            dLdTheta[o + 2] = w.grad4[2];
            dLdTheta[o + 3] = w.grad4[3];
        }
        nd4j.backward(ch.tape, ch.gD, ch.gE, ch.dxf, ch.dxe);
        int ff = LnpFeatures.FLUCTUATION_FEATURES;
        int fe = LnpFeatures.CORRECTION_FEATURES;
        for (int r = 0; r < ch.n; r++) {
            int b = ch.start + r;
            int o = b * p;
            for (int j = 0; j < ff; j++) {
                w.dxf[j] = ch.dxf[r * ff + j];
            }
            for (int j = 0; j < fe; j++) {
                w.dxe[j] = ch.dxe[r * fe + j];
            }
            double gR = dLdTheta[o];
            double gRc = dLdTheta[o + 1];
            double gcc = dLdTheta[o + 2];
            double gcs = dLdTheta[o + 3];
            c.features.backward(ch.thetaRows, r * p, ch.rows[r], w.dxf, w.dxe, gR, gRc, gcc, gcs, gLg[r], dLdTheta, o);
            for (int j = 0; j < p; j++) {
                if (ch.clamped[r * p + j]) {
                    dLdTheta[o + j] = 0;
                }
            }
        }
    }
}
