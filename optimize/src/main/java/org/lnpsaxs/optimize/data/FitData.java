package org.lnpsaxs.optimize.data;

import java.util.Arrays;

import org.lnpsaxs.core.data.ScatteringCurve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data curve as the fit uses it: the usable measured points inside the chosen q range, and
 * the fitting grid with the intensities (and σ) the loss compares against.
 *
 * <p>Two cases. When the model is evaluated on the data's own q values (analytic models), the
 * fitting grid is the measured q. When the model has a fixed grid (the surrogate's 300 points),
 * the fitting grid is the part of the model grid inside the measured range, and the data are
 * interpolated onto it by a monotone cubic (Fritsch–Carlson) in \( \ln I \), σ through its
 * relative value \( \sigma/I \); {@link #modelFrom()} tells which model-grid index the fitting
 * grid starts at, and {@link #pointWeight()} is n/N (measured points over grid points) for χ².
 *
 * <p>Rows whose I or σ is not positive (flagged rows) and rows outside [qMin, qMax] are left out,
 * with a logged count. q in Å⁻¹; I and σ in the data's unit. Immutable: the arrays returned are
 * copies.
 *
 * @see #prepare
 */
public final class FitData {

    private static final Logger LOG = LoggerFactory.getLogger(FitData.class);

    private final String source;
    private final double[] measuredQ;
    private final double[] measuredI;
    private final double[] measuredSigma;
    private final double[] q;
    private final double[] intensity;
    private final double[] sigma;
    private final int pointsRead;
    private final int flagged;
    private final int outsideRange;
    private final int modelFrom;

    private FitData(String source, double[] measuredQ, double[] measuredI, double[] measuredSigma, double[] q,
                    double[] intensity, double[] sigma, int pointsRead, int flagged, int outsideRange, int modelFrom) {
        this.source = source;
        this.measuredQ = measuredQ;
        this.measuredI = measuredI;
        this.measuredSigma = measuredSigma;
        this.q = q;
        this.intensity = intensity;
        this.sigma = sigma;
        this.pointsRead = pointsRead;
        this.flagged = flagged;
        this.outsideRange = outsideRange;
        this.modelFrom = modelFrom;
    }

    /**
     * Prepares a measured curve for a fit (its flagged rows — I ≤ 0 or σ = 0 — are left out).
     *
     * @param curve     the curve (q in Å⁻¹)
     * @param qMin      the smallest q to use, Å⁻¹ (0 for no limit)
     * @param qMax      the largest q to use, Å⁻¹ ({@code Double.POSITIVE_INFINITY} for no limit)
     * @param modelGrid the model's fixed grid, or {@code null} to fit on the data's q
     */
    public static FitData prepare(ScatteringCurve curve, double qMin, double qMax, double[] modelGrid) {
        return prepare(curve.source(), curve.q(), curve.intensity(), curve.sigma(), qMin, qMax, modelGrid);
    }

    /**
     * Prepares data for a fit.
     *
     * @param source    a name for messages and reports (the file name)
     * @param q         measured q, Å⁻¹, ascending
     * @param intensity measured I (rows with I ≤ 0 are flagged and left out)
     * @param sigma     measured σ, or {@code null} (rows with σ ≤ 0 are flagged and left out)
     * @param qMin      the smallest q to use, Å⁻¹ (0 for no limit)
     * @param qMax      the largest q to use, Å⁻¹ ({@code Double.POSITIVE_INFINITY} for no limit)
     * @param modelGrid the model's fixed grid (Å⁻¹, ascending), or {@code null} to fit on the data's q
     * @throws IllegalArgumentException if fewer than 3 usable points (or grid points) remain
     */
    public static FitData prepare(String source, double[] q, double[] intensity, double[] sigma, double qMin,
                                  double qMax, double[] modelGrid) {
        int n = q.length;
        if (intensity.length != n || (sigma != null && sigma.length != n)) {
            throw new IllegalArgumentException(source + ": q, I and sigma columns differ in length");
        }
        if (!(qMax > qMin)) {
            throw new IllegalArgumentException("q range [" + qMin + ", " + qMax + "] is empty: need q-min < q-max (1/Å)");
        }
        double[] mq = new double[n];
        double[] mi = new double[n];
        double[] ms = sigma == null ? null : new double[n];
        int kept = 0;
        int flagged = 0;
        int outside = 0;
        for (int i = 0; i < n; i++) {
            boolean bad = !(intensity[i] > 0) || !Double.isFinite(intensity[i])
                    || (sigma != null && (!(sigma[i] > 0) || !Double.isFinite(sigma[i])));
            if (bad) {
                flagged++;
                continue;
            }
            if (q[i] < qMin || q[i] > qMax) {
                outside++;
                continue;
            }
            if (kept > 0 && !(q[i] > mq[kept - 1])) {
                throw new IllegalArgumentException(source + ": q is not strictly ascending at row " + i);
            }
            mq[kept] = q[i];
            mi[kept] = intensity[i];
            if (ms != null) {
                ms[kept] = sigma[i];
            }
            kept++;
        }
        if (flagged > 0) {
            LOG.info("{}: {} flagged row(s) (I or sigma not positive) left out of the fit", source, flagged);
        }
        if (outside > 0) {
            LOG.info("{}: {} row(s) outside the q range [{}, {}] 1/Å left out", source, outside, qMin, qMax);
        }
        if (kept < 3) {
            throw new IllegalArgumentException(source + ": only " + kept + " usable point(s) in the q range [" + qMin + ", "
                    + qMax + "] 1/Å (" + flagged + " flagged, " + outside + " outside); a fit needs at least 3");
        }
        mq = Arrays.copyOf(mq, kept);
        mi = Arrays.copyOf(mi, kept);
        ms = ms == null ? null : Arrays.copyOf(ms, kept);
        if (modelGrid == null) {
            return new FitData(source, mq, mi, ms, mq, mi, ms, n, flagged, outside, -1);
        }
        int from = 0;
        while (from < modelGrid.length && modelGrid[from] < mq[0]) {
            from++;
        }
        int to = from;
        while (to < modelGrid.length && modelGrid[to] <= mq[kept - 1]) {
            to++;
        }
        if (to - from < 3) {
            throw new IllegalArgumentException(source + ": the usable data range [" + mq[0] + ", " + mq[kept - 1]
                    + "] 1/Å holds only " + (to - from) + " point(s) of the model grid [" + modelGrid[0] + ", "
                    + modelGrid[modelGrid.length - 1] + "] 1/Å; a fit needs at least 3");
        }
        double[] gq = Arrays.copyOfRange(modelGrid, from, to);
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
        LOG.info("{}: {} measured points interpolated (monotone cubic in ln I) onto {} model-grid points {} .. {} 1/Å",
                source, kept, gq.length, gq[0], gq[gq.length - 1]);
        return new FitData(source, mq, mi, ms, gq, gi, gs, n, flagged, outside, from);
    }

    /** The data's name (file). */
    public String source() {
        return source;
    }

    /** The fitting grid, Å⁻¹. */
    public double[] q() {
        return q.clone();
    }

    /** The intensities on the fitting grid (data unit). */
    public double[] intensity() {
        return intensity.clone();
    }

    /** σ on the fitting grid, or {@code null} when the data have none. */
    public double[] sigma() {
        return sigma == null ? null : sigma.clone();
    }

    /** Whether the data have σ. */
    public boolean hasSigma() {
        return sigma != null;
    }

    /** The number of points on the fitting grid. */
    public int size() {
        return q.length;
    }

    /** The usable measured q in the range, Å⁻¹. */
    public double[] measuredQ() {
        return measuredQ.clone();
    }

    /** The usable measured intensities in the range. */
    public double[] measuredIntensity() {
        return measuredI.clone();
    }

    /** The usable measured σ in the range, or {@code null}. */
    public double[] measuredSigma() {
        return measuredSigma == null ? null : measuredSigma.clone();
    }

    /** The number of measured points used. */
    public int pointsUsed() {
        return measuredQ.length;
    }

    /** The number of rows in the data. */
    public int pointsRead() {
        return pointsRead;
    }

    /** The number of flagged rows left out (I or σ not positive). */
    public int pointsFlagged() {
        return flagged;
    }

    /** The number of usable rows outside the q range. */
    public int pointsOutsideRange() {
        return outsideRange;
    }

    /** Whether the data were interpolated onto a model grid. */
    public boolean interpolated() {
        return modelFrom >= 0;
    }

    /** The model-grid index of the first fitting-grid point, or −1 when the model is evaluated on the data's q. */
    public int modelFrom() {
        return modelFrom;
    }

    /**
     * The χ² point weight: measured points over fitting-grid points (1 when not interpolated), so
     * that a χ² over interpolated points stays on the scale of the measurement.
     */
    public double pointWeight() {
        return (double) measuredQ.length / q.length;
    }
}
