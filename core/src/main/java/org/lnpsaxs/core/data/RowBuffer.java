package org.lnpsaxs.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw data rows (values as in the file, before unit conversion) in primitive columns: q, I, σ,
 * dq, slit length, slit width, and where each row came from (a line number, or an index for HDF5).
 * The columns grow in blocks of {@value #BLOCK} rows, so growing never copies what is held; a
 * column is allocated when its first value arrives ({@code NaN} means absent). {@link #take(int)}
 * hands a column over as one array of exactly {@link #size} values and frees its blocks. Before a
 * block is added the buffer checks the row limit and that the Java heap can hold it and the final
 * arrays, and refuses with a {@link CurveFormatException} that names the limit.
 */
final class RowBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(CurveReader.class);

    static final int Q = 0;
    static final int I = 1;
    static final int SIGMA = 2;
    static final int DQ = 3;
    static final int SLIT_LENGTH = 4;
    static final int SLIT_WIDTH = 5;
    static final int COLUMNS = 6;

    /**
     * Rows per block (a power of two): 256 KiB per column, below half of G1's smallest region, so
     * that blocks are not allocated as "humongous" objects that waste the rest of a region.
     */
    static final int BLOCK = 1 << 15;
    private static final int SHIFT = 15;

    /** Each millionth row is logged (at INFO), so that a long read shows progress. */
    private static final int PROGRESS = 1_000_000;

    private final String file;
    private final int maxRows;
    /** blocks.get(c) is null for an absent column, else its blocks. */
    private final List<List<double[]>> blocks = new ArrayList<>(java.util.Collections.nCopies(COLUMNS, null));
    private final List<int[]> where = new ArrayList<>();
    int size;

    RowBuffer(String file, int maxRows) {
        this.file = file;
        this.maxRows = maxRows;
        blocks.set(Q, new ArrayList<>());
        blocks.set(I, new ArrayList<>());
    }

    /** A full buffer of the given columns (not copied; any may be null but q and I); rows are placed by their index. */
    static RowBuffer adopt(String file, double[] q, double[] i, double[] s, double[] d, double[] l, double[] w) {
        RowBuffer b = new RowBuffer(file, q.length);
        double[][] cols = {q, i, s, d, l, w};
        for (int c = 0; c < COLUMNS; c++) {
            b.blocks.set(c, cols[c] == null ? null : new ArrayList<>(List.of(cols[c])));
        }
        int[] idx = new int[q.length];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = k;
        }
        b.where.add(idx);
        b.size = q.length;
        return b;
    }

    void clear() {
        size = 0;
        where.clear();
        blocks.get(Q).clear();
        blocks.get(I).clear();
        for (int c = SIGMA; c < COLUMNS; c++) {
            blocks.set(c, null);
        }
    }

    boolean has(int column) {
        return blocks.get(column) != null;
    }

    /** Adds a row; {@code NaN} in an optional column means the row has no such value. */
    void add(double q, double i, double s, double d, double l, double w, int place) throws CurveFormatException {
        if (size >= maxRows) {
            throw new CurveFormatException(file, "rows", "more than " + maxRows + " data rows (the reader's limit,"
                    + " ReadLimits.maxRows); a SAS curve has far fewer: is this a 2D image or an event list?", null);
        }
        int b = size >>> SHIFT;
        int k = size & (BLOCK - 1);
        if (k == 0 && b == where.size()) {
            grow();
        }
        blocks.get(Q).get(b)[k] = q;
        blocks.get(I).get(b)[k] = i;
        put(SIGMA, s, b, k);
        put(DQ, d, b, k);
        put(SLIT_LENGTH, l, b, k);
        put(SLIT_WIDTH, w, b, k);
        where.get(b)[k] = place;
        size++;
    }

    private void put(int c, double v, int b, int k) {
        if (blocks.get(c) == null) {
            if (Double.isNaN(v)) {
                return;
            }
            blocks.set(c, new ArrayList<>());
            for (int j = 0; j < where.size(); j++) {
                double[] block = new double[BLOCK];
                Arrays.fill(block, Double.NaN);
                blocks.get(c).add(block);
            }
        }
        blocks.get(c).get(b)[k] = v;
    }

    private void grow() throws CurveFormatException {
        int columns = 1;
        for (List<double[]> c : blocks) {
            if (c != null) {
                columns++; // one more than held, for a column that may still come
            }
        }
        // this block, and room to hand over the longest column as one array at the end
        long need = (long) BLOCK * (8L * columns + 4L) + 8L * (size + BLOCK);
        long free = free();
        if (need > free) {
            // what looks used may be garbage of the parse: collect once before refusing (rare: near the limit)
            System.gc();
            free = free();
        }
        if (need > free) {
            throw new CurveFormatException(file, "rows", "too large for the Java heap: " + size + " rows are held and"
                    + " more need about " + ReadLimits.bytes(need) + ", " + ReadLimits.bytes(Math.max(0, free))
                    + " is free (give Java more heap, e.g. -Xmx4g, or read fewer rows)", null);
        }
        if (size > 0 && size % PROGRESS < BLOCK) {
            LOG.info("{}: {} data rows read so far", file, size);
        }
        for (List<double[]> c : blocks) {
            if (c != null) {
                double[] block = new double[BLOCK];
                c.add(block);
            }
        }
        where.add(new int[BLOCK]);
    }

    private static long free() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** Negates a column in place and moves it to another (NIST: −σ_q on every row is the slit length). */
    void negateInto(int from, int to) {
        List<double[]> c = blocks.get(from);
        for (double[] block : c) {
            for (int k = 0; k < block.length; k++) {
                block[k] = -block[k];
            }
        }
        blocks.set(to, c);
        blocks.set(from, null);
    }

    /** The column as one array of {@link #size} values (null when absent); its blocks are released. */
    double[] take(int column) {
        List<double[]> c = blocks.get(column);
        if (c == null) {
            return null;
        }
        blocks.set(column, column <= I ? new ArrayList<>() : null);
        if (c.size() == 1 && c.get(0).length == size) {
            return c.get(0);
        }
        double[] out = new double[size];
        for (int b = 0, from = 0; from < size; b++, from += BLOCK) {
            System.arraycopy(c.get(b), 0, out, from, Math.min(BLOCK, size - from));
            c.set(b, null);
        }
        return out;
    }

    /** Where each row came from, as one array of {@link #size} values. */
    int[] takeWhere() {
        if (where.size() == 1 && where.get(0).length == size) {
            return where.get(0);
        }
        int[] out = new int[size];
        for (int b = 0, from = 0; from < size; b++, from += BLOCK) {
            System.arraycopy(where.get(b), 0, out, from, Math.min(BLOCK, size - from));
        }
        where.clear();
        return out;
    }

    /** Where row {@code i} came from. */
    int where(int i) {
        return where.get(i >>> SHIFT)[i & (BLOCK - 1)];
    }
}
