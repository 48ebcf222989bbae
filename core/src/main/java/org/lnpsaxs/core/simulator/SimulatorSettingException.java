package org.lnpsaxs.core.simulator;

import java.util.Objects;

/**
 * A simulator setting that is out of range or beyond what the machine can do, found before any
 * large allocation: it names the {@link Setting}, the value and the limit, so that a front end
 * can name its own option for the setting (the message names the setting in words).
 */
public final class SimulatorSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The settings of {@link LnpSimulator} a limit can be traced to. */
    public enum Setting {
        /** {@link LnpSimulator#withVoxelSize}. */
        VOXEL_SIZE("voxel size"),
        /** {@link LnpSimulator#withPlaneSize}. */
        PLANE_SIZE("plane size"),
        /** {@link LnpSimulator#withQGrid}. */
        Q_GRID("q grid"),
        /** {@link LnpSimulator#withRealizations}. */
        REALIZATIONS("realizations"),
        /** {@link LnpSimulator#withProjectionAxes}. */
        PROJECTION_AXES("projection axes"),
        /** {@link LnpSimulator#withBoxSize}. */
        BOX_SIZE("box size"),
        /** {@link LnpSimulator#withThreads}. */
        THREADS("threads"),
        /** {@link LnpSimulator#withMargin}. */
        MARGIN("margin"),
        /** {@link LnpSimulator#withCorrelationTolerance}. */
        CORRELATION_TOLERANCE("correlation tolerance");

        private final String label;

        Setting(String label) {
            this.label = label;
        }

        /** The setting in words, as messages name it. */
        public String label() {
            return label;
        }
    }

    private final Setting setting;
    private final String value;
    private final String reason;

    /**
     * @param setting the setting at fault
     * @param value   its value as text, with its unit where it has one (e.g. "0.01 Å")
     * @param reason  what is wrong and what the limit is (one sentence, no trailing period)
     */
    public SimulatorSettingException(Setting setting, String value, String reason) {
        super(Objects.requireNonNull(setting, "setting").label() + " " + value + ": " + reason);
        this.setting = setting;
        this.value = value;
        this.reason = reason;
    }

    /** The setting at fault. */
    public Setting setting() {
        return setting;
    }

    /** Its value as text, with its unit where it has one. */
    public String value() {
        return value;
    }

    /** What is wrong and what the limit is, without the setting's name and value. */
    public String reason() {
        return reason;
    }
}
