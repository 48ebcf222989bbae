package org.lnpsaxs.optimize.data;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.data.ScatteringCurve.Flag;
import org.lnpsaxs.optimize.loss.LossType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A measured curve as a fit uses it: the measured rows that enter the fit (a
 * {@link ScatteringCurve}: flagged rows the loss cannot take are left out, then the q range is
 * applied), and the fitting grid ({@link QGrid}) with the intensities (and σ) the loss compares
 * against.
 *
 * <p>Which flagged rows are left out depends on the loss: rows with σ = 0 always (they would get
 * an infinite weight); rows with I ≤ 0 only when the loss takes logarithms (the scale-free loss)
 * or the data are interpolated in ln I — a χ² fit keeps them, as background-subtracted data need.
 * Each is logged with its count.
 *
 * <p>Two grids. When the model is evaluated on the data's own q (analytic models), the fitting
 * grid is the measured q. When the model has a fixed grid (the surrogate's 300 points), the
 * fitting grid is the run of model-grid points inside the measured range, and the data are
 * interpolated onto it by a monotone cubic (Fritsch–Carlson) in \( \ln I \), σ through its
 * relative value \( \sigma/I \); {@link #pointWeight()} is then n/N (measured points over grid
 * points) for χ². Measured points beyond the model's grid are not fitted: the nearest of them shape
 * the interpolant at its ends, but they are counted with the points outside the q range, not in n
 * (before 2026-12-06 they were counted in n, which overstated the weight of data that reach beyond
 * the grid, e.g. SAXS to 0.45 Å⁻¹ against the surrogate's 0.2).
 *
 * <p>q in Å⁻¹; I and σ in the data's unit. Immutable: the arrays returned are copies.
 */
public final class FitData {

    private static final Logger LOG = LoggerFactory.getLogger(FitData.class);

    /** The fewest measured points (and fitting-grid points) a fit accepts. */
    public static final int MIN_POINTS = 3;

    private final String source;
    private final ScatteringCurve measured;
    private final QGrid grid;
    private final double[] intensity;
    private final double[] sigma;
    private final int pointsRead;
    private final int flagged;
    private final int outsideRange;
    private final boolean interpolated;

    private FitData(String source, ScatteringCurve measured, QGrid grid, double[] intensity, double[] sigma, int pointsRead,
                    int flagged, int outsideRange, boolean interpolated) {
        this.source = source;
        this.measured = measured;
        this.grid = grid;
        this.intensity = intensity;
        this.sigma = sigma;
        this.pointsRead = pointsRead;
        this.flagged = flagged;
        this.outsideRange = outsideRange;
        this.interpolated = interpolated;
    }

    /**
     * Prepares a measured curve for a fit with loss {@code loss}.
     *
     * @param curve     the curve (q in Å⁻¹)
     * @param qMin      the smallest q to use, Å⁻¹ (0 for no limit)
     * @param qMax      the largest q to use, Å⁻¹ ({@code Double.POSITIVE_INFINITY} for no limit)
     * @param modelGrid the model's fixed grid, or empty to fit on the data's q
     * @param loss      the loss the data are for (it decides whether rows with I ≤ 0 can stay)
     * @throws IllegalArgumentException if the q range is empty or fewer than {@value #MIN_POINTS}
     *                                  usable points (or grid points) remain
     */
    public static FitData prepare(ScatteringCurve curve, double qMin, double qMax, Optional<QGrid> modelGrid,
                                  LossType loss) {
        String label = label(curve.source());
        if (!(qMax > qMin) || Double.isNaN(qMin)) {
            throw new IllegalArgumentException("the q range [" + qMin + ", " + qMax + "] 1/Å is empty: the smallest q must"
                    + " be below the largest");
        }
        boolean logarithms = loss.takesLogarithms() || modelGrid.isPresent();
        Set<Flag> tolerated = logarithms ? EnumSet.noneOf(Flag.class) : EnumSet.of(Flag.NON_POSITIVE_INTENSITY);
        int kept = 0;
        int flagged = 0;
        int droppedNonPositive = 0;
        int droppedSigma = 0;
        int keptNonPositive = 0;
        boolean[] inRange = new boolean[curve.size()];
        for (int i = 0; i < curve.size(); i++) {
            Set<Flag> f = curve.flags(i);
            if (tolerated.containsAll(f)) {
                keptNonPositive += f.isEmpty() ? 0 : 1;
                inRange[i] = curve.q(i) >= qMin && curve.q(i) <= qMax;
                kept += inRange[i] ? 1 : 0;
            } else {
                flagged++;
                droppedNonPositive += f.contains(Flag.NON_POSITIVE_INTENSITY) ? 1 : 0;
                droppedSigma += f.contains(Flag.ZERO_SIGMA) ? 1 : 0;
            }
        }
        int usable = curve.size() - flagged;
        int outside = usable - kept;
        if (droppedNonPositive > 0) {
            LOG.info("{}: {} row(s) with I <= 0 left out: {}", label, droppedNonPositive, loss.takesLogarithms()
                    ? "the " + loss.label() + " loss takes logarithms" : "the interpolation onto the model grid works in ln I");
        }
        if (droppedSigma > 0) {
            LOG.info("{}: {} row(s) with sigma = 0 left out (they would weigh infinitely)", label, droppedSigma);
        }
        if (keptNonPositive > 0) {
            LOG.info("{}: {} row(s) with I <= 0 kept: the {} loss takes no logarithms", label, keptNonPositive, loss.label());
        }
        if (outside > 0) {
            LOG.info("{}: {} row(s) outside the q range [{}, {}] 1/Å left out", label, outside, qMin, qMax);
        }
        if (kept < MIN_POINTS) {
            throw new IllegalArgumentException(label + ": only " + kept + " usable point(s) in the q range [" + qMin + ", "
                    + qMax + "] 1/Å (" + flagged + " flagged, " + outside + " outside); a fit needs at least " + MIN_POINTS);
        }
        ScatteringCurve measured = curve.usable(tolerated).restrict(qMin, qMax);
        if (modelGrid.isEmpty()) {
            return new FitData(curve.source(), measured, measured.qGrid(), measured.intensity(), measured.sigma(), curve.size(),
                    flagged, outside, false);
        }
        return interpolate(label, curve, measured, modelGrid.get(), flagged, outside);
    }

    private static FitData interpolate(String label, ScatteringCurve curve, ScatteringCurve measured, QGrid modelGrid,
                                       int flagged, int outside) {
        double[] mq = measured.q();
        double[] mi = measured.intensity();
        double[] ms = measured.sigma();
        int kept = mq.length;
        double[] grid = modelGrid.values();
        int from = 0;
        while (from < grid.length && grid[from] < mq[0]) {
            from++;
        }
        int to = from;
        while (to < grid.length && grid[to] <= mq[kept - 1]) {
            to++;
        }
        if (to - from < MIN_POINTS) {
            throw new IllegalArgumentException(label + ": the usable data range [" + mq[0] + ", " + mq[kept - 1]
                    + "] 1/Å holds only " + (to - from) + " point(s) of the model grid [" + grid[0] + ", "
                    + grid[grid.length - 1] + "] 1/Å; a fit needs at least " + MIN_POINTS);
        }
        double[] gq = java.util.Arrays.copyOfRange(grid, from, to);
        double[] logI = new double[kept];
        for (int i = 0; i < kept; i++) {
            logI[i] = Math.log(mi[i]);
        }
        double[] gi = MonotoneCubic.of(mq, logI).values(gq);
        for (int i = 0; i < gi.length; i++) {
            gi[i] = Math.exp(gi[i]);
        }
        double[] gs = null;
        if (ms != null) {
            double[] rel = new double[kept];
            for (int i = 0; i < kept; i++) {
                rel[i] = ms[i] / mi[i];
            }
            gs = MonotoneCubic.of(mq, rel).values(gq);
            for (int i = 0; i < gs.length; i++) {
                gs[i] *= gi[i];
            }
        }
        // measured points beyond the model's grid shape the interpolant at its ends but are not fitted:
        // they are neither counted as used nor weigh in the point weight (measured over fitting-grid points)
        ScatteringCurve fitted = measured.restrict(grid[0], grid[grid.length - 1]);
        int beyond = kept - fitted.size();
        LOG.info("{}: {} measured points interpolated (monotone cubic in ln I) onto {} model-grid points {} .. {} 1/Å",
                label, fitted.size(), gq.length, gq[0], gq[gq.length - 1]);
        if (beyond > 0) {
            LOG.info("{}: {} measured point(s) beyond the model's q grid [{}, {}] 1/Å left out of the fit (the nearest"
                    + " ones shape only the interpolation at its ends)", label, beyond, grid[0], grid[grid.length - 1]);
        }
        return new FitData(curve.source(), fitted, QGrid.of(gq), gi, gs, curve.size(), flagged, outside + beyond, true);
    }

    /** The name of a source for messages: the source, or "unnamed curve". */
    private static String label(String source) {
        return source == null || source.isBlank() ? "unnamed curve" : source;
    }

    /** The data's name (file), or {@code null} for an unnamed curve. */
    public String source() {
        return source;
    }

    /** The data's name for messages: the source, or "unnamed curve". */
    public String label() {
        return label(source);
    }

    /** The fitting grid, Å⁻¹. */
    public QGrid grid() {
        return grid;
    }

    /** The fitting grid's q values, Å⁻¹ (a copy). */
    public double[] q() {
        return grid.values();
    }

    /** The intensities on the fitting grid (data unit; a copy). */
    public double[] intensity() {
        return intensity.clone();
    }

    /** σ on the fitting grid (a copy), or {@code null} when the data have none. */
    public double[] sigma() {
        return sigma == null ? null : sigma.clone();
    }

    /** Whether the data have σ. */
    public boolean hasSigma() {
        return sigma != null;
    }

    /** The number of points on the fitting grid. */
    public int size() {
        return grid.size();
    }

    /** The measured rows that enter the fit (inside the q range, flagged rows the loss cannot take left out). */
    public ScatteringCurve measured() {
        return measured;
    }

    /** The measured q of the rows used, Å⁻¹ (a copy). */
    public double[] measuredQ() {
        return measured.q();
    }

    /** The measured intensities of the rows used (a copy). */
    public double[] measuredIntensity() {
        return measured.intensity();
    }

    /** The measured σ of the rows used (a copy), or {@code null}. */
    public double[] measuredSigma() {
        return measured.sigma();
    }

    /** The number of measured points used. */
    public int pointsUsed() {
        return measured.size();
    }

    /** The number of rows in the data. */
    public int pointsRead() {
        return pointsRead;
    }

    /** The number of flagged rows left out (σ = 0, or I ≤ 0 where the loss or interpolation takes logarithms). */
    public int pointsFlagged() {
        return flagged;
    }

    /** The number of usable rows outside the q range. */
    public int pointsOutsideRange() {
        return outsideRange;
    }

    /** Whether the data were interpolated onto a model grid. */
    public boolean interpolated() {
        return interpolated;
    }

    /**
     * The χ² point weight: measured points over fitting-grid points (1 when not interpolated), so
     * that a χ² over interpolated points stays on the scale of the measurement.
     */
    public double pointWeight() {
        return (double) measured.size() / grid.size();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FitData[%s: %d of %d rows, q %.4g..%.4g 1/Å, %s%s%s]", label(), pointsUsed(),
                pointsRead, measured.qMin(), measured.qMax(), sigma == null ? "no sigma" : "sigma",
                interpolated ? ", interpolated onto " + grid.size() + " model-grid points" : "",
                flagged + outsideRange > 0 ? ", " + flagged + " flagged and " + outsideRange + " outside left out" : "");
    }
}
