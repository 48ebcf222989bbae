package org.lnpsaxs.surrogate;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.internal.Json;
import org.lnpsaxs.surrogate.internal.Json.ParameterJson;
import org.lnpsaxs.surrogate.nn.NetworkSpec;

/**
 * The JSON metadata of a model file ({@code metadata.json}): what the network computes and where
 * it came from.
 *
 * @param format         always {@value #FORMAT}
 * @param formatVersion  the model file format version ({@value #FORMAT_VERSION})
 * @param description    one line saying what the model is a surrogate of
 * @param parameters     the parameter space: names, units, bounds (the training box), order
 * @param q              the q grid, Å⁻¹
 * @param intensityUnit  the unit of I (arbitrary units for the LNP simulator)
 * @param network        the network shape (architecture, simulator settings of the closed-form
 *                       term, the two MLPs)
 * @param provenance     the training set, settings and metrics
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(String format, int formatVersion, String description, List<ParameterJson> parameters,
                            double[] q, String intensityUnit, NetworkSpec network, Provenance provenance) {

    /** The format name. */
    public static final String FORMAT = "lnpsaxs-surrogate";
    /**
     * The current format version: 3, the closed-form mean particle plus fluctuation and
     * correction MLPs, with the weights also as {@code .npy} entries and a SHA-256 of every entry
     * (see {@link ModelFile}). Version 2 (the same network, a SHA-256 of the network entry only)
     * is converted by {@link ModelFile#upgrade}; version 1 (a residual MLP with a contrast head) is
     * no longer read.
     */
    public static final int FORMAT_VERSION = 3;

    /** Copies arrays and lists. */
    public ModelMetadata {
        parameters = parameters == null ? null : List.copyOf(parameters);
        q = q == null ? null : q.clone();
    }

    /** Metadata of the current format for a network over this space and grid. */
    public static ModelMetadata of(String description, ParameterSpace space, double[] q, String intensityUnit,
                                   NetworkSpec network, Provenance provenance) {
        return new ModelMetadata(FORMAT, FORMAT_VERSION, description, Json.toJson(space), q, intensityUnit, network,
                provenance);
    }

    /** The parameter space. */
    public ParameterSpace parameterSpace() {
        return Json.toSpace(parameters);
    }

    /** The q grid. */
    public QGrid qGrid() {
        return QGrid.of(q);
    }

    /** The q grid (a copy). */
    @Override
    public double[] q() {
        return q == null ? null : q.clone();
    }

    /** Equal when every component is, the q grids compared by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelMetadata m && formatVersion == m.formatVersion && Objects.equals(format, m.format)
                && Objects.equals(description, m.description) && Objects.equals(parameters, m.parameters)
                && Arrays.equals(q, m.q) && Objects.equals(intensityUnit, m.intensityUnit)
                && Objects.equals(network, m.network) && Objects.equals(provenance, m.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, formatVersion, description, parameters, Arrays.hashCode(q), intensityUnit, network,
                provenance);
    }

    /**
     * A summary a person can read: description, format, parameters with their training box, the
     * q grid, the network shape and where it came from (not the full provenance).
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ModelMetadata[").append(description).append(" (").append(format)
                .append(" v").append(formatVersion).append("); parameters ");
        if (parameters == null) {
            sb.append("none");
        } else {
            for (int i = 0; i < parameters.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(text(parameters.get(i)));
            }
        }
        if (q != null && q.length > 0) {
            sb.append("; q ").append(q.length).append(" points ").append(q[0]).append(" .. ").append(q[q.length - 1])
                    .append(" 1/Å");
        }
        sb.append("; intensity in ").append(intensityUnit);
        if (network != null) {
            sb.append("; network ").append(network.architecture()).append(" (voxel ").append(network.voxel())
                    .append(" Å, plane ").append(network.plane()).append(", fluctuation MLP ")
                    .append(network.fluctuation().hidden()).append(" rank ").append(network.fluctuation().rank())
                    .append(", correction MLP ").append(network.correction().hidden()).append(" rank ")
                    .append(network.correction().rank()).append(", ").append(network.parameterCount())
                    .append(" weights)");
        }
        if (provenance != null) {
            sb.append("; ").append(provenance);
        }
        return sb.append(']').toString();
    }

    private static String text(ParameterJson p) {
        try {
            return p.name() + " " + p.toParameter().rangeText();
        } catch (IllegalArgumentException e) {
            return p.name() + " [" + p.lower() + ", " + p.upper() + "] " + p.unit();
        }
    }
}
