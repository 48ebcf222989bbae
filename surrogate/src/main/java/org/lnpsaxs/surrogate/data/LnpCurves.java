package org.lnpsaxs.surrogate.data;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lnpsaxs.core.simulator.LnpSimulator;

/**
 * Training curves from the direct LNP simulator: each curve is
 * {@code simulator.withSeed(curveSeed).simulate(theta)}, so curves have independent noise, and
 * the manifest records every simulator setting that changes the curves (voxel size, plane size,
 * realisations, projection axes, box, interior model, q grid) but not the thread count (the
 * simulator's results do not depend on it). Intensities in the simulator's arbitrary units.
 */
public final class LnpCurves {

    private LnpCurves() {
    }

    /** The curve simulator over this configured simulator (its own seed is replaced per curve). */
    public static CurveSimulator of(LnpSimulator simulator) {
        return CurveSimulator.of(simulator::withSeed, settings(simulator));
    }

    /** The settings recorded in the dataset manifest. */
    public static Map<String, Object> settings(LnpSimulator s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("simulator", "LnpSimulator (direct GRF core-shell simulation)");
        m.put("voxelSize", s.voxelSize());
        m.put("planeSize", s.planeSize());
        m.put("realizations", s.realizations());
        m.put("projectionAxes", s.projectionAxes());
        m.put("boxSize", s.boxSize() == 0 ? "particle-sized" : Integer.toString(s.boxSize()));
        m.put("interior", s.interior().toString());
        m.put("qGrid", s.qGrid().toString());
        m.put("noise", "independent per curve: simulator seed = the dataset's curve seed");
        return m;
    }
}
