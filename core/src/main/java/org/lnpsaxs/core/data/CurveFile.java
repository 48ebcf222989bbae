package org.lnpsaxs.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every curve a file holds, as {@link CurveReader#readAll(java.nio.file.Path)} returns them.
 *
 * @param source  the file's name as given to the reader
 * @param format  the format recognised from the content
 * @param version the format's version where it has one (canSAS XML {@code 1.0}/{@code 1.1}), else null
 * @param entries the curves, in file order, numbered from 1; never empty
 * @param notes   warnings about the file as a whole (e.g. 2D data that was not read)
 */
public record CurveFile(String source, CurveFormat format, String version, List<CurveEntry> entries,
        List<String> notes) {

    /** Copies the lists (unmodifiable). */
    public CurveFile {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        entries = List.copyOf(entries);
        notes = List.copyOf(notes);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + ": a curve file holds at least one curve");
        }
    }

    /** The number of curves. */
    public int size() {
        return entries.size();
    }

    /**
     * The curves {@code selector} picks: one for {@link EntrySelector#only()} (when the file has
     * exactly one), a number or a name; all of them for {@link EntrySelector#all()}.
     *
     * @throws CurveFormatException naming the file's curves when none, or (for {@code only} or a
     *                              name) more than one fits
     */
    public List<CurveEntry> select(EntrySelector selector) throws CurveFormatException {
        Objects.requireNonNull(selector, "selector");
        if (selector.isAll()) {
            return entries;
        }
        if (selector.isOnly()) {
            if (entries.size() == 1) {
                return entries;
            }
            throw refuse("holds " + entries.size() + " curves (" + listing() + "); choose one by its number (1-"
                    + entries.size() + ") or name, or read them all");
        }
        if (selector.number() > 0) {
            if (selector.number() > entries.size()) {
                throw refuse("has no entry " + selector.number() + ": it holds " + entries.size() + " curve"
                        + (entries.size() == 1 ? "" : "s") + " (" + listing() + ")");
            }
            return List.of(entries.get(selector.number() - 1));
        }
        List<CurveEntry> exact = new ArrayList<>();
        List<CurveEntry> loose = new ArrayList<>();
        for (CurveEntry e : entries) {
            if (e.name().equals(selector.name())) {
                exact.add(e);
            } else if (e.name().equalsIgnoreCase(selector.name())) {
                loose.add(e);
            }
        }
        List<CurveEntry> found = exact.isEmpty() ? loose : exact;
        if (found.size() == 1) {
            return found;
        }
        throw refuse((found.isEmpty() ? "has no entry named '" : "has several entries named '") + selector.name()
                + "'; its curves: " + listing() + "; choose by number");
    }

    /** The one curve {@code selector} picks. */
    public CurveEntry entry(EntrySelector selector) throws CurveFormatException {
        List<CurveEntry> s = select(selector);
        if (s.size() != 1) {
            throw refuse("holds " + s.size() + " curves (" + listing() + "); one is needed here: choose it by its"
                    + " number or name");
        }
        return s.get(0);
    }

    private CurveFormatException refuse(String problem) {
        return new CurveFormatException(source, "entries", problem, null);
    }

    /** {@code 1: 'a', 2: 'b'}, at most 10 listed. */
    private String listing() {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(entries.size(), 10);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(entries.get(i).number()).append(": '").append(entries.get(i).name())
                    .append('\'');
        }
        if (shown < entries.size()) {
            sb.append(", ... ").append(entries.size() - shown).append(" more");
        }
        return sb.toString();
    }
}
