package org.lnpsaxs.surrogate.data;

import java.nio.file.Path;

/**
 * What one {@link DatasetGenerator#generate} call did.
 *
 * @param file        the shard file
 * @param shard       the shard
 * @param shardSize   the number of curves of the shard
 * @param resumedFrom the number of curves already in the file when the run started
 * @param simulated   the number of curves simulated by this run
 * @param seconds     the wall time of this run, s
 */
public record GenerationReport(Path file, Shard shard, int shardSize, int resumedFrom, int simulated,
                               double seconds) {

    /** Curves simulated per second in this run (0 if none). */
    public double rate() {
        return seconds > 0 ? simulated / seconds : 0;
    }

    /** Whether the shard is complete. */
    public boolean complete() {
        return resumedFrom + simulated == shardSize;
    }
}
