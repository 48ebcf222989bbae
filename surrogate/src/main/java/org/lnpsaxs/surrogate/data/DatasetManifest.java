package org.lnpsaxs.surrogate.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.lnpsaxs.core.Lnpsaxs;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.internal.Json;
import org.lnpsaxs.surrogate.internal.Json.ParameterJson;

/**
 * The description written into every dataset file (and as {@code manifest.json} beside it): what
 * the curves are and how to make them again.
 *
 * @param format          always {@value #FORMAT}
 * @param formatVersion   the file format version ({@value #FORMAT_VERSION})
 * @param split           {@code train} or {@code test}
 * @param count           the number of curves of the whole dataset
 * @param seed            the dataset seed
 * @param sobolSeed       the seed of the split's scrambled Sobol sequence
 * @param sampling        how parameter points and curve seeds follow from the seed (text)
 * @param shardLayout     how curves are divided into shards (text)
 * @param shardIndex      this file's shard number, or {@code null} for a merged file
 * @param shardCount      the number of shards, or {@code null} for a merged file
 * @param parameters      the parameter box, in order (units as in the simulator)
 * @param q               the q grid, Å⁻¹
 * @param values          what is stored per q point (text)
 * @param simulator       the simulator settings that determine the curves
 * @param libraryVersion  the lnpsaxs version that wrote the file
 * @param created         when the file was started (UTC, ISO-8601), or {@code null}: files written
 *                        now leave it out, so that a file is a function of its settings and the
 *                        library version (files of earlier versions may carry it; it is not part
 *                        of a dataset's identity)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetManifest(String format, int formatVersion, String split, int count, long seed,
                              long sobolSeed, String sampling, String shardLayout, Integer shardIndex,
                              Integer shardCount, List<ParameterJson> parameters, double[] q, String values,
                              Map<String, Object> simulator, String libraryVersion, String created) {

    /** The format name. */
    public static final String FORMAT = "lnpsaxs-dataset";
    /** The current format version. */
    public static final int FORMAT_VERSION = 1;

    /** Validates the record and copies its collections. */
    public DatasetManifest {
        parameters = parameters == null ? null : List.copyOf(parameters);
        q = q == null ? null : q.clone();
        simulator = simulator == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(simulator));
    }

    /** The manifest of one shard of a plan (no creation time: the same settings give the same text). */
    public static DatasetManifest of(DatasetPlan plan, Shard shard, CurveSimulator simulator) {
        return new DatasetManifest(FORMAT, FORMAT_VERSION, plan.split().label(), plan.count(), plan.seed(),
                plan.sobolSeed(),
                "theta_j = lower_j + u_j (upper_j - lower_j), u = point g of ScrambledSobol.of(P, sobolSeed) "
                        + "(Joe-Kuo direction numbers, linear matrix scrambling + digital shift); "
                        + "simulator seed of curve g = mix64(mix64(seed) XOR (split << 62 | g)), split train=0 test=1, "
                        + "mix64 = SplitMix64 finaliser",
                "strided: shard i of n holds the global indices g = i (mod n)",
                shard == null ? null : shard.index(), shard == null ? null : shard.count(),
                Json.toJson(plan.space()), simulator.q(),
                "log10 I as float32, I in the simulator's intensity unit (arbitrary units for the LNP simulator)",
                simulator.settings(), Lnpsaxs.version(), null);
    }

    /** The parameter space. */
    public ParameterSpace parameterSpace() {
        return Json.toSpace(parameters);
    }

    /** The split. */
    public Split splitValue() {
        return Split.parse(split);
    }

    /** The plan this manifest describes. */
    public DatasetPlan plan() {
        return new DatasetPlan(parameterSpace(), count, seed, splitValue());
    }

    /** The shard, or {@code null} for a merged file. */
    public Shard shard() {
        return shardIndex == null || shardCount == null ? null : new Shard(shardIndex, shardCount);
    }

    /** A copy for a merged file: no shard. */
    public DatasetManifest merged() {
        return new DatasetManifest(format, formatVersion, split, count, seed, sobolSeed, sampling, shardLayout,
                null, null, parameters, q, values, simulator, libraryVersion, created);
    }

    /** The JSON text. */
    public String toJson() {
        return Json.write(this);
    }

    /**
     * Parses a manifest.
     *
     * @param json   the JSON text
     * @param source the file it came from (for messages)
     * @throws IOException if the text is not a valid manifest of this format
     */
    public static DatasetManifest parse(String json, Path source) throws IOException {
        DatasetManifest m;
        try {
            m = Json.MAPPER.readValue(json, DatasetManifest.class);
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": the dataset manifest is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(m.format())) {
            throw new IOException(source + ": not an lnpsaxs dataset (format '" + m.format() + "', expected '" + FORMAT + "')");
        }
        if (m.formatVersion() != FORMAT_VERSION) {
            throw new IOException(source + ": dataset format version " + m.formatVersion()
                    + " is not supported (this library reads version " + FORMAT_VERSION + ")");
        }
        if (m.parameters() == null || m.q() == null || m.split() == null) {
            throw new IOException(source + ": the dataset manifest lacks parameters, q or split");
        }
        try {
            m.plan();
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        return m;
    }

    /**
     * The differences that make two manifests describe different datasets (split, count, seed,
     * parameters, q grid, simulator settings); empty when they describe the same one. Shard,
     * creation time and library version are not part of the identity.
     */
    public List<String> differencesFrom(DatasetManifest other) {
        List<String> d = new ArrayList<>();
        compare(d, "split", split, other.split);
        compare(d, "count", count, other.count);
        compare(d, "seed", seed, other.seed);
        compare(d, "sobolSeed", sobolSeed, other.sobolSeed);
        compare(d, "parameters", parameters, other.parameters);
        compare(d, "q grid", q, other.q);
        compare(d, "simulator settings", simulator, other.simulator);
        return d;
    }

    private static void compare(List<String> out, String what, Object a, Object b) {
        JsonNode ja = Json.canonical(a);
        JsonNode jb = Json.canonical(b);
        if (!Objects.equals(ja, jb)) {
            String ta = ja.toString();
            String tb = jb.toString();
            out.add(what + " (" + abbreviate(ta) + " vs " + abbreviate(tb) + ")");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetManifest m && Json.canonical(this).equals(Json.canonical(m));
    }

    @Override
    public int hashCode() {
        return Json.canonical(this).hashCode();
    }

    @Override
    public String toString() {
        return "DatasetManifest[" + split + ", " + count + " curves, seed " + seed
                + (shardIndex == null ? "" : ", shard " + shardIndex + "/" + shardCount) + "]";
    }
}
