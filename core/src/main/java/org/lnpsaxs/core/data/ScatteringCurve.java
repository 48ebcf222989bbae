package org.lnpsaxs.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * An immutable scattering curve: q in Å⁻¹, the intensity I (in the unit of its source, cm⁻¹ for
 * absolute data), optionally the standard uncertainty σ of I (same unit as I) and the resolution
 * of q: the pinhole width dq in Å⁻¹ (one standard deviation of a Gaussian, as in SasView files)
 * and/or the slit resolution of a line-collimated instrument, given by the slit length dQl and
 * optionally the slit width dQw, both in Å⁻¹ (canSAS {@code dQl}/{@code dQw}, sasmodels' slit
 * length and width).
 *
 * <p>Rows are sorted by strictly ascending q. Factories accept the rows in any order and sort
 * them (σ and dq move with their rows). Every value must be finite; q and dq must be {@code >= 0};
 * σ, dq, dQl and dQw must be {@code >= 0}; two rows may not share a q. Anything else is an
 * {@link IllegalArgumentException} naming the index in the arrays as given.
 *
 * <p>Rows whose I is not positive, or whose σ is zero, stay in the curve but are <em>flagged</em>
 * ({@link #isFlagged(int)}, {@link #flags(int)}, {@link #flaggedCount()}): such a row cannot enter
 * a logarithmic or σ-weighted loss. {@link #usable()} returns the curve without them; fits use
 * it and log how many rows they left out ({@link #flagSummary()}).
 *
 * <p>Arrays are copied in and out. Equality compares the q, I, σ, dq and slit values bit for bit;
 * the source name is a label and takes no part in it.
 *
 * <p>In JShell:
 * <pre>{@code
 * var c = ScatteringCurve.read(Path.of("lnp.dat"));   // or CurveReader.defaults().withQUnit(QUnit.NANOMETER_INVERSE).read(..)
 * c.size(); c.qMin(); c.qMax(); c.hasSigma(); c.flagSummary();
 * var fitData = c.usable().restrict(0.01, 0.2);
 * }</pre>
 */
public final class ScatteringCurve {

    /** Why a row is flagged (left out of fits). */
    public enum Flag {
        /** The intensity is zero or negative, so it has no logarithm. */
        NON_POSITIVE_INTENSITY("I <= 0"),
        /** The uncertainty σ is zero, so the row would get an infinite weight. */
        ZERO_SIGMA("sigma = 0");

        private final String brief;

        Flag(String brief) {
            this.brief = brief;
        }

        /** A short ASCII description such as {@code I <= 0}. */
        public String brief() {
            return brief;
        }
    }

    /**
     * A closed q interval in Å⁻¹.
     *
     * @param min the smallest q in Å⁻¹
     * @param max the largest q in Å⁻¹
     */
    public record QRange(double min, double max) {
        @Override
        public String toString() {
            return "[" + min + ", " + max + "] 1/Å";
        }
    }

    private static final byte BIT_INTENSITY = 1;
    private static final byte BIT_SIGMA = 2;

    private final double[] q;
    private final double[] intensity;
    private final double[] sigma;
    private final double[] dq;
    private final double[] slitLength;
    private final double[] slitWidth;
    private final byte[] flags;
    private final int flagged;
    private final String source;

    /** Takes ownership of validated, sorted arrays. */
    private ScatteringCurve(double[] q, double[] intensity, double[] sigma, double[] dq, double[] slitLength,
            double[] slitWidth, String source) {
        this.q = q;
        this.intensity = intensity;
        this.sigma = sigma;
        this.dq = dq;
        this.slitLength = slitLength;
        this.slitWidth = slitWidth;
        this.source = source;
        this.flags = new byte[q.length];
        int n = 0;
        for (int i = 0; i < q.length; i++) {
            byte f = 0;
            if (!(intensity[i] > 0)) {
                f |= BIT_INTENSITY;
            }
            if (sigma != null && sigma[i] == 0) {
                f |= BIT_SIGMA;
            }
            flags[i] = f;
            if (f != 0) {
                n++;
            }
        }
        this.flagged = n;
    }

    /** A curve without σ and dq. See the class documentation for what is valid. */
    public static ScatteringCurve of(double[] q, double[] intensity) {
        return of(q, intensity, null, null);
    }

    /** A curve with σ (same unit as I) and without dq. */
    public static ScatteringCurve of(double[] q, double[] intensity, double[] sigma) {
        return of(q, intensity, sigma, null);
    }

    /**
     * A curve with optional σ and dq.
     *
     * @param q         q in Å⁻¹, finite, {@code >= 0}, no value twice (any order)
     * @param intensity I, finite (non-positive values are flagged)
     * @param sigma     σ of I, finite, {@code >= 0} (zero is flagged), or {@code null} for none
     * @param dq        resolution width in Å⁻¹, finite, {@code >= 0}, or {@code null} for none
     * @throws IllegalArgumentException naming the index and the problem
     */
    public static ScatteringCurve of(double[] q, double[] intensity, double[] sigma, double[] dq) {
        return create(q, intensity, sigma, dq, null);
    }

    /** Validates, copies and sorts; {@code source} may be null. */
    static ScatteringCurve create(double[] q, double[] intensity, double[] sigma, double[] dq, String source) {
        return create(q, intensity, sigma, dq, null, null, source);
    }

    /** Validates, copies and sorts; the slit arrays and {@code source} may be null. */
    static ScatteringCurve create(double[] q, double[] intensity, double[] sigma, double[] dq, double[] slitLength,
            double[] slitWidth, String source) {
        if (q == null || intensity == null) {
            throw new IllegalArgumentException("q and intensity are required (got " + (q == null ? "null" : "an array")
                    + " and " + (intensity == null ? "null" : "an array") + ")");
        }
        int n = q.length;
        if (n < 1) {
            throw new IllegalArgumentException("a scattering curve needs at least one point");
        }
        checkLength("intensity", intensity, n);
        checkLength("sigma", sigma, n);
        checkLength("dq", dq, n);
        checkLength("slit length", slitLength, n);
        checkLength("slit width", slitWidth, n);
        if (slitWidth != null && slitLength == null) {
            throw new IllegalArgumentException("a slit width needs a slit length (dQw without dQl)");
        }
        double[] qc = new double[n];
        for (int i = 0; i < n; i++) {
            qc[i] = checkNonNegative("q", q, i) + 0.0; // + 0.0 turns -0.0 into 0.0
            checkFinite("intensity", intensity, i);
            checkOptional("sigma", sigma, i);
            checkOptional("dq", dq, i);
            checkOptional("slit length", slitLength, i);
            checkOptional("slit width", slitWidth, i);
        }
        int[] order = null;
        for (int i = 1; i < n; i++) {
            if (!(qc[i] > qc[i - 1])) {
                order = sortOrder(qc);
                break;
            }
        }
        if (order == null) {
            return new ScatteringCurve(qc, intensity.clone(), copy(sigma), copy(dq), copy(slitLength),
                    copy(slitWidth), source);
        }
        for (int k = 1; k < n; k++) {
            if (qc[order[k]] == qc[order[k - 1]]) {
                int a = Math.min(order[k], order[k - 1]);
                int b = Math.max(order[k], order[k - 1]);
                throw new IllegalArgumentException("q[" + b + "] = " + qc[b] + " repeats q[" + a
                        + "]; each q may appear once");
            }
        }
        return new ScatteringCurve(permute(qc, order), permute(intensity, order), permute(sigma, order),
                permute(dq, order), permute(slitLength, order), permute(slitWidth, order), source);
    }

    /**
     * Takes ownership of arrays that a reader has already validated and sorted by strictly
     * ascending q: no copy, so that a curve of millions of rows is held once. The checks are
     * repeated (they cost a pass, not memory); a failure would be a bug in the reader.
     */
    static ScatteringCurve adopt(double[] q, double[] intensity, double[] sigma, double[] dq, double[] slitLength,
            double[] slitWidth, String source) {
        int n = q.length;
        if (n < 1) {
            throw new IllegalArgumentException("a scattering curve needs at least one point");
        }
        checkLength("intensity", intensity, n);
        checkLength("sigma", sigma, n);
        checkLength("dq", dq, n);
        checkLength("slit length", slitLength, n);
        checkLength("slit width", slitWidth, n);
        for (int i = 0; i < n; i++) {
            q[i] = checkNonNegative("q", q, i) + 0.0;
            if (i > 0 && !(q[i] > q[i - 1])) {
                throw new IllegalArgumentException("q[" + i + "] = " + q[i] + " does not follow q[" + (i - 1) + "] = "
                        + q[i - 1] + " in ascending order");
            }
            checkFinite("intensity", intensity, i);
            checkOptional("sigma", sigma, i);
            checkOptional("dq", dq, i);
            checkOptional("slit length", slitLength, i);
            checkOptional("slit width", slitWidth, i);
        }
        return new ScatteringCurve(q, intensity, sigma, dq, slitLength, slitWidth, source);
    }

    private static double[] copy(double[] v) {
        return v == null ? null : v.clone();
    }

    private static void checkOptional(String name, double[] v, int i) {
        if (v != null) {
            checkNonNegative(name, v, i);
        }
    }

    /** The row order that sorts {@code q} ascending (stable), without boxing: a merge sort of indices. */
    static int[] sortOrder(double[] q) {
        int n = q.length;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        int[] b = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    b[k++] = q[a[j]] < q[a[i]] ? a[j++] : a[i++];
                }
                while (i < mid) {
                    b[k++] = a[i++];
                }
                while (j < hi) {
                    b[k++] = a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    /** {@code v} in the row order {@code order} (a new array), or null for null. */
    static double[] permute(double[] v, int[] order) {
        if (v == null) {
            return null;
        }
        double[] out = new double[v.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = v[order[k]];
        }
        return out;
    }

    private static void checkLength(String name, double[] v, int n) {
        if (v != null && v.length != n) {
            throw new IllegalArgumentException(name + " has " + v.length + " values but q has " + n);
        }
    }

    private static double checkFinite(String name, double[] v, int i) {
        if (!Double.isFinite(v[i])) {
            throw new IllegalArgumentException(name + "[" + i + "] = " + v[i] + " is not finite");
        }
        return v[i];
    }

    private static double checkNonNegative(String name, double[] v, int i) {
        checkFinite(name, v, i);
        if (v[i] < 0) {
            throw new IllegalArgumentException(name + "[" + i + "] = " + v[i] + " is negative; it must be >= 0");
        }
        return v[i];
    }

    // ---------------------------------------------------------------- files

    /**
     * Reads a curve with {@link CurveReader#defaults()} (q in Å⁻¹ unless the file's header says nm⁻¹).
     *
     * @throws CurveFormatException when the file is not a valid curve (the message names file and line)
     * @throws IOException          when the file cannot be read
     */
    public static ScatteringCurve read(Path file) throws IOException {
        return CurveReader.defaults().read(file);
    }

    /** Reads a curve whose q (and dq) are in {@code unit}, whatever its header says. */
    public static ScatteringCurve read(Path file, QUnit unit) throws IOException {
        return CurveReader.defaults().withQUnit(unit).read(file);
    }

    /** Writes this curve with {@link CurveWriter#defaults()} (q in Å⁻¹, 17 significant digits). */
    public void write(Path file) throws IOException {
        CurveWriter.defaults().write(this, file);
    }

    // ---------------------------------------------------------------- accessors

    /** The number of rows (flagged ones included). */
    public int size() {
        return q.length;
    }

    /** The q values in Å⁻¹, ascending (a copy). */
    public double[] q() {
        return q.clone();
    }

    /** q of row {@code i} in Å⁻¹. */
    public double q(int i) {
        return q[i];
    }

    /** The intensities (a copy), in the unit of the source. */
    public double[] intensity() {
        return intensity.clone();
    }

    /** The intensity of row {@code i}. */
    public double intensity(int i) {
        return intensity[i];
    }

    /** Whether the curve carries σ. */
    public boolean hasSigma() {
        return sigma != null;
    }

    /** The uncertainties σ of I (a copy), or {@code null} when the curve has none ({@link #hasSigma()}). */
    public double[] sigma() {
        return sigma == null ? null : sigma.clone();
    }

    /**
     * σ of row {@code i}.
     *
     * @throws IllegalStateException when the curve has no σ
     */
    public double sigma(int i) {
        if (sigma == null) {
            throw new IllegalStateException("curve " + label() + " has no sigma column");
        }
        return sigma[i];
    }

    /** Whether the curve carries the resolution width dq. */
    public boolean hasDq() {
        return dq != null;
    }

    /** The resolution widths dq in Å⁻¹ (a copy), or {@code null} when the curve has none ({@link #hasDq()}). */
    public double[] dq() {
        return dq == null ? null : dq.clone();
    }

    /**
     * dq of row {@code i} in Å⁻¹.
     *
     * @throws IllegalStateException when the curve has no dq
     */
    public double dq(int i) {
        if (dq == null) {
            throw new IllegalStateException("curve " + label() + " has no dq column");
        }
        return dq[i];
    }

    /**
     * Whether the curve carries a slit resolution: the data were measured with a line-collimated
     * (slit) instrument and are smeared along the slit ({@link #slitLength()}).
     */
    public boolean hasSlit() {
        return slitLength != null;
    }

    /**
     * The slit lengths dQl in Å⁻¹ (a copy), or {@code null} when the curve has no slit resolution
     * ({@link #hasSlit()}). As in canSAS, SasView and sasmodels (which call it the slit length
     * Δq_v): the measured intensity at q averages the unsmeared one at \( \sqrt{q^2 + u^2} \) over
     * \( 0 \le u \le dQl \).
     */
    public double[] slitLength() {
        return copy(slitLength);
    }

    /**
     * The slit widths dQw in Å⁻¹ (a copy), or {@code null} when the curve has none (a slit
     * resolution without width, or no slit at all).
     */
    public double[] slitWidth() {
        return copy(slitWidth);
    }

    /** The name of the curve's source (usually its file name), or {@code null} when it has none. */
    public String source() {
        return source;
    }

    /** The smallest q in Å⁻¹. */
    public double qMin() {
        return q[0];
    }

    /** The largest q in Å⁻¹. */
    public double qMax() {
        return q[q.length - 1];
    }

    /** The q range {@code [qMin, qMax]} in Å⁻¹. */
    public QRange qRange() {
        return new QRange(qMin(), qMax());
    }

    /** The q values as a {@link QGrid} (Å⁻¹). */
    public QGrid qGrid() {
        return QGrid.of(q);
    }

    // ---------------------------------------------------------------- flags

    /** Whether row {@code i} is flagged (I not positive, or σ zero). */
    public boolean isFlagged(int i) {
        return flags[i] != 0;
    }

    /** Why row {@code i} is flagged; empty when it is not. */
    public Set<Flag> flags(int i) {
        byte f = flags[i];
        if (f == 0) {
            return Collections.emptySet();
        }
        EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
        if ((f & BIT_INTENSITY) != 0) {
            s.add(Flag.NON_POSITIVE_INTENSITY);
        }
        if ((f & BIT_SIGMA) != 0) {
            s.add(Flag.ZERO_SIGMA);
        }
        return Collections.unmodifiableSet(s);
    }

    /** The number of flagged rows. */
    public int flaggedCount() {
        return flagged;
    }

    /** The number of rows flagged for {@code reason} (a row may have both reasons). */
    public int flaggedCount(Flag reason) {
        byte bit = reason == Flag.NON_POSITIVE_INTENSITY ? BIT_INTENSITY : BIT_SIGMA;
        int n = 0;
        for (byte f : flags) {
            if ((f & bit) != 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * One ASCII line saying how many rows are flagged and why, e.g.
     * {@code 3 of 120 rows flagged (2 with I <= 0, 1 with sigma = 0)} or {@code no rows flagged}.
     */
    public String flagSummary() {
        if (flagged == 0) {
            return "no rows flagged";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(flagged).append(" of ").append(q.length).append(q.length == 1 ? " row" : " rows")
                .append(" flagged (");
        boolean first = true;
        for (Flag f : Flag.values()) {
            int n = flaggedCount(f);
            if (n > 0) {
                sb.append(first ? "" : ", ").append(n).append(" with ").append(f.brief());
                first = false;
            }
        }
        return sb.append(')').toString();
    }

    /**
     * This curve without its flagged rows (the same object when none is flagged): what fits use.
     *
     * @throws IllegalArgumentException when every row is flagged, so nothing usable is left
     */
    public ScatteringCurve usable() {
        if (flagged == 0) {
            return this;
        }
        if (flagged == q.length) {
            throw new IllegalArgumentException("curve " + label() + " has no usable rows: " + flagSummary());
        }
        boolean[] keep = new boolean[q.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = flags[i] == 0;
        }
        return select(keep, q.length - flagged);
    }

    /**
     * This curve without the rows flagged for a reason outside {@code tolerated}: a row stays when
     * every reason it is flagged for is tolerated. A χ² fit, for example, keeps rows with I ≤ 0
     * ({@code usable(EnumSet.of(Flag.NON_POSITIVE_INTENSITY))}); {@code usable(Set.of())} is
     * {@link #usable()}.
     *
     * @throws IllegalArgumentException when no row is left
     */
    public ScatteringCurve usable(Set<Flag> tolerated) {
        boolean[] keep = new boolean[q.length];
        int n = 0;
        for (int i = 0; i < keep.length; i++) {
            keep[i] = tolerated.containsAll(flags(i));
            n += keep[i] ? 1 : 0;
        }
        if (n == 0) {
            throw new IllegalArgumentException("curve " + label() + " has no usable rows: " + flagSummary());
        }
        return n == q.length ? this : select(keep, n);
    }

    /**
     * The rows with {@code qMin <= q <= qMax} (Å⁻¹), flagged ones included.
     *
     * @throws IllegalArgumentException when the bounds are NaN or reversed, or no row lies between them
     */
    public ScatteringCurve restrict(double qMin, double qMax) {
        if (Double.isNaN(qMin) || Double.isNaN(qMax) || qMin > qMax) {
            throw new IllegalArgumentException("q interval [" + qMin + ", " + qMax + "] is not valid: need qMin <= qMax (1/Å)");
        }
        boolean[] keep = new boolean[q.length];
        int n = 0;
        for (int i = 0; i < q.length; i++) {
            keep[i] = q[i] >= qMin && q[i] <= qMax;
            if (keep[i]) {
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("curve " + label() + " has no rows with q in [" + qMin + ", " + qMax
                    + "] 1/Å (its q range is " + qRange() + ")");
        }
        return n == q.length ? this : select(keep, n);
    }

    private ScatteringCurve select(boolean[] keep, int n) {
        double[] q2 = new double[n];
        double[] i2 = new double[n];
        double[] s2 = sigma == null ? null : new double[n];
        double[] d2 = dq == null ? null : new double[n];
        double[] l2 = slitLength == null ? null : new double[n];
        double[] w2 = slitWidth == null ? null : new double[n];
        int k = 0;
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                q2[k] = q[i];
                i2[k] = intensity[i];
                if (s2 != null) {
                    s2[k] = sigma[i];
                }
                if (d2 != null) {
                    d2[k] = dq[i];
                }
                if (l2 != null) {
                    l2[k] = slitLength[i];
                }
                if (w2 != null) {
                    w2[k] = slitWidth[i];
                }
                k++;
            }
        }
        return new ScatteringCurve(q2, i2, s2, d2, l2, w2, source);
    }

    // ---------------------------------------------------------------- copies with changes

    /** The same data named {@code source} (may be {@code null}). */
    public ScatteringCurve withSource(String source) {
        return new ScatteringCurve(q, intensity, sigma, dq, slitLength, slitWidth, source);
    }

    /** The same rows with this σ (in row order, i.e. ascending q), or without σ when {@code null}. */
    public ScatteringCurve withSigma(double[] sigma) {
        return create(q, intensity, sigma, dq, slitLength, slitWidth, source);
    }

    /** The same rows with this dq in Å⁻¹ (in row order, i.e. ascending q), or without dq when {@code null}. */
    public ScatteringCurve withDq(double[] dq) {
        return create(q, intensity, sigma, dq, slitLength, slitWidth, source);
    }

    /**
     * The same rows with this slit resolution (in row order, i.e. ascending q; Å⁻¹): slit lengths
     * dQl and optional widths dQw; {@code (null, null)} removes it.
     *
     * @throws IllegalArgumentException when a value is negative or not finite, a length differs
     *                                  from the curve's, or a width is given without a length
     */
    public ScatteringCurve withSlit(double[] slitLength, double[] slitWidth) {
        return create(q, intensity, sigma, dq, slitLength, slitWidth, source);
    }

    // ---------------------------------------------------------------- object

    private String label() {
        return source == null ? "(unnamed)" : source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScatteringCurve c
                && Arrays.equals(q, c.q)
                && Arrays.equals(intensity, c.intensity)
                && Arrays.equals(sigma, c.sigma)
                && Arrays.equals(dq, c.dq)
                && Arrays.equals(slitLength, c.slitLength)
                && Arrays.equals(slitWidth, c.slitWidth);
    }

    @Override
    public int hashCode() {
        return ((((Arrays.hashCode(q) * 31 + Arrays.hashCode(intensity)) * 31 + Arrays.hashCode(sigma)) * 31
                + Arrays.hashCode(dq)) * 31 + Arrays.hashCode(slitLength)) * 31 + Arrays.hashCode(slitWidth);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ScatteringCurve[");
        if (source != null) {
            sb.append(source).append(": ");
        }
        sb.append(q.length).append(q.length == 1 ? " point" : " points")
                .append(String.format(Locale.ROOT, ", q %.6g .. %.6g 1/Å", qMin(), qMax()));
        sb.append(sigma == null ? ", no sigma" : ", sigma");
        if (dq != null) {
            sb.append(", dq");
        }
        if (slitLength != null) {
            sb.append(slitWidth == null ? ", slit" : ", slit with width");
        }
        if (flagged > 0) {
            sb.append(", ").append(flagged).append(" flagged");
        }
        return sb.append(']').toString();
    }
}
