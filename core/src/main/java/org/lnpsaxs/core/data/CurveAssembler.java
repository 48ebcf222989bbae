package org.lnpsaxs.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where raw rows become a {@link ScatteringCurve}, whatever the format: q and the q
 * resolutions are converted to Å⁻¹; rows out of q order are sorted; rows that repeat a q are merged
 * (see {@link #merge}); a dq of 0 on every row is dropped (it says "no resolution", not "a perfect
 * one"), and so is a slit length or width of 0 everywhere; implausible columns are noted. Values
 * have been checked by the format's parser (finite, non-negative), which places errors better.
 */
final class CurveAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(CurveReader.class);

    /** The smallest number of rows a curve must have. */
    static final int MIN_POINTS = 3;

    /** Names a row's place in the file for messages: {@code line 12}, {@code /sasentry01/sasdata/I[3]}. */
    interface Places {
        String of(int where);

        CurveFormatException error(int where, String problem);
    }

    /** Places that are text lines. */
    static Places lines(String file) {
        return new Places() {
            @Override
            public String of(int where) {
                return "line " + where;
            }

            @Override
            public CurveFormatException error(int where, String problem) {
                return new CurveFormatException(file, where, problem);
            }
        };
    }

    /** What {@link #assemble} made. */
    record Assembled(ScatteringCurve curve, boolean sorted, int merged) {
    }

    private CurveAssembler() {
    }

    /**
     * @param rows   the raw rows (consumed: their columns are taken)
     * @param unit   the unit of q, dq and the slit values in {@code rows}
     * @param source the curve's source label
     * @param places how to name a row's place
     * @param notes  where warnings go (each is also logged)
     */
    static Assembled assemble(RowBuffer rows, QUnit unit, String source, Places places, List<String> notes)
            throws CurveFormatException {
        int n = rows.size;
        if (n < MIN_POINTS) {
            throw places.error(n == 0 ? 0 : rows.where(n - 1), "only " + n + " data row" + (n == 1 ? "" : "s")
                    + "; a curve needs at least " + MIN_POINTS);
        }
        double[][] col = new double[RowBuffer.COLUMNS][];
        for (int c = 0; c < RowBuffer.COLUMNS; c++) {
            col[c] = rows.take(c); // one column at a time: the blocks of each are freed as it is copied
        }
        int[] where = rows.takeWhere();
        if (unit != QUnit.ANGSTROM_INVERSE) {
            for (int c : new int[] {RowBuffer.Q, RowBuffer.DQ, RowBuffer.SLIT_LENGTH, RowBuffer.SLIT_WIDTH}) {
                if (col[c] != null) {
                    double[] v = col[c];
                    for (int i = 0; i < n; i++) {
                        v[i] = unit.toAngstromInverse(v[i]);
                    }
                }
            }
        }
        double[] q = col[RowBuffer.Q];
        for (int i = 0; i < n; i++) {
            q[i] += 0.0; // -0.0 becomes 0.0
        }
        boolean sorted = false;
        for (int i = 1; i < n; i++) {
            if (q[i] < q[i - 1]) {
                note(notes, source, String.format(Locale.ROOT, "q is not ascending (%s has q = %s 1/A after %s on %s);"
                        + " sorted the %d rows by q", places.of(where[i]), q[i], q[i - 1], places.of(where[i - 1]), n));
                int[] order = ScatteringCurve.sortOrder(q);
                for (int c = 0; c < RowBuffer.COLUMNS; c++) {
                    if (col[c] != null) {
                        col[c] = ScatteringCurve.permute(col[c], order);
                    }
                }
                int[] w = new int[n];
                for (int k = 0; k < n; k++) {
                    w[k] = where[order[k]];
                }
                where = w;
                q = col[RowBuffer.Q];
                sorted = true;
                break;
            }
        }
        int before = n;
        n = merge(col, where, n, places, source, notes);
        if (n < MIN_POINTS) {
            throw places.error(where[n - 1], "only " + n + " distinct q value" + (n == 1 ? "" : "s") + " after merging"
                    + " repeated q; a curve needs at least " + MIN_POINTS);
        }
        double[][] out = new double[RowBuffer.COLUMNS][];
        for (int c = 0; c < RowBuffer.COLUMNS; c++) {
            if (col[c] != null) {
                out[c] = col[c].length == n ? col[c] : Arrays.copyOf(col[c], n);
                col[c] = null; // let the longer array go before the next copy
            }
        }
        if (out[RowBuffer.DQ] != null && allZero(out[RowBuffer.DQ])) {
            note(notes, source, "dq is 0 on every row: that means no resolution information, so the curve has no dq");
            out[RowBuffer.DQ] = null;
        }
        if (out[RowBuffer.SLIT_WIDTH] != null && allZero(out[RowBuffer.SLIT_WIDTH])) {
            out[RowBuffer.SLIT_WIDTH] = null;
        }
        if (out[RowBuffer.SLIT_LENGTH] != null && allZero(out[RowBuffer.SLIT_LENGTH])) {
            if (out[RowBuffer.SLIT_WIDTH] == null) {
                note(notes, source, "the slit length dQl is 0 on every row: no slit resolution");
                out[RowBuffer.SLIT_LENGTH] = null;
            }
        }
        if (out[RowBuffer.SLIT_WIDTH] != null && out[RowBuffer.SLIT_LENGTH] == null) {
            out[RowBuffer.SLIT_LENGTH] = new double[n];
        }
        plausibility(out, n, source, notes);
        ScatteringCurve curve = ScatteringCurve.adopt(out[RowBuffer.Q], out[RowBuffer.I], out[RowBuffer.SIGMA],
                out[RowBuffer.DQ], out[RowBuffer.SLIT_LENGTH], out[RowBuffer.SLIT_WIDTH], source);
        return new Assembled(curve, sorted, before - n);
    }

    /**
     * Merges rows of equal q (adjacent after sorting) into one: with σ &gt; 0 on every merged row,
     * I is the inverse-variance weighted mean \( \sum I_k/\sigma_k^2 / \sum 1/\sigma_k^2 \) and σ
     * becomes \( (\sum 1/\sigma_k^2)^{-1/2} \); otherwise I is the plain mean and σ (when present)
     * \( \sqrt{\sum \sigma_k^2}/m \); dq and slit values are averaged. Returns the new row count.
     */
    private static int merge(double[][] col, int[] where, int n, Places places, String source, List<String> notes) {
        double[] q = col[RowBuffer.Q];
        int dup = -1;
        for (int i = 1; i < n; i++) {
            if (q[i] == q[i - 1]) {
                dup = i;
                break;
            }
        }
        if (dup < 0) {
            return n;
        }
        double firstQ = q[dup];
        String firstA = places.of(Math.min(where[dup - 1], where[dup]));
        String firstB = places.of(Math.max(where[dup - 1], where[dup]));
        double[] in = col[RowBuffer.I];
        double[] s = col[RowBuffer.SIGMA];
        int groups = 0;
        int extra = 0;
        int out = 0;
        for (int i = 0; i < n; ) {
            int j = i + 1;
            while (j < n && q[j] == q[i]) {
                j++;
            }
            int m = j - i;
            if (m > 1) {
                groups++;
                extra += m - 1;
            }
            boolean weighted = s != null;
            for (int k = i; k < j && weighted; k++) {
                weighted = s[k] > 0;
            }
            double iv;
            double sv = 0;
            if (m == 1) {
                iv = in[i];
                sv = s == null ? 0 : s[i];
            } else if (weighted) {
                double sw = 0;
                double swi = 0;
                for (int k = i; k < j; k++) {
                    double wk = 1 / (s[k] * s[k]);
                    sw += wk;
                    swi += wk * in[k];
                }
                iv = swi / sw;
                sv = 1 / Math.sqrt(sw);
            } else {
                double sum = 0;
                double ss = 0;
                for (int k = i; k < j; k++) {
                    sum += in[k];
                    if (s != null) {
                        ss += s[k] * s[k];
                    }
                }
                iv = sum / m;
                sv = Math.sqrt(ss) / m;
            }
            q[out] = q[i];
            in[out] = iv;
            if (s != null) {
                s[out] = sv;
            }
            for (int c = RowBuffer.DQ; c < RowBuffer.COLUMNS; c++) {
                double[] v = col[c];
                if (v != null) {
                    double sum = 0;
                    for (int k = i; k < j; k++) {
                        sum += v[k];
                    }
                    v[out] = sum / m;
                }
            }
            where[out] = where[i];
            out++;
            i = j;
        }
        note(notes, source, String.format(Locale.ROOT, "%d row%s repeated the q of another row (first: q = %s 1/A on"
                + " %s and %s); each of the %d repeated q values now has one row, whose I is the %s mean of the"
                + " repeats", extra, extra == 1 ? "" : "s", firstQ, firstA, firstB, groups,
                s == null ? "plain" : "inverse-variance weighted"));
        return out;
    }

    private static boolean allZero(double[] v) {
        for (double x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** Notes columns that cannot be what their place says (e.g. a dq far above q). */
    private static void plausibility(double[][] col, int n, String source, List<String> notes) {
        double[] q = col[RowBuffer.Q];
        double[] dq = col[RowBuffer.DQ];
        if (dq != null) {
            int stride = Math.max(1, n / 10_000); // the median of at most ~10^4 evenly spaced rows: small, and enough
            double[] ratio = new double[n / stride + 1];
            int m = 0;
            for (int i = 0; i < n; i += stride) {
                if (q[i] > 0) {
                    ratio[m++] = dq[i] / q[i];
                }
            }
            if (m > 0) {
                Arrays.sort(ratio, 0, m);
                double median = ratio[m / 2];
                if (median > 1) {
                    note(notes, source, String.format(Locale.ROOT, "dq is larger than q on most rows (median dq/q = %.3g):"
                            + " the 4th column may not be the q resolution (one standard deviation, in the unit of q)",
                            median));
                }
            }
        }
        double[] s = col[RowBuffer.SIGMA];
        if (s != null) {
            double[] in = col[RowBuffer.I];
            int big = 0;
            for (int i = 0; i < n; i++) {
                if (s[i] > 100 * Math.abs(in[i])) {
                    big++;
                }
            }
            if (big * 2 > n) {
                note(notes, source, "sigma exceeds 100 |I| on most rows: the 3rd column may not be the uncertainty of I");
            }
        }
    }

    static void note(List<String> notes, String source, String note) {
        notes.add(note);
        LOG.warn("{}: {}", source, note);
    }
}
