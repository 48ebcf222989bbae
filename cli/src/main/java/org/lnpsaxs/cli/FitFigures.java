package org.lnpsaxs.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.io.AtomicFiles;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.identifiability.Mode;
import org.lnpsaxs.optimize.model.SizeSummary;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.posterior.FitPosterior;
import org.lnpsaxs.optimize.posterior.SizePosterior;

/**
 * The figures of {@code lnpsaxs fit}, each as PNG and SVG: {@code fit} (data, best fit and the
 * ensemble band on log–log axes, residuals below), {@code pairs} (pair plot of the ensemble's free
 * parameters, coloured by mode, histograms on the diagonal) and {@code sizes} (the size
 * distribution of every mode and of the best fit, with the posterior's 90 % band when it was
 * sampled) and, with a posterior, {@code corner} ({@link #writeCorner}). Several XChart charts are painted onto one
 * canvas: a bitmap for PNG, VectorGraphics2D for SVG.
 */
final class FitFigures {

    /** Mode colours (colour-blind-safe Okabe–Ito order), mode 1 first. */
    static final Color[] MODE_COLORS = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), new Color(240, 228, 66)};

    private FitFigures() {
    }

    /** A chart placed on a canvas. */
    private record Placed(XYChart chart, int x, int y, int width, int height) {
    }

    /** Writes fit, pairs and sizes as PNG and SVG into {@code dir}; returns the files. */
    static List<Path> writeAll(FitResult r, ScatteringCurve curve, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        // The figures are independent (each job builds its own charts): painted on up to two
        // threads, the pair plot (the largest) as PNG and SVG apart. Files are listed in a fixed order.
        List<Callable<List<Path>>> jobs = List.of(
            () -> {
                PairCanvas pairs = pairFigure(r);
                return List.of(writePng(dir, "pairs", pairs.charts(), pairs.size(), pairs.size()));
            },
            () -> {
                PairCanvas pairs = pairFigure(r);
                return List.of(writeSvg(dir, "pairs", pairs.charts(), pairs.size(), pairs.size()));
            },
            () -> write(dir, "fit", fitFigure(r), 900, 800),
            () -> {
                List<Placed> sizes = sizeFigure(r);
                return sizes.isEmpty() ? List.<Path>of() : write(dir, "sizes", sizes, 800, 500);
            });
        int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, job -> {
            Thread t = new Thread(job, "lnpsaxs-figures");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<Path>>> done = pool.invokeAll(jobs);
            List<Path> files = new ArrayList<>();
            for (int k : new int[] {2, 0, 1, 3}) {
                files.addAll(done.get(k).get());
            }
            return files;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the figures to " + dir, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("writing the figures to " + dir + " failed: " + c, c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Draws at most this many points per scatter panel of the corner plot (a thinned, evenly spaced subsample). */
    static final int CORNER_POINTS = 2000;
    /** Bins of the corner plot's histograms. */
    static final int CORNER_BINS = 30;

    /**
     * Writes the corner plot of the sampled posterior as {@code corner.png} and {@code corner.svg}:
     * per free parameter a histogram of the draws (folded onto the canonical image of each exact
     * symmetry) with the median and the 68 % interval marked, and below the diagonal every pair as a
     * scatter of an evenly thinned subsample of the draws. Axes span the draws, not the box.
     *
     * @return the files, or none when the result has no posterior
     */
    static List<Path> writeCorner(FitResult r, Path dir) throws IOException {
        FitPosterior po = r.posterior();
        if (po == null) {
            return List.of();
        }
        System.setProperty("java.awt.headless", "true");
        double[][] draws = po.chain().draws();
        List<String> names = po.chain().names();
        int d = names.size();
        double[] lo = new double[d];
        double[] hi = new double[d];
        for (int j = 0; j < d; j++) {
            lo[j] = Double.POSITIVE_INFINITY;
            hi[j] = Double.NEGATIVE_INFINITY;
            for (double[] row : draws) {
                lo[j] = Math.min(lo[j], row[j]);
                hi[j] = Math.max(hi[j], row[j]);
            }
            if (!(hi[j] > lo[j])) {
                double pad = Math.max(1e-12, Math.abs(lo[j]) * 1e-6);
                lo[j] -= pad;
                hi[j] += pad;
            }
        }
        int take = Math.min(CORNER_POINTS, draws.length);
        int cell = d <= 3 ? 260 : d <= 6 ? 200 : 150;
        int size = Math.max(1, d) * cell;
        List<Placed> charts = new ArrayList<>();
        Color point = new Color(0, 114, 178, 60);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                String unitX = po.units().getOrDefault(names.get(j), "");
                String unitY = po.units().getOrDefault(names.get(i), "");
                String xTitle = i == d - 1 ? names.get(j) + (unitX.isEmpty() ? "" : " (" + unitX + ")") : "";
                String yTitle = j == 0 ? (i == j ? "draws" : names.get(i) + (unitY.isEmpty() ? "" : " (" + unitY + ")")) : "";
                XYChart c = chart(cell, cell, "", xTitle, yTitle);
                XYStyler st = c.getStyler();
                st.setLegendVisible(false);
                st.setChartTitleVisible(false);
                st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 8));
                st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                st.setMarkerSize(2);
                st.setChartPadding(2);
                st.setXAxisDecimalPattern("#.####");
                st.setYAxisDecimalPattern("#.####");
                st.setXAxisMin(lo[j]);
                st.setXAxisMax(hi[j]);
                if (i == j) {
                    double[] counts = new double[CORNER_BINS + 1];
                    double[] edges = new double[CORNER_BINS + 1];
                    for (double[] row : draws) {
                        int b = (int) Math.min(CORNER_BINS - 1, Math.max(0, Math.floor((row[j] - lo[j]) / (hi[j] - lo[j])
                                * CORNER_BINS)));
                        counts[b]++;
                    }
                    counts[CORNER_BINS] = counts[CORNER_BINS - 1];
                    double top = 0;
                    for (int b = 0; b <= CORNER_BINS; b++) {
                        edges[b] = lo[j] + (hi[j] - lo[j]) * b / CORNER_BINS;
                        top = Math.max(top, counts[b]);
                    }
                    XYSeries h = c.addSeries("draws", edges, counts);
                    h.setXYSeriesRenderStyle(XYSeriesRenderStyle.Step);
                    h.setMarker(SeriesMarkers.NONE);
                    h.setLineColor(MODE_COLORS[0]);
                    var m = po.marginals().get(j);
                    double[] at = {m.p16(), m.median(), m.p84()};
                    for (int k = 0; k < at.length; k++) {
                        XYSeries v = c.addSeries("q" + k, new double[] {at[k], at[k]}, new double[] {0, top});
                        v.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
                        v.setMarker(SeriesMarkers.NONE);
                        v.setLineColor(k == 1 ? Color.BLACK : Color.GRAY);
                        v.setLineStyle(SeriesLines.DASH_DASH);
                    }
                } else {
                    double[] xs = new double[take];
                    double[] ys = new double[take];
                    int steps = po.chain().steps();
                    int walkers = po.chain().walkers();
                    for (int k = 0; k < take; k++) {
                        // evenly over the kept steps, cycling over the walkers (draws are step-major)
                        double[] row = draws[(int) ((long) k * steps / take) * walkers + k % walkers];
                        xs[k] = row[j];
                        ys[k] = row[i];
                    }
                    XYSeries sr = c.addSeries("draws", xs, ys);
                    sr.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
                    sr.setMarker(SeriesMarkers.CIRCLE);
                    sr.setMarkerColor(point);
                    st.setYAxisMin(lo[i]);
                    st.setYAxisMax(hi[i]);
                }
                charts.add(new Placed(c, j * cell, i * cell, cell, cell));
            }
        }
        return write(dir, "corner", charts, size, size);
    }

    private static List<Path> write(Path dir, String name, List<Placed> charts, int width, int height) throws IOException {
        return List.of(writePng(dir, name, charts, width, height), writeSvg(dir, name, charts, width, height));
    }

    private static Path writePng(Path dir, String name, List<Placed> charts, int width, int height) throws IOException {
        Path png = dir.resolve(name + ".png");
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        paint(g, charts);
        g.dispose();
        writePng(img, png);
        return png;
    }

    private static Path writeSvg(Path dir, String name, List<Placed> charts, int width, int height) throws IOException {
        Path svg = dir.resolve(name + ".svg");
        VectorGraphics2D vg = new VectorGraphics2D();
        vg.setColor(Color.WHITE);
        vg.fillRect(0, 0, width, height);
        paint(vg, charts);
        AtomicFiles.write(svg, os -> new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, width, height))
                .writeTo(os));
        return svg;
    }

    /** Writes an image as PNG, atomically and never through a link ({@link AtomicFiles}). */
    static void writePng(BufferedImage img, Path png) throws IOException {
        AtomicFiles.write(png, os -> {
            if (!ImageIO.write(img, "png", os)) {
                throw new IOException(png + ": no PNG encoder available");
            }
        });
    }

    private static void paint(Graphics2D g, List<Placed> charts) {
        for (Placed p : charts) {
            AffineTransform saved = g.getTransform();
            g.translate(p.x(), p.y());
            p.chart().paint(g, p.width(), p.height());
            g.setTransform(saved);
        }
    }

    static XYChart chart(int width, int height, String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(225, 225, 225));
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setChartTitleBoxVisible(false);
        st.setLegendBorderColor(Color.WHITE);
        return c;
    }

    private static List<Placed> fitFigure(FitResult r) {
        double[] q = r.q();
        double[] d = r.data();
        double[] best = r.bestCurve();
        boolean chi2 = r.scaleAndBackground() != null;
        XYChart main = chart(900, 560, "lnpsaxs fit: " + r.problem().fitModel().name() + " to "
                        + r.problem().data().label() + " (loss " + r.problem().loss().name() + ")",
                "q (1/Å)", "I (data units)");
        main.getStyler().setXAxisLogarithmic(true);
        main.getStyler().setYAxisLogarithmic(true);
        // the ensemble band as a closed polygon: upper forward, lower backward
        int n = q.length;
        double[] bx = new double[2 * n + 1];
        double[] by = new double[2 * n + 1];
        for (int i = 0; i < n; i++) {
            bx[i] = q[i];
            by[i] = positive(r.bandUpper()[i]);
            bx[2 * n - 1 - i] = q[i];
            by[2 * n - 1 - i] = positive(r.bandLower()[i]);
        }
        bx[2 * n] = bx[0];
        by[2 * n] = by[0];
        XYSeries band = main.addSeries("ensemble (" + r.ensemble().size() + " fits)", bx, by);
        band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        band.setFillColor(new Color(0, 114, 178, 70));
        band.setLineColor(new Color(0, 114, 178, 70));
        band.setMarker(SeriesMarkers.NONE);
        // a log axis shows only positive intensities (a chi2 fit may use rows with I <= 0)
        double[] mq = r.problem().data().measuredQ();
        double[] mi = r.problem().data().measuredIntensity();
        List<Double> px = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        for (int i = 0; i < mq.length; i++) {
            if (mi[i] > 0) {
                px.add(mq[i]);
                py.add(mi[i]);
            }
        }
        int hidden = mq.length - px.size();
        XYSeries data = main.addSeries(hidden == 0 ? "data" : "data (" + hidden + " with I <= 0 not shown)", px, py);
        data.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        data.setMarker(SeriesMarkers.CIRCLE);
        data.setMarkerColor(new Color(60, 60, 60));
        double[] shown = new double[n];
        for (int i = 0; i < n; i++) {
            shown[i] = positive(best[i]);
        }
        XYSeries fit = main.addSeries("best fit", q, shown);
        fit.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        fit.setMarker(SeriesMarkers.NONE);
        fit.setLineColor(new Color(213, 94, 0));
        fit.setLineWidth(2f);
        main.getStyler().setMarkerSize(4);

        double[] s = r.problem().data().sigma();
        double[] res = new double[n];
        for (int i = 0; i < n; i++) {
            res[i] = chi2 ? (d[i] - best[i]) / s[i] : Math.log(d[i] / best[i]);
        }
        XYChart resid = chart(900, 240, "", "q (1/Å)", chi2 ? "(data - fit)/sigma" : "ln(data/fit)");
        resid.getStyler().setXAxisLogarithmic(true);
        resid.getStyler().setLegendVisible(false);
        resid.getStyler().setChartTitleVisible(false);
        XYSeries rs = resid.addSeries("residual", q, res);
        rs.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        rs.setMarker(SeriesMarkers.CIRCLE);
        rs.setMarkerColor(new Color(0, 114, 178));
        resid.getStyler().setMarkerSize(4);
        XYSeries zero = resid.addSeries("zero", new double[] {q[0], q[n - 1]}, new double[] {0, 0});
        zero.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        zero.setMarker(SeriesMarkers.NONE);
        zero.setLineColor(Color.GRAY);
        zero.setLineStyle(SeriesLines.DASH_DASH);
        return List.of(new Placed(main, 0, 0, 900, 560), new Placed(resid, 0, 560, 900, 240));
    }

    private static double positive(double v) {
        return v > 0 ? v : Double.MIN_NORMAL;
    }

    /** The pair plot and its square canvas size. */
    private record PairCanvas(List<Placed> charts, int size) {
    }

    private static PairCanvas pairFigure(FitResult r) {
        FitSpace space = r.problem().space();
        int[] free = space.freeIndices();
        int d = free.length;
        int[] members = r.ensemble().members();
        int[] labels = r.identifiability().modes().labels();
        int modes = r.identifiability().modes().count();
        int p = space.size();
        double[] theta = r.theta();
        int cell = d <= 3 ? 260 : d <= 6 ? 200 : 150;
        int size = Math.max(1, d) * cell;
        List<Placed> charts = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                String xName = space.box().get(free[j]).name();
                String yName = space.box().get(free[i]).name();
                XYChart c = chart(cell, cell, "", i == d - 1 ? xName : "", j == 0 ? (i == j ? "count" : yName) : "");
                XYStyler st = c.getStyler();
                st.setLegendVisible(i == 0 && j == 0 && modes > 1);
                st.setChartTitleVisible(false);
                st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 8));
                st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                st.setMarkerSize(3);
                st.setChartPadding(2);
                st.setXAxisDecimalPattern("#.###");
                st.setYAxisDecimalPattern("#.###");
                if (i == j) {
                    histogram(c, theta, free[i], members, labels, modes, p, space);
                } else {
                    for (int m = 1; m <= modes; m++) {
                        List<Double> xs = new ArrayList<>();
                        List<Double> ys = new ArrayList<>();
                        for (int k = 0; k < members.length; k++) {
                            if (labels[k] == m) {
                                xs.add(theta[members[k] * p + free[j]]);
                                ys.add(theta[members[k] * p + free[i]]);
                            }
                        }
                        if (xs.isEmpty()) {
                            continue;
                        }
                        XYSeries sr = c.addSeries("mode " + m, xs, ys);
                        sr.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
                        sr.setMarker(SeriesMarkers.CIRCLE);
                        sr.setMarkerColor(MODE_COLORS[(m - 1) % MODE_COLORS.length]);
                    }
                    st.setXAxisMin(space.box().get(free[j]).lower());
                    st.setXAxisMax(space.box().get(free[j]).upper());
                    st.setYAxisMin(space.box().get(free[i]).lower());
                    st.setYAxisMax(space.box().get(free[i]).upper());
                }
                charts.add(new Placed(c, j * cell, i * cell, cell, cell));
            }
        }
        return new PairCanvas(charts, size);
    }

    private static void histogram(XYChart c, double[] theta, int param, int[] members, int[] labels, int modes, int p,
                                  FitSpace space) {
        double lo = space.box().get(param).lower();
        double hi = space.box().get(param).upper();
        int bins = 20;
        for (int m = 1; m <= modes; m++) {
            double[] counts = new double[bins + 1];
            boolean any = false;
            for (int k = 0; k < members.length; k++) {
                if (labels[k] == m) {
                    double v = theta[members[k] * p + param];
                    int b = (int) Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / (hi - lo) * bins)));
                    counts[b]++;
                    any = true;
                }
            }
            if (!any) {
                continue;
            }
            counts[bins] = counts[bins - 1];
            double[] edges = new double[bins + 1];
            for (int b = 0; b <= bins; b++) {
                edges[b] = lo + (hi - lo) * b / bins;
            }
            XYSeries sr = c.addSeries("mode " + m, edges, counts);
            sr.setXYSeriesRenderStyle(XYSeriesRenderStyle.Step);
            sr.setMarker(SeriesMarkers.NONE);
            sr.setLineColor(MODE_COLORS[(m - 1) % MODE_COLORS.length]);
        }
        c.getStyler().setXAxisMin(lo);
        c.getStyler().setXAxisMax(hi);
    }

    private static List<Placed> sizeFigure(FitResult r) {
        SizeSummary bestSd = r.sizeDistribution();
        if (bestSd == null) {
            return List.of();
        }
        XYChart c = chart(800, 500, "size distributions (" + r.problem().fitModel().sizeLabel() + ")",
                "radius (Å)", "probability density (1/Å)");
        c.getStyler().setXAxisDecimalPattern("#,##0");
        c.getStyler().setYAxisDecimalPattern("0.####");
        for (Mode m : r.identifiability().modes().modes()) {
            SizeSummary sd = m.sizeDistribution();
            if (sd == null) {
                continue;
            }
            XYSeries s = c.addSeries(String.format(Locale.ROOT, "mode %d (%d fits): mean %.0f Å, CV %.2f", m.index(), m.size(),
                    sd.mean(), sd.cv()), sd.radius(), sd.pdf());
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(MODE_COLORS[(m.index() - 1) % MODE_COLORS.length]);
            s.setLineWidth(2f);
        }
        SizePosterior post = r.posterior() == null ? null : r.posterior().size();
        if (post != null) {
            double[] rad = post.radius();
            int n = rad.length;
            double[] bx = new double[2 * n + 1];
            double[] by = new double[2 * n + 1];
            for (int i = 0; i < n; i++) {
                bx[i] = rad[i];
                by[i] = post.p95()[i];
                bx[2 * n - 1 - i] = rad[i];
                by[2 * n - 1 - i] = post.p05()[i];
            }
            bx[2 * n] = bx[0];
            by[2 * n] = by[0];
            XYSeries band = c.addSeries(String.format(Locale.ROOT, "posterior 90%% band: mean %.0f Å (%.0f..%.0f), CV %.2f",
                    post.mean().median(), post.mean().p05(), post.mean().p95(), post.cv().median()), bx, by);
            band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(new Color(0, 158, 115, 70));
            band.setLineColor(new Color(0, 158, 115, 70));
            band.setMarker(SeriesMarkers.NONE);
        }
        XYSeries b = c.addSeries(String.format(Locale.ROOT, "best fit: mean %.0f Å, CV %.2f", bestSd.mean(), bestSd.cv()),
                bestSd.radius(), bestSd.pdf());
        b.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        b.setMarker(SeriesMarkers.NONE);
        b.setLineColor(Color.BLACK);
        b.setLineStyle(SeriesLines.DASH_DASH);
        return List.of(new Placed(c, 0, 0, 800, 500));
    }
}
