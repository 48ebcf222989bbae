package org.lnpsaxs.core.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One curve of a file and what the file says about it.
 *
 * @param number        1-based position in the file ({@link EntrySelector#number(int)})
 * @param name          the entry's name: the {@code SASentry} name or title (canSAS XML), the
 *                      group path (NXcanSAS), the file's name (ASCII); never null
 * @param curve         the curve, q and the q resolutions in Å⁻¹, I and σ in {@link #intensityUnit()}
 * @param format        the file's format
 * @param qUnit         the unit q had in the file (converted to Å⁻¹ in {@code curve})
 * @param qUnitReason   why that unit: e.g. {@code told}, {@code header line 3}, {@code unit attribute},
 *                      {@code NIST .ABS convention}, {@code default (no unit found)}
 * @param intensityUnit the unit of I as the file states it (e.g. {@code 1/cm}), or null when it
 *                      states none; I is never converted
 * @param columns       the quantities read per row, in the file's names (e.g. {@code [Q, I, Idev, Qdev]})
 * @param firstLine     the 1-based line of the first data row (text formats), 0 for HDF5
 * @param sorted        whether the rows were out of q order and were sorted
 * @param mergedRows    how many rows were merged into others because they repeated a q
 * @param metadata      what the file says about the measurement (title, run, sample, instrument,
 *                      wavelength, header and footer lines, ...), in file order
 * @param notes         warnings about this curve (also logged): a missing unit, merged or sorted
 *                      rows, a dq of zero everywhere, implausible columns, ...
 */
public record CurveEntry(int number, String name, ScatteringCurve curve, CurveFormat format, QUnit qUnit,
        String qUnitReason, String intensityUnit, List<String> columns, int firstLine, boolean sorted, int mergedRows,
        Map<String, String> metadata, List<String> notes) {

    /** Copies the collections (unmodifiable, order kept). */
    public CurveEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(curve, "curve");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(qUnit, "qUnit");
        columns = List.copyOf(columns);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        notes = List.copyOf(notes);
    }

    /** The metadata value for {@code key}, or null. */
    public String metadata(String key) {
        return metadata.get(key);
    }

    @Override
    public String toString() {
        return "CurveEntry[" + number + " '" + name + "': " + curve + ", " + format.description() + ", q in "
                + qUnit.symbol() + " (" + qUnitReason + ")" + (notes.isEmpty() ? "" : ", " + notes.size() + " note(s)")
                + "]";
    }
}
