package org.lnpsaxs.optimize.report;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lnpsaxs.core.Lnpsaxs;
import org.lnpsaxs.core.io.AtomicFiles;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.data.FitData;
import org.lnpsaxs.optimize.ensemble.Ensemble;
import org.lnpsaxs.optimize.identifiability.FisherInformation;
import org.lnpsaxs.optimize.identifiability.Identifiability;
import org.lnpsaxs.optimize.identifiability.Mode;
import org.lnpsaxs.optimize.identifiability.ParameterSpread;
import org.lnpsaxs.optimize.identifiability.PrincipalDirection;
import org.lnpsaxs.optimize.identifiability.Profile;
import org.lnpsaxs.optimize.model.SizeSummary;
import org.lnpsaxs.optimize.multistart.AdamW;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.param.OrderedPair;

/**
 * The JSON report of a fit ({@code report.json}) and its curve table ({@code curves.dat}).
 *
 * <p>Report fields (snake_case; parameters in their model units, q in Å⁻¹): {@code format},
 * {@code version}, {@code model}, {@code intensity_unit}, {@code loss}, {@code data} {file,
 * points_read, points_used, points_flagged, points_outside_range, q_range, fitting_grid_points,
 * interpolated, sigma}, {@code starts}, {@code seed}, {@code optimizer} {name, settings},
 * {@code runtime_s}, {@code space} {free {name: {lower, upper, unit}}, fixed {name: value},
 * ordered}, {@code best} {start, loss, parameters, units, size_distribution; for χ²: scale,
 * background, reduced_chi2}, {@code convergence}, {@code ensemble} {rule, threshold, candidates,
 * clamped, size, members [{start, loss, mode, parameters}]}, {@code identifiability} {spreads,
 * correlations {names, pearson, spearman}, principal_directions, modes {count, criterion, bic,
 * silhouette, modes [...]}, fisher, profiles}. A number that is not finite is written as
 * {@code null}. Apart from {@code runtime_s} the report is a deterministic function of the inputs
 * and the seed.
 */
public final class FitReport {

