package org.lnpsaxs.core.resolution;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;

/**
 * A resolution as a person writes it, parsed once and turned into a {@link ResolutionOperator}
 * for a q grid or a measured curve:
 * <ul>
 * <li>{@code none} — no smearing;</li>
 * <li>{@code data} — the resolution the measured curve carries: slit smearing
 *   ({@link Slit#sasmodels(QGrid, double[], double[])}) when it has slit lengths dQl (and widths
 *   dQw), else pinhole smearing with its Δq (1σ, Å⁻¹; {@link Pinhole#sasmodels(QGrid, double[])})
 *   when some Δq is above zero, else none — sasmodels' algorithms;</li>
 * <li>{@code data-exact} — the same with the converged quadratures ({@link Slit#converged(QGrid, double[], double[])},
 *   {@link Pinhole#converged(QGrid, double[])});</li>
 * <li>{@code pinhole:F} — pinhole smearing with Δq = F·q (F ≥ 0, the relative 1σ width), sasmodels'
 *   algorithm; {@code pinhole-exact:F} the converged quadrature;</li>
 * <li>{@code slit:H} — slit smearing with slit length H (Å⁻¹, &gt; 0) at every point and no width,
 *   sasmodels' algorithm; {@code slit-exact:H} the converged quadrature.</li>
 * </ul>
 * Kinds are case-insensitive. Immutable; {@code toString} gives the text form back.
 */
public final class ResolutionSpec {

    /** The kinds of resolution. */
    public enum Kind {
        /** No smearing. */
        NONE("none", false, false),
        /** The curve's own resolution (slit, else pinhole, else none), sasmodels' algorithms. */
        DATA("data", true, false),
        /** The curve's own resolution, converged quadratures. */
        DATA_EXACT("data-exact", true, true),
        /** Pinhole, Δq = F·q, sasmodels' algorithm. */
        PINHOLE("pinhole", false, false),
        /** Pinhole, Δq = F·q, converged quadrature. */
        PINHOLE_EXACT("pinhole-exact", false, true),
        /** Slit of length H, sasmodels' algorithm. */
        SLIT("slit", false, false),
        /** Slit of length H, converged quadrature. */
        SLIT_EXACT("slit-exact", false, true);

        private final String label;
        private final boolean measured;
        private final boolean converged;

        Kind(String label, boolean measured, boolean converged) {
            this.label = label;
            this.measured = measured;
            this.converged = converged;
        }

        /** The name as written ({@code none}, {@code data}, {@code pinhole}, ...). */
        public String label() {
            return label;
        }

        /** Whether the widths come from the measured curve (Δq or the slit columns). */
        public boolean usesMeasuredDq() {
            return measured;
        }

        /** Whether the operator is the converged quadrature rather than sasmodels' algorithm. */
        public boolean converged() {
            return converged;
        }

        /** Whether the kind takes a value {@code :F} (pinhole: relative width; slit: length in Å⁻¹). */
        public boolean takesWidth() {
            return this == PINHOLE || this == PINHOLE_EXACT || this == SLIT || this == SLIT_EXACT;
        }

        /** Whether the kind is a slit of given length. */
        public boolean isSlit() {
            return this == SLIT || this == SLIT_EXACT;
        }
    }

    /** The accepted forms, for error messages. */
    public static final String FORMS = "none, data, data-exact, pinhole:DQ_OVER_Q, pinhole-exact:DQ_OVER_Q "
            + "(e.g. pinhole:0.05), slit:LENGTH or slit-exact:LENGTH (slit length in 1/Å, e.g. slit:0.117)";

    /** No smearing. */
    public static final ResolutionSpec NONE = new ResolutionSpec(Kind.NONE, Double.NaN);

    /** The curve's own resolution with sasmodels' algorithms. */
    public static final ResolutionSpec DATA = new ResolutionSpec(Kind.DATA, Double.NaN);

    private final Kind kind;
    private final double value;

    private ResolutionSpec(Kind kind, double value) {
        this.kind = kind;
        this.value = value;
    }

