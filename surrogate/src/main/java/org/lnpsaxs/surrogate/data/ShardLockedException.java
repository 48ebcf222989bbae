package org.lnpsaxs.surrogate.data;

import java.io.IOException;

/**
 * Another run holds the lock of the shard file that {@link DatasetGenerator#generate} was asked
 * to write; the message names the file and the holder (its process id, as it recorded it).
 */
public final class ShardLockedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** An exception with this message. */
    public ShardLockedException(String message) {
        super(message);
    }
}
