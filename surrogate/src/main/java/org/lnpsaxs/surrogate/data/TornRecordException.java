package org.lnpsaxs.surrogate.data;

import java.io.IOException;

/**
 * A dataset file whose last record is torn or corrupt, or that holds fewer intact records than its
 * checkpoint says: the file is damaged or is a copy of a file that was still being written.
 * {@link Dataset#readAllowingTornTail} reads such a file up to the damage instead.
 */
public final class TornRecordException extends IOException {

    private static final long serialVersionUID = 1L;

    /** An exception with this message (naming the file and the record). */
    public TornRecordException(String message) {
        super(message);
    }
}
