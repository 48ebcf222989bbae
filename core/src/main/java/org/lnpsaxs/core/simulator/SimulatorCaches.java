package org.lnpsaxs.core.simulator;

import java.lang.ref.SoftReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.lnpsaxs.core.data.QGrid;

/**
 * What the runs of one simulator share: the radial weights of its grid and plane, and reusable
 * field workspaces (softly held, of one box size at a time). Thread-safe.
 */
final class SimulatorCaches {

    private final ConcurrentHashMap<String, RadialWeights> weights = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, ConcurrentLinkedDeque<SoftReference<FieldSynthesizer.Workspace>>> spaces =
            new ConcurrentHashMap<>();

    RadialWeights weights(QGrid grid, int planeSize, double voxel) {
        String key = planeSize + ":" + voxel;
        return weights.computeIfAbsent(key, k -> new RadialWeights(RadialAverage.of(grid.values(), voxel, planeSize)));
    }

    FieldSynthesizer.Workspace takeWorkspace(int n) {
        ConcurrentLinkedDeque<SoftReference<FieldSynthesizer.Workspace>> q = spaces.get(n);
        if (q != null) {
            SoftReference<FieldSynthesizer.Workspace> ref;
            while ((ref = q.poll()) != null) {
                FieldSynthesizer.Workspace ws = ref.get();
                if (ws != null) {
                    return ws;
                }
            }
        }
        return new FieldSynthesizer.Workspace(n);
    }

    void giveWorkspace(FieldSynthesizer.Workspace ws) {
        // keep workspaces of one size only: a new size drops the others
        spaces.keySet().removeIf(k -> k != ws.n);
        spaces.computeIfAbsent(ws.n, k -> new ConcurrentLinkedDeque<>()).push(new SoftReference<>(ws));
    }
}
