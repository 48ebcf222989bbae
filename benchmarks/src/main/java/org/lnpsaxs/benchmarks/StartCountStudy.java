package org.lnpsaxs.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.lnpsaxs.core.data.CurveReader;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.identifiability.ParameterSpread;
import org.lnpsaxs.optimize.model.FitModels;
import org.lnpsaxs.optimize.model.Symmetry;

/**
 * What a smaller number of starts loses: each curve fitted twice with the fitter's defaults (no
 * Fisher information), once with a few starts and once with many, and the two answers compared —
 * the best loss, the best fit's distance from the other's, the number of modes and the ensemble's
 * ranges (p05..p95). Distances are in box widths (the largest over the free parameters), so 0.01
 * means 1 % of the box; the best fits are compared in both images of the model's exact symmetry (the
 * contrast sign for {@code lnp}) and the nearer counts.
 *
 * <p>Per curve it appends one line to a CSV file ({@code curve, loss, starts_few, starts_many,
 * best_few, best_many, relative_excess, best_distance, modes_few, modes_many, range_shift,
 * worst_parameter, many_best_inside_few_range, cpu_few_s, cpu_many_s}), and skips curves the file
 * already holds, so an interrupted run resumes. {@code relative_excess} = best_few / best_many − 1
 * (≥ 0 when the many starts find the lower minimum; a negative value means the few starts did
 * better, possible because racing differs between the two). {@code range_shift} is the largest
 * difference of a range end between the two ensembles, in box widths; {@code worst_parameter}
 * names where it is. CPU seconds are the process's, on a machine that may be loaded: read them as
 * a ratio.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar org.lnpsaxs.benchmarks.StartCountStudy
 * FEW MANY LOSS OUT.csv CURVE...} (FEW may be {@code NxK}: N starts screened from K × N Sobol
 * points, {@code FitSettings.withScreening}; MANY may be {@code ref:EARLIER.csv}, whose best_many is then
 * the reference and only the few starts run) with LOSS a loss name ({@code chi2}, {@code scale-free},
 * {@code loglik}) or {@code default} (the fitter's choice for the file: χ² when it has σ), the
 * {@code lnp} model.
 */
public final class StartCountStudy {

    private static final String HEADER = "curve,loss,starts_few,starts_many,best_few,best_many,relative_excess,"
            + "best_distance,modes_few,modes_many,range_shift,worst_parameter,many_best_inside_few_range,"
            + "cpu_few_s,cpu_many_s";

    private StartCountStudy() {
    }

