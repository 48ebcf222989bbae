package org.lnpsaxs.core.data;

import java.util.Objects;

/**
 * Which curves of a file to read, where a file holds several (canSAS XML and NXcanSAS files may
 * hold several {@code SASentry}/{@code SASdata}): {@link #only()} (the default: the file must hold
 * exactly one), {@link #all()}, {@link #number(int)} (1-based, in file order, as listed by
 * {@link CurveFile#entries()}), or {@link #name(String)}. Immutable.
 */
public final class EntrySelector {

    private enum Kind { ONLY, ALL, NUMBER, NAME }

    private static final EntrySelector ONLY = new EntrySelector(Kind.ONLY, 0, null);
    private static final EntrySelector ALL = new EntrySelector(Kind.ALL, 0, null);

    private final Kind kind;
    private final int number;
    private final String name;

    private EntrySelector(Kind kind, int number, String name) {
        this.kind = kind;
        this.number = number;
        this.name = name;
    }

    /** The only curve of the file; a file with several is refused with a message listing them. */
    public static EntrySelector only() {
        return ONLY;
    }

    /** Every curve of the file, in file order. */
    public static EntrySelector all() {
        return ALL;
    }

    /**
     * The curve with this 1-based number.
     *
     * @throws IllegalArgumentException when {@code number < 1}
     */
    public static EntrySelector number(int number) {
        if (number < 1) {
            throw new IllegalArgumentException("entry number " + number + " must be >= 1 (entries count from 1)");
        }
        return new EntrySelector(Kind.NUMBER, number, null);
    }

    /**
     * The curve with this name (exactly, or else ignoring case; a name that fits several is refused).
     *
     * @throws IllegalArgumentException when {@code name} is blank
     */
    public static EntrySelector name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an entry name must not be blank");
        }
        return new EntrySelector(Kind.NAME, 0, name);
    }

    /**
     * Parses {@code all}, a 1-based number or a name; null or blank gives {@link #only()}.
     *
     * @throws IllegalArgumentException for a number below 1
     */
    public static EntrySelector parse(String text) {
        if (text == null || text.isBlank()) {
            return ONLY;
        }
        String t = text.strip();
        if (t.equalsIgnoreCase("all")) {
            return ALL;
        }
        if (t.matches("[+-]?\\d{1,9}")) {
            return number(Integer.parseInt(t));
        }
        return name(t);
    }

    /** Whether this selects every curve. */
    public boolean isAll() {
        return kind == Kind.ALL;
    }

    /** Whether this is {@link #only()}. */
    public boolean isOnly() {
        return kind == Kind.ONLY;
    }

    /** The 1-based number selected, or 0 when this does not select by number. */
    public int number() {
        return number;
    }

    /** The name selected, or null when this does not select by name. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntrySelector e && e.kind == kind && e.number == number && Objects.equals(e.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, number, name);
    }

    /** {@code only}, {@code all}, the number, or the name. */
    @Override
    public String toString() {
        return switch (kind) {
            case ONLY -> "only";
            case ALL -> "all";
            case NUMBER -> Integer.toString(number);
            case NAME -> name;
        };
    }
}