    /** Pinhole smearing with Δq = {@code dqOverQ}·q (sasmodels' algorithm, or the converged one). */
    public static ResolutionSpec pinhole(double dqOverQ, boolean converged) {
        if (!Double.isFinite(dqOverQ) || dqOverQ < 0) {
            throw new IllegalArgumentException("resolution: relative width dq/q = " + dqOverQ
                    + " must be a finite number >= 0");
        }
        return new ResolutionSpec(converged ? Kind.PINHOLE_EXACT : Kind.PINHOLE, dqOverQ);
    }

    /** Slit smearing with slit length {@code length} (Å⁻¹, &gt; 0), no width (sasmodels' algorithm, or the converged one). */
    public static ResolutionSpec slit(double length, boolean converged) {
        if (!Double.isFinite(length) || !(length > 0)) {
            throw new IllegalArgumentException("resolution: slit length " + length + " must be a finite number > 0 (1/Å)");
        }
        return new ResolutionSpec(converged ? Kind.SLIT_EXACT : Kind.SLIT, length);
    }

    /** The measured curve's own resolution (sasmodels' algorithms, or the converged ones). */
    public static ResolutionSpec measured(boolean converged) {
        return converged ? new ResolutionSpec(Kind.DATA_EXACT, Double.NaN) : DATA;
    }

    /**
     * Parses {@code none}, {@code data}, {@code data-exact}, {@code pinhole:F},
     * {@code pinhole-exact:F}, {@code slit:H} or {@code slit-exact:H}.
     *
     * @throws IllegalArgumentException quoting the text and listing the accepted forms
     */
    public static ResolutionSpec parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim();
        int colon = t.indexOf(':');
        String name = (colon < 0 ? t : t.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.label.equals(name)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("resolution '" + text + "': unknown kind '" + name + "'; expected " + FORMS);
        }
        if (!kind.takesWidth()) {
            if (colon >= 0) {
                throw new IllegalArgumentException("resolution '" + text + "': " + kind.label + " takes no width; expected "
                        + FORMS);
            }
            return kind == Kind.NONE ? NONE : kind == Kind.DATA ? DATA : new ResolutionSpec(kind, Double.NaN);
        }
        String what = kind.isSlit() ? "slit length" : "relative width";
        if (colon < 0) {
            throw new IllegalArgumentException("resolution '" + text + "': " + kind.label + " needs the " + what + ", e.g. "
                    + kind.label + (kind.isSlit() ? ":0.117" : ":0.05") + "; expected " + FORMS);
        }
        double f;
        try {
            f = Double.parseDouble(t.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("resolution '" + text + "': the " + what + " '" + t.substring(colon + 1).trim()
                    + "' is not a number; expected " + FORMS, e);
        }
        if (kind.isSlit() ? !Double.isFinite(f) || !(f > 0) : !Double.isFinite(f) || f < 0) {
            throw new IllegalArgumentException("resolution '" + text + "': the " + what + (kind.isSlit()
                    ? " LENGTH must be a finite number > 0 (1/Å)" : " DQ_OVER_Q must be a finite number >= 0"));
        }
        return new ResolutionSpec(kind, f);
    }

    /** The kind. */
    public Kind kind() {
        return kind;
    }

    /** The relative width Δq/q of {@code pinhole} kinds (NaN for the others). */
    public double dqOverQ() {
        return kind.takesWidth() && !kind.isSlit() ? value : Double.NaN;
    }

    /** The slit length H (Å⁻¹) of {@code slit} kinds (NaN for the others). */
    public double slitLength() {
        return kind.isSlit() ? value : Double.NaN;
    }

    /**
     * The operator for grid {@code q} when no Δq was measured: empty for {@code none}.
     *
     * @throws IllegalArgumentException for {@code data} kinds, which need the measured Δq
     */
    public Optional<ResolutionOperator> operator(QGrid q) {
        if (kind.usesMeasuredDq()) {
            throw new IllegalArgumentException("resolution '" + this + "' takes dq from a measured curve, and none is "
                    + "given here; use pinhole:DQ_OVER_Q, slit:LENGTH or none");
        }
        return operator(q, null);
    }

