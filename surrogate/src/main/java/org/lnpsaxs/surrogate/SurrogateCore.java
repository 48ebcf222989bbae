package org.lnpsaxs.surrogate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.internal.FastExp;
import org.lnpsaxs.surrogate.internal.JavaNetwork;
import org.lnpsaxs.surrogate.internal.PartialSums;
import org.lnpsaxs.surrogate.internal.VectorKernels;
import org.lnpsaxs.surrogate.internal.Vectors;
import org.lnpsaxs.surrogate.lnp.LnpFeatures;
import org.lnpsaxs.surrogate.lnp.MeanParticle;
import org.lnpsaxs.surrogate.lnp.RadialOperator;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every copy of a {@link Surrogate} shares, and what both evaluators use: the model's
 * metadata, parameter space and q grid, the features, the closed-form mean particle, the Java
 * networks, the once-per-parameter clamping warnings, the box check of an input row, and the
 * composition \( I_k = \bar I_k\,10^{E_k} + 10^{\log_{10}N_c + D_k} \) with its reverse pass. The
 * ND4J evaluator is made on first use, so a surrogate that never uses it never starts ND4J.
 * Immutable apart from that lazily made evaluator; thread-safe.
 */
final class SurrogateCore {

    private static final Logger LOG = LoggerFactory.getLogger(Surrogate.class);
    static final double LN10 = Math.log(10);

    /** The metadata without its provenance (all that evaluation needs). */
    final ModelMetadata header;
    final ParameterSpace space;
    final double[] q;
    final LnpFeatures features;
    final MeanParticle mean;
    final JavaNetwork java;
    final JavaEvaluator javaEvaluator;
    private final Weights weights;
    /** The measured error from the model file, or null. */
    final ErrorModel errorModel;
    private final AtomicBoolean[] warned;
    /** Where the full metadata comes from when it was not given, else null. */
    private final ModelFile.Loaded loaded;
    private volatile ModelMetadata metadata;
    private volatile Nd4jEvaluator nd4j;

    /**
     * The core of a model given in full.
     *
     * @throws IllegalArgumentException if the parameter space lacks the LNP parameters or the q
     *                                  grid does not suit the simulator settings
     */
    SurrogateCore(ModelFile.Contents contents) {
        this(contents.metadata(), contents.weights(), null, contents.errorModel());
    }

    /**
     * The core of a model read from a file; the full metadata (provenance) is read on first use.
     *
     * @throws IllegalArgumentException as {@link #SurrogateCore(ModelFile.Contents)}
     */
    SurrogateCore(ModelFile.Loaded loaded) {
        this(loaded.header(), loaded.weights(), loaded, loaded.errorModel());
    }

    private SurrogateCore(ModelMetadata header, Weights weights, ModelFile.Loaded loaded, ErrorModel errorModel) {
        this.header = header;
        this.errorModel = errorModel;
        this.weights = weights;
        this.loaded = loaded;
        this.metadata = loaded == null ? header : null;
        this.space = ModelFile.space(header);
        NetworkSpec spec = header.network();
        this.warned = new AtomicBoolean[space.size()];
        for (int j = 0; j < warned.length; j++) {
            warned[j] = new AtomicBoolean();
        }
        this.q = header.q();
        RadialOperator op = RadialOperator.of(q, spec.voxel(), spec.plane(), spec.refine());
        this.features = new LnpFeatures(space, spec.voxel());
        this.mean = new MeanParticle(op);
        this.java = new JavaNetwork(weights);
        this.javaEvaluator = new JavaEvaluator(this);
    }

