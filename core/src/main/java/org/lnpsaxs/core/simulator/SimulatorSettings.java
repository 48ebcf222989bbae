package org.lnpsaxs.core.simulator;

import org.lnpsaxs.core.data.QGrid;

/**
 * The settings of one {@link LnpSimulator}, each validated by its wither there. An instance is
 * changed only as a fresh {@link #copy} before the simulator that owns it is built, and never
 * after: simulators share nothing mutable.
 */
final class SimulatorSettings {

    double voxel;
    int planeSize;
    int realizations;
    int axes;
    long seed;
    int threads;
    QGrid grid;
    /** A fixed box side, or 0 for a box sized to each particle. */
    int boxSize;
    /** The automatic box's margin, Å; negative: chosen from the correlation tolerance. */
    double margin;
    double tolerance;
    InteriorModel interior;
    boolean sampleStatistics;
    /** Heap limit used by the memory check (tests); 0: the JVM's maximum heap. */
    long heapLimit;

    SimulatorSettings copy() {
        SimulatorSettings c = new SimulatorSettings();
        c.voxel = voxel;
        c.planeSize = planeSize;
        c.realizations = realizations;
        c.axes = axes;
        c.seed = seed;
        c.threads = threads;
        c.grid = grid;
        c.boxSize = boxSize;
        c.margin = margin;
        c.tolerance = tolerance;
        c.interior = interior;
        c.sampleStatistics = sampleStatistics;
        c.heapLimit = heapLimit;
        return c;
    }
}
