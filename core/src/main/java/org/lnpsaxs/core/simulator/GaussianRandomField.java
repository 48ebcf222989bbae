package org.lnpsaxs.core.simulator;

/**
 * Standardised Gaussian random fields of a given {@link SpectralDensity} on a periodic
 * {@code n}³ box of voxel size Δx (Å), the interior field of {@link LnpSimulator}.
 *
 * <p>The field is \( Y = X/\sigma \), where \( X \) is a real stationary Gaussian field whose power
 * at each lattice wave vector \( \mathbf{k} \) (spacing \( 2\pi/(n\Delta x) \) Å⁻¹) is
 * \( G(|\mathbf{k}|) \), with \( G(0) = 0 \) so that its box mean is exactly 0, and \( \sigma \)
 * is its population standard deviation \( \sqrt{\sum_\mathbf{k} G} \) (default) or its sample
 * standard deviation over the box (as in the paper's code). Realisation {@code r} for a seed is
 * the same field the simulator uses for its realisation {@code r} in a box of this size.
 *
 * <p>Immutable; {@link #realization} may be called from several threads at once.
 */
public final class GaussianRandomField {

    private final SpectralDensity spectrum;
    private final int n;
    private final double voxel;
    private final boolean sample;
    private final FieldSynthesizer synth;

    /**
     * Fields of spectral density {@code spectrum} on an {@code n}³ box of voxel {@code voxel} Å.
     *
     * @throws IllegalArgumentException when n is outside [2, {@link LnpSimulator#MAX_BOX}] or the
     *                                  voxel is not positive
     */
    public GaussianRandomField(SpectralDensity spectrum, int n, double voxel) {
        this(spectrum, n, voxel, false, null);
    }

    private GaussianRandomField(SpectralDensity spectrum, int n, double voxel, boolean sample, FieldSynthesizer synth) {
        if (n < 2 || n > LnpSimulator.MAX_BOX) {
            throw new IllegalArgumentException("box size " + n + " is outside [2, " + LnpSimulator.MAX_BOX + "]");
        }
        if (!(voxel > 0) || !Double.isFinite(voxel)) {
            throw new IllegalArgumentException("voxel size " + voxel + " Å must be finite and > 0");
        }
        this.spectrum = java.util.Objects.requireNonNull(spectrum, "spectrum");
        this.n = n;
        this.voxel = voxel;
        this.sample = sample;
        this.synth = synth != null ? synth : new FieldSynthesizer(spectrum, n, voxel);
    }

    /** Standardise with the sample standard deviation over the box instead of the population one. */
    public GaussianRandomField withSampleStatistics(boolean useSample) {
        return new GaussianRandomField(spectrum, n, voxel, useSample, synth);
    }

    /** The box side, voxels. */
    public int size() {
        return n;
    }

    /** The voxel size, Å. */
    public double voxel() {
        return voxel;
    }

    /** The spectral density. */
    public SpectralDensity spectrum() {
        return spectrum;
    }

    /**
     * The population variance of the unstandardised field, \( \sum_\mathbf{k} G(|\mathbf{k}|) \)
     * over the lattice points that carry noise (in G's units).
     */
    public double latticeVariance() {
        return synth.variance;
    }

    /**
     * Realisation {@code index} for {@code seed}: {@code n³} standardised values,
     * {@code field[(x * n + y) * n + z]}.
     */
    public float[] realization(long seed, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("realization index " + index + " must be >= 0");
        }
        FieldSynthesizer.Workspace ws = new FieldSynthesizer.Workspace(n);
        synth.fillSpectrum(ws, seed, index / 2);
        final int part = index % 2;
        double inv;
        if (sample) {
            inv = 1.0 / Math.sqrt(synth.sampleMeanSquares(ws)[part]);
        } else {
            inv = 1.0 / Math.sqrt(synth.variance);
        }
        final float[] out = new float[n * n * n];
        final float scale = (float) inv;
        synth.transform(ws, FieldSynthesizer.Region.full(n), (buf, off, y, z) -> {
            for (int x = 0; x < n; x++) {
                out[(x * n + y) * n + z] = buf[off + 2 * x + part] * scale;
            }
        });
        return out;
    }
}
