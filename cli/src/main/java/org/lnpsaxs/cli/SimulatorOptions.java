package org.lnpsaxs.cli;

import java.util.EnumMap;
import java.util.Map;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.core.simulator.LnpSimulator;
import org.lnpsaxs.core.simulator.SimulatorSettingException;
import org.lnpsaxs.core.simulator.SimulatorSettingException.Setting;
import picocli.CommandLine.Option;

/**
 * The direct simulator's options shared by {@code simulate} and {@code dataset generate} (a
 * picocli mixin), and the translation of the library's {@link SimulatorSettingException} into a
 * one-line message that names the option and the value given.
 */
final class SimulatorOptions {

    @Option(names = "--q-grid", paramLabel = "lin|log:MIN:MAX:N",
            description = "output q grid in 1/Å, at most " + LnpSimulator.MAX_Q_POINTS
                    + " points (default: the paper's 300 points, lin:0.002:0.1995:300)")
    String qGrid;

    @Option(names = "--realizations", paramLabel = "N", defaultValue = "" + LnpSimulator.DEFAULT_REALIZATIONS,
            description = "3-D realisations averaged per curve, 1.." + LnpSimulator.MAX_REALIZATIONS
                    + " (default: ${DEFAULT-VALUE})")
    int realizations;

    @Option(names = "--voxel", paramLabel = "A", defaultValue = "" + LnpSimulator.DEFAULT_VOXEL,
            description = "voxel size in Å (default: ${DEFAULT-VALUE}, the paper's); the particle's projection, "
                    + "2R/A pixels, must fit the plane")
    double voxel;

    @Option(names = "--threads", paramLabel = "T",
            description = "threads per simulation, 1.." + LnpSimulator.MAX_THREADS
                    + " (default: all processors); results do not depend on it")
    Integer threads;

    @Option(names = "--axes", paramLabel = "1|2|3", defaultValue = "1",
            description = "projections per 3-D realisation: z, then x, y (default: ${DEFAULT-VALUE})")
    int axes;

    @Option(names = "--plane", paramLabel = "NF", defaultValue = "" + LnpSimulator.DEFAULT_PLANE,
            description = "size of the 2-D plane, 8.." + LnpSimulator.MAX_PLANE
                    + "; Δq = 2π/(NF·voxel) (default: ${DEFAULT-VALUE}, the paper's)")
    int plane;

    /**
     * The paper's simulator with these options, each checked here: a value out of range is an
     * {@link IllegalArgumentException} naming the option, the value and the limit.
     */
    LnpSimulator simulator() {
        checkGridSize();
        try {
            LnpSimulator sim = LnpSimulator.paperDefaults()
                    .withVoxelSize(voxel)
                    .withPlaneSize(plane)
                    .withRealizations(realizations)
                    .withProjectionAxes(axes);
            if (qGrid != null) {
                sim = sim.withQGrid(QGrid.parse(qGrid));
            }
            if (threads != null) {
                sim = sim.withThreads(threads);
            }
            return sim;
        } catch (SimulatorSettingException e) {
            throw named(e, Map.of());
        }
    }

    /**
     * {@link #simulator()}, also planned for the largest particle of {@link LnpParameters#SPACE}
     * (the largest R and core, the example's spectrum), so that a dataset over the whole box is
     * refused before anything is written when that particle does not fit the plane, Java's
     * arrays or the heap.
     */
    LnpSimulator simulatorForLargestParticle() {
        LnpSimulator sim = simulator();
        ParameterSpace space = LnpParameters.SPACE;
        double[] theta = LnpParameters.example();
        theta[space.indexOf(LnpParameters.R)] = space.get(LnpParameters.R).upper();
        theta[space.indexOf(LnpParameters.SHELL_THICKNESS)] = space.get(LnpParameters.SHELL_THICKNESS).lower();
        try {
            sim.plan(theta);
        } catch (SimulatorSettingException e) {
            throw named(e, Map.of());
        }
        return sim;
    }

    /**
     * Refuses a {@code lin|log:MIN:MAX:N} grid of more than {@link LnpSimulator#MAX_Q_POINTS}
     * points before its values are allocated (the rest of the form is checked by the parser).
     */
    private void checkGridSize() {
        if (qGrid == null) {
            return;
        }
        String[] parts = qGrid.trim().split(":");
        if (parts.length == 4) {
            try {
                long n = Long.parseLong(parts[3].trim());
                if (n > LnpSimulator.MAX_Q_POINTS) {
                    throw new IllegalArgumentException("--q-grid " + qGrid + ": " + n
                            + " points, more than the simulator's limit of " + LnpSimulator.MAX_Q_POINTS);
                }
            } catch (NumberFormatException e) {
                // not a count: the parser names the accepted form
            }
        }
    }

    /**
     * The library's message with the option for the setting in front ({@code --voxel 0.01: …});
     * {@code extra} names the options of settings only one command has (e.g. {@code --box}).
     * Settings without an option keep the library's wording.
     */
    IllegalArgumentException named(SimulatorSettingException e, Map<Setting, String> extra) {
        Map<Setting, String> given = new EnumMap<>(Setting.class);
        given.put(Setting.VOXEL_SIZE, "--voxel " + plain(voxel));
        given.put(Setting.PLANE_SIZE, "--plane " + plane);
        given.put(Setting.Q_GRID, "--q-grid " + (qGrid != null ? qGrid : "(the paper's)"));
        given.put(Setting.REALIZATIONS, "--realizations " + realizations);
        given.put(Setting.PROJECTION_AXES, "--axes " + axes);
        given.put(Setting.THREADS, "--threads " + (threads != null ? threads : e.value()));
        given.putAll(extra);
        String option = given.get(e.setting());
        return new IllegalArgumentException(option == null ? e.getMessage() : option + ": " + e.reason(), e);
    }

    /** A number as a person writes it: 5 rather than 5.0. */
    static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
