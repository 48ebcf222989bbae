package org.lnpsaxs.core.resolution;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.lnpsaxs.core.data.QGrid;

/**
 * A resolution as a person writes it, parsed once and turned into a {@link ResolutionOperator}
 * for a q grid:
 * <ul>
 * <li>{@code none} — no smearing;</li>
 * <li>{@code data} — pinhole smearing with the measured Δq of each point (1σ, Å⁻¹), sasmodels'
 *   algorithm ({@link Pinhole#sasmodels(QGrid, double[])}); a Δq that is zero everywhere means no
 *   resolution;</li>
 * <li>{@code data-exact} — the same with the converged quadrature ({@link Pinhole#converged(QGrid, double[])});</li>
 * <li>{@code pinhole:F} — pinhole smearing with Δq = F·q (F ≥ 0, the relative 1σ width), sasmodels'
 *   algorithm;</li>
 * <li>{@code pinhole-exact:F} — the same with the converged quadrature.</li>
 * </ul>
 * Kinds are case-insensitive. Immutable; {@code toString} gives the text form back.
 */
public final class ResolutionSpec {

    /** The kinds of resolution. */
    public enum Kind {
        /** No smearing. */
        NONE("none", false, false),
        /** Pinhole, the measured Δq, sasmodels' algorithm. */
        DATA("data", true, false),
        /** Pinhole, the measured Δq, converged quadrature. */
        DATA_EXACT("data-exact", true, true),
        /** Pinhole, Δq = F·q, sasmodels' algorithm. */
        PINHOLE("pinhole", false, false),
        /** Pinhole, Δq = F·q, converged quadrature. */
        PINHOLE_EXACT("pinhole-exact", false, true);

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

        /** Whether the widths come from the measured Δq. */
        public boolean usesMeasuredDq() {
            return measured;
        }

        /** Whether the operator is the converged quadrature rather than sasmodels' algorithm. */
        public boolean converged() {
            return converged;
        }

        /** Whether the kind takes a relative width {@code :F}. */
        public boolean takesWidth() {
            return this == PINHOLE || this == PINHOLE_EXACT;
        }
    }

    /** The accepted forms, for error messages. */
    public static final String FORMS = "none, data, data-exact, pinhole:DQ_OVER_Q or pinhole-exact:DQ_OVER_Q "
            + "(e.g. pinhole:0.05)";

    /** No smearing. */
    public static final ResolutionSpec NONE = new ResolutionSpec(Kind.NONE, Double.NaN);

    private final Kind kind;
    private final double dqOverQ;

    private ResolutionSpec(Kind kind, double dqOverQ) {
        this.kind = kind;
        this.dqOverQ = dqOverQ;
    }

    /** Pinhole smearing with Δq = {@code dqOverQ}·q (sasmodels' algorithm, or the converged one). */
    public static ResolutionSpec pinhole(double dqOverQ, boolean converged) {
        if (!Double.isFinite(dqOverQ) || dqOverQ < 0) {
            throw new IllegalArgumentException("resolution: relative width dq/q = " + dqOverQ
                    + " must be a finite number >= 0");
        }
        return new ResolutionSpec(converged ? Kind.PINHOLE_EXACT : Kind.PINHOLE, dqOverQ);
    }

    /** Pinhole smearing with the measured Δq (sasmodels' algorithm, or the converged one). */
    public static ResolutionSpec measured(boolean converged) {
        return new ResolutionSpec(converged ? Kind.DATA_EXACT : Kind.DATA, Double.NaN);
    }

    /**
     * Parses {@code none}, {@code data}, {@code data-exact}, {@code pinhole:F} or
     * {@code pinhole-exact:F}.
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
            return kind == Kind.NONE ? NONE : new ResolutionSpec(kind, Double.NaN);
        }
        if (colon < 0) {
            throw new IllegalArgumentException("resolution '" + text + "': " + kind.label
                    + " needs the relative width, e.g. " + kind.label + ":0.05; expected " + FORMS);
        }
        double f;
        try {
            f = Double.parseDouble(t.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("resolution '" + text + "': the width '" + t.substring(colon + 1).trim()
                    + "' is not a number; expected " + FORMS, e);
        }
        if (!Double.isFinite(f) || f < 0) {
            throw new IllegalArgumentException("resolution '" + text + "': the relative width DQ_OVER_Q must be a finite "
                    + "number >= 0");
        }
        return new ResolutionSpec(kind, f);
    }

    /** The kind. */
    public Kind kind() {
        return kind;
    }

    /** The relative width Δq/q of {@code pinhole} kinds (NaN for the others). */
    public double dqOverQ() {
        return dqOverQ;
    }

    /**
     * The operator for grid {@code q} when no Δq was measured: empty for {@code none}.
     *
     * @throws IllegalArgumentException for {@code data} kinds, which need the measured Δq
     */
    public Optional<ResolutionOperator> operator(QGrid q) {
        if (kind.usesMeasuredDq()) {
            throw new IllegalArgumentException("resolution '" + this + "' takes dq from a measured curve, and none is "
                    + "given here; use pinhole:DQ_OVER_Q or none");
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
                return Optional.of(Pinhole.sasmodels(q, dqOverQ));
            case PINHOLE_EXACT:
                return Optional.of(Pinhole.converged(q, dqOverQ));
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

    @Override
    public String toString() {
        if (!kind.takesWidth()) {
            return kind.label;
        }
        double f = dqOverQ;
        return kind.label + ":" + (f == Math.rint(f) && Math.abs(f) < 1e15 ? Long.toString((long) f) : Double.toString(f));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolutionSpec r && r.kind == kind && Double.compare(r.dqOverQ, dqOverQ) == 0;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Double.hashCode(dqOverQ);
    }
}
