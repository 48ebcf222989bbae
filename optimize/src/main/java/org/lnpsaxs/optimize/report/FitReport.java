package org.lnpsaxs.optimize.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lnpsaxs.core.Lnpsaxs;
import org.lnpsaxs.core.io.AtomicFiles;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.resolution.AppliedResolution;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.data.FitData;
import org.lnpsaxs.optimize.ensemble.Ensemble;
import org.lnpsaxs.optimize.identifiability.FisherInformation;
import org.lnpsaxs.optimize.identifiability.FoldedEnsemble;
import org.lnpsaxs.optimize.identifiability.Identifiability;
import org.lnpsaxs.optimize.identifiability.Mode;
import org.lnpsaxs.optimize.identifiability.ParameterSpread;
import org.lnpsaxs.optimize.identifiability.PrincipalDirection;
import org.lnpsaxs.optimize.identifiability.Profile;
import org.lnpsaxs.optimize.model.QuadratureSummary;
import org.lnpsaxs.optimize.model.SizeSummary;
import org.lnpsaxs.optimize.multistart.AdamW;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.param.OrderedPair;
import org.lnpsaxs.optimize.posterior.Chain;
import org.lnpsaxs.optimize.model.Symmetry;
import org.lnpsaxs.optimize.posterior.Convergence;
import org.lnpsaxs.optimize.posterior.Determination;
import org.lnpsaxs.optimize.posterior.FitPosterior;
import org.lnpsaxs.optimize.posterior.Marginal;
import org.lnpsaxs.optimize.posterior.SizePosterior;

/**
 * The JSON report of a fit ({@code report.json}) and its curve table ({@code curves.dat}).
 *
 * <p>Report fields (snake_case; parameters in their model units, q in Å⁻¹): {@code format},
 * {@code version}, {@code model}, {@code intensity_unit}, {@code loss}, {@code data} {file,
 * points_read, points_used, points_flagged, points_outside_range, q_range, fitting_grid_points,
 * interpolated, sigma, resolution {requested, kind (none, pinhole or slit), algorithm (sasmodels,
 * converged or none), widths, calculation_points, points_left_out}}, {@code starts}, {@code seed}, {@code optimizer} {name, settings (with racing: AdamW {at, margins, best_share}, L-BFGS
 * {first_check, best_share, margin}; empty or 0 when off)},
 * {@code runtime_s}, {@code space} {free {name: {lower, upper, unit}}, fixed {name: value},
 * ordered, solved_by_loss}, {@code best} {start, loss, parameters, units, size_distribution; for
 * χ²: scale, background, reduced_chi2; for loglik with a model error whose size depends on the
 * parameters: model_error_amplitude (the size the fit held it at) and loss_at_own_size (−2 ln L at
 * the best parameters with that size free: unlike {@code loss}, comparable between two fits of one
 * curve whatever sizes they held, log-determinant included; {@link org.lnpsaxs.optimize.FitResult.HeldModelError})}, {@code convergence}, {@code ensemble} {rule, threshold,
 * candidates, clamped, size, members [{start, loss, mode, parameters}]}, {@code identifiability}
 * {spreads, correlations {names, pearson, spearman}, principal_directions, modes {count,
 * criterion, bic, silhouette, split_by_symmetry (the exact symmetry whose images split the members
 * before clustering; absent when none did), assumed (whether a group of members was too small to
 * fit two components, so one mode there is assumed), at_limit (whether the BIC chose the most components
 * the members allow, below the analysis's 6: there may be more modes), modes [...]}, fisher, profiles, canonical_image
 * (only when the ensemble holds members in more than one image of the model's exact symmetries:
 * {symmetries, canonical_image, folded (members mapped), spreads, principal_directions} of the
 * ensemble with every member mapped onto the canonical image; {@link FoldedEnsemble})}, {@code quadrature} {choice
 * ({@code paper} or {@code accurate}), rule, nodes_at_best: the size-distribution quadrature and its
 * nodes per curve at the best fit; absent for a model without one};
 * when the model declares exact
 * symmetries, {@code symmetries} [{name, mapping, statement, canonical_image, parameters,
 * applicable, mirror_modes (pairs of mode indices that are each other's image), members_canonical,
 * members_mirrored, note}]; when the posterior was sampled, {@code posterior} {method, samples,
 * walkers, kept_steps, burn_in, total_steps, evaluations, runtime_s, cpu_s, converged, reason (when
 * not converged), criteria {max_r_hat, min_ess, min_steps_per_tau}, diagnostics {name: {r_hat, ess
 * (the smaller of bulk and tail), ess_bulk, ess_tail, tau}}, acceptance, parameters {name: {mean,
 * median, p05, p16, p84, p95, sd, mcse_mean, unit, box_share_90 (the 90 % interval's width over the box's, or
 * over the canonical image's range for a parameter folded onto one), verdict, at_bound (lower or upper,
 * only when the 90 % interval is pressed against that bound; {@code Determination})}} (model units, draws folded onto the canonical
 * image of each symmetry), likelihood {loss, reduced_chi2, sigma_inflation (the factor σ was
 * multiplied by), note, size_estimate_factor (where the model error's size-estimate term was applied)},
 * mode_weights [{origin, centre, weight, standard_error}], mode_switches,
 * symmetries [{name, applied, folded_share, note}], size_distribution {draws, mean, cv (each
 * {mean, median, p05, p16, p84, p95, sd}), radius, pdf_p05, pdf_p16, pdf_median, pdf_p84,
 * pdf_p95}}. {@code space.fixed} holds the
 * parameters held at values that matter; {@code space.solved_by_loss} names the model's
 * {@code scale}/{@code background} that the loss determines itself (χ²: both, in closed form, their
 * values in {@code best}; scale-free: the scale, to which it is invariant). A number that is not
 * finite is written as {@code null}. Apart from {@code runtime_s} (and the posterior's
 * {@code runtime_s} and {@code cpu_s}) the report is a deterministic function of the inputs and
 * the seed. Files are written atomically (a temporary file in the same
 * directory, then a rename), never through a symbolic link.
 */
