package org.lnpsaxs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.lnpsaxs.core.data.CurveFormatException;
import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.QUnit;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.resolution.ResolutionSpec;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.ensemble.EnsembleRuleType;
import org.lnpsaxs.optimize.identifiability.Identifiability;
import org.lnpsaxs.optimize.identifiability.Mode;
import org.lnpsaxs.optimize.identifiability.ParameterSpread;
import org.lnpsaxs.optimize.identifiability.ParameterSpread.Verdict;
import org.lnpsaxs.optimize.identifiability.PrincipalDirection;
import org.lnpsaxs.optimize.identifiability.Profile;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.loss.LossType;
import org.lnpsaxs.optimize.model.FitModels;
import org.lnpsaxs.optimize.model.QuadratureSummary;
import org.lnpsaxs.optimize.multistart.AdamW;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.posterior.Convergence;
import org.lnpsaxs.optimize.posterior.Determination;
import org.lnpsaxs.optimize.posterior.FitPosterior;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.fit.LnpFitModel;
import org.lnpsaxs.optimize.posterior.Marginal;
import org.lnpsaxs.optimize.posterior.PosteriorSettings;
import org.lnpsaxs.optimize.report.FitReport;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;
import org.lnpsaxs.polydispersity.quadrature.TooManyNodesException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lnpsaxs fit DATA}: multi-start fit of a SAXS curve and identifiability analysis of the
 * ensemble of near-optimal fits. Writes {@code report.json}, {@code curves.dat} and the figures
 * ({@code fit}, {@code pairs}, {@code sizes}, PNG and SVG; with {@code --posterior} also
 * {@code posterior-draws.dat} and {@code corner}) to the output directory and prints a
 * short summary. q in Å⁻¹, lengths in Å. Several files, directories, {@code --entry all} or
 * {@code --part} make a batch ({@link FitBatch}): {@link #fit} once per curve, each into its own
 * sub-directory, with a {@code summary.csv}.
 */
@Command(name = "fit",
        mixinStandardHelpOptions = true,
        description = {"Fits a SAXS curve from many starts and analyses the ensemble of equally good fits: which "
                + "parameters the data determine, which trade off, and whether the fits fall into distinct modes. "
                + "Writes DIR/report.json, DIR/curves.dat and figures (fit, pairs, sizes; PNG and SVG); with --posterior "
                + "also the posterior's intervals, its draws (posterior-draws.dat) and a corner plot (corner.png, corner.svg)."},
        footer = {"",
            "Models: lnp (the surrogate of the GRF core-shell simulator with a truncated",
            "  log-normal radius distribution: the paper's model), lnp-closed (the same",
            "  over the simulator's expected intensity in closed form instead of the",
            "  surrogate: an experiment, docs/surrogate.md), sphere and",
            "  core_shell_sphere (sasmodels, 1/cm), and any model a jar on the class path",
            "  registers (a FitModelProvider; see docs/fitting.md).",
            "Losses: chi2 (default with sigma; scale and background in closed form),",
            "  scale-free (the paper's: I/int(q^2 I dq), log and linear terms) or",
            "  loglik (Gaussian likelihood in ln I: the data's sigma plus the model's own",
            "  error, the lnp surrogate's from its model file; scale profiled; the default",
            "  for lnp with --posterior, whose intervals it calibrates).",
            "Examples:",
            "  lnpsaxs fit examples/lnp_synthetic.dat --model lnp --out fit-lnp",
            "  lnpsaxs fit examples/lnp_synthetic.dat --model lnp --starts 128 --posterior",
            "  lnpsaxs fit data.dat --model sphere --bound radius_mean=100:400 \\",
            "      --starts 256 --profile radius_cv",
            "Many curves: with several DATA, a directory, --entry all or --part, each curve",
            "  gets a sub-directory of --out with the outputs above, and --out/summary.csv a",
            "  row per curve (a failed curve is a row, not the end of the batch). A re-run",
            "  skips the curves already fitted with the same input and options.",
            "  lnpsaxs fit screen/ --model sphere --out screen-fits"})
final class FitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DATA", description = {"the curve file (q, I[, sigma[, dq]], or any format"
            + " 'lnpsaxs inspect' reads); '-' reads standard input. Several files, or directories (their curve files,"
            + " by name), fit one curve after another: see 'Many curves' below"})
    List<String> inputs;

    /** The curve file being fitted (one of {@link #inputs}). */
    String data;

    @Mixin
    EntryOption entry;

    @Option(names = "--part", paramLabel = "I/N",
            description = "fit only part I of N of the curves (the k-th curve, from 0, when k mod N = I-1) and write"
                    + " summary-part-I-of-N.csv: one task of a cluster array (see docs/fitting.md)")
    String part;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "lnp",
            description = "lnp, sphere, core_shell_sphere or a registered model (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--surrogate", paramLabel = "FILE",
            description = "the surrogate model file for --model lnp (default: the model shipped in the jar)")
    Path surrogateFile;

    @Option(names = "--error-model", paramLabel = "FILE",
            description = "for --model lnp or lnp-closed: the model's error (ln I) that the loglik likelihood adds, read"
                    + " from an error-model JSON file (docs/error-model/BuildErrorModel.java writes one) instead of"
                    + " the shipped surrogate's")
    Path errorModelFile;

    @Option(names = "--loss", paramLabel = "LOSS",
            description = "chi2, scale-free or loglik (default: chi2 when the data have sigma, else scale-free; with "
                    + "--posterior, loglik for a model with its own error such as lnp)")
    String loss;

    @Option(names = "--q-min", paramLabel = "Q", description = "smallest q to fit, 1/Å")
    Double qMin;

    @Option(names = "--q-max", paramLabel = "Q", description = "largest q to fit, 1/Å")
    Double qMax;

    @Option(names = "--resolution", paramLabel = "SPEC",
            description = "instrument resolution inside the fit: data (default: the file's slit or dq columns, none without),"
                    + " none, pinhole:DQ_OVER_Q, pinhole-exact:DQ_OVER_Q, data-exact, slit:LENGTH (1/Å)")
    String resolution;

    @Option(names = "--q-unit", paramLabel = "A|nm", converter = InspectCommand.QUnitConverter.class,
            description = "the unit of q in the file (default: what the header says, else A)")
    QUnit qUnit;

    @Option(names = "--starts", paramLabel = "N",
            description = "number of starts (default: the model's, 512 for lnp and lnp-closed, 32 per free parameter "
                    + "within 128-512 for the others; the paper used 4096)")
    Integer starts;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + Fitter.DEFAULT_SEED,
            description = "seed of the Sobol starts and the clustering (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "lbfgs",
            description = "lbfgs (quasi-Newton, converged starts retire early; default) or adamw (the paper's schedule)")
    String optimizer;

    @Option(names = "--no-racing", description = "run every start to its end: no start far above the best stops early "
            + "(L-BFGS: after iterations 200 and 400; AdamW: after 80 %% of its steps; docs/fitting.md)")
    boolean noRacing;

    @Option(names = "--steps", paramLabel = "N",
            description = "AdamW steps (default 1000) or L-BFGS iterations at most (default 500)")
    Integer steps;

    @Option(names = "--ensemble", paramLabel = "RULE", defaultValue = "paper",
            description = "paper (loss <= 1.2 x mean of the best 10%%, 5-30%% of starts) or delta-chi2 (a likelihood loss: chi2 or loglik)")
    String ensembleRule;

    @Option(names = "--bound", paramLabel = "NAME=LO:HI", description = "override a parameter's fit box (repeatable)")
    List<String> bounds;

    @Option(names = "--fix", paramLabel = "NAME=VALUE", description = "hold a parameter fixed (repeatable)")
    List<String> fixes;

    @Option(names = "--profile", paramLabel = "NAME", description = "compute the profile likelihood of a parameter (repeatable)")
    List<String> profiles;

    @Option(names = "--quadrature", paramLabel = "RULE", description = "size-distribution quadrature: accurate "
            + "(default; within 1e-3 of the converged average over the fit box) or paper (the paper's 32 nodes)")
    String quadrature;

    @Option(names = "--coarse-stage", paramLabel = "SHARE", arity = "0..1", fallbackValue = "1",
            description = "run L-BFGS starts first on the model's coarse approximation (lnp: a 24-node size average), "
            + "then polish the best ones on the model itself: fewer model evaluations, the model's own answer, but a "
            + "different global search. SHARE (0-1, default 1 when the option is given): the share of the starts that "
            + "do; the others run on the model from the start, a portfolio of two landscapes (docs/benchmarks.md)")
    Double coarseShare;

    @Option(names = "--background", description = "fit a constant background relative to I(q_min) (sphere, core_shell_sphere, scale-free loss)")
    boolean background;

    @Option(names = "--threads", paramLabel = "N", description = "threads (default: all processors; results do not depend on it)")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: fit-<data name>)")
    Path out;

    @Option(names = "--no-figures", description = "skip the PNG/SVG figures")
    boolean noFigures;

    @Option(names = "--posterior", description = "after the fit, sample the posterior (MCMC from the fit's modes; "
            + "needs a likelihood: without --loss, loglik for lnp, chi2 for data with sigma): intervals with a "
            + "statistical meaning, which parameters the data determine, convergence diagnostics, the draws "
            + "(posterior-draws.dat), corner plot")
    boolean posterior;

    @Option(names = "--posterior-method", paramLabel = "NAME",
            description = "hmc (Hamiltonian Monte Carlo with a tuned dense metric, from a short ensemble pilot; "
                    + "default) or ensemble (the affine-invariant ensemble sampler alone)")
    String posteriorMethod;

    @Option(names = "--posterior-walkers", paramLabel = "N",
            description = "chains of hmc (even; default 8) or walkers of the ensemble sampler (even; default "
                    + "max(32, 4 x free parameters))")
    Integer posteriorWalkers;

    @Option(names = "--posterior-steps", paramLabel = "N",
            description = "most iterations (hmc, warm-up included; default " + PosteriorSettings.DEFAULT_HMC_ITERATIONS
                    + ") or steps (ensemble; default " + PosteriorSettings.DEFAULT_MAX_STEPS
                    + "); sampling stops earlier once the diagnostics pass")
    Integer posteriorSteps;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        if (FitBatch.isBatch(this)) {
            return new FitBatch(this).run();
        }
        data = inputs.get(0);
        Path dir = checkBeforeWork();
        ScatteringCurve curve = "-".equals(data) ? reader().read(System.in, "<stdin>") : readOne(Path.of(data));
        fit(curve, dir, spec.commandLine().getOut());
        return 0;
    }

    /** The curve reader of the {@code --q-unit} and {@code --entry} options. */
    CurveReader reader() {
        return CurveReader.defaults().withQUnit(qUnit).withEntry(entry.selector());
    }

    /** Reads the curve {@code --entry} picks; a file of several curves without it names {@code --entry}. */
    private ScatteringCurve readOne(Path file) throws IOException {
        try {
            return reader().read(file);
        } catch (CurveFormatException e) {
            throw FitBatch.entryHint(e);
        }
    }

    /**
     * The single-curve pipeline: fits {@code curve} with the options, writes {@link #OUTPUTS} (the
     * figures unless {@code --no-figures}) into {@code dir} and prints the summary to {@code out}.
     *
     * @return the result
     */
    FitResult fit(ScatteringCurve curve, Path dir, PrintWriter out) throws IOException {
        FitModel fitModel = fitModel();
        double lo = qMin == null ? 0 : qMin;
        double hi = qMax == null ? Double.POSITIVE_INFINITY : qMax;
        FitProblem problem = FitProblem.of(fitModel, curve, lo, hi);
        if (resolution != null) {
            ResolutionSpec rs = ResolutionSpec.parse(resolution);
            if (rs.dqOverQ() > Limits.MAX_DQ_OVER_Q) {
                throw new IllegalArgumentException("--resolution " + resolution + ": DQ_OVER_Q " + rs.dqOverQ()
                        + " is more than the limit of " + Limits.MAX_DQ_OVER_Q + " (a 1-sigma width as large as q itself)");
            }
            problem = problem.withResolution(rs);
        }
        int points = problem.data().size();
        if (points > Limits.MAX_FIT_POINTS) {
            // every start is evaluated at every point in every iteration: refused with the reason
            // rather than run for an hour without a word
            throw new IllegalArgumentException(data + ": " + points + " points in the fitting range, more than the limit of "
                    + Limits.MAX_FIT_POINTS + " for a fit (every start is evaluated at every point in every iteration);"
                    + " narrow it with --q-min/--q-max or rebin the data");
        }
        if (loss != null) {
            problem = problem.withLoss(LossType.parse(loss));
        } else if (posterior && problem.posteriorLikelihood().isPresent()) {
            // a posterior needs a likelihood: the calibrated one for a model with its own error (lnp), chi2 otherwise
            problem = problem.withLoss(problem.posteriorLikelihood().get());
        }
        Map<String, Double> fixed = parseFixes();
        if (!fixed.isEmpty()) {
            try {
                problem = problem.withFixed(fixed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--fix: " + e.getMessage(), e);
            }
        }
        for (Map.Entry<String, double[]> b : parseBounds().entrySet()) {
            try {
                problem = problem.withBounds(b.getKey(), b.getValue()[0], b.getValue()[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--bound " + b.getKey() + ": " + e.getMessage(), e);
            }
        }
        if (background && LossType.CHI2.label().equals(problem.loss().name())) {
            throw new IllegalArgumentException("--background is for the scale-free loss; chi2 solves the background itself");
        }
        Fitter fitter = (starts == null ? Fitter.defaults() : Fitter.defaults().withStarts(starts)).withSeed(seed).withOptimizer(optimizer())
                .withEnsembleRule(EnsembleRuleType.parse(ensembleRule)).withProfiles(profiles == null ? List.of() : profiles)
                .withCoarseStage(coarseShare == null ? 0.0 : coarseShare);
        if (threads != null) {
            fitter = fitter.withThreads(threads);
        }
        if (posterior) {
            problem.posteriorRefusal().ifPresent(why -> {
                throw new IllegalArgumentException("--posterior: " + why);
            });
            PosteriorSettings ps = PosteriorSettings.defaults().withMethod(posteriorMethod());
            if (posteriorWalkers != null) {
                ps = ps.withWalkers(posteriorWalkers);
            }
            if (posteriorSteps != null) {
                ps = ps.withMaxSteps(posteriorSteps);
            }
            fitter = fitter.withPosterior(ps);
        }
        FitResult result;
        try (ProgressReport progress = ProgressReport.start(spec.commandLine().getErr(), "fit", "iterations", 1)) {
            // the time left from the start-steps left: AdamW's racing makes its last steps cheaper
            WorkTally work = new WorkTally();
            result = fitter.withProgress(p -> {
                        work.report(p.step(), p.totalSteps(), p.activeStarts());
                        progress.update(p.step(), p.totalSteps(), p.budgetIsACap()
                                ? p.activeStarts() + " starts running, best loss " + fmt(p.bestLoss())
                                : "best loss " + fmt(p.bestLoss()), !p.budgetIsACap(), work.done(), work.left());
                    })
                    .fit(problem);
        } catch (IllegalArgumentException e) {
            // a start of the fit box reached sizes whose oscillations up to the data's q_max are too many
            // to resolve: say what the command line can change
            TooManyNodesException t = TooManyNodesException.in(e).orElseThrow(() -> e);
            throw new IllegalArgumentException(e.getMessage() + ". A start of the fit box reached it: fit a narrower q"
                    + " range (--q-max Q; the fit reaches " + fmt(t.qMax()) + " 1/Å with the resolution's extension)"
                    + " or a box of smaller sizes (--bound on the size parameter, e.g. radius_mean=LO:HI with HI well"
                    + " below " + fmt(t.upper()) + " Å)", e);
        }

        List<Path> written = new ArrayList<>();
        Path report = dir.resolve("report.json");
        FitReport.write(result, report);
        written.add(report);
        Path curves = dir.resolve("curves.dat");
        FitReport.writeCurves(result, curves);
        written.add(curves);
        if (result.posterior() != null) {
            Path draws = dir.resolve("posterior-draws.dat");
            FitReport.writePosteriorDraws(result, draws);
            written.add(draws);
        }
        if (!noFigures) {
            written.addAll(FitFigures.writeAll(result, curve, dir));
            if (result.posterior() != null) {
                written.addAll(FitFigures.writeCorner(result, dir));
            }
        }
        summary(out, result, written);
        return result;
    }

    /** The output file names (figures included). */
    static final List<String> OUTPUTS = List.of("report.json", "curves.dat", "posterior-draws.dat", "fit.png", "fit.svg",
            "pairs.png", "pairs.svg", "sizes.png", "sizes.svg", "corner.png", "corner.svg");

    /**
     * The outputs a finished fit has left: the report and the curve table, the figures when they
     * were asked for, the corner plot only with a posterior. {@code posterior-draws.dat} is not
     * required, so that a batch's curves fitted with a posterior before that file existed stay done.
     */
    static List<String> requiredOutputs(boolean figures, boolean withPosterior) {
        List<String> names = new ArrayList<>(List.of("report.json", "curves.dat"));
        if (figures) {
            names.addAll(List.of("fit.png", "fit.svg", "pairs.png", "pairs.svg", "sizes.png", "sizes.svg"));
            if (withPosterior) {
                names.addAll(List.of("corner.png", "corner.svg"));
            }
        }
        return names;
    }

    /**
     * Checks the size-like options and the output directory before anything is read or computed
     * (the directory is created, and its output names must not be links).
     *
     * @return the output directory
     */
    private Path checkBeforeWork() {
        Path dir = out != null ? out : Path.of("fit-" + stem("-".equals(data) ? "<stdin>" : data));
        return Limits.outputDirectory("--out", dir, OUTPUTS);
    }

    /** Checks the size-like options before anything is read or computed. */
    private void checkOptions() {
        if (starts != null) {
            Limits.starts("--starts", starts);
        }
        Limits.range("--steps", steps, 1, Limits.MAX_STEPS);
        Limits.threads("--threads", threads);
        if (coarseShare != null && !(coarseShare >= 0 && coarseShare <= 1)) {
            throw new IllegalArgumentException("--coarse-stage " + coarseShare + ": the share of the starts must be in [0, 1]");
        }
        checkPosteriorOptions();
    }

    /** Bytes the sampler keeps per walker and step (the state of about 10 parameters and its log density). */
    static final long POSTERIOR_BYTES_PER_DRAW = 8L * 12;

    private PosteriorSettings.Method posteriorMethod() {
        if (posteriorMethod == null) {
            return PosteriorSettings.Method.HMC;
        }
        switch (posteriorMethod.toLowerCase(java.util.Locale.ROOT)) {
            case "hmc":
                return PosteriorSettings.Method.HMC;
            case "ensemble":
                return PosteriorSettings.Method.ENSEMBLE;
            default:
                throw new IllegalArgumentException("--posterior-method " + posteriorMethod + ": must be hmc or ensemble");
        }
    }

    /** The --posterior-* options: their ranges, that they come with --posterior, and the memory of the kept draws. */
    private void checkPosteriorOptions() {
        if (!posterior && (posteriorWalkers != null || posteriorSteps != null || posteriorMethod != null)) {
            throw new IllegalArgumentException("--posterior-method, --posterior-walkers and --posterior-steps need --posterior");
        }
        posteriorMethod(); // refuses an unknown name before any work
        Limits.range("--posterior-walkers", posteriorWalkers, 4, PosteriorSettings.MAX_WALKERS);
        if (posteriorWalkers != null && posteriorWalkers % 2 != 0) {
            throw new IllegalArgumentException("--posterior-walkers " + posteriorWalkers + ": must be even");
        }
        Limits.range("--posterior-steps", posteriorSteps, 8, PosteriorSettings.MAX_STEPS);
        if (posterior) {
            long w = posteriorWalkers != null ? posteriorWalkers : 64;
            long n = posteriorSteps != null ? posteriorSteps : PosteriorSettings.DEFAULT_MAX_STEPS;
            Limits.memory("--posterior-steps", n, w * n * POSTERIOR_BYTES_PER_DRAW, w + " walkers x " + n + " steps");
        }
    }

    /** The model from the registry ({@link FitModels}), built from the surrogate file when one is given. */
    private FitModel fitModel() {
        FitModel fm = surrogateFile != null ? FitModels.byName(model, surrogateFile) : FitModels.byName(model);
        if (errorModelFile != null) {
            fm = withErrorModel(fm, errorModelFile);
        }
        if (quadrature != null) {
            Quadrature rule;
            try {
                rule = Quadrature.parse(quadrature);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--quadrature: " + e.getMessage(), e);
            }
            fm = fm.withQuadrature(rule);
        }
        if (background) {
            if (!(fm instanceof AnalyticFitModel a)) {
                throw new IllegalArgumentException("--background is available for the analytic models (sphere, "
                        + "core_shell_sphere and form factors registered as analytic models) only, not " + fm.name());
            }
            fm = a.withBackground(true);
        }
        return fm;
    }

    /** The largest error-model file read, bytes (the shipped one is a few kB). */
    static final long MAX_ERROR_MODEL_BYTES = 16L << 20;

    /** {@code fm} with the error model read from {@code file}; only the lnp models carry one. */
    static FitModel withErrorModel(FitModel fm, Path file) {
        if (!(fm instanceof LnpFitModel lnp)) {
            throw new IllegalArgumentException("--error-model: only the lnp models (lnp, lnp-closed) carry a model error;"
                    + " " + fm.name() + " does not (its likelihood uses the data's sigma)");
        }
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--error-model: " + file + " is not a readable file");
            }
            long size = Files.size(file);
            if (size > MAX_ERROR_MODEL_BYTES) {
                throw new IllegalArgumentException("--error-model: " + file + " has " + size + " bytes, more than the "
                        + MAX_ERROR_MODEL_BYTES + " an error model may have");
            }
            ErrorModel em = ErrorModel.fromJson(Files.readAllBytes(file), file.toString());
            return lnp.withErrorModel(em);
        } catch (IOException e) {
            throw new IllegalArgumentException("--error-model: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private BatchOptimizer optimizer() {
        switch (optimizer.trim().toLowerCase(Locale.ROOT)) {
            case "lbfgs": {
                Lbfgs l = steps == null ? Lbfgs.defaults() : Lbfgs.defaults().withMaxIterations(positive("--steps", steps));
                return noRacing ? l.withRacing(Lbfgs.Racing.OFF) : l;
            }
            case "adamw": {
                AdamW a = steps == null ? AdamW.paper() : AdamW.paper().withSteps(positive("--steps", steps));
                return noRacing ? a.withRacing(AdamW.Racing.OFF) : a;
            }
            default:
                throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'; known: lbfgs, adamw");
        }
    }

    private static int positive(String option, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + v);
        }
        return v;
    }

    private Map<String, Double> parseFixes() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : CliSupport.assignments(fixes).entrySet()) {
            m.put(e.getKey(), CliSupport.number(e.getKey(), e.getValue()));
        }
        return m;
    }

    private Map<String, double[]> parseBounds() {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : CliSupport.assignments(bounds).entrySet()) {
            String[] parts = e.getValue().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("--bound " + e.getKey() + "=" + e.getValue() + ": expected NAME=LO:HI");
            }
            double a = CliSupport.number(e.getKey(), parts[0]);
            double b = CliSupport.number(e.getKey(), parts[1]);
            if (!(b > a)) {
                throw new IllegalArgumentException("--bound " + e.getKey() + ": need LO < HI, got " + a + ":" + b);
            }
            m.put(e.getKey(), new double[] {a, b});
        }
        return m;
    }

    static String stem(String source) {
        if (source == null || source.isBlank() || source.startsWith("<")) {
            return "stdin";
        }
        String name = Path.of(source).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.4e", v);
        }
        return String.format(Locale.ROOT, "%.5g", v);
    }

    /** The short summary for a person. */
    static void summary(PrintWriter w, FitResult r, List<Path> written) {
        FitProblem p = r.problem();
        FitSpace s = p.space();
        w.printf(Locale.ROOT, "fit %s to %s: %d points, q %.4g..%.4g 1/A, loss %s%n", p.fitModel().name(),
                p.data().label(), p.data().pointsUsed(), p.data().measured().qMin(), p.data().measured().qMax(),
                p.loss().name());
        w.printf(Locale.ROOT, "resolution: %s%s%n", p.resolution().applied(), p.resolution().dropped() > 0
                ? "; " + p.resolution().dropped() + " points left out (kernel beyond the model grid)" : "");
        w.printf(Locale.ROOT, "%d starts (seed %d), %s, %.1f s%n", r.starts(), r.seed(), r.optimizer().name(),
                r.runtimeSeconds());
        w.printf(Locale.ROOT, "best fit: loss %s", fmt(r.bestLoss()));
        if (r.reducedChi2() != null) {
            w.printf(Locale.ROOT, " (reduced chi2 %s)", fmt(r.reducedChi2()));
        }
        if (r.scaleAndBackground() != null) {
            w.printf(Locale.ROOT, ", scale %s, background %s", fmt(r.scaleAndBackground().scale()),
                    fmt(r.scaleAndBackground().background()));
        }
        w.println();
        if (r.posterior() != null) {
            posteriorSummary(w, r);
        }
        Identifiability id = r.identifiability();
        Map<String, ParameterSpread> spreads = new LinkedHashMap<>();
        for (ParameterSpread sp : id.spreads()) {
            spreads.put(sp.name(), sp);
        }
        Map<String, Double> best = r.bestParameters();
        Map<String, Double> held = p.fixedParameters();
        List<String> fixedText = new ArrayList<>();
        for (int j = 0; j < s.size(); j++) {
            Parameter par = s.box().get(j);
            String unit = par.unit().isEmpty() ? "" : " " + par.unit();
            if (s.isFixed(j)) {
                if (held.containsKey(par.name())) {
                    fixedText.add(par.name() + " = " + fmt(best.get(par.name())) + unit);
                }
                continue;
            }
            ParameterSpread sp = spreads.get(par.name());
            Double se = id.fisher() != null ? id.fisher().standardError(par.name()) : null;
            String extra = (se == null ? "" : "; Fisher SE " + fmt(se))
                    + (sp.atBound() != ParameterSpread.Bound.NONE ? "; at the " + sp.atBound().label() + " bound"
                    : nearBound(sp));
            ParameterSpread within = foldedSpread(id, sp);
            if (within == null) {
                w.printf(Locale.ROOT, "  %-20s = %-12s %-10s %s (ensemble %s..%s, %.1f%% of box%s)%n", par.name(),
                        fmt(best.get(par.name())), unit.trim(), sp.verdict().label(), fmt(sp.p05()), fmt(sp.p95()),
                        100 * sp.relativeSpread(), extra);
            } else {
                // the raw range spans the symmetry's images, which give the same curve: judge within one
                w.printf(Locale.ROOT, "  %-20s = %-12s %-10s %s within an image (%s..%s, %.1f%% of its range in the image"
                                + " %s; both images %s..%s, %.1f%% of box%s)%n", par.name(), fmt(best.get(par.name())), unit.trim(),
                        within.verdict().label(), fmt(within.p05()), fmt(within.p95()), 100 * within.relativeSpread(),
                        id.canonicalImage().canonicalImage(), fmt(sp.p05()), fmt(sp.p95()), 100 * sp.relativeSpread(), extra);
            }
        }
        List<String> solved = p.loss().solvedParameters();
        if (!solved.isEmpty()) {
            w.println("  " + String.join(" and ", solved) + (r.scaleAndBackground() != null
                    ? ": fitted in closed form by the " + p.loss().name() + " loss (values above)"
                    : p.loss().isLikelihood() ? ": profiled in closed form by the " + p.loss().name() + " loss"
                    : ": not fitted (the " + p.loss().name() + " loss does not depend on " + (solved.size() == 1 ? "it" : "them")
                            + ")"));
        }
        if (!fixedText.isEmpty()) {
            w.println("  fixed: " + String.join(", ", fixedText));
        }
        if (r.sizeDistribution() != null) {
            w.printf(Locale.ROOT, "size distribution (%s): mean %.1f A, CV %.3f%n", p.fitModel().sizeLabel(),
                    r.sizeDistribution().mean(), r.sizeDistribution().cv());
        }
        QuadratureSummary quad = p.boundModel().quadrature(r.parameters(r.best()));
        if (quad != null) {
            w.printf(Locale.ROOT, "quadrature: %s (%s, %d nodes at the best fit)%n", quad.choice(), quad.rule(), quad.nodes());
        }
        w.printf(Locale.ROOT, "ensemble: %d of %d starts (%s)%n", r.ensemble().size(), r.starts(), r.ensemble().rule());
        if (r.posterior() == null) {
            w.println("  (the ensemble's ranges and verdicts are the spread of near-optimal fits, not uncertainties:"
                    + " --posterior samples intervals that are; docs/calibration.md)");
        }
        String splitBy = id.modes().symmetry() == null ? null : id.modes().symmetry().replaceAll(" \\([^)]*\\)", "");
        List<String> modeNotes = new ArrayList<>();
        if (splitBy != null) {
            modeNotes.add(id.modes().assumed() ? "split into the " + splitBy + " images only: an image is too small to fit two "
                    + "components, so one mode per image is assumed, not found"
                    : "the " + splitBy + " images split first, then each image's modes");
        } else if (id.modes().assumed()) {
            modeNotes.add("not split: the ensemble is too small to fit two components; one mode is assumed, not found");
        }
        if (id.modes().atLimit()) {
            modeNotes.add("at the analysis's limit for an ensemble of this size: there may be more modes, and more starts"
                    + " let it separate them");
        }
        String modesNote = modeNotes.isEmpty() ? "" : " (" + String.join("; ", modeNotes) + ")";
        w.printf(Locale.ROOT, "modes: %d%s%n", id.modes().count(), modesNote);
        for (Mode m : id.modes().modes()) {
            StringBuilder sb = new StringBuilder();
            int shown = 0;
            for (Map.Entry<String, Double> e : m.centre().entrySet()) {
                if (shown++ < 4) {
                    sb.append(shown > 1 ? ", " : "").append(e.getKey()).append(' ').append(fmt(e.getValue()));
                }
            }
            w.printf(Locale.ROOT, "  mode %d: %d members (%.0f%%), best loss %s; centre %s%s%n", m.index(), m.size(),
                    100 * m.share(), fmt(m.bestLoss()), sb, m.centre().size() > 4 ? ", ..." : "");
        }
        for (String line : FitReport.symmetryNotes(r)) {
            w.println("symmetry, " + line);
        }
        List<String> well = withinAnImage(id, Verdict.WELL_DETERMINED);
        List<String> sloppy = withinAnImage(id, Verdict.SLOPPY);
        List<String> undetermined = withinAnImage(id, Verdict.UNDETERMINED);
        List<String> atBound = new ArrayList<>();
        for (ParameterSpread sp : id.spreads()) {
            if (sp.atBound() != ParameterSpread.Bound.NONE) {
                atBound.add(sp.name() + " (" + sp.atBound().label() + modelLimit(p, sp.name(), sp.atBound()) + ")");
            }
        }
        if (!atBound.isEmpty()) {
            w.println("at a bound of the box (the box, not the data, holds them; widen it with --bound where the model's"
                    + " range allows): "
                    + String.join(", ", atBound));
        }
        w.println("well determined: " + (well.isEmpty() ? "none" : String.join(", ", well)));
        w.println("sloppy: " + (sloppy.isEmpty() ? "none" : String.join(", ", sloppy)));
        if (!undetermined.isEmpty()) {
            w.println("not determined (Fisher standard error larger than the value): " + String.join(", ", undetermined));
        }
        List<PrincipalDirection> pcs = id.canonicalImage() != null ? id.canonicalImage().principalDirections()
                : id.principalDirections();
        if (!pcs.isEmpty()) {
            w.println("sloppiest combination: " + combination(pcs.get(0)) + String.format(Locale.ROOT,
                    " (spread %.3f of box%s)", pcs.get(0).spread(), id.canonicalImage() == null ? ""
                            : ", within the image " + id.canonicalImage().canonicalImage()));
        }
        for (Profile prof : id.profiles()) {
            w.printf(Locale.ROOT, "profile %s: %d values%s%n", prof.parameter(), prof.size(),
                    prof.lower68() != null && prof.upper68() != null
                            ? String.format(Locale.ROOT, ", 68%% interval %s..%s", fmt(prof.lower68()), fmt(prof.upper68()))
                            : "");
        }
        w.println("wrote " + String.join(", ", written.stream().map(Path::toString).toList()));
        w.flush();
    }

    /**
     * "; near the upper bound, which does not hold it" for a best value within 0.1 % of the box width
     * of a bound that the Fisher information's bound test found inactive (an interior optimum); else "".
     */
    private static String nearBound(ParameterSpread sp) {
        ParameterSpread.Bound near = ParameterSpread.atBound(sp.best(), sp.lower(), sp.upper());
        return near == ParameterSpread.Bound.NONE ? ""
                : "; near the " + near.label() + " bound, which does not hold it (the loss's slope there points into the box)";
    }

    /**
     * ", where the model's range ends: --bound cannot widen it" when the fit box's {@code side} of
     * parameter {@code name} is the end of the model's own range ({@code FitModel.rangeDescription}:
     * for {@code lnp} the surrogate's training range), else the empty string.
     */
    static String modelLimit(FitProblem p, String name, ParameterSpread.Bound side) {
        return modelLimit(p.model().parameters().get(name), p.space().box().get(name), side);
    }

    /** {@link #modelLimit(FitProblem, String, ParameterSpread.Bound)} for a parameter's range and fit box. */
    static String modelLimit(org.lnpsaxs.core.model.Parameter range, org.lnpsaxs.core.model.Parameter box,
                             ParameterSpread.Bound side) {
        boolean limit = side == ParameterSpread.Bound.LOWER ? box.lower() <= range.lower()
                : side == ParameterSpread.Bound.UPPER && box.upper() >= range.upper();
        return limit ? ", where the model's range ends: --bound cannot widen it" : "";
    }

    /**
     * The spread of {@code raw}'s parameter within one image of the model's exact symmetries, when
     * the ensemble spans several images and folding them changes that parameter's range; else
     * {@code null} (the raw spread is already that of one image).
     */
    private static ParameterSpread foldedSpread(Identifiability id, ParameterSpread raw) {
        if (id.canonicalImage() == null) {
            return null;
        }
        ParameterSpread f = id.canonicalImage().spread(raw.name());
        return f.p05() == raw.p05() && f.p95() == raw.p95() ? null : f;
    }

    /**
     * The parameters whose verdict within one image of the model's exact symmetries is
     * {@code verdict}, each marked "(within an image)" where that differs from its raw verdict.
     */
    private static List<String> withinAnImage(Identifiability id, Verdict verdict) {
        List<String> out = new ArrayList<>();
        for (ParameterSpread sp : id.spreads()) {
            if (id.verdictWithinAnImage(sp.name()) == verdict) {
                out.add(sp.name() + (sp.verdict() == verdict ? "" : " (within an image)"));
            }
        }
        return out;
    }

    /** The posterior's intervals, its verdict and what was sampled: printed first, they are what to read. */
    private static void posteriorSummary(PrintWriter w, FitResult r) {
        FitPosterior po = r.posterior();
        w.printf(Locale.ROOT, "posterior: %d walkers x %d kept steps = %d draws (%d steps, %d evaluations, %.1f s): %s%n",
                po.walkers(), po.keptSteps(), po.samples(), po.totalSteps(), po.evaluations(), po.runtimeSeconds(),
                po.converged() ? "converged (R-hat, ESS and autocorrelation criteria met)" : "NOT CONVERGED");
        if (!po.converged()) {
            w.println("  " + po.reason());
            w.println("  the intervals below are provisional: run longer with --posterior-steps"
                    + (po.suggestedBudget().isPresent() ? " (about " + po.suggestedBudget().getAsInt()
                    + " by the extrapolation above)" : ""));
        }
        if (po.likelihood().inflation() != 1.0) {
            w.println("  " + po.likelihood().note());
        }
        w.println("  median, 68% and 90% intervals:");
        Convergence c = po.convergence();
        for (int j = 0; j < po.marginals().size(); j++) {
            Marginal m = po.marginals().get(j);
            String unit = po.units().getOrDefault(m.name(), "");
            w.printf(Locale.ROOT, "  %-20s = %-12s %-4s 68%% %s..%s, 90%% %s..%s (R-hat %.3f, ESS %s)%n", m.name(),
                    fmt(m.median()), unit, fmt(m.p16()), fmt(m.p84()), fmt(m.p05()), fmt(m.p95()), c.rHat()[j],
                    Convergence.essText(c.ess(j)));
        }
        // what the data determine, read off the posterior (the ensemble's verdicts below carry no probability)
        for (Determination.Verdict v : Determination.Verdict.values()) {
            List<String> names = new ArrayList<>();
            for (Determination d : po.determinations()) {
                if (d.verdict() == v) {
                    names.add(String.format(Locale.ROOT, "%s (%.0f%%%s)", d.name(), 100 * d.boxShare(),
                            d.atBound() == ParameterSpread.Bound.NONE ? "" : ", at the " + d.atBound().label() + " bound"
                                    + modelLimit(r.problem(), d.name(), d.atBound())));
                }
            }
            if (!names.isEmpty()) {
                w.println("  " + (v == Determination.Verdict.AT_BOUND
                        ? "held by a bound of the box, not by the data (the 90% interval is pressed against it; widen the"
                                + " box with --bound where the model's range allows): "
                        : v.label() + " by the data: ") + String.join(", ", names));
            }
        }
        w.printf(Locale.ROOT, "  (the 90%% interval as a share of the fit box, whose uniform prior spans 90%%: well <= %.0f%%, "
                + "partly <= %.0f%%, poorly <= %.0f%%, not above)%n", 100 * Determination.WELL, 100 * Determination.POORLY,
                100 * Determination.NOT);
        if (po.size() != null) {
            Marginal mean = po.size().mean();
            Marginal cv = po.size().cv();
            w.printf(Locale.ROOT, "  size distribution (%s): mean %.1f A (90%% %.1f..%.1f), CV %.3f (90%% %.3f..%.3f)%n",
                    r.problem().fitModel().sizeLabel(), mean.median(), mean.p05(), mean.p95(), cv.median(), cv.p05(),
                    cv.p95());
        }
        for (FitPosterior.SymmetryUse u : po.symmetries()) {
            w.println("  symmetry (" + u.name() + "): " + u.statement() + "; " + u.note());
        }
        StringBuilder sb = new StringBuilder();
        List<String> skipped = new ArrayList<>();
        for (FitPosterior.ModeWeight mw : po.modes()) {
            if (mw.origin().contains("not started")) {
                skipped.add(mw.origin());
            } else {
                sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", mw.origin(),
                        mw.weight()));
            }
        }
        if (po.modes().size() - skipped.size() > 1) {
            w.println("  posterior weight of the starting modes: " + sb);
        }
        for (String why : skipped) {
            w.println("  " + why);
        }
        w.println("multi-start fit (the ensemble's ranges below have no statistical meaning; the posterior above has):");
    }

    private static String combination(PrincipalDirection pc) {
        List<Map.Entry<String, Double>> l = new ArrayList<>(pc.loadings().entrySet());
        l.sort(Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue())));
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < Math.min(3, l.size()); k++) {
            double v = l.get(k).getValue();
            if (Math.abs(v) < 0.2 && k > 0) {
                break;
            }
            sb.append(k == 0 ? (v < 0 ? "-" : "") : (v < 0 ? " - " : " + "))
                    .append(String.format(Locale.ROOT, "%.2f ", Math.abs(v))).append(l.get(k).getKey());
        }
        return sb.toString();
    }
}
