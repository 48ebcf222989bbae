package org.lnpsaxs.core.simulator;

/**
 * The outcome of one {@link LnpSimulator} run for one parameter vector.
 *
 * <p>Intensities are in the paper's units: the squared modulus of the 2-D DFT of the projected
 * relative-density contrast in voxel units, \( I(q \to 0) = (\sum_{voxels}(\rho - 1))^2 \),
 * averaged (not summed) over realisations and projections.
 *
 * @param q                 the q grid, Å⁻¹
 * @param intensity         the mean intensity at each q (arbitrary units, see above)
 * @param standardError     the standard error of that mean from the spread of the realisations
 *                          (each realisation's curve averaged over its projections first); NaN
 *                          everywhere when there is only one realisation; 0 without interior
 *                          fluctuation
 * @param boxSize           side of the cubic 3-D box that held the interior field, voxels
 * @param margin            how much that box exceeds the core's diameter, Å
 * @param realizations      the number of 3-D realisations averaged
 * @param projectionAxes    projections per realisation (1..3)
 * @param seed              the seed of the noise
 * @param setupSeconds      wall time of the per-curve set-up (spectrum, box, weights)
 * @param fieldSeconds      CPU time spent synthesising fields (noise and 3-D transforms), summed
 *                          over worker threads
 * @param projectionSeconds CPU time spent on projections, 2-D transforms and radial averages,
 *                          summed over worker threads
 * @param wallSeconds       wall time of the whole run
 */
public record SimulationResult(double[] q, double[] intensity, double[] standardError, int boxSize,
                               double margin, int realizations, int projectionAxes, long seed,
                               double setupSeconds, double fieldSeconds, double projectionSeconds,
                               double wallSeconds) {
}
