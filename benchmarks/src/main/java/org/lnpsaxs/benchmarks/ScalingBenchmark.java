package org.lnpsaxs.benchmarks;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.io.AtomicFiles;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.multistart.Lbfgs;

/**
 * How the cost of a fit grows: full fits ({@link Fitter#defaults()}: L-BFGS, ensemble,
 * identifiability, Fisher information) with the number of starts (64 … 4096), the number of
 * q points (100 … 1000) and the number of free parameters, one axis at a time, the others held.
 * Each point records CPU seconds of the whole process during the fit (the load-robust measure on
 * a shared machine; wall seconds alongside), the optimiser's work (iterations, forward and
 * reverse evaluations per start) and the peak heap. The scaling exponent of each axis is the
 * least-squares slope of ln(CPU seconds) against ln(size); memory per start is the slope of the
 * peak heap against the starts, beside the optimiser's own per-start state counted from the code
 * ({@link #stateBytesPerStart}).
 *
 * <p>Problems: {@code css} is a core_shell_sphere curve (1 % Gaussian noise, χ² loss, 6 free
 * parameters; 200 q points except on the q axis; free parameters cut by fixing the last ones at
 * the truth). {@code lnp} is the surrogate's curve at the benchmark truth ({@link LnpBenchmarkModel},
 * scale-free loss, 10 free parameters; its q grid is the model's, so it has no q axis).
 *
 * <p>Usage (from the repository root): {@code java -cp benchmarks/target/benchmarks.jar
 * org.lnpsaxs.benchmarks.ScalingBenchmark PROBLEM [MAX_STARTS [FIXED_STARTS]]} (defaults 4096 and 128):
 * prints a Markdown table per axis and writes {@code docs/figures/scaling-PROBLEM.png} and
 * {@code .svg} (log–log, cost relative to the smallest size of each axis), atomically. {@code
 * ScalingBenchmark plot PROBLEM TABLES} draws the same figure from tables kept in a file
 * ({@code docs/figures/scaling-PROBLEM.md}: the axes of several runs).
 */
public final class ScalingBenchmark {

    private ScalingBenchmark() {
    }

    /** One measured fit. */
    record Point(double size, double cpuSeconds, double wallSeconds, double iterationsPerStart, double forwardPerStart,
                 double reversePerStart, double peakHeapBytes, double bestLoss) {
    }

