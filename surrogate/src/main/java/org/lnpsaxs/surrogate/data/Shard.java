package org.lnpsaxs.surrogate.data;

/**
 * Shard {@code index} of {@code count}: the part of a dataset one process simulates.
 *
 * <p>Layout: strided. Shard {@code i} of {@code n} holds the global indices
 * \( g \equiv i \pmod n \), in the order \( i, i+n, i+2n, \dots \) below the dataset count. A strided
 * layout keeps every shard spread over the whole Sobol sequence (a shard that is only half done
 * still covers the box evenly) and makes all shards the same length to within one curve.
 *
 * @param index the shard number, {@code 0 <= index < count}
 * @param count the number of shards, {@code >= 1}
 */
public record Shard(int index, int count) {

    /** The whole dataset as one shard. */
    public static final Shard ALL = new Shard(0, 1);

    /** Validates the record. */
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count
                    + " is not valid: need 0 <= i < n with n >= 1 (written i/n, e.g. 3/16)");
        }
    }

    /**
     * Parses {@code i/n} (e.g. {@code 3/16}).
     *
     * @throws IllegalArgumentException naming the text and the accepted form
     */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("bad shard '" + text + "': expected i/n with 0 <= i < n, e.g. 3/16");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad shard '" + text + "': expected i/n with 0 <= i < n, e.g. 3/16");
        }
    }

    /** The number of curves of a dataset of {@code total} curves that fall in this shard. */
    public int size(int total) {
        return total <= index ? 0 : (total - index + count - 1) / count;
    }

    /** The global index of this shard's {@code k}-th curve. */
    public long globalIndex(long k) {
        return index + k * count;
    }

    /** Whether global index {@code g} belongs to this shard. */
    public boolean contains(long g) {
        return g % count == index;
    }

    /** The text form {@code i/n}. */
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
