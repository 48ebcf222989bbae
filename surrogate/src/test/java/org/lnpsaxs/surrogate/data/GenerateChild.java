package org.lnpsaxs.surrogate.data;

import java.nio.file.Path;
import java.time.Duration;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.StandInModel;

/** Runs one slow shard generation in a child JVM so that a test can kill it (SIGKILL). */
public final class GenerateChild {

    private GenerateChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Shard shard = Shard.parse(args[2]);
        long delay = Long.parseLong(args[3]);
        DatasetGenerator.of(StandInModel.simulator(QGrid.linear(0.002, 0.2, 50), 0.02, delay))
                .withCheckpointInterval(Duration.ZERO)
                .generate(new DatasetPlan(LnpParameters.SPACE, count, 11, Split.TRAIN), shard, dir);
    }
}