    /** Runs the axes of one problem. */
    public static void main(String[] args) throws IOException {
        if (args.length >= 3 && args[0].equals("plot")) {
            plot(args[1], readTables(Path.of(args[2])));
            return;
        }
        String name = args.length > 0 ? args[0] : "css";
        int maxStarts = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        int fixedStarts = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        System.out.printf(Locale.ROOT, "problem %s; %d processors, load average %.2f at the start (CPU seconds are the "
                        + "measure; wall seconds depend on the load)%n", name, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Map<String, List<Point>> axes = new LinkedHashMap<>();
        FitProblem base = problem(name, 200);
        fit(base, 64); // warm-up: class loading and JIT out of the first point

        List<Point> starts = new ArrayList<>();
        for (int n = 64; n <= maxStarts; n *= 2) {
            starts.add(measure(base, n, n));
        }
        axes.put("starts", starts);
        if (!name.equals("lnp")) {
            List<Point> q = new ArrayList<>();
            for (int nq : new int[] {100, 200, 400, 700, 1000}) {
                q.add(measure(problem(name, nq), fixedStarts, nq));
            }
            axes.put("q points", q);
        }
        List<Point> params = new ArrayList<>();
        List<String> free = base.space().freeNames();
        for (int k = 2; k <= free.size(); k++) {
            Map<String, Double> fix = new LinkedHashMap<>();
            Map<String, Double> truth = truth(name);
            for (int j = k; j < free.size(); j++) {
                fix.put(free.get(j), truth.get(free.get(j)));
            }
            params.add(measure(fix.isEmpty() ? base : base.withFixed(fix), fixedStarts, k));
        }
        axes.put("free parameters", params);

        for (Map.Entry<String, List<Point>> e : axes.entrySet()) {
            table(e.getKey(), e.getValue());
        }
        double slope = slope(starts, true);
        System.out.printf(Locale.ROOT, "%nmemory per start: peak heap grows by %.1f KiB per start (fit of peak heap against "
                        + "starts; an upper bound, garbage not yet collected included); the optimiser's per-start state counted from the code is %.1f KiB (%d free parameters, "
                        + "%d fitted points)%n", slope / 1024, stateBytesPerStart(free.size(), base.data().size()) / 1024.0,
                free.size(), base.data().size());
        plot(name, axes);
    }

    /**
     * The bytes each start holds while L-BFGS runs, counted from the code: per start, the L-BFGS
     * state (point, gradient, direction, trial and accepted points, new gradient: 6D doubles; the
     * history 2·h·D + h doubles with h = 10; 8 doubles and 9 ints of scalars) and the objective's
     * cached ∂L/∂I (N doubles), plus the fitter's parameters and loss per start (P + 1 doubles,
     * P ≤ D + 4 here).
     */
    static long stateBytesPerStart(int d, int n) {
        int h = Lbfgs.defaults().history();
        long doubles = 6L * d + 2L * h * d + h + 8 + n + d + 5;
        return 8 * doubles + 4 * 9 + 3;
    }

    static Map<String, Double> truth(String name) {
        if (name.equals("lnp")) {
            return LnpBenchmarkModel.TRUTH;
        }
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("scale", 0.02);
        t.put("background", 0.001);
        t.put("radius_mean", 150.0);
        t.put("radius_cv", 0.15);
        t.put("thickness", 30.0);
        t.put("sld_core", 1.5);
        t.put("sld_shell", 2.0);
        t.put("sld_solvent", 3.0);
        return t;
    }

    static FitProblem problem(String name, int qPoints) {
        switch (name) {
            case "css":
                return FitProblem.of(AnalyticFitModel.coreShellSphere(), ConvergenceComparison.noisyCurve(
                        AnalyticFitModel.coreShellSphere(), truth(name), QGrid.log(0.005, 0.3, qPoints), 0.01, 3));
            case "lnp":
                return LnpBenchmarkModel.problem(LnpBenchmarkModel.load().surrogate());
            default:
                throw new IllegalArgumentException("unknown problem '" + name + "'; known: css, lnp");
        }
    }

    private static FitResult fit(FitProblem p, int starts) {
        return Fitter.defaults().withStarts(starts).fit(p);
    }

    private static Point measure(FitProblem p, int starts, double size) {
        System.gc();
        List<MemoryPoolMXBean> heap = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
                heap.add(pool);
            }
        }
        double cpu0 = ConvergenceComparison.processCpuSeconds();
        long t0 = System.nanoTime();
        FitResult r = fit(p, starts);
        double wall = (System.nanoTime() - t0) * 1e-9;
        double cpu = ConvergenceComparison.processCpuSeconds() - cpu0;
        double peak = 0;
        for (MemoryPoolMXBean pool : heap) {
            peak += pool.getPeakUsage().getUsed();
        }
        long it = 0;
        for (int s : r.steps()) {
            it += s;
        }
        Point pt = new Point(size, cpu, wall, (double) it / starts, (double) r.evaluations() / starts,
                (double) r.gradients() / starts, peak, r.bestLoss());
        System.out.printf(Locale.ROOT, "  size %g, %d starts: %.2f CPU s, %.2f wall s, %.1f iterations/start, peak heap %.1f MiB%n",
                size, starts, cpu, wall, pt.iterationsPerStart(), peak / (1 << 20));
        return pt;
    }

    /** Least-squares slope of ln(CPU s) (or of the peak heap, linear, when {@code memory}) against ln(size). */
    static double slope(List<Point> pts, boolean memory) {
        int n = pts.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Point p : pts) {
            double x = memory ? p.size() : Math.log(p.size());
            double y = memory ? p.peakHeapBytes() : Math.log(p.cpuSeconds());
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    private static void table(String axis, List<Point> pts) {
        System.out.printf(Locale.ROOT, "%n| %s | CPU s | wall s | iterations/start | forward/start | reverse/start | peak heap MiB |%n",
                axis);
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (Point p : pts) {
            System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.1f | %.1f | %.1f | %.0f |%n", (long) p.size(), p.cpuSeconds(),
                    p.wallSeconds(), p.iterationsPerStart(), p.forwardPerStart(), p.reversePerStart(),
                    p.peakHeapBytes() / (1 << 20));
        }
        System.out.printf(Locale.ROOT, "scaling exponent (slope of ln CPU s against ln %s): %.2f%n", axis, slope(pts, false));
    }

    /**
     * The axes of tables as this program prints them (Markdown, a header row {@code | AXIS | CPU s
     * | …}, then one row per size), for {@code plot}: a figure from tables measured in several runs
     * (say the starts of one and the q points of another), kept in a file. Columns after CPU s are
     * read when present.
     */
    static Map<String, List<Point>> readTables(Path file) throws IOException {
        Map<String, List<Point>> axes = new LinkedHashMap<>();
        List<Point> current = null;
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (!t.startsWith("|")) {
                current = null;
                continue;
            }
            String[] cells = t.substring(1, t.length() - (t.endsWith("|") ? 1 : 0)).split("\\|");
            String first = cells[0].strip();
            if (cells.length > 1 && cells[1].strip().equals("CPU s")) {
                current = new ArrayList<>();
                axes.put(first, current);
            } else if (current != null && !first.startsWith("-") && !first.startsWith(":")) {
                double[] v = new double[cells.length];
                for (int k = 0; k < cells.length; k++) {
                    v[k] = Double.parseDouble(cells[k].strip());
                }
                current.add(new Point(v[0], v[1], v.length > 2 ? v[2] : Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN));
            }
        }
        if (axes.isEmpty()) {
            throw new IOException(file + ": no table with a 'CPU s' column");
        }
        for (Map.Entry<String, List<Point>> e : axes.entrySet()) {
            System.out.printf(Locale.ROOT, "%s: %d sizes, scaling exponent %.2f%n", e.getKey(), e.getValue().size(),
                    slope(e.getValue(), false));
        }
        return axes;
    }

    private static void plot(String name, Map<String, List<Point>> axes) throws IOException {
        XYChart c = new XYChartBuilder().width(700).height(500).title("fit cost, " + name)
                .xAxisTitle("size / smallest size").yAxisTitle("CPU seconds / those of the smallest").build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        for (Map.Entry<String, List<Point>> e : axes.entrySet()) {
            List<Point> pts = e.getValue();
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pts.get(i).size() / pts.get(0).size();
                y[i] = pts.get(i).cpuSeconds() / pts.get(0).cpuSeconds();
            }
            c.addSeries(String.format(Locale.ROOT, "%s (exponent %.2f)", e.getKey(), slope(pts, false)), x, y)
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        Path dir = Path.of("docs", "figures");
        Files.createDirectories(dir);
        BufferedImage img = new BufferedImage(700, 500, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        c.paint(g, 700, 500);
        g.dispose();
        Path png = dir.resolve("scaling-" + name + ".png");
        AtomicFiles.write(png, os -> {
            if (!ImageIO.write(img, "png", os)) {
                throw new IOException(png + ": no PNG encoder available");
            }
        });
        VectorGraphics2D vg = new VectorGraphics2D();
        c.paint(vg, 700, 500);
        AtomicFiles.write(dir.resolve("scaling-" + name + ".svg"),
                os -> new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, 700, 500)).writeTo(os));
        System.out.println("wrote " + png + " and " + dir.resolve("scaling-" + name + ".svg"));
    }
}