    /**
     * The full metadata, provenance included (read from the model file on first use).
     *
     * @throws UncheckedIOException if the file's metadata entry is not valid model metadata
     */
    ModelMetadata metadata() {
        ModelMetadata m = metadata;
        if (m == null) {
            try {
                m = loaded.metadata();
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            metadata = m;
        }
        return m;
    }

    /** The ND4J evaluator, made (and ND4J started) on first use. */
    Nd4jEvaluator nd4j() {
        Nd4jEvaluator e = nd4j;
        if (e == null) {
            synchronized (this) {
                e = nd4j;
                if (e == null) {
                    e = new Nd4jEvaluator(this, weights);
                    nd4j = e;
                }
            }
        }
        return e;
    }

    /**
     * Per-thread buffers of one row, and the Java evaluator's block buffers (made on first use),
     * so that a call allocates nothing after the first.
     */
    static final class Work {
        private final SurrogateCore core;
        final MeanParticle.Work mean;
        /** The row's mean term and composition; not final: the callback path swaps them with its kept blocks'. */
        double[] meanOut;
        final double[] d;
        final double[] e;
        double[] eE;
        double[] eD;
        final double[] gMean;
        /**
         * The Java evaluator's per-row scratch of a block ({@link JavaEvaluator#BLOCK} rows): the
         * mean particle's squared amplitude on the radial operator's nodes, dL/d(mean term) on the
         * output grid, dL/d(squared amplitude) on the nodes; and the operator's scratch (the
         * transpose's 8 padded rows are written only by the operator).
         */
        final double[][] nodeRows;
        final double[][] gMeanRows;
        final double[][] gNodeRows;
        final double[] opTmp;
        final double[][] transposeScratch;
        final double[] dxf = new double[LnpFeatures.FLUCTUATION_FEATURES];
        final double[] dxe = new double[LnpFeatures.CORRECTION_FEATURES];
        final double[] grad4 = new double[4];
        private JavaEvaluator.Block block;
        private JavaEvaluator.Reverse reverse;

        Work(SurrogateCore s) {
            core = s;
            int nq = s.q.length;
            mean = new MeanParticle.Work(s.mean);
            meanOut = new double[nq];
            d = new double[nq];
            e = new double[nq];
            eE = new double[nq];
            eD = new double[nq];
            gMean = new double[nq];
            int nodes = s.mean.operator().nodes();
            nodeRows = new double[JavaEvaluator.BLOCK][nodes];
            gMeanRows = new double[JavaEvaluator.BLOCK][nq];
            gNodeRows = new double[JavaEvaluator.BLOCK][nodes];
            opTmp = new double[Math.max(nodes, nq)];
            transposeScratch = new double[JavaEvaluator.BLOCK][s.mean.operator().transposeScratchLength()];
        }

        /** The Java evaluator's block of rows (not kept between calls). */
        JavaEvaluator.Block block() {
            if (block == null) {
                block = new JavaEvaluator.Block(core, false, null);
            }
            return block;
        }

        /**
         * The Java evaluator's i-th kept block of the callback path (it keeps each row's state for
         * the reverse pass), created on first use and reused by later calls on this thread, so a
         * call allocates nothing in the steady state. They share {@link #block()}'s network outputs.
         */
        JavaEvaluator.Block kept(int i) {
            while (kept.size() <= i) {
                kept.add(new JavaEvaluator.Block(core, true, block()));
            }
            return kept.get(i);
        }

        private final java.util.ArrayList<JavaEvaluator.Block> kept = new java.util.ArrayList<>();

        private JavaEvaluator.Block single;

        /**
         * The Java evaluator's block for the calls that go one block at a time (predictions, and
         * the reverse pass with a given upstream gradient): it holds a block's state from its
         * forward pass to its reverse pass, apart from the callback path's {@link #kept} blocks.
         */
        JavaEvaluator.Block single() {
            if (single == null) {
                single = new JavaEvaluator.Block(core, true, block());
            }
            return single;
        }

        private double[] upstream;

        /**
         * The callback path's upstream gradient, exactly {@code n} values, all zero: reused by later
         * calls of the same length on this thread (a fit's chunks have one length), so that the
         * steady state allocates nothing.
         */
        double[] upstream(int n) {
            if (upstream == null || upstream.length != n) {
                upstream = new double[n];
            } else {
                Arrays.fill(upstream, 0.0);
            }
            return upstream;
        }


        /** The Java evaluator's reverse-pass buffers of a block. */
        JavaEvaluator.Reverse reverse() {
            if (reverse == null) {
                reverse = new JavaEvaluator.Reverse(core);
            }
            return reverse;
        }
    }

    /**
     * {@code w.eE[k]} = \( 10^{E_k} \), {@code w.eD[k]} = \( 10^{\log_{10}N_c + D_k} \) (so that
     * \( I_k = \bar I_k\,e^E_k + e^D_k \)) from {@code d}, {@code e} (one row, from index 0; not
     * {@code w.eE} or {@code w.eD}), by the vectorised exponential {@link FastExp} (within
     * {@value FastExp#RELATIVE_ERROR} relative of {@link Math#exp}).
     */
    static void compose(double[] d, double[] e, double lgNc, Work w) {
        compose(d, e, lgNc, w.eE, w.eD);
    }

    /** {@link #compose(double[], double[], double, Work)} into {@code eE}, {@code eD} (q-grid length). */
    static void compose(double[] d, double[] e, double lgNc, double[] eE, double[] eD) {
        int nq = eE.length;
        FastExp.exp(e, LN10, 0, eE, nq);
        FastExp.exp(d, LN10, lgNc, eD, nq);
    }

    /**
     * The reverse pass of one row through the composition: from dL/dI ({@code gI[go ..]}) to
     * dL/dD, dL/dE (into {@code gD}, {@code gE} at {@code o}), dL/d(mean) (into {@code w.gMean}),
     * and returns dL/d log₁₀ N_c. Needs {@code w.meanOut, w.eE, w.eD} of the row.
     */
    static double composeBackward(double[] gI, int go, Work w, double[] gD, double[] gE, int o) {
        return composeBackward(gI, go, w.meanOut, w.eE, w.eD, w.gMean, gD, gE, o);
    }

    /**
     * {@link #composeBackward(double[], int, Work, double[], double[], int)} for the row whose mean
     * term and composition are {@code mean}, {@code eE}, {@code eD}, dL/d(mean) into {@code gMean}.
     */
    static double composeBackward(double[] gI, int go, double[] mean, double[] eE, double[] eD, double[] gMean,
                                  double[] gD, double[] gE, int o) {
        int nq = eE.length;
        if (Vectors.active()) {
            return VectorKernels.composeBackward(gI, go, mean, eE, eD, gMean, gD, gE, o, nq, LN10);
        }
        return PartialSums.composeBackward(gI, go, mean, eE, eD, gMean, gD, gE, o, nq, LN10);
    }

    /** dL/dI of row b into {@code buf} from the upstream gradient (with respect to I, or to log₁₀ I). */
    double[] upstreamToIntensity(double[] upstream, int b, boolean intensity, Work w, double[] buf) {
        return upstreamToIntensity(upstream, b, intensity, w.meanOut, w.eE, w.eD, buf);
    }

    /** The same for the row whose mean term and composition are {@code mean}, {@code eE}, {@code eD}. */
    double[] upstreamToIntensity(double[] upstream, int b, boolean intensity, double[] mean, double[] eE, double[] eD,
                                 double[] buf) {
        int nq = q.length;
        if (intensity) {
            System.arraycopy(upstream, b * nq, buf, 0, nq);
        } else {
            for (int k = 0; k < nq; k++) {
                double i = mean[k] * eE[k] + eD[k];
                buf[k] = upstream[b * nq + k] / (i * LN10);
            }
        }
        return buf;
    }

    /**
     * Copies row {@code b} of theta to {@code row[off ..]}, refusing out-of-box values, or with
     * {@code clamping} moving them to the nearest bound (logged at WARN the first time per
     * parameter, then at DEBUG) and marking them in {@code clampedOut}.
     */
    void inputRow(double[] theta, int b, double[] row, boolean[] clampedOut, int off, boolean clamping) {
        int p = space.size();
        for (int j = 0; j < p; j++) {
            double v = theta[b * p + j];
            Parameter par = space.get(j);
            boolean c = false;
            if (!par.contains(v)) {
                if (Double.isNaN(v) || !clamping) {
                    throw new IllegalArgumentException("parameter " + par.name() + " = " + v
                            + (b > 0 ? " (set " + b + ")" : "") + " is outside the surrogate's training range "
                            + par.rangeText() + (Double.isNaN(v) ? "" : "; use withClamping(true) to clamp"));
                }
                double clampedValue = Math.max(par.lower(), Math.min(par.upper(), v));
                if (warned[j].compareAndSet(false, true)) {
                    LOG.warn("parameter {} = {} is outside the surrogate's training range {}: clamped to {}"
                            + " (further clamping of {} is logged at DEBUG)", par.name(), v, par.rangeText(),
                            clampedValue, par.name());
                } else {
                    LOG.debug("parameter {} = {} clamped to {}", par.name(), v, clampedValue);
                }
                v = clampedValue;
                c = true;
            }
            row[off + j] = v;
            if (clampedOut != null) {
                clampedOut[off + j] = c;
            }
        }
    }
}
