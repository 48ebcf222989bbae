/**
 * Training and test sets of the neural surrogate: curves of a simulator at parameter points of a
 * scrambled Sobol sequence over a box, simulated in resumable shards and merged.
 *
 * <p>A {@link org.lnpsaxs.surrogate.data.DatasetPlan} fixes the curves: global index g in
 * [0, count) → Sobol point g → parameter point \( \theta_j = l_j + u_j (h_j - l_j) \) (units of
 * the parameter: Å for R, Å⁻¹ for the spectral means and widths) and a noise seed derived from
 * (dataset seed, split, g). A {@link org.lnpsaxs.surrogate.data.Shard} i of n holds the indices
 * g ≡ i (mod n). The {@link org.lnpsaxs.surrogate.data.DatasetGenerator} simulates a shard into
 * {@code <split>-shard-<i>-of-<n>.lnpd} with fsync'd checkpoints so that a killed run resumes
 * where it stopped; {@link org.lnpsaxs.surrogate.data.Dataset} reads and merges shard files
 * (from many machines) and writes merged, optionally gzip-compressed files.
 *
 * <p>File format (little-endian): a header with the magic {@code LNPSAXSD}, format version,
 * P, Q and the JSON {@link org.lnpsaxs.surrogate.data.DatasetManifest} (parameter space, q grid in
 * Å⁻¹, simulator settings, seeds, counts, library version), then fixed-size records of
 * (int64 global index, P float64 parameters, Q float32 log₁₀ I, CRC-32). I is in the simulator's
 * unit (arbitrary units for the LNP simulator).
 */
package org.lnpsaxs.surrogate.data;
