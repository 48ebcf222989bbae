package org.lnpsaxs.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.IntStream;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.lnpsaxs.surrogate.eval.Evaluation;

/**
 * The figure of {@code lnpsaxs evaluate --out}: {@code accuracy.png}, left the distribution of the
 * per-curve mean |Δlog₁₀ I| (histogram, with its median and 90th percentile and the paper's bars),
 * right the simulated and predicted curves at the 10th, 50th and 90th percentile of the error and
 * the worst one (shifted by three decades each for legibility).
 */
final class EvaluationFigure {

    private static final Color[] COLORS = {new Color(0, 114, 178), new Color(0, 158, 115), new Color(213, 94, 0),
        new Color(204, 121, 167)};

    private EvaluationFigure() {
    }

    static Path write(Evaluation ev, String title, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int w = 620;
        int h = 520;
        XYChart left = errors(ev, title, w, h);
        XYChart right = examples(ev, w, h);
        BufferedImage img = new BufferedImage(2 * w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 2 * w, h);
        left.paint(g, w, h);
        AffineTransform saved = g.getTransform();
        g.translate(w, 0);
        right.paint(g, w, h);
        g.setTransform(saved);
        g.dispose();
        Path png = dir.resolve("accuracy.png");
        FitFigures.writePng(img, png);
        return png;
    }


    private static XYChart errors(Evaluation ev, String title, int w, int h) {
        double[] e = ev.perCurve();
        double top = Math.max(0.04, Arrays.stream(e).max().orElse(0.04) * 1.05);
        int bins = 40;
        double width = top / bins;
        double[] count = new double[bins];
        for (double v : e) {
            count[Math.min(bins - 1, (int) (v / width))]++;
        }
        // a step outline of the histogram
        double[] x = new double[2 * bins + 2];
        double[] y = new double[2 * bins + 2];
        for (int b = 0; b < bins; b++) {
            x[2 * b + 1] = b * width;
            y[2 * b + 1] = count[b];
            x[2 * b + 2] = (b + 1) * width;
            y[2 * b + 2] = count[b];
        }
        x[2 * bins + 1] = top;
        double peak = Arrays.stream(count).max().orElse(1) * 1.15;
        XYChart c = FitFigures.chart(w, h, title + ": " + e.length + " held-out curves", "mean |Δlog10 I| per curve (decades)",
                "curves");
        XYSeries s = c.addSeries("per-curve error", x, y);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(COLORS[0]);
        vertical(c, String.format(Locale.ROOT, "median %.4f", ev.raw().median()), ev.raw().median(), peak,
                COLORS[1], SeriesLines.SOLID);
        vertical(c, String.format(Locale.ROOT, "p90 %.4f", ev.raw().p90()), ev.raw().p90(), peak, COLORS[2],
                SeriesLines.SOLID);
        vertical(c, "bar: median 0.012", 0.012, peak, COLORS[1], SeriesLines.DASH_DASH);
        vertical(c, "bar: p90 0.036", 0.036, peak, COLORS[2], SeriesLines.DASH_DASH);
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisMax(top);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(peak);
        c.getStyler().setXAxisDecimalPattern("0.000");
        return c;
    }

    private static void vertical(XYChart c, String name, double x, double top, Color color, java.awt.BasicStroke line) {
        XYSeries s = c.addSeries(name, new double[] {x, x}, new double[] {0, top});
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(line);
    }

    private static XYChart examples(Evaluation ev, int w, int h) {
        double[] e = ev.perCurve();
        Integer[] order = IntStream.range(0, e.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> e[i]));
        int[] picks = {order[(int) Math.round(0.1 * (order.length - 1))], order[(int) Math.round(0.5 * (order.length - 1))],
            order[(int) Math.round(0.9 * (order.length - 1))], order[order.length - 1]};
        String[] tags = {"p10", "p50", "p90", "worst"};
        XYChart c = FitFigures.chart(w, h, "simulated (points) and surrogate (lines)", "q (1/Å)", "I (a.u., shifted by 10^-3 per curve)");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        double[] q = ev.q();
        int nq = q.length;
        int p = ev.space().size();
        for (int i = 0; i < picks.length; i++) {
            int r = picks[i];
            double shift = Math.pow(10, -3.0 * i);
            double[] sim = new double[nq];
            double[] pred = new double[nq];
            for (int k = 0; k < nq; k++) {
                sim[k] = Math.pow(10, ev.reference()[r * nq + k]) * shift;
                pred[k] = Math.pow(10, ev.predicted()[r * nq + k]) * shift;
            }
            String label = String.format(Locale.ROOT, "%s: %.4f (R %.0f Å, GRF_shift %.2f)", tags[i], e[r],
                    ev.theta()[r * p + ev.space().indexOf("R")], ev.theta()[r * p + ev.space().indexOf("GRF_shift")]);
            XYSeries s = c.addSeries(label + " sim", q, sim);
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(COLORS[i]);
            s.setShowInLegend(false);
            XYSeries m = c.addSeries(label, q, pred);
            m.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            m.setMarker(SeriesMarkers.NONE);
            m.setLineColor(Color.BLACK);
            m.setMarkerColor(COLORS[i]);
            m.setLineWidth(1.2f);
        }
        c.getStyler().setMarkerSize(3);
        return c;
    }
}
