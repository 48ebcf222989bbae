package org.lnpsaxs.surrogate;

import org.lnpsaxs.core.model.FusedDifferentiableModel.UpstreamGradient;
import org.lnpsaxs.surrogate.SurrogateCore.Work;
import org.lnpsaxs.surrogate.internal.JavaNetwork;
import org.lnpsaxs.surrogate.internal.VectorKernels;
import org.lnpsaxs.surrogate.internal.Vectors;
import org.lnpsaxs.surrogate.lnp.LnpFeatures;
import org.lnpsaxs.surrogate.lnp.MeanParticle;

/**
 * The plain-Java evaluator of a surrogate, in double precision, through the features, the
 * closed-form mean particle, the Java networks and the composition, and back (exact reverse mode).
 * Rows go in blocks of up to {@value #BLOCK}: the networks run a block at a time (each group of
 * weights applied to every row of the block while it is in cache), the mean particle's amplitudes
 * and the composition row by row, the radial average and its transpose a block at a time (each
 * load of the operator serving every row of the block). A row's result never depends on its batch
 * or block (the networks' and the radial average's arithmetic per row is that of a block of one);
 * a batch-1 call allocates nothing (the per-thread {@link Work} holds every buffer). Thread-safe.
 */
final class JavaEvaluator {

    /** Rows per network block. */
    static final int BLOCK = 8;

    private final SurrogateCore c;

    JavaEvaluator(SurrogateCore core) {
        this.c = core;
    }

    /** The inputs, features, network outputs and network state of a block of rows. */
    static final class Block {
        final int p;
        final double[] theta;
        final boolean[] clamped;
        final LnpFeatures.Row[] rows = new LnpFeatures.Row[BLOCK];
        final double[][] xf = new double[BLOCK][];
        final double[][] xe = new double[BLOCK][];
        final double[][] d;
        final double[][] e;
        final JavaNetwork.Work net;
        /** The composition of each row, kept from the forward pass to the reverse pass (else null). */
        final double[][] meanOut;
        final double[][] eE;
        final double[][] eD;
        /** Each row's mean-particle amplitudes and slopes, kept likewise (else null). */
        final MeanParticle.Amplitudes[] balls;
        int start;
        int size;

        /**
         * A block that keeps each row's composition when {@code keep}; with a {@code scratch} block
         * (null: none) it shares that block's network outputs and the networks' per-call buffers,
         * so that the blocks kept by the callback path hold only what the reverse pass needs.
         */
        Block(SurrogateCore s, boolean keep, Block scratch) {
            int nq = s.q.length;
            p = s.space.size();
            theta = new double[BLOCK * p];
            clamped = new boolean[BLOCK * p];
            for (int r = 0; r < BLOCK; r++) {
                rows[r] = new LnpFeatures.Row();
                xf[r] = rows[r].xf;
                xe[r] = rows[r].xe;
            }
            d = scratch != null ? scratch.d : new double[BLOCK][nq];
            e = scratch != null ? scratch.e : new double[BLOCK][nq];
            net = new JavaNetwork.Work(s.java, BLOCK, scratch == null ? null : scratch.net);
            meanOut = keep ? new double[BLOCK][nq] : null;
            eE = keep ? new double[BLOCK][nq] : null;
            eD = keep ? new double[BLOCK][nq] : null;
            balls = keep ? new MeanParticle.Amplitudes[BLOCK] : null;
            for (int r = 0; keep && r < BLOCK; r++) {
                balls[r] = new MeanParticle.Amplitudes(s.mean);
            }
        }
    }

    /** Per-block buffers of the reverse pass (one per thread, in {@link Work}). */
    static final class Reverse {
        final double[][] gD;
        final double[][] gE;
        final double[][] dxf = new double[BLOCK][LnpFeatures.FLUCTUATION_FEATURES];
        final double[][] dxe = new double[BLOCK][LnpFeatures.CORRECTION_FEATURES];
        final double[][] grad4 = new double[BLOCK][4];
        final double[] gLg = new double[BLOCK];
        final double[] gI;

        Reverse(SurrogateCore s) {
            int nq = s.q.length;
            gD = new double[BLOCK][nq];
            gE = new double[BLOCK][nq];
            gI = new double[nq];
        }
    }

    /** Rows {@code start .. start + size - 1} in: box check, features, networks forward. */
    private void forwardBlock(double[] theta, int start, int size, Block k, boolean clamping) {
        k.start = start;
        k.size = size;
        for (int r = 0; r < size; r++) {
            c.inputRow(theta, start + r, k.theta, k.clamped, r * k.p, clamping);
            c.features.compute(k.theta, r * k.p, k.rows[r]);
        }
        c.java.forward(k.xf, k.xe, k.d, k.e, size, k.net);
    }

    /**
     * The mean particle and the composition of every row of a forward block, into the block's kept
     * arrays ({@code k.meanOut}, {@code k.eE}, {@code k.eD}; the amplitudes, with their slopes when
     * {@code forBackward}, into {@code k.balls}): each row's squared amplitude on the radial
     * operator's nodes, then the radial average of the block's rows at once.
     */
    private void forwardMean(Block k, Work w, boolean forBackward) {
        MeanParticle mp = c.mean;
        for (int r = 0; r < k.size; r++) {
            LnpFeatures.Row row = k.rows[r];
            mp.nodeIntensity(row.r, row.rc, row.cc, row.cs, w.nodeRows[r], w.mean, forBackward);
            mp.swap(w.mean, k.balls[r]);
        }
        mp.operator().applyRows(w.nodeRows, k.meanOut, k.size, w.opTmp);
        for (int r = 0; r < k.size; r++) {
            SurrogateCore.compose(k.d[r], k.e[r], k.rows[r].lgNc, k.eE[r], k.eD[r]);
        }
    }

