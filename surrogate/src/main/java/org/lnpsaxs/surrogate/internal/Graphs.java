package org.lnpsaxs.surrogate.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import org.lnpsaxs.surrogate.nn.MlpSpec;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff graphs of a {@link NetworkSpec} network (float32), one variable per weight tensor
 * named as in {@link NetworkSpec#tensors()}.
 *
 * <p>Inference graph (what a model file stores): placeholders {@value #XF} ({@code [batch, 9]},
 * fluctuation features) and {@value #XE} ({@code [batch, 6]}, correction features), outputs
 * {@value #D_OUT} and {@value #E_OUT} ({@code [batch, Q]}, decades).
 *
 * <p>Training graph: adds the placeholders {@value #LG_MEAN} ({@code [batch, Q]}, log₁₀ of the
 * closed-form mean-particle intensity), {@value #LG_NC} ({@code [batch, 1]}, log₁₀ of the core
 * volume in voxels) and {@value #LABEL} ({@code [batch, Q]}, simulated log₁₀ I), the prediction
 * \( y = \log_{10}(10^{A} + 10^{D'}) \) with \( A = \log_{10}\bar I + E \),
 * \( D' = \log_{10}N_c + D \), computed stably as
 * \( \max(A, D') + \ln(1 + e^{-\ln 10\,|A - D'|})/\ln 10 \) ({@value #OUTPUT}), and the loss
 * {@value #LOSS}: the mean over rows and q of \( (y - \mathrm{label})^2 \), decades².
 *
 * <p>Only training, saving a model file and the ND4J evaluator come here: loading a model file
 * and the Java evaluator never touch ND4J. Not a user class.
 */
public final class Graphs {

    static {
        Nd4jStartup.quiet();
    }

    /** Placeholder: fluctuation features. */
    public static final String XF = "xf";
    /** Placeholder: correction features. */
    public static final String XE = "xe";
    /** Placeholder: log₁₀ of the mean-particle intensity. */
    public static final String LG_MEAN = "lg_mean";
    /** Placeholder: log₁₀ of the core volume in voxels. */
    public static final String LG_NC = "lg_nc";
    /** Output of the fluctuation MLP. */
    public static final String D_OUT = "d_out";
    /** Output of the correction MLP. */
    public static final String E_OUT = "e_out";
    /** Prediction of log₁₀ I (training graph). */
    public static final String OUTPUT = "output";
    /** Label placeholder of the training graph. */
    public static final String LABEL = "label";
    /** Loss of the training graph. */
    public static final String LOSS = "loss";

    private Graphs() {
    }

    /** The inference graph with these weights. */
    public static SameDiff inference(Weights weights) {
        SameDiff sd = SameDiff.create();
        build(sd, weights);
        return sd;
    }

    /** The training graph starting from these weights. */
    public static SameDiff training(Weights weights) {
        SameDiff sd = SameDiff.create();
        SDVariable[] de = build(sd, weights);
        int q = weights.spec().outputs();
        SDVariable lgMean = sd.placeHolder(LG_MEAN, DataType.FLOAT, -1, q);
        SDVariable lgNc = sd.placeHolder(LG_NC, DataType.FLOAT, -1, 1);
        SDVariable label = sd.placeHolder(LABEL, DataType.FLOAT, -1, q);
        float[] ones = new float[q];
        java.util.Arrays.fill(ones, 1f);
        SDVariable dFull = de[0].add(lgNc.mmul(sd.constant("ones_q", Nd4j.create(ones, new long[] {1, q}, 'c'))));
        SDVariable a = lgMean.add(de[1]);
        double ln10 = Math.log(10);
        SDVariable gap = sd.math.abs(a.sub(dFull));
        SDVariable y = sd.math.max(a, dFull).add(OUTPUT, sd.math.log1p(sd.math.exp(gap.mul(-ln10))).div(ln10));
        sd.loss.meanSquaredError(LOSS, label, y, null);
        sd.setLossVariables(LOSS);
        return sd;
    }

    /**
     * The inference graph with these weights, serialised ({@code SameDiff.save}, FlatBuffers, no
     * updater state): a model file's network entry.
     */
    public static byte[] inferenceBytes(Weights weights) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        inference(weights).save(out, false);
        return out.toByteArray();
    }

    /**
     * The weights of a serialised inference graph (a model file's network entry).
     *
     * @throws IllegalArgumentException if ND4J cannot read the graph, or a tensor is missing or
     *                                  has the wrong shape
     */
    public static Weights weights(byte[] graph, NetworkSpec spec) {
        SameDiff sd;
        try {
            sd = SameDiff.load(new ByteArrayInputStream(graph), false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the network entry cannot be read by ND4J (" + e + ")", e);
        }
        return weights(sd, spec);
    }

    private static SDVariable[] build(SameDiff sd, Weights w) {
        NetworkSpec spec = w.spec();
        Map<String, SDVariable> v = new LinkedHashMap<>();
        for (NetworkSpec.Tensor t : spec.tensors()) {
            v.put(t.name(), sd.var(t.name(), Nd4j.create(w.get(t.name()), new long[] {t.rows(), t.columns()}, 'c')));
        }
        SDVariable xf = sd.placeHolder(XF, DataType.FLOAT, -1, spec.fluctuation().inputs());
        SDVariable xe = sd.placeHolder(XE, DataType.FLOAT, -1, spec.correction().inputs());
        SDVariable d = sd.identity(D_OUT, mlp(sd, v, spec.fluctuation(), xf));
        SDVariable e = sd.identity(E_OUT, mlp(sd, v, spec.correction(), xe));
        return new SDVariable[] {d, e};
    }

    private static SDVariable mlp(SameDiff sd, Map<String, SDVariable> v, MlpSpec m, SDVariable x) {
        String p = m.prefix();
        SDVariable s = x;
        for (int l = 0; l < m.hidden().size(); l++) {
            s = sd.nn.swish(s.mmul(v.get(p + "w" + l)).add(v.get(p + "b" + l)));
        }
        if (m.rank() > 0) {
            s = s.mmul(v.get(p + "w_rank"));
        }
        return s.mmul(v.get(p + "w_out")).add(v.get(p + "b_out"));
    }

    /**
     * The current weights of a graph built here.
     *
     * @throws IllegalArgumentException naming a tensor that is missing or has the wrong shape
     */
    public static Weights weights(SameDiff sd, NetworkSpec spec) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (NetworkSpec.Tensor t : spec.tensors()) {
            SDVariable var = sd.getVariable(t.name());
            if (var == null || var.getArr() == null) {
                throw new IllegalArgumentException("the graph has no weight tensor " + t.name());
            }
            INDArray a = var.getArr();
            long[] shape = a.shape();
            if (shape.length != 2 || shape[0] != t.rows() || shape[1] != t.columns()) {
                throw new IllegalArgumentException("weight tensor " + t.name() + " has shape "
                        + java.util.Arrays.toString(shape) + ", expected [" + t.rows() + ", " + t.columns() + "]");
            }
            m.put(t.name(), a.dup('c').castTo(DataType.FLOAT).data().asFloat());
        }
        return Weights.of(spec, m);
    }
}