    /** The report format tag. */
    public static final String FORMAT = "lnpsaxs-fit-report/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FitReport() {
    }

    /** The report as a JSON tree. */
    public static ObjectNode toJson(FitResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", Lnpsaxs.version());
        root.put("model", r.problem().fitModel().name());
        root.put("intensity_unit", r.problem().fitModel().intensityUnit());
        root.put("loss", r.problem().loss().name());
        root.set("data", data(r.problem().data()));
        root.put("starts", r.starts());
        root.put("seed", r.seed());
        ObjectNode opt = root.putObject("optimizer");
        opt.put("name", r.optimizer().name());
        opt.set("settings", optimizerSettings(r.optimizer()));
        num(root, "runtime_s", r.runtimeSeconds());
        root.set("space", space(r.problem().space()));
        root.set("best", best(r));
        ObjectNode conv = root.putObject("convergence");
        int converged = 0;
        for (boolean c : r.converged()) {
            converged += c ? 1 : 0;
        }
        int[] steps = r.steps().clone();
        Arrays.sort(steps);
        conv.put("converged_starts", converged);
        conv.put("median_steps", steps[steps.length / 2]);
        conv.put("max_steps", steps[steps.length - 1]);
        conv.put("evaluations", r.evaluations());
        conv.put("gradients", r.gradients());
        int finite = 0;
        for (double l : r.losses()) {
            finite += Double.isFinite(l) ? 1 : 0;
        }
        conv.put("scored_starts", finite);
        root.set("ensemble", ensemble(r));
        root.set("identifiability", identifiability(r.identifiability()));
        return root;
    }

    /** The report as JSON text (indented). */
    public static String toJsonString(FitResult r) {
        try {
            return MAPPER.writeValueAsString(toJson(r)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the fit report", e);
        }
    }

    /** Writes the report to {@code file} (UTF-8, atomically, never through a link: {@link AtomicFiles}). */
    public static void write(FitResult r, Path file) throws IOException {
        AtomicFiles.writeString(file, toJsonString(r));
    }

    /** Settings of an optimiser as a JSON object. */
    public static ObjectNode optimizerSettings(BatchOptimizer optimizer) {
        ObjectNode n = MAPPER.createObjectNode();
        if (optimizer instanceof AdamW a) {
            num(n, "learning_rate", a.learningRate());
            n.put("warmup_steps", a.warmupSteps());
            num(n, "final_learning_rate_ratio", a.finalLearningRateRatio());
            num(n, "clip_norm", a.clipNorm());
            n.put("steps", a.steps());
            num(n, "weight_decay", a.weightDecay());
            num(n, "beta1", a.beta1());
            num(n, "beta2", a.beta2());
            num(n, "epsilon", a.epsilon());
        } else if (optimizer instanceof Lbfgs l) {
            n.put("max_iterations", l.maxIterations());
            n.put("history", l.history());
            num(n, "c1", l.c1());
            n.put("max_backtracks", l.maxBacktracks());
            num(n, "relative_tolerance", l.relativeTolerance());
            n.put("patience", l.patience());
            num(n, "gradient_tolerance", l.gradientTolerance());
            num(n, "initial_step", l.initialStep());
            num(n, "max_step", l.maxStep());
        }
        return n;
    }

    private static ObjectNode data(FitData d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("file", d.source());
        n.put("points_read", d.pointsRead());
        n.put("points_used", d.pointsUsed());
        n.put("points_flagged", d.pointsFlagged());
        n.put("points_outside_range", d.pointsOutsideRange());
        double[] mq = d.measuredQ();
        ArrayNode range = n.putArray("q_range");
        add(range, mq[0]);
        add(range, mq[mq.length - 1]);
        n.put("fitting_grid_points", d.size());
        n.put("interpolated", d.interpolated());
        n.put("sigma", d.hasSigma());
        return n;
    }

    private static ObjectNode space(FitSpace s) {
        ObjectNode n = MAPPER.createObjectNode();
        ObjectNode free = n.putObject("free");
        ObjectNode fixed = n.putObject("fixed");
        for (int j = 0; j < s.size(); j++) {
            Parameter p = s.box().get(j);
            if (s.isFixed(j)) {
                num(fixed, p.name(), s.fixedValue(j));
            } else {
                ObjectNode b = free.putObject(p.name());
                num(b, "lower", p.lower());
                num(b, "upper", p.upper());
                b.put("unit", p.unit());
            }
        }
        ArrayNode ord = n.putArray("ordered");
        for (OrderedPair pair : s.orderedPairs()) {
            ord.add(pair.toString());
        }
        return n;
    }

    private static ObjectNode best(FitResult r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("start", r.best());
        num(n, "loss", r.bestLoss());
        n.set("parameters", map(r.bestParameters()));
        ObjectNode units = n.putObject("units");
        for (Parameter p : r.problem().space().box().asList()) {
            units.put(p.name(), p.unit());
        }
        if (r.scaleAndBackground() != null) {
            num(n, "scale", r.scaleAndBackground().scale());
            num(n, "background", r.scaleAndBackground().background());
        }
        if (r.reducedChi2() != null) {
            num(n, "reduced_chi2", r.reducedChi2());
        }
        if (r.sizeDistribution() != null) {
            n.set("size_distribution", sizeDistribution(r.sizeDistribution(), false));
        }
        return n;
    }

    private static ObjectNode ensemble(FitResult r) {
        Ensemble e = r.ensemble();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("rule", e.rule());
        num(n, "threshold", e.threshold());
        n.put("candidates", e.candidates());
        n.put("clamped", e.clamped());
        n.put("size", e.size());
        ArrayNode members = n.putArray("members");
        int[] labels = r.identifiability().modes().labels();
        for (int k = 0; k < e.size(); k++) {
            int s = e.members()[k];
            ObjectNode m = members.addObject();
            m.put("start", s);
            num(m, "loss", r.losses()[s]);
            m.put("mode", labels[k]);
            m.set("parameters", map(r.namedParameters(s)));
        }
        return n;
    }

    private static ObjectNode identifiability(Identifiability id) {
        ObjectNode n = MAPPER.createObjectNode();
        ArrayNode spreads = n.putArray("spreads");
        for (ParameterSpread s : id.spreads()) {
            ObjectNode o = spreads.addObject();
            o.put("name", s.name());
            o.put("unit", s.unit());
            num(o, "lower", s.lower());
            num(o, "upper", s.upper());
            num(o, "best", s.best());
            num(o, "mean", s.mean());
            num(o, "std", s.std());
            num(o, "min", s.min());
            num(o, "max", s.max());
            num(o, "p05", s.p05());
            num(o, "p95", s.p95());
            num(o, "relative_spread", s.relativeSpread());
            o.put("verdict", s.verdict());
            if (s.atBound().isEmpty()) {
                o.putNull("at_bound");
            } else {
                o.put("at_bound", s.atBound());
            }
        }
        ObjectNode corr = n.putObject("correlations");
        ArrayNode names = corr.putArray("names");
        id.correlations().names().forEach(names::add);
        corr.set("pearson", matrix(id.correlations().pearson()));
        corr.set("spearman", matrix(id.correlations().spearman()));
        ArrayNode pcs = n.putArray("principal_directions");
        for (PrincipalDirection pc : id.principalDirections()) {
            ObjectNode o = pcs.addObject();
            num(o, "variance", pc.variance());
            num(o, "spread", pc.spread());
            num(o, "explained", pc.explained());
            o.put("kind", pc.kind());
            o.set("loadings", map(pc.loadings()));
        }
        ObjectNode modes = n.putObject("modes");
        modes.put("count", id.modes().count());
        modes.put("criterion", id.modes().criterion());
        modes.set("bic", array(id.modes().bic()));
        num(modes, "silhouette", id.modes().silhouette());
        ArrayNode list = modes.putArray("modes");
        for (Mode m : id.modes().modes()) {
            ObjectNode o = list.addObject();
            o.put("index", m.index());
            o.put("size", m.size());
            num(o, "share", m.share());
            num(o, "best_loss", m.bestLoss());
            o.put("best_start", m.bestStart());
            o.set("centre", map(m.centre()));
            o.set("spread", map(m.spread()));
            o.set("best", map(m.best()));
            if (m.sizeDistribution() != null) {
                o.set("size_distribution", sizeDistribution(m.sizeDistribution(), true));
            }
        }
        if (id.fisher() != null) {
            FisherInformation f = id.fisher();
            ObjectNode o = n.putObject("fisher");
            o.put("parameterisation", f.parameterisation());
            ArrayNode fn = o.putArray("names");
            f.names().forEach(fn::add);
            o.set("eigenvalues", array(f.eigenvalues()));
            ArrayNode vecs = o.putArray("eigenvectors");
            for (Map<String, Double> v : f.eigenvectors()) {
                vecs.add(map(v));
            }
            if (f.standardErrors() != null) {
                o.set("standard_errors", map(f.standardErrors()));
            }
            num(o, "condition_number", f.conditionNumber());
        }
        ArrayNode profiles = n.putArray("profiles");
        for (Profile p : id.profiles()) {
            ObjectNode o = profiles.addObject();
            o.put("parameter", p.parameter());
            o.put("unit", p.unit());
            o.put("loss", p.lossName());
            num(o, "best_loss", p.bestLoss());
            o.set("values", array(p.values()));
            o.set("losses", array(p.losses()));
            if (p.lower68() != null) {
                num(o, "lower_68", p.lower68());
            } else {
                o.putNull("lower_68");
            }
            if (p.upper68() != null) {
                num(o, "upper_68", p.upper68());
            } else {
                o.putNull("upper_68");
            }
        }
        return n;
    }

    private static ObjectNode sizeDistribution(SizeSummary s, boolean withPdf) {
        ObjectNode o = MAPPER.createObjectNode();
        num(o, "mean", s.mean());
        num(o, "cv", s.cv());
        if (withPdf) {
            o.set("radius", array(s.radius()));
            o.set("pdf", array(s.pdf()));
        }
        return o;
    }

    private static ObjectNode map(Map<String, Double> m) {
        ObjectNode o = MAPPER.createObjectNode();
        for (Map.Entry<String, Double> e : m.entrySet()) {
            if (e.getValue() == null) {
                o.putNull(e.getKey());
            } else {
                num(o, e.getKey(), e.getValue());
            }
        }
        return o;
    }

    private static ArrayNode matrix(double[][] a) {
        ArrayNode rows = MAPPER.createArrayNode();
        for (double[] row : a) {
            rows.add(array(row));
        }
        return rows;
    }

    private static ArrayNode array(double[] a) {
        ArrayNode n = MAPPER.createArrayNode();
        for (double v : a) {
            add(n, v);
        }
        return n;
    }

    private static void add(ArrayNode n, double v) {
        if (Double.isFinite(v)) {
            n.add(v);
        } else {
            n.addNull();
        }
    }

    private static void num(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    /**
     * Writes the curve table: one row per fitting-grid point, columns {@code q} (Å⁻¹),
     * {@code data}, {@code sigma} (or {@code nan} without σ), {@code best_fit},
     * {@code ensemble_min}, {@code ensemble_max} (data scale) and {@code residual}: (data − fit)/σ
     * for χ², ln(data/fit) for the scale-free loss. Numbers with 17 significant digits. Written
     * atomically, never through a link ({@link AtomicFiles}).
     */
    public static void writeCurves(FitResult r, Path file) throws IOException {
        double[] q = r.q();
        double[] d = r.data();
        double[] s = r.problem().data().sigma();
        boolean chi2 = r.scaleAndBackground() != null;
        AtomicFiles.write(file, os -> {
            Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
            w.write("# lnpsaxs fit curves: model " + r.problem().fitModel().name() + ", loss " + r.problem().loss().name()
                    + ", data " + r.problem().data().source() + "\n");
            w.write("# q in 1/A; intensities on the data's scale"
                    + (r.problem().data().interpolated() ? " (data interpolated onto the model grid)" : "") + "\n");
            w.write("# residual = " + (chi2 ? "(data - best_fit)/sigma" : "ln(data/best_fit)") + "\n");
            w.write("# q data sigma best_fit ensemble_min ensemble_max residual\n");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < q.length; i++) {
                double res = chi2 ? (d[i] - r.bestCurve()[i]) / s[i] : Math.log(d[i] / r.bestCurve()[i]);
                sb.setLength(0);
                for (double v : List.of(q[i], d[i], s == null ? Double.NaN : s[i], r.bestCurve()[i], r.bandLower()[i],
                        r.bandUpper()[i], res)) {
                    sb.append(sb.length() == 0 ? "" : " ").append(Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.16e", v));
                }
                w.write(sb.append('\n').toString());
            }
            w.flush();
        });
    }
}
