package org.lnpsaxs.surrogate.eval;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import org.lnpsaxs.core.io.AtomicFiles;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.data.Dataset;
import org.lnpsaxs.surrogate.data.Split;
import org.lnpsaxs.surrogate.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accuracy of a surrogate on a held-out dataset: every curve of the set predicted in one
 * batch and compared in log₁₀ I (decades) with the simulated curve, raw and level-free (see
 * {@link Accuracy}).
 *
 * @param raw         summary of the per-curve mean |Δlog₁₀ I|
 * @param levelFree   summary of the per-curve mean |Δlog₁₀(I/Q_w)|
 * @param index       the global index of each curve
 * @param perCurve    per-curve mean |Δlog₁₀ I|
 * @param perCurveLevelFree per-curve mean |Δlog₁₀(I/Q_w)|
 * @param predicted   predicted log₁₀ I, row-major
 * @param reference   simulated log₁₀ I, row-major
 * @param theta       the parameter points, row-major
 * @param space       the parameter space
 * @param q           the q grid, Å⁻¹
 */
public record Evaluation(Accuracy.Summary raw, Accuracy.Summary levelFree, long[] index, double[] perCurve,
                         double[] perCurveLevelFree, double[] predicted, double[] reference, double[] theta,
                         ParameterSpace space, double[] q) {

    private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);

    /**
     * Evaluates a surrogate on a dataset with the same parameters and q grid.
     *
     * @throws IllegalArgumentException if the parameter names or the q grid differ, or a curve's
     *                                  parameters are outside the model's box
     */
    public static Evaluation of(Surrogate model, Dataset data) {
        ParameterSpace space = model.parameters();
        if (!space.names().equals(data.parameters().names())) {
            throw new IllegalArgumentException("the dataset's parameters " + data.parameters().names()
                    + " are not the model's " + space.names());
        }
        if (!Arrays.equals(model.q(), data.q())) {
            throw new IllegalArgumentException("the dataset's q grid (" + data.q().length + " points) is not the model's ("
                    + model.qSize() + " points)");
        }
        if (data.split() != Split.TEST) {
            LOG.warn("evaluating on a {} dataset: the accuracy on training curves says little about held-out curves",
                    data.split().label());
        }
        var prov = model.metadata().provenance();
        if (prov != null && prov.dataset() != null && data.manifest().differencesFrom(prov.dataset()).isEmpty()) {
            LOG.warn("this is the model's own training set");
        }
        int n = data.size();
        int nq = model.qSize();
        double[] theta = data.thetaArray();
        double[] pred = new double[n * nq];
        model.predictLog10(theta, n, pred);
        float[] ref32 = data.log10Array();
        double[] ref = new double[ref32.length];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = ref32[i];
        }
        double[] raw = Accuracy.perCurveMeanAbs(pred, ref, n, nq);
        double[] lf = Accuracy.perCurveMeanAbsLevelFree(pred, ref, n, model.q());
        return new Evaluation(Accuracy.Summary.of(raw), Accuracy.Summary.of(lf), data.indices(), raw, lf, pred, ref,
                theta, space, model.q());
    }

    /**
     * Writes plot-ready tables into {@code dir}: {@code errors.tsv} (per curve: global index,
     * mean |Δlog₁₀ I|, level-free error, parameters), {@code examples.tsv} (q, simulated and
     * predicted I of the curves at the 10th, 50th and 90th percentile of the error and of the
     * worst curve) and {@code summary.json}; each file atomically, never through a link
     * ({@link AtomicFiles}).
     */
    public void write(Path dir) throws IOException {
        AtomicFiles.outputDirectory(dir);
        int p = space.size();
        AtomicFiles.write(dir.resolve("errors.tsv"), os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            w.write("# per-curve mean |dlog10 I| of the surrogate on held-out curves (decades)\n");
            w.write("index\tmean_abs_dlog10\tmean_abs_dlog10_level_free");
            for (String name : space.names()) {
                w.write("\t" + name);
            }
            w.write("\n");
            for (int i = 0; i < index.length; i++) {
                w.write(index[i] + "\t" + fmt(perCurve[i]) + "\t" + fmt(perCurveLevelFree[i]));
                for (int j = 0; j < p; j++) {
                    w.write("\t" + fmt(theta[i * p + j]));
                }
                w.write("\n");
            }
            w.flush();
        });
        Integer[] order = IntStream.range(0, index.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> perCurve[i]));
        Map<String, Integer> picks = new LinkedHashMap<>();
        picks.put("p10", order[(int) Math.round(0.1 * (order.length - 1))]);
        picks.put("p50", order[(int) Math.round(0.5 * (order.length - 1))]);
        picks.put("p90", order[(int) Math.round(0.9 * (order.length - 1))]);
        picks.put("worst", order[order.length - 1]);
        int nq = q.length;
        AtomicFiles.write(dir.resolve("examples.tsv"), os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            w.write("# simulated and predicted I (simulator units) of curves at error percentiles; q in 1/A\n");
            StringBuilder head = new StringBuilder("q");
            for (Map.Entry<String, Integer> e : picks.entrySet()) {
                String tag = e.getKey() + "_g" + index[e.getValue()];
                head.append("\tI_sim_").append(tag).append("\tI_pred_").append(tag);
            }
            w.write(head + "\n");
            for (int k = 0; k < nq; k++) {
                StringBuilder line = new StringBuilder(fmt(q[k]));
                for (int i : picks.values()) {
                    line.append('\t').append(fmt(Math.pow(10, reference[i * nq + k])))
                            .append('\t').append(fmt(Math.pow(10, predicted[i * nq + k])));
                }
                w.write(line + "\n");
            }
            w.flush();
        });
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("curves", index.length);
        summary.put("meanAbsLog10", raw);
        summary.put("meanAbsLog10LevelFree", levelFree);
        summary.put("paperBar", Map.of("median", 0.012, "p90", 0.036));
        summary.put("meetsPaperBar", raw.meetsPaperBar());
        summary.put("examples", List.copyOf(picks.keySet()));
        AtomicFiles.writeString(dir.resolve("summary.json"), Json.write(summary));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }
}
