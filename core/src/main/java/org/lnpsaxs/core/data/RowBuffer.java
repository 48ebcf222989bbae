package org.lnpsaxs.core.data;

import java.util.Arrays;

/**
 * Growable primitive columns of raw data rows (values as in the file, before unit conversion):
 * q, I, σ, dq, slit length, slit width, and where each row came from (a line number, or an index
 * for HDF5). A column is allocated when its first value arrives ({@code NaN} means absent). Before
 * growing, the buffer checks the row limit and that the Java heap can hold the larger arrays, and
 * refuses with a {@link CurveFormatException} that names the limit.
 */
final class RowBuffer {

    static final int Q = 0;
    static final int I = 1;
    static final int SIGMA = 2;
    static final int DQ = 3;
    static final int SLIT_LENGTH = 4;
    static final int SLIT_WIDTH = 5;
    static final int COLUMNS = 6;

    private final String file;
    private final int maxRows;
    final double[][] col = new double[COLUMNS][];
    int[] where;
    int size;

    RowBuffer(String file, int maxRows) {
        this.file = file;
        this.maxRows = maxRows;
        this.where = new int[16];
        col[Q] = new double[16];
        col[I] = new double[16];
    }

    /** A full buffer of the given columns (not copied); rows are placed by their index. */
    static RowBuffer adopt(String file, double[] q, double[] i, double[] s, double[] d, double[] l, double[] w) {
        RowBuffer b = new RowBuffer(file, q.length);
        b.col[Q] = q;
        b.col[I] = i;
        b.col[SIGMA] = s;
        b.col[DQ] = d;
        b.col[SLIT_LENGTH] = l;
        b.col[SLIT_WIDTH] = w;
        b.size = q.length;
        b.where = new int[q.length];
        for (int k = 0; k < q.length; k++) {
            b.where[k] = k;
        }
        return b;
    }

    void clear() {
        size = 0;
        for (int c = SIGMA; c < COLUMNS; c++) {
            col[c] = null;
        }
    }

    boolean has(int column) {
        return col[column] != null;
    }

    /** Adds a row; {@code NaN} in an optional column means the row has no such value. */
    void add(double q, double i, double s, double d, double l, double w, int place) throws CurveFormatException {
        if (size == where.length) {
            grow();
        }
        col[Q][size] = q;
        col[I][size] = i;
        put(SIGMA, s);
        put(DQ, d);
        put(SLIT_LENGTH, l);
        put(SLIT_WIDTH, w);
        where[size] = place;
        size++;
    }

    private void put(int c, double v) {
        if (col[c] == null) {
            if (Double.isNaN(v)) {
                return;
            }
            col[c] = new double[where.length];
            Arrays.fill(col[c], 0, size, Double.NaN);
        }
        col[c][size] = v;
    }

    private void grow() throws CurveFormatException {
        if (size >= maxRows) {
            throw new CurveFormatException(file, "rows", "more than " + maxRows + " data rows (the reader's limit,"
                    + " ReadLimits.maxRows); a SAS curve has far fewer: is this a 2D image or an event list?", null);
        }
        int cap = (int) Math.min((long) maxRows, Math.max(16L, size * 2L));
        int columns = 0;
        for (double[] c : col) {
            if (c != null) {
                columns++;
            }
        }
        long need = (long) cap * (8L * (columns + 1) + 4L); // the new arrays, one more column for what may come
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need > free) {
            throw new CurveFormatException(file, "rows", "too large for the Java heap: holding " + cap
                    + " rows needs about " + ReadLimits.bytes(need) + " more, " + ReadLimits.bytes(Math.max(0, free))
                    + " is free (give Java more heap, e.g. -Xmx4g, or read fewer rows)", null);
        }
        where = Arrays.copyOf(where, cap);
        for (int c = 0; c < COLUMNS; c++) {
            if (col[c] != null) {
                col[c] = Arrays.copyOf(col[c], cap);
            }
        }
    }
}