public final class FitReport {

    /** The report format tag. */
    public static final String FORMAT = "lnpsaxs-fit-report/1";

    private static final ObjectMapper MAPPER = mapper();

    private FitReport() {
    }

    /** snake_case names, indented, and every non-finite number written as null. */
    private static ObjectMapper mapper() {
        JsonSerializer<Double> number = new JsonSerializer<>() {
            @Override
            public void serialize(Double v, JsonGenerator g, SerializerProvider p) throws IOException {
                if (Double.isFinite(v)) {
                    g.writeNumber(v);
                } else {
                    g.writeNull();
                }
            }
        };
        JsonSerializer<double[]> numbers = new JsonSerializer<>() {
            @Override
            public void serialize(double[] a, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeStartArray(a, a.length);
                for (double v : a) {
                    number.serialize(v, g, p);
                }
                g.writeEndArray();
            }
        };
        SimpleModule finite = new SimpleModule("non-finite numbers as null");
        finite.addSerializer(Double.class, number);
        finite.addSerializer(Double.TYPE, number);
        finite.addSerializer(double[].class, numbers);
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .registerModule(finite).enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** The report as a JSON tree. */
    public static ObjectNode toJson(FitResult r) {
        return MAPPER.valueToTree(document(r));
    }

    /** The report as JSON text (indented, ending in a newline). */
    public static String toJsonString(FitResult r) {
        try {
            return MAPPER.writeValueAsString(document(r)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the fit report", e);
        }
    }

    /** Writes the report to {@code file} (UTF-8, atomically, never through a link: {@link AtomicFiles}). */
    public static void write(FitResult r, Path file) throws IOException {
        AtomicFiles.writeString(file, toJsonString(r));
    }

    /** The settings of an optimiser as they appear under {@code optimizer.settings}. */
    public static ObjectNode optimizerSettings(BatchOptimizer optimizer) {
        return MAPPER.valueToTree(settings(optimizer));
    }

    private static ReportDocument.Root document(FitResult r) {
        FitProblem p = r.problem();
        int[] steps = r.steps();
        Arrays.sort(steps);
        int finite = 0;
        for (double l : r.losses()) {
            finite += Double.isFinite(l) ? 1 : 0;
        }
        ReportDocument.Convergence conv = new ReportDocument.Convergence(r.convergedStarts(), steps[steps.length / 2],
                steps[steps.length - 1], r.evaluations(), r.gradients(), finite, r.coarseStageStarts(),
                r.screening());
        return new ReportDocument.Root(FORMAT, Lnpsaxs.version(), p.fitModel().name(), p.fitModel().intensityUnit(),
                p.loss().name(), data(p.data(), p.resolution()), r.starts(), r.seed(),
                new ReportDocument.Optimizer(r.optimizer().name(), settings(r.optimizer())), r.runtimeSeconds(),
                space(p), best(r), conv, ensemble(r), identifiability(r.identifiability()), quadrature(r), symmetries(r),
                posterior(r.posterior()));
    }

    private static ReportDocument.QuadratureJson quadrature(FitResult r) {
        QuadratureSummary q = r.problem().boundModel().quadrature(r.parameters(r.best()));
        return q == null ? null : new ReportDocument.QuadratureJson(q.choice(), q.rule(), q.nodes());
    }

    /**
     * One line per exact symmetry of the fitted model (e.g. the lnp model's contrast sign), for a
     * person: its name, and what the ensemble says about it (the same note as {@code report.json}'s
     * {@code symmetries[].note}, with the mirror-image mode pairs). Empty when the model declares none.
     *
     * @param r a fit
     * @return lines such as {@code "contrast sign: the ensemble found both images as separate modes
     *         (mode pairs 1-2): they are one solution; …"}
     */
    public static List<String> symmetryNotes(FitResult r) {
        List<String> lines = new ArrayList<>();
        for (ReportDocument.SymmetryJson s : symmetries(r)) {
            String note = s.note();
            if (!s.mirrorModes().isEmpty()) {
                StringBuilder pairs = new StringBuilder();
                for (int[] pr : s.mirrorModes()) {
                    pairs.append(pairs.length() > 0 ? ", " : "").append(pr[0]).append('-').append(pr[1]);
                }
                note = note.replace("(listed in mirror_modes)", "(mode pairs " + pairs + ")");
            }
            lines.add(s.name() + ": " + note);
        }
        return lines;
    }

    /** Relative tolerance (of each box width) within which a mirrored mode centre matches another mode's. */
    private static final double MIRROR_MATCH = 0.05;

    /**
     * The model's exact symmetries and what the ensemble says about them: which modes are mirror
     * images of each other (the mirror of one mode's centre lies within {@value #MIRROR_MATCH} of
     * every box width, or within 3 spreads, of the other's centre, and each is the other's nearest
     * such image) and how many members lie in each image.
     */
    private static List<ReportDocument.SymmetryJson> symmetries(FitResult r) {
        List<ReportDocument.SymmetryJson> out = new ArrayList<>();
        FitSpace s = r.problem().space();
        List<Mode> modes = r.identifiability().modes().modes();
        for (Symmetry sym : r.problem().fitModel().symmetries()) {
            if (sym.indicesIn(s) == null) {
                out.add(new ReportDocument.SymmetryJson(sym.name(), sym.mapping(), sym.statement(), sym.canonicalImage(),
                        sym.parameters(), false, List.of(), 0, 0, "a parameter it changes is fixed (or absent), so the "
                        + "mirror image is not a fit of this problem"));
                continue;
            }
            double[][] distance = new double[modes.size()][modes.size()];
            for (int i = 0; i < modes.size(); i++) {
                for (int j = 0; j < modes.size(); j++) {
                    distance[i][j] = i == j ? Double.POSITIVE_INFINITY : mirrorDistance(sym, modes.get(i), modes.get(j), s);
                }
            }
            List<int[]> pairs = new ArrayList<>();
            for (int[] pr : mirrorPairs(distance)) {
                pairs.add(new int[] {modes.get(pr[0]).index(), modes.get(pr[1]).index()});
            }
            int canonical = 0;
            int mirrored = 0;
            Ensemble e = r.ensemble();
            for (int k = 0; k < e.size(); k++) {
                Map<String, Double> m = r.namedParameters(e.member(k));
                double[] v = new double[sym.parameters().size()];
                for (int t = 0; t < v.length; t++) {
                    v[t] = m.get(sym.parameters().get(t));
                }
                if (sym.isCanonical(v)) {
                    canonical++;
                } else {
                    mirrored++;
                }
            }
            String note;
            boolean ordered = sym.canonicalOrdering().map(s.orderedPairs()::contains).orElse(false);
            if (ordered && mirrored == 0) {
                note = "the fit searches the canonical image only (" + sym.canonicalImage() + " is an ordering of the fit "
                        + "space); " + sym.statement();
            } else if (!pairs.isEmpty()) {
                note = "the ensemble found both images as separate modes (listed in mirror_modes): they are one "
                        + "solution; " + sym.statement();
            } else if (canonical > 0 && mirrored > 0) {
                note = "the ensemble holds both images (" + canonical + " and " + mirrored + " members) without "
                        + "separating them into mirror modes; they are one solution; " + sym.statement();
            } else {
                note = "the ensemble found one image only (" + (canonical > 0 ? "the canonical one, " + sym.canonicalImage()
                        : "the other one") + "); the mirror image fits as well wherever it lies inside the box; "
                        + sym.statement();
            }
            out.add(new ReportDocument.SymmetryJson(sym.name(), sym.mapping(), sym.statement(), sym.canonicalImage(),
                    sym.parameters(), true, pairs, canonical, mirrored, note));
        }
        return out;
    }

    /**
     * How far mode b's centre is from mode a's mirror image, in units of the tolerance of each
     * parameter (the larger of {@value #MIRROR_MATCH} of its box width and 3 spreads of either
     * mode), the largest over the parameters: at most 1 means b is a's image.
     */
    private static double mirrorDistance(Symmetry sym, Mode a, Mode b, FitSpace s) {
        Map<String, Double> image = sym.image(a.centre());
        double worst = 0;
        for (Map.Entry<String, Double> e : image.entrySet()) {
            Parameter par = s.box().get(s.box().indexOf(e.getKey()));
            double tol = Math.max(MIRROR_MATCH * (par.upper() - par.lower()),
                    3 * Math.max(a.spread().get(e.getKey()), b.spread().get(e.getKey())));
            double d = Math.abs(e.getValue() - b.centre().get(e.getKey())) / tol;
            worst = Math.max(worst, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
        }
        return worst;
    }

    /**
     * The mirror-image pairs among modes, from their mirror distances ({@code distance[i][j]}: how
     * far mode j is from mode i's image, ≤ 1 within tolerance): i and j pair when each is the
     * other's nearest image within tolerance, so that a mode pairs with one mode at most even
     * where two small modes sit close to a large pair. Pairs as 0-based indices {i, j}, i &lt; j.
     */
    static List<int[]> mirrorPairs(double[][] distance) {
        int n = distance.length;
        int[] nearest = new int[n];
        for (int i = 0; i < n; i++) {
            nearest[i] = -1;
            double best = 1.0;
            for (int j = 0; j < n; j++) {
                // the symmetric distance: b is a's image exactly when a is b's
                double d = Math.max(distance[i][j], distance[j][i]);
                if (j != i && d <= best && (nearest[i] < 0 || d < best)) {
                    best = d;
                    nearest[i] = j;
                }
            }
        }
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int j = nearest[i];
            if (j > i && nearest[j] == i) {
                pairs.add(new int[] {i, j});
            }
        }
        return pairs;
    }

    private static ReportDocument.PosteriorJson posterior(FitPosterior p) {
        if (p == null) {
            return null;
        }
        Convergence c = p.convergence();
        Map<String, ReportDocument.DiagnosticJson> diag = new LinkedHashMap<>();
        for (int j = 0; j < c.names().size(); j++) {
            diag.put(c.names().get(j), new ReportDocument.DiagnosticJson(c.rHat()[j], c.ess(j), c.essBulk()[j],
                    c.essTail()[j], c.autocorrelationTime()[j]));
        }
        Map<String, ReportDocument.PosteriorParameter> pars = new LinkedHashMap<>();
        for (Marginal m : p.marginals()) {
            Determination det = p.determination(m.name());
            pars.put(m.name(), new ReportDocument.PosteriorParameter(m.mean(), m.median(), m.p05(), m.p16(), m.p84(),
                    m.p95(), m.sd(), m.mcseMean(), p.units().get(m.name()), det.boxShare(), det.verdict().label(),
                    det.atBound() == ParameterSpread.Bound.NONE ? null : det.atBound().label()));
        }
        List<ReportDocument.ModeWeightJson> modes = new ArrayList<>();
        for (FitPosterior.ModeWeight w : p.modes()) {
            modes.add(new ReportDocument.ModeWeightJson(w.origin(), w.centre(), w.weight(), w.standardError()));
        }
        List<ReportDocument.SymmetryUseJson> sym = new ArrayList<>();
        for (FitPosterior.SymmetryUse u : p.symmetries()) {
            sym.add(new ReportDocument.SymmetryUseJson(u.name(), u.applied(), u.foldedShare(), u.note()));
        }
        ReportDocument.SizePosteriorJson size = null;
        SizePosterior sp = p.size();
        if (sp != null) {
            size = new ReportDocument.SizePosteriorJson(sp.draws(), quantiles(sp.mean()), quantiles(sp.cv()), sp.radius(),
                    sp.p05(), sp.p16(), sp.median(), sp.p84(), sp.p95());
        }
        FitPosterior.Likelihood l = p.likelihood();
        return new ReportDocument.PosteriorJson(p.method(), p.samples(), p.walkers(), p.keptSteps(), p.burnIn(),
                p.totalSteps(), p.evaluations(), p.runtimeSeconds(), Double.isFinite(p.cpuSeconds()) ? p.cpuSeconds() : null,
                p.converged(), p.reason(), p.suggestedBudget().isPresent() ? p.suggestedBudget().getAsInt() : null,
                new ReportDocument.CriteriaJson(c.criteria().maxRHat(), c.criteria().minEss(),
                c.criteria().minStepsPerTau()), diag, c.acceptanceFraction(), pars,
                new ReportDocument.LikelihoodJson(l.loss(), l.reducedChi2(), l.sigmaFactor(), l.note(),
                        l.sizeEstimateFactor()), modes,
                p.modeSwitches(), sym, size);
    }

    private static ReportDocument.Quantiles quantiles(Marginal m) {
        return new ReportDocument.Quantiles(m.mean(), m.median(), m.p05(), m.p16(), m.p84(), m.p95(), m.sd());
    }

    private static Object settings(BatchOptimizer optimizer) {
        if (optimizer instanceof AdamW a) {
            return new ReportDocument.AdamWSettings(a.learningRate(), a.warmupSteps(), a.finalLearningRateRatio(),
                    a.clipNorm(), a.steps(), a.weightDecay(), a.beta1(), a.beta2(), a.epsilon(), a.racing());
        }
        Lbfgs l = (Lbfgs) optimizer;
        return new ReportDocument.LbfgsSettings(l.maxIterations(), l.history(), l.c1(), l.maxBacktracks(),
                l.relativeTolerance(), l.patience(), l.gradientTolerance(), l.initialStep(), l.maxStep(), l.pinAt(), l.racing());
    }

    private static ReportDocument.Data data(FitData d, FitProblem.Resolution res) {
        AppliedResolution a = res.applied();
        ReportDocument.ResolutionJson rj = new ReportDocument.ResolutionJson(res.spec().toString(), a.geometry(),
                a.algorithm(), a.widths(), a.calculationPoints(), res.dropped());
        return new ReportDocument.Data(d.source(), d.pointsRead(), d.pointsUsed(), d.pointsFlagged(), d.pointsOutsideRange(),
                new double[] {d.measured().qMin(), d.measured().qMax()}, d.size(), d.interpolated(), d.hasSigma(), rj);
    }

    private static ReportDocument.Space space(FitProblem p) {
        FitSpace s = p.space();
        Map<String, ReportDocument.Box> free = new LinkedHashMap<>();
        for (int j = 0; j < s.size(); j++) {
            Parameter par = s.box().get(j);
            if (!s.isFixed(j)) {
                free.put(par.name(), new ReportDocument.Box(par.lower(), par.upper(), par.unit()));
            }
        }
        List<String> ordered = new ArrayList<>();
        for (OrderedPair pair : s.orderedPairs()) {
            ordered.add(pair.toString());
        }
        return new ReportDocument.Space(free, p.fixedParameters(), ordered, p.loss().solvedParameters());
    }

    private static ReportDocument.Best best(FitResult r) {
        Map<String, String> units = new LinkedHashMap<>();
        for (Parameter p : r.problem().space().box().asList()) {
            units.put(p.name(), p.unit());
        }
        var sb = r.scaleAndBackground();
        return new ReportDocument.Best(r.best(), r.bestLoss(), r.bestParameters(), units, sb == null ? null : sb.scale(),
                sb == null ? null : sb.background(), r.reducedChi2(), size(r.sizeDistribution(), false),
                r.heldModelError().map(FitResult.HeldModelError::amplitude).orElse(null),
                r.heldModelError().map(FitResult.HeldModelError::lossAtOwnSize).orElse(null));
    }

    private static ReportDocument.Size size(SizeSummary s, boolean withPdf) {
        if (s == null) {
            return null;
        }
        return new ReportDocument.Size(s.mean(), s.cv(), withPdf ? s.radius() : null, withPdf ? s.pdf() : null);
    }

    private static ReportDocument.EnsembleJson ensemble(FitResult r) {
        Ensemble e = r.ensemble();
        List<ReportDocument.Member> members = new ArrayList<>();
        for (int k = 0; k < e.size(); k++) {
            int s = e.member(k);
            members.add(new ReportDocument.Member(s, r.loss(s), r.identifiability().modes().label(k), r.namedParameters(s)));
        }
        return new ReportDocument.EnsembleJson(e.rule(), e.threshold(), e.candidates(), e.clamped().label(), e.size(),
                members);
    }

    private static ReportDocument.IdentifiabilityJson identifiability(Identifiability id) {
        List<ReportDocument.Spread> spreads = spreads(id.spreads());
        List<ReportDocument.Direction> pcs = directions(id.principalDirections());
        List<ReportDocument.ModeJson> modes = new ArrayList<>();
        for (Mode m : id.modes().modes()) {
            modes.add(new ReportDocument.ModeJson(m.index(), m.size(), m.share(), m.bestLoss(), m.bestStart(), m.centre(),
                    m.spread(), m.best(), size(m.sizeDistribution(), true)));
        }
        ReportDocument.Fisher fisher = null;
        FisherInformation f = id.fisher();
        if (f != null) {
            fisher = new ReportDocument.Fisher(f.parameterisation(), f.names(), f.eigenvalues(), f.eigenvectors(),
                    f.standardErrors(), f.conditionNumber());
        }
        List<ReportDocument.ProfileJson> profiles = new ArrayList<>();
        for (Profile p : id.profiles()) {
            profiles.add(new ReportDocument.ProfileJson(p.parameter(), p.unit(), p.lossName(), p.bestLoss(), p.values(),
                    p.losses(), p.lower68(), p.upper68()));
        }
        return new ReportDocument.IdentifiabilityJson(spreads,
                new ReportDocument.Correlations(id.correlations().names(), id.correlations().pearson(),
                        id.correlations().spearman()),
                pcs, new ReportDocument.ModesJson(id.modes().count(), id.modes().criterion(), id.modes().bic(),
                        id.modes().silhouette(), id.modes().symmetry(), id.modes().assumed(), id.modes().atLimit(), modes),
                fisher, profiles, folded(id.canonicalImage()));
    }

    private static ReportDocument.FoldedJson folded(FoldedEnsemble f) {
        return f == null ? null : new ReportDocument.FoldedJson(f.symmetries(), f.canonicalImage(), f.folded(),
                spreads(f.spreads()), directions(f.principalDirections()));
    }

    private static List<ReportDocument.Spread> spreads(List<ParameterSpread> in) {
        List<ReportDocument.Spread> spreads = new ArrayList<>();
        for (ParameterSpread s : in) {
            spreads.add(new ReportDocument.Spread(s.name(), s.unit(), s.lower(), s.upper(), s.best(), s.mean(), s.std(),
                    s.min(), s.max(), s.p05(), s.p95(), s.relativeSpread(), s.verdict().label(),
                    s.atBound() == ParameterSpread.Bound.NONE ? null : s.atBound().label()));
        }
        return spreads;
    }

    private static List<ReportDocument.Direction> directions(List<PrincipalDirection> in) {
        List<ReportDocument.Direction> pcs = new ArrayList<>();
        for (PrincipalDirection pc : in) {
            pcs.add(new ReportDocument.Direction(pc.variance(), pc.spread(), pc.explained(), pc.kind().label(), pc.loadings()));
        }
        return pcs;
    }

    /**
     * The curve table: one row per fitting-grid point, columns {@code q} (Å⁻¹), {@code data},
     * {@code sigma} (or {@code nan} without σ), {@code best_fit}, {@code ensemble_min},
     * {@code ensemble_max} (data scale) and {@code residual}: (data − fit)/σ for χ²,
     * ln(data/fit) for the scale-free loss. Numbers with 17 significant digits.
     */
    public static String curvesTable(FitResult r) {
        double[] q = r.q();
        double[] d = r.data();
        double[] s = r.problem().data().sigma();
        double[] best = r.bestCurve();
        double[] lower = r.bandLower();
        double[] upper = r.bandUpper();
        boolean chi2 = r.scaleAndBackground() != null;
        StringBuilder w = new StringBuilder();
        w.append("# lnpsaxs fit curves: model ").append(r.problem().fitModel().name()).append(", loss ")
                .append(r.problem().loss().name()).append(", data ").append(r.problem().data().label()).append('\n');
        w.append("# q in 1/A; intensities on the data's scale")
                .append(r.problem().data().interpolated() ? " (data interpolated onto the model grid)" : "").append('\n');
        w.append("# residual = ").append(chi2 ? "(data - best_fit)/sigma" : "ln(data/best_fit)").append('\n');
        w.append("# q data sigma best_fit ensemble_min ensemble_max residual\n");
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < q.length; i++) {
            double res = chi2 ? (d[i] - best[i]) / s[i] : Math.log(d[i] / best[i]);
            row.setLength(0);
            for (double v : new double[] {q[i], d[i], s == null ? Double.NaN : s[i], best[i], lower[i], upper[i], res}) {
                row.append(row.length() == 0 ? "" : " ").append(Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.16e", v));
            }
            w.append(row).append('\n');
        }
        return w.toString();
    }

    /** The most draws {@link #posteriorDrawsTable} writes; longer chains are thinned by whole steps. */
    public static final int MAX_POSTERIOR_DRAWS = 20_000;

    /**
     * The posterior's kept draws as a table: one row per draw, columns {@code chain} (the HMC chain or
     * ensemble walker, from 0), {@code iteration} (the sampler's iteration, counted from 1 with the
     * Hamiltonian warm-up included, or the ensemble sampler's step), {@code loss} (the fit's loss L at the draw, a −2 ln
     * likelihood), {@code log_posterior} (ln p(θ | D) up to a constant, −L/(2c) with c the
     * σ-inflation, {@code posterior.likelihood.sigma_inflation} squared) and every free parameter in
     * its model unit, folded onto the canonical image of each exact symmetry as the report's
     * intervals are. Rows are step-major (all chains of a kept iteration, then the next). Chains of
     * more than {@link #MAX_POSTERIOR_DRAWS} draws are thinned to every k-th kept iteration (the
     * header says k). Numbers with 12 significant digits.
     *
     * @throws IllegalArgumentException if the fit has no posterior
     */
    public static String posteriorDrawsTable(FitResult r) {
        FitPosterior post = r.posterior();
        if (post == null) {
            throw new IllegalArgumentException("the fit has no posterior (fit with a posterior to get its draws)");
        }
        Chain c = post.chain();
        int walkers = c.walkers();
        int steps = c.steps();
        int every = Math.max(1, (int) Math.ceil((double) steps * walkers / MAX_POSTERIOR_DRAWS));
        double inflation = post.likelihood().inflation();
        double[] lp = c.logDensities();
        List<String> names = c.names();
        StringBuilder w = new StringBuilder();
        w.append("# lnpsaxs posterior draws: model ").append(r.problem().fitModel().name()).append(", loss ")
                .append(r.problem().loss().name()).append(", data ").append(r.problem().data().label()).append('\n');
        w.append(String.format(Locale.ROOT, "# %d chains x %d kept iterations (burn-in %d, %s)%s; converged: %s%n",
                walkers, steps, post.burnIn(), c.thin() == 1 ? "every iteration" : "every " + c.thin() + "th iteration",
                every == 1 ? "" : ", written: every " + every + "th kept iteration", post.converged()));
        w.append("# loss: the fit's loss at the draw (-2 ln likelihood); log_posterior = -loss/(2c) + const, c = ")
                .append(String.format(Locale.ROOT, "%.6g", inflation)).append(" (sigma inflation squared)\n");
        StringBuilder units = new StringBuilder();
        for (String n : names) {
            String u = post.units().get(n);
            units.append(units.length() == 0 ? "" : ", ").append(n).append(" [").append(u == null || u.isEmpty() ? "-" : u)
                    .append(']');
        }
        w.append("# parameters in model units, folded onto each exact symmetry's canonical image: ").append(units)
                .append('\n');
        w.append("# chain iteration loss log_posterior");
        for (String n : names) {
            w.append(' ').append(n);
        }
        w.append('\n');
        for (int s = 0; s < steps; s += every) {
            long iteration = c.firstStep() + (long) s * c.thin();
            for (int k = 0; k < walkers; k++) {
                int i = s * walkers + k;
                w.append(k).append(' ').append(iteration).append(' ').append(num(-2 * inflation * lp[i])).append(' ')
                        .append(num(lp[i]));
                for (int j = 0; j < names.size(); j++) {
                    w.append(' ').append(num(c.get(s, k, j)));
                }
                w.append('\n');
            }
        }
        return w.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.12g", v) : "nan";
    }

    /**
     * Writes the posterior's draws ({@link #posteriorDrawsTable}) to {@code file} (UTF-8, atomically,
     * never through a link: {@link AtomicFiles}).
     *
     * @throws IllegalArgumentException if the fit has no posterior
     */
    public static void writePosteriorDraws(FitResult r, Path file) throws IOException {
        AtomicFiles.writeString(file, posteriorDrawsTable(r));
    }

    /** Writes the curve table ({@link #curvesTable}) to {@code file} (UTF-8, atomically, never through a link: {@link AtomicFiles}). */
    public static void writeCurves(FitResult r, Path file) throws IOException {
        AtomicFiles.writeString(file, curvesTable(r));
    }
}