    /**
     * The reverse pass of a forward block up to the networks: dL/dI of batch rows
     * {@code k.start ..} from {@code g} (with respect to I when {@code intensity}, else to log₁₀ I)
     * into dL/dD, dL/dE, dL/d log₁₀ N_c and each row's four mean-particle gradients, kept in
     * {@code v}; the radial average's transpose for the block's rows at once.
     */
    private void reverseMean(Block k, double[] g, boolean intensity, Work w, Reverse v) {
        int nq = c.q.length;
        for (int r = 0; r < k.size; r++) {
            int b = k.start + r;
            double[] gI = g;
            int go = b * nq;
            if (!intensity) {
                gI = c.upstreamToIntensity(g, b, false, k.meanOut[r], k.eE[r], k.eD[r], v.gI);
                go = 0;
            }
            v.gLg[r] = SurrogateCore.composeBackward(gI, go, k.meanOut[r], k.eE[r], k.eD[r], w.gMeanRows[r], v.gD[r],
                    v.gE[r], 0);
        }
        MeanParticle mp = c.mean;
        mp.operator().applyTransposeRows(w.gMeanRows, w.gNodeRows, k.size, w.opTmp, w.transposeScratch);
        for (int r = 0; r < k.size; r++) {
            LnpFeatures.Row row = k.rows[r];
            mp.swap(w.mean, k.balls[r]);
            mp.nodeBackward(row.r, row.rc, row.cc, row.cs, w.gNodeRows[r], v.grad4[r], w.mean);
        }
    }

    /** The networks' reverse pass of the block and each row's parameter gradient into dLdTheta. */
    private void finishBlock(Block k, Reverse v, double[] dLdTheta) {
        int p = k.p;
        c.java.backward(v.gD, v.gE, v.dxf, v.dxe, k.size, k.net);
        for (int r = 0; r < k.size; r++) {
            double[] g4 = v.grad4[r];
            int o = (k.start + r) * p;
            c.features.backward(k.theta, r * p, k.rows[r], v.dxf[r], v.dxe[r], g4[0], g4[1], g4[2], g4[3], v.gLg[r],
                    dLdTheta, o);
            for (int j = 0; j < p; j++) {
                if (k.clamped[r * p + j]) {
                    dLdTheta[o + j] = 0;
                }
            }
        }
    }

    /** I (or log₁₀ I) of a batch into {@code out}. */
    void predict(double[] theta, int batch, double[] out, boolean intensity, boolean clamping, Work w) {
        int nq = c.q.length;
        Block k = w.single();
        for (int start = 0; start < batch; start += BLOCK) {
            int size = Math.min(BLOCK, batch - start);
            forwardBlock(theta, start, size, k, clamping);
            forwardMean(k, w, false);
            writeIntensities(k, out);
            if (!intensity) {
                for (int j = start * nq; j < (start + size) * nq; j++) {
                    out[j] = Math.log10(out[j]);
                }
            }
        }
    }

    /**
     * Forward pass, upstream gradient, reverse pass. With {@code fixed} the upstream gradient is
     * given (with respect to I when {@code intensity}, else to log₁₀ I; {@code out} may be null)
     * and blocks go one at a time; else every block's state is kept until {@code upstream} has
     * given the gradient of the whole batch (with respect to I).
     */
    void run(double[] theta, int batch, double[] out, UpstreamGradient upstream, double[] fixed, boolean intensity,
             double[] dLdTheta, boolean clamping, Work w) {
        int nq = c.q.length;
        Reverse v = w.reverse();
        if (fixed != null) {
            // upstream known: one block at a time, its state kept only until its reverse pass
            Block k = w.single();
            for (int start = 0; start < batch; start += BLOCK) {
                int size = Math.min(BLOCK, batch - start);
                forwardBlock(theta, start, size, k, clamping);
                forwardMean(k, w, true);
                if (out != null) {
                    writeIntensities(k, out);
                }
                reverseMean(k, fixed, intensity, w, v);
                finishBlock(k, v, dLdTheta);
            }
            return;
        }
        // fused with an upstream callback: keep every block's state
        double[] g = w.upstream(batch * nq);
        Block[] blocks = new Block[(batch + BLOCK - 1) / BLOCK];
        // the network outputs are used up by the composition at once: the kept blocks share one
        // scratch block (SurrogateCore.Work.kept), and are reused by the next call on this thread
        for (int i = 0; i < blocks.length; i++) {
            Block k = w.kept(i);
            int start = i * BLOCK;
            int size = Math.min(BLOCK, batch - start);
            forwardBlock(theta, start, size, k, clamping);
            forwardMean(k, w, true);
            writeIntensities(k, out);
            blocks[i] = k;
        }
        upstream.compute(out, batch, g);
        for (Block k : blocks) {
            reverseMean(k, g, true, w, v);
            finishBlock(k, v, dLdTheta);
        }
    }

    /** I of each row of a forward block into its place in {@code out}. */
    private void writeIntensities(Block k, double[] out) {
        int nq = c.q.length;
        for (int r = 0; r < k.size; r++) {
            double[] mean = k.meanOut[r];
            double[] eE = k.eE[r];
            double[] eD = k.eD[r];
            int base = (k.start + r) * nq;
            if (Vectors.active()) {
                VectorKernels.compose(mean, eE, eD, out, base, nq);
                continue;
            }
            for (int j = 0; j < nq; j++) {
                out[base + j] = mean[j] * eE[j] + eD[j];
            }
        }
    }
}