    /**
     * The operator for grid {@code q} with the measured widths {@code dq} (1σ, Å⁻¹; may be null
     * when the kind does not use them): empty for {@code none}, and for {@code data} kinds when
     * every Δq is zero.
     *
     * @throws IllegalArgumentException for a {@code data} kind without Δq, or Δq of the wrong length
     *                                  or negative
     */
    public Optional<ResolutionOperator> operator(QGrid q, double[] dq) {
        Objects.requireNonNull(q, "q");
        switch (kind) {
            case NONE:
                return Optional.empty();
            case PINHOLE:
                return Optional.of(Pinhole.sasmodels(q, value));
            case PINHOLE_EXACT:
                return Optional.of(Pinhole.converged(q, value));
            case SLIT:
                return Optional.of(Slit.sasmodels(q, value));
            case SLIT_EXACT:
                return Optional.of(Slit.converged(q, value));
            default:
                break;
        }
        if (dq == null) {
            throw new IllegalArgumentException("resolution '" + this + "' takes dq from a measured curve, and the curve "
                    + "has no dq column; use pinhole:DQ_OVER_Q or none");
        }
        if (dq.length != q.size()) {
            throw new IllegalArgumentException("resolution '" + this + "': " + dq.length + " dq values for " + q.size()
                    + " q points");
        }
        boolean any = false;
        for (int i = 0; i < dq.length; i++) {
            if (!(dq[i] >= 0) || !Double.isFinite(dq[i])) {
                throw new IllegalArgumentException("resolution '" + this + "': dq[" + i + "] = " + dq[i]
                        + " is not a finite value >= 0 (1/Å)");
            }
            any |= dq[i] > 0;
        }
        if (!any) {
            return Optional.empty();
        }
        return Optional.of(kind.converged() ? Pinhole.converged(q, dq) : Pinhole.sasmodels(q, dq));
    }

    /**
     * What this specification means for a measured curve (all its rows; restrict the curve to the
     * rows that are fitted first). {@code data} kinds: slit smearing when the curve has slit
     * lengths and one is above zero, else pinhole smearing when some Δq is above zero, else none.
     * The other kinds ignore the curve's resolution columns.
     *
     * @throws IllegalArgumentException if the widths are invalid or the operator too large
     */
    public AppliedResolution resolve(ScatteringCurve curve) {
        Objects.requireNonNull(curve, "curve");
        QGrid q = curve.qGrid();
        boolean exact = kind.converged();
        switch (kind) {
            case NONE:
                return AppliedResolution.none(this);
            case PINHOLE:
            case PINHOLE_EXACT:
                return new AppliedResolution(this, AppliedResolution.PINHOLE, exact, "dq/q = " + number(value) + " (given)",
                        exact ? Pinhole.converged(q, value) : Pinhole.sasmodels(q, value));
            case SLIT:
            case SLIT_EXACT:
                return new AppliedResolution(this, AppliedResolution.SLIT, exact, "slit length " + number(value)
                        + " 1/Å, no width (given)", exact ? Slit.converged(q, value) : Slit.sasmodels(q, value));
            default:
                break;
        }
        double[] length = curve.slitLength();
        if (length != null && max(length) > 0) {
            double[] width = curve.slitWidth();
            String text = "slit length " + range(length) + " 1/Å" + (width != null && max(width) > 0
                    ? ", width " + range(width) + " 1/Å" : ", no width") + " (from the data)";
            return new AppliedResolution(this, AppliedResolution.SLIT, exact, text,
                    exact ? Slit.converged(q, length, width) : Slit.sasmodels(q, length, width));
        }
        double[] dq = curve.dq();
        if (dq != null && max(dq) > 0) {
            return new AppliedResolution(this, AppliedResolution.PINHOLE, exact, "dq " + range(dq) + " 1/Å (from the data)",
                    exact ? Pinhole.converged(q, dq) : Pinhole.sasmodels(q, dq));
        }
        return AppliedResolution.none(this);
    }

    private static double max(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static String range(double[] a) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double v : a) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return lo == hi ? number(lo) : number(lo) + " to " + number(hi);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    @Override
    public String toString() {
        if (!kind.takesWidth()) {
            return kind.label;
        }
        double f = value;
        return kind.label + ":" + (f == Math.rint(f) && Math.abs(f) < 1e15 ? Long.toString((long) f) : Double.toString(f));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolutionSpec r && r.kind == kind && Double.compare(r.value, value) == 0;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(value);
    }
}
