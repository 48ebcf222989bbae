package org.lnpsaxs.polydispersity;

/**
 * Growable scratch buffers reused between calls on one thread (held in a {@link ThreadLocal} by
 * each layer), indexed by slot numbers the caller defines. Buffers only grow; their contents
 * are not cleared. Not a user class.
 */
final class Workspace {

    private final double[][] doubles;
    private final int[][] ints;
    private boolean inUse;

    /** A workspace with the given numbers of double and int slots. */
    public Workspace(int doubleSlots, int intSlots) {
        this.doubles = new double[doubleSlots][];
        this.ints = new int[intSlots][];
    }

    /** A double buffer of at least {@code size} values for {@code slot}. */
    public double[] doubles(int slot, long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a buffer of " + size + " values is too large; use a smaller batch");
        }
        double[] b = doubles[slot];
        if (b == null || b.length < size) {
            b = new double[(int) Math.max(size, b == null ? 0 : Math.min(Integer.MAX_VALUE - 8L, b.length * 3L / 2))];
            doubles[slot] = b;
        }
        return b;
    }

    /**
     * A double buffer of exactly {@code size} values for {@code slot} (reallocated when the size
     * changes): for arrays handed to code that may rely on their length.
     */
    public double[] exact(int slot, long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a buffer of " + size + " values is too large; use a smaller batch");
        }
        double[] b = doubles[slot];
        if (b == null || b.length != size) {
            b = new double[(int) size];
            doubles[slot] = b;
        }
        return b;
    }

    /** An int buffer of at least {@code size} values for {@code slot}. */
    public int[] ints(int slot, int size) {
        int[] b = ints[slot];
        if (b == null || b.length < size) {
            b = new int[Math.max(size, b == null ? 0 : b.length * 3 / 2)];
            ints[slot] = b;
        }
        return b;
    }

    /**
     * Marks the workspace as used; returns false if it already was (a re-entrant call on the
     * same thread, which must then use a fresh workspace).
     */
    public boolean acquire() {
        if (inUse) {
            return false;
        }
        inUse = true;
        return true;
    }

    /** Releases the workspace after {@link #acquire()}. */
    public void release() {
        inUse = false;
    }
}
