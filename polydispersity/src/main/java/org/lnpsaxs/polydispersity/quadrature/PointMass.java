package org.lnpsaxs.polydispersity.quadrature;

import java.util.Arrays;

import org.lnpsaxs.polydispersity.distribution.SasDistribution;

/**
 * The single node of a point mass (a sasmodels distribution with width 0): x = the centre, w = 1,
 * ∂x/∂centre = 1 and every other derivative 0. Shared by the rules that adapt their nodes to the
 * distribution.
 */
final class PointMass {

    private PointMass() {
    }

    /**
     * Writes the node at {@code offset} (derivative rows of {@code p} values, either array may be
     * null) and returns 1, the node count.
     */
    static int write(SasDistribution s, int p, double[] x, double[] w, double[] dx, double[] dw, int offset) {
        x[offset] = s.center();
        w[offset] = 1;
        if (dx != null) {
            dx[offset * p] = 1;
            Arrays.fill(dx, offset * p + 1, (offset + 1) * p, 0.0);
        }
        if (dw != null) {
            Arrays.fill(dw, offset * p, (offset + 1) * p, 0.0);
        }
        return 1;
    }
}