    /** Runs the study. */
    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println("usage: StartCountStudy FEW MANY chi2|scale-free|loglik|default OUT.csv CURVE...");
            System.exit(2);
        }
        String[] fewSpec = args[0].split("x", 2);
        int few = Integer.parseInt(fewSpec[0]);
        int screen = fewSpec.length > 1 ? Integer.parseInt(fewSpec[1]) : 1;
        // MANY may be ref:CSV — an earlier run of this study whose best_many column is the reference
        // minimum: then only the few starts are run, and the columns that need the many starts' run
        // (best_distance, modes_many, range_shift, worst_parameter, many_best_inside_few_range) are empty
        Map<String, String[]> reference = args[1].startsWith("ref:") ? readReference(Path.of(args[1].substring(4))) : null;
        int many = reference == null ? Integer.parseInt(args[1]) : 0;
        String loss = args[2];
        Path out = Path.of(args[3]);
        Set<String> done = new HashSet<>();
        if (Files.exists(out)) {
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                done.add(line.split(",", 2)[0]);
            }
        } else {
            Files.writeString(out, HEADER + "\n", StandardCharsets.UTF_8);
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int f = 4; f < args.length; f++) {
            Path file = Path.of(args[f]);
            String name = file.getFileName().toString();
            if (done.contains(name)) {
                continue;
            }
            if (reference != null && !reference.containsKey(name)) {
                System.err.println(name + ": not in the reference file, skipped");
                continue;
            }
            ScatteringCurve curve = CurveReader.defaults().read(file);
            FitProblem problem = FitProblem.of(FitModels.byName("lnp"), curve);
            if (!loss.equals("default")) {
                problem = problem.withLoss(loss);
            }
            long c0 = os.getProcessCpuTime();
            FitResult rFew = Fitter.defaults().withStarts(few).withScreening(screen).withFisher(false).fit(problem);
            long c1 = os.getProcessCpuTime();
            String line;
            if (reference != null) {
                String[] ref = reference.get(name);
                double bestMany = Double.parseDouble(ref[5]);
                line = String.format(Locale.ROOT, "%s,%s,%s,%s,%.10e,%.10e,%.4e,,%d,%s,,,,%.1f,%s", name,
                        problem.loss().name(), args[0], ref[3], rFew.bestLoss(), bestMany, rFew.bestLoss() / bestMany - 1,
                        rFew.identifiability().modes().count(), ref[9], (c1 - c0) / 1e9, ref[14]);
            } else {
                FitResult rMany = Fitter.defaults().withStarts(many).withFisher(false).fit(problem);
                long c2 = os.getProcessCpuTime();
                line = compare(name, problem, args[0], rFew, rMany, (c1 - c0) / 1e9, (c2 - c1) / 1e9);
            }
            Files.writeString(out, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            System.out.println(line);
        }
    }

    /** The rows of an earlier run of this study, by curve name. */
    private static Map<String, String[]> readReference(Path csv) throws IOException {
        Map<String, String[]> rows = new java.util.HashMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            rows.put(f[0], f);
        }
        return rows;
    }

    /** The largest difference over the free parameters, in box widths. */
    private static double distance(FitProblem problem, List<String> free, Map<String, Double> a, Map<String, Double> b) {
        double d = 0;
        for (String p : free) {
            Parameter par = problem.space().box().get(p);
            d = Math.max(d, Math.abs(a.get(p) - b.get(p)) / (par.upper() - par.lower()));
        }
        return d;
    }

    /** The parameters under the model's exact symmetries (the first that applies), or as they are. */
    private static Map<String, Double> mirror(FitProblem problem, Map<String, Double> values) {
        for (Symmetry sym : problem.fitModel().symmetries()) {
            if (sym.indicesIn(problem.space()) == null) {
                continue;
            }
            return sym.image(values);
        }
        return values;
    }

    private static String compare(String name, FitProblem problem, String fewLabel, FitResult few, FitResult many, double cpuFew,
                                  double cpuMany) {
        List<String> free = problem.space().freeNames();
        Map<String, Double> bestFew = few.bestParameters();
        Map<String, Double> bestMany = many.bestParameters();
        double distance = Math.min(distance(problem, free, bestFew, bestMany),
                distance(problem, free, mirror(problem, bestFew), bestMany));
        double shift = 0;
        String worst = "";
        boolean inside = true;
        for (String p : free) {
            Parameter par = problem.space().box().get(p);
            double width = par.upper() - par.lower();
            ParameterSpread a = few.identifiability().spread(p);
            ParameterSpread b = many.identifiability().spread(p);
            double s = Math.max(Math.abs(a.p05() - b.p05()), Math.abs(a.p95() - b.p95())) / width;
            if (s > shift) {
                shift = s;
                worst = p;
            }
            double v = bestMany.get(p);
            inside &= v >= a.p05() - 1e-12 * width && v <= a.p95() + 1e-12 * width;
        }
        return String.format(Locale.ROOT, "%s,%s,%s,%d,%.10e,%.10e,%.4e,%.4f,%d,%d,%.4f,%s,%b,%.1f,%.1f", name,
                problem.loss().name(), fewLabel, many.starts(), few.bestLoss(), many.bestLoss(),
                few.bestLoss() / many.bestLoss() - 1, distance, few.identifiability().modes().count(),
                many.identifiability().modes().count(), shift, worst, inside, cpuFew, cpuMany);
    }
}
