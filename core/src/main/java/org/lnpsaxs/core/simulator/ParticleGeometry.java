package org.lnpsaxs.core.simulator;

/**
 * The voxelised core-shell sphere: voxel centres on the integer lattice (spacing Δx) around a
 * voxel-centred origin; a voxel belongs to the particle when its centre lies within the outer
 * radius R (\( x^2 + y^2 + z^2 \le R^2 \)), to the core when within R − t, as in the paper's mask
 * {@code D2 <= R**2}. Counts are exact integer lattice counts. Immutable.
 */
final class ParticleGeometry {

    final double voxel;
    final double radius;
    final double coreRadius;
    /** Squared radii in voxel units. */
    final double part2;
    final double core2;
    /** Largest |offset| of a particle / core voxel along an axis. */
    final int hp;
    final int hc;
    /** Side of the projection image (2 hp + 1) and of the core window (2 hc + 1). */
    final int m;
    final int mc;
    /** Voxels in the column through image pixel (u, v) (row-major, m × m): particle and core. */
    final int[] partColumn;
    final int[] coreColumn;
    final long partVoxels;
    final long coreVoxels;

    ParticleGeometry(double radius, double shellThickness, double voxel) {
        this.voxel = voxel;
        this.radius = radius;
        this.coreRadius = Math.max(0.0, radius - shellThickness);
        this.part2 = (radius / voxel) * (radius / voxel);
        this.core2 = (coreRadius / voxel) * (coreRadius / voxel);
        this.hp = FieldSynthesizer.Region.maxOffset(part2);
        this.hc = FieldSynthesizer.Region.maxOffset(core2);
        this.m = 2 * hp + 1;
        this.mc = 2 * hc + 1;
        this.partColumn = new int[m * m];
        this.coreColumn = new int[m * m];
        long pv = 0;
        long cv = 0;
        for (int u = -hp; u <= hp; u++) {
            for (int v = -hp; v <= hp; v++) {
                double r2 = (double) u * u + (double) v * v;
                int a = 2 * FieldSynthesizer.Region.maxOffset(part2 - r2) + 1;
                int b = 2 * FieldSynthesizer.Region.maxOffset(core2 - r2) + 1;
                int i = (u + hp) * m + (v + hp);
                partColumn[i] = Math.max(a, 0);
                coreColumn[i] = Math.max(b, 0);
                pv += partColumn[i];
                cv += coreColumn[i];
            }
        }
        this.partVoxels = pv;
        this.coreVoxels = cv;
    }

    /**
     * Writes the projected contrast of a particle whose core has the uniform contrast
     * {@code core} and whose shell has {@code shell} (relative units, solvent 0) into
     * {@code img} (m × m, row-major): column counts times contrasts.
     */
    void uniformProjection(double core, double shell, double[] img) {
        for (int i = 0; i < m * m; i++) {
            int c = coreColumn[i];
            img[i] = c * core + (partColumn[i] - c) * shell;
        }
    }

    /** The integrated contrast \( \sum (\rho - 1) \) of that uniform particle, in voxel units. */
    double uniformIntegral(double core, double shell) {
        return coreVoxels * core + (partVoxels - coreVoxels) * shell;
    }
}
