package org.lnpsaxs.core.simulator;

/**
 * A cubic map of relative density (solvent = 1) on a voxel grid, for inspection and tests.
 *
 * @param size   side of the cube, voxels
 * @param voxel  voxel size, Å
 * @param values {@code size³} densities, {@code values[(x * size + y) * size + z]}
 */
public record DensityField(int size, double voxel, float[] values) {

    /** The density at voxel (x, y, z). */
    public float at(int x, int y, int z) {
        return values[(x * size + y) * size + z];
    }

    /** The integrated contrast \( \sum (\rho - 1) \) over the cube, in voxel units. */
    public double integratedContrast() {
        double s = 0.0;
        for (float v : values) {
            s += v - 1.0;
        }
        return s;
    }
}
