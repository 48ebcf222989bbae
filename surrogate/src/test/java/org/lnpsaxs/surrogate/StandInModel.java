package org.lnpsaxs.surrogate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.BatchedModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.data.CurveSimulator;

/**
 * A cheap stand-in for the LNP simulator in tests: an analytic two-level core-shell sphere in
 * relative density units (solvent = 1, core contrast GRF_shift, shell contrast
 * relative_rho_shell·(1 + GRF_shift) − 1) and in the simulator's voxel units (voxel
 * {@value #VOXEL} Å, the simulator's smoothing factor, no radial average), plus a smooth interior-fluctuation term
 * proportional to the core volume and shaped like the simulator's spectral density, times seeded
 * multiplicative noise exp(noise·ε_q). Intensities span many decades (I ∝ V²) like the real
 * simulator's. Its simulator settings name the voxel and the plane, as the real simulator's do.
 */
public final class StandInModel implements BatchedModel {

    /** The voxel of the stand-in's units, Å. */
    public static final double VOXEL = 5.0;

    private final double[] q;
    private final long seed;
    private final double noise;
    private final long delayMillis;

    public StandInModel(QGrid grid, long seed, double noise, long delayMillis) {
        this.q = grid.values();
        this.seed = seed;
        this.noise = noise;
        this.delayMillis = delayMillis;
    }

    /** Noise-free stand-in on a grid. */
    public static StandInModel smooth(QGrid grid) {
        return new StandInModel(grid, 0, 0, 0);
    }

    /** A curve simulator over the stand-in: seed → noise. */
    public static CurveSimulator simulator(QGrid grid, double noise, long delayMillis) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", "stand-in core-shell sphere + spectral peak (tests)");
        settings.put("noise", noise);
        settings.put("voxelSize", VOXEL);
        settings.put("planeSize", 1024);
        return CurveSimulator.of(s -> new StandInModel(grid, s, noise, delayMillis), settings);
    }

    @Override
    public ParameterSpace parameters() {
        return LnpParameters.SPACE;
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    @Override
    public int qSize() {
        return q.length;
    }

    @Override
    public void evaluate(double[] theta, int batch, double[] out) {
        LnpParameters.SPACE.check(theta, batch);
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis * batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        int p = 9;
        int n = q.length;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int b = 0; b < batch; b++) {
            double shift = theta[b * p];
            double r = theta[b * p + 1];
            double w = theta[b * p + 2];
            double m1 = theta[b * p + 3];
            double m2 = theta[b * p + 4];
            double s1 = theta[b * p + 5];
            double s2 = theta[b * p + 6];
            double t = theta[b * p + 7];
            double rel = theta[b * p + 8];
            double rc = r - t;
            double dCore = shift;
            double dShell = rel * (1 + shift) - 1;
            double vox = VOXEL * VOXEL * VOXEL;
            double vc = 4.0 / 3 * Math.PI * rc * rc * rc / vox;
            double v = 4.0 / 3 * Math.PI * r * r * r / vox;
            for (int k = 0; k < n; k++) {
                double x = q[k];
                double a = (dCore - dShell) * vc * f(x * rc) + dShell * v * f(x * r);
                double g = w * logNormal(x, m1, s1) + (1 - w) * logNormal(x, m2, s2);
                // times the simulator's smoothing factor exp(-(q Δx)^2)
                double i = (a * a + 0.1 * vc * g + 1e-3 * vc) * Math.exp(-(x * VOXEL) * (x * VOXEL));
                out[b * n + k] = i * (noise > 0 ? Math.exp(noise * rng.nextGaussian()) : 1.0);
            }
        }
    }

    private static double f(double x) {
        if (x < 1e-3) {
            return 1 - x * x / 10;
        }
        return 3 * (Math.sin(x) - x * Math.cos(x)) / (x * x * x);
    }

    private static double logNormal(double k, double m, double s) {
        double sigma2 = Math.log(1 + s * s / (m * m));
        double mu = Math.log(m * m / Math.sqrt(m * m + s * s));
        double d = Math.log(k) - mu;
        return Math.exp(-d * d / (2 * sigma2)) / (k * Math.sqrt(2 * Math.PI * sigma2));
    }
}
