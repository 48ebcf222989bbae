package org.lnpsaxs.surrogate;

import java.util.List;

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
 * @param networkSha256  the SHA-256 of the {@code network.sd} entry (hex)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(String format, int formatVersion, String description, List<ParameterJson> parameters,
                            double[] q, String intensityUnit, NetworkSpec network, Provenance provenance,
                            String networkSha256) {

    /** The format name. */
    public static final String FORMAT = "lnpsaxs-surrogate";
    /**
     * The current format version: 2, the closed-form mean particle plus fluctuation and
     * correction MLPs (version 1, a residual MLP with a contrast head, is no longer read).
     */
    public static final int FORMAT_VERSION = 2;

    /** Copies arrays and lists. */
    public ModelMetadata {
        parameters = parameters == null ? null : List.copyOf(parameters);
        q = q == null ? null : q.clone();
    }

    /** Metadata for a network over this space and grid (hash filled in when the file is written). */
    public static ModelMetadata of(String description, ParameterSpace space, double[] q, String intensityUnit,
                                   NetworkSpec network, Provenance provenance) {
        return new ModelMetadata(FORMAT, FORMAT_VERSION, description, Json.toJson(space), q, intensityUnit, network,
                provenance, null);
    }

    /** The parameter space. */
    public ParameterSpace parameterSpace() {
        return Json.toSpace(parameters);
    }

    /** The q grid. */
    public QGrid qGrid() {
        return QGrid.of(q);
    }

    /** A copy with the network hash set. */
    ModelMetadata withNetworkSha256(String sha) {
        return new ModelMetadata(format, formatVersion, description, parameters, q, intensityUnit, network,
                provenance, sha);
    }

    /** The q grid (a copy). */
    @Override
    public double[] q() {
        return q == null ? null : q.clone();
    }
}
