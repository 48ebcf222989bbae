package org.lnpsaxs.core.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.lnpsaxs.core.Lnpsaxs;
import org.lnpsaxs.core.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link ScatteringCurve} as UTF-8 text that {@link CurveReader} reads back exactly:
 * a {@code #} header (what wrote it, the source, optional metadata lines {@code # key: value},
 * the units, the column names), then one row per point — q, I, and σ and dq when the curve has
 * them — separated by single spaces, each number with 17 significant digits ({@code %.16e}, enough
 * to give back the same double), lines ending in {@code \n}. Flagged rows are written like the
 * others. A curve with dq but without σ cannot be written (the columns are positional) and is
 * refused with an {@link IllegalArgumentException}.
 *
 * <p>{@link #withFourColumns(boolean)} always writes {@code q I sigma dq}, with dq = 0 where the
 * curve has no resolution (which the reader reads back as "no dq"). A slit-smeared curve (a slit
 * length dQl, no pinhole dq) is written with dq = −dQl in the fourth column, the NIST convention,
 * which the reader reads back as the slit length; a slit width cannot be written and is named in
 * the header (and logged) instead.
 *
 * <p>q and dq are written in Å⁻¹ by default, or in nm⁻¹ with {@link #withQUnit(QUnit)}
 * (\( q[\text{nm}^{-1}] = 10\,q[\text{Å}^{-1}] \)); the column-name row (always the last header
 * line) says which, so the reader finds the unit without being told. Values in Å⁻¹ read back bit
 * for bit; values written in nm⁻¹ read back as the same nm⁻¹ numbers, converted once ({@code q·10}
 * then {@code /10}, which may differ from the original q by a rounding step).
 *
 * <p>Files are written atomically: to a temporary file in the same directory, then renamed over
 * the target; a symbolic link at the target is refused, never followed.
 *
 * <p>Example of the output:
 * <pre>
 * # lnpsaxs 0.1.0 scattering curve
 * # source: lnp.dat
 * # q and dq in 1/A; I and sigma in the unit of the source (1/cm for absolute data)
 * # q(1/A) I sigma
 * 1.0000000000000000e-02 1.2345678901234567e+02 1.0000000000000000e+00
 * </pre>
 */
public final class CurveWriter {

    private static final Logger LOG = LoggerFactory.getLogger(CurveWriter.class);

    private static final CurveWriter DEFAULTS = new CurveWriter(QUnit.ANGSTROM_INVERSE, Map.of(), false);

    private final QUnit qUnit;
    private final Map<String, String> metadata;
    private final boolean fourColumns;

    private CurveWriter(QUnit qUnit, Map<String, String> metadata, boolean fourColumns) {
        this.qUnit = qUnit;
        this.metadata = metadata;
        this.fourColumns = fourColumns;
    }

    /** A writer of q in Å⁻¹, only the columns the curve has, no metadata lines. */
    public static CurveWriter defaults() {
        return DEFAULTS;
    }

    /** A writer of q and dq in {@code unit}. */
    public CurveWriter withQUnit(QUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return unit == qUnit ? this : new CurveWriter(unit, metadata, fourColumns);
    }

    /** The unit this writer writes q and dq in. */
    public QUnit qUnit() {
        return qUnit;
    }

    /**
     * A writer that adds these {@code # key: value} lines to the header, in map order (line breaks
     * and control characters in keys and values become spaces).
     */
    public CurveWriter withMetadata(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        Map<String, String> copy = new LinkedHashMap<>();
        metadata.forEach((k, v) -> copy.put(clean(String.valueOf(k)), clean(String.valueOf(v))));
        return new CurveWriter(qUnit, java.util.Collections.unmodifiableMap(copy), fourColumns);
    }

    /**
     * A writer that always writes the four columns {@code q I sigma dq} (dq = 0 where the curve has
     * no resolution; −dQl for a slit-smeared curve), or (false) only the columns the curve has.
     * Four columns need σ: a curve without σ is refused.
     */
    public CurveWriter withFourColumns(boolean always) {
        return always == fourColumns ? this : new CurveWriter(qUnit, metadata, always);
    }

    /** Writes {@code curve} to {@code file} (created or replaced atomically, never through a symbolic link: see {@link AtomicFiles}). */
    public void write(ScatteringCurve curve, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        AtomicFiles.write(file, out -> write(curve, out));
    }

    /** Writes {@code curve} as UTF-8 to {@code out} (flushed, not closed). */
    public void write(ScatteringCurve curve, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        write(curve, w);
        w.flush();
    }

    /** Writes {@code curve} to {@code out} (not flushed, not closed). */
    public void write(ScatteringCurve curve, Writer out) throws IOException {
        Objects.requireNonNull(curve, "curve");
        Objects.requireNonNull(out, "out");
        int n = curve.size();
        double[] q = curve.q();
        double[] intensity = curve.intensity();
        double[] sigma = curve.sigma();
        double[] dq = curve.dq();
        String label = curve.source() == null ? "(unnamed)" : curve.source();
        List<String> comments = new ArrayList<>();
        boolean slitColumn = false;
        if (curve.hasSlit()) {
            double[] width = curve.slitWidth();
            if (dq == null) {
                dq = curve.slitLength();
                for (int i = 0; i < n; i++) {
                    dq[i] = -dq[i];
                }
                slitColumn = true;
                comments.add("slit-smeared data: the 4th column is -dQl, minus the slit length (the NIST convention)");
            } else {
                comments.add("this curve also has a slit resolution (dQl) that the columns cannot hold; it is not"
                        + " written");
                LOG.warn("{}: the slit length dQl is not written (the curve also has a pinhole dq)", label);
            }
            if (width != null) {
                comments.add("this curve has a slit width dQw (" + qUnit.symbol() + ") that the columns cannot hold;"
                        + " it is not written");
                LOG.warn("{}: the slit width dQw is not written", label);
            }
        }
        if (dq != null && sigma == null) {
            throw new IllegalArgumentException("curve " + label + " has " + (slitColumn ? "a slit length" : "dq")
                    + " but no sigma; the column order q, I, sigma, dq cannot hold that (remove "
                    + (slitColumn ? "the slit with withSlit(null, null)" : "dq with withDq(null)") + " or give sigma)");
        }
        if (fourColumns && sigma == null) {
            throw new IllegalArgumentException("curve " + label + " has no sigma; the four columns q I sigma dq need"
                    + " it (write only the columns the curve has instead)");
        }
        boolean zeroDq = false;
        if (fourColumns && dq == null) {
            dq = new double[n];
            zeroDq = true;
            comments.add("dq = 0 on every row: the source gives no q resolution");
        }
        String u = qUnit.symbol();
        StringBuilder sb = new StringBuilder(512 + n * 24 * (2 + (sigma == null ? 0 : 1) + (dq == null ? 0 : 1)));
        sb.append("# lnpsaxs ").append(Lnpsaxs.version()).append(" scattering curve\n");
        if (curve.source() != null) {
            sb.append("# source: ").append(clean(curve.source())).append('\n');
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            sb.append("# ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        for (String c : comments) {
            sb.append("# ").append(c).append('\n');
        }
        sb.append("# q").append(dq == null || zeroDq ? "" : slitColumn ? " and dQl" : " and dq").append(" in ").append(u)
                .append("; I").append(sigma == null ? "" : " and sigma")
                .append(" in the unit of the source (1/cm for absolute data)\n");
        sb.append("# q(").append(u).append(") I");
        if (sigma != null) {
            sb.append(" sigma");
        }
        if (dq != null) {
            sb.append(" dq(").append(u).append(')');
        }
        sb.append('\n');
        for (int i = 0; i < n; i++) {
            sb.append(number(qUnit.fromAngstromInverse(q[i]), "q", i)).append(' ').append(number(intensity[i], "I", i));
            if (sigma != null) {
                sb.append(' ').append(number(sigma[i], "sigma", i));
            }
            if (dq != null) {
                sb.append(' ').append(number(qUnit.fromAngstromInverse(dq[i]), "dq", i));
            }
            sb.append('\n');
        }
        out.write(sb.toString());
    }

    /** The text {@link #write(ScatteringCurve, Writer)} would write. */
    public String toString(ScatteringCurve curve) {
        StringWriter w = new StringWriter();
        try {
            write(curve, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not throw
        }
        return w.toString();
    }

    private static String clean(String s) {
        return s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ");
    }

    private static String number(double v, String column, int row) {
        if (!Double.isFinite(v)) { // only a conversion to nm⁻¹ of a huge q can overflow
            throw new IllegalArgumentException(column + "[" + row + "] overflows to " + v + " in 1/nm");
        }
        return String.format(Locale.ROOT, "%.16e", v);
    }
}
