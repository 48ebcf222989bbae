package org.lnpsaxs.surrogate.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lnpsaxs.core.model.ParameterSpace;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the SameDiff graph of a {@link NetworkSpec} network (float32): placeholder
 * {@value #INPUT} of shape {@code [batch, F]}, for the {@value Head#LNP_CONTRAST} head the placeholder
 * {@value #CONTEXT} of shape {@code [batch, 2]} (the contrasts), the trunk output {@value #TRUNK}, the
 * output variable {@value #OUTPUT} of shape {@code [batch, Q]} (normalised log₁₀ I), one variable
 * per weight tensor named as in {@link NetworkSpec#tensors()};
 * the training graph adds placeholder {@value #LABEL} and the mean-squared-error loss
 * {@value #LOSS}. The graph is what training optimises and what a model file stores.
 */
public final class Graphs {

    /** The input placeholder (normalised features). */
    public static final String INPUT = "input";
    /** The context placeholder of the contrast head (c_c, c_s per row). */
    public static final String CONTEXT = "context";
    /** The trunk output variable. */
    public static final String TRUNK = "trunk";
    /** The output variable (normalised log₁₀ I). */
    public static final String OUTPUT = "output";
    /** The label placeholder of the training graph. */
    public static final String LABEL = "label";
    /** The loss variable of the training graph: mean over rows and q of (output − label)². */
    public static final String LOSS = "loss";

    private Graphs() {
    }

    /** The inference graph with these weights and this head; branch features resolved in {@code space}. */
    public static SameDiff inference(Weights weights, Head head, ParameterSpace space) {
        SameDiff sd = SameDiff.create();
        build(sd, weights, head, space);
        return sd;
    }

    /** The training graph (with label and loss) starting from these weights. */
    public static SameDiff training(Weights weights, Head head, ParameterSpace space) {
        SameDiff sd = SameDiff.create();
        SDVariable out = build(sd, weights, head, space);
        SDVariable label = sd.placeHolder(LABEL, DataType.FLOAT, -1, weights.spec().outputs());
        sd.loss.meanSquaredError(LOSS, label, out, null);
        sd.setLossVariables(LOSS);
        return sd;
    }

    private static SDVariable build(SameDiff sd, Weights w, Head head, ParameterSpace space) {
        NetworkSpec spec = w.spec();
        Map<String, SDVariable> v = new LinkedHashMap<>();
        for (NetworkSpec.Tensor t : spec.tensors()) {
            v.put(t.name(), sd.var(t.name(), Nd4j.create(w.raw(t.name()), new long[] {t.rows(), t.columns()}, 'c')));
        }
        SDVariable x = sd.placeHolder(INPUT, DataType.FLOAT, -1, spec.features());
        List<NetworkSpec.Branch> branches = spec.branches(space);
        SDVariable[] outs = new SDVariable[branches.size()];
        for (int i = 0; i < outs.length; i++) {
            NetworkSpec.Branch br = branches.get(i);
            String p = br.prefix();
            int[] in = br.features();
            SDVariable xb = x;
            if (in.length != spec.features()) {
                // a constant 0/1 matrix picks the branch's feature columns
                float[] sel = new float[spec.features() * in.length];
                for (int j = 0; j < in.length; j++) {
                    sel[in[j] * in.length + j] = 1f;
                }
                xb = x.mmul(sd.constant(p + "select", Nd4j.create(sel, new long[] {spec.features(), in.length}, 'c')));
            }
            SDVariable s = sd.nn.swish(xb.mmul(v.get(p + "w_in")).add(v.get(p + "b_in")));
            for (int b = 0; b < spec.blocks(); b++) {
                SDVariable u = sd.nn.swish(s.mmul(v.get(p + "w1_" + b)).add(v.get(p + "b1_" + b)));
                s = s.add(u.mmul(v.get(p + "w2_" + b)).add(v.get(p + "b2_" + b)));
            }
            outs[i] = s.mmul(v.get(p + "w_out")).add(v.get(p + "b_out"));
        }
        SDVariable trunk = outs.length == 1 ? sd.identity(TRUNK, outs[0]) : sd.concat(TRUNK, 1, outs);
        SDVariable ctx = head.contextSize() == 0 ? null
                : sd.placeHolder(CONTEXT, DataType.FLOAT, -1, head.contextSize());
        return head.graph(sd, trunk, ctx, OUTPUT);
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
