package org.lnpsaxs.surrogate;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.internal.Json;
import org.lnpsaxs.surrogate.internal.Json.ParameterJson;
import org.lnpsaxs.surrogate.nn.Head;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Normalisation;

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
 * @param network        the network shape
 * @param outputMean     per q point, the mean log₁₀ I of the training set
 * @param outputScale    per q point, the scale of the normalised output (decades)
 * @param provenance     the training set, settings and metrics
 * @param networkSha256  the SHA-256 of the {@code network.sd} entry (hex)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(String format, int formatVersion, String description, List<ParameterJson> parameters,
                            double[] q, String intensityUnit, NetworkSpec network, double[] outputMean,
                            double[] outputScale, Provenance provenance, String networkSha256) {

    /** The format name. */
    public static final String FORMAT = "lnpsaxs-surrogate";
    /** The current format version. */
    public static final int FORMAT_VERSION = 1;

    /** Copies arrays and lists. */
    public ModelMetadata {
        parameters = parameters == null ? null : List.copyOf(parameters);
        q = q == null ? null : q.clone();
        outputMean = outputMean == null ? null : outputMean.clone();
        outputScale = outputScale == null ? null : outputScale.clone();
    }

    /** Metadata for a network over this space and grid (hash filled in when the file is written). */
    public static ModelMetadata of(String description, ParameterSpace space, double[] q, String intensityUnit,
                                   NetworkSpec network, Normalisation norm, Provenance provenance) {
        return new ModelMetadata(FORMAT, FORMAT_VERSION, description, Json.toJson(space), q, intensityUnit, network,
                norm.outputMean(), norm.outputScale(), provenance, null);
    }

    /** The parameter space. */
    public ParameterSpace parameterSpace() {
        return Json.toSpace(parameters);
    }

    /** The q grid. */
    public QGrid qGrid() {
        return QGrid.of(q);
    }

    /** The normalisation (input box from the parameters, log features from the network). */
    public Normalisation normalisation() {
        return Normalisation.inputs(parameterSpace(), network.logFeatures(), outputMean, outputScale);
    }

    /** The output head of the network. */
    public Head head() {
        return Head.of(network, parameterSpace(), outputScale);
    }

    /** A copy with the network hash set. */
    ModelMetadata withNetworkSha256(String sha) {
        return new ModelMetadata(format, formatVersion, description, parameters, q, intensityUnit, network, outputMean,
                outputScale, provenance, sha);
    }

    /** The q grid (a copy). */
    @Override
    public double[] q() {
        return q == null ? null : q.clone();
    }

    /** The output means (a copy). */
    @Override
    public double[] outputMean() {
        return outputMean == null ? null : outputMean.clone();
    }

    /** The output scales (a copy). */
    @Override
    public double[] outputScale() {
        return outputScale == null ? null : outputScale.clone();
    }
}
