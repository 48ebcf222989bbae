package org.lnpsaxs.core.simulator;

import java.util.Arrays;

/**
 * One worker thread's state: it synthesises a pair of realisations, sums the transformed core
 * density along the projection axes while the field's last pass streams by (the
 * {@link FieldSynthesizer.LineSink}), adds the uniform shell and core contrast, transforms each
 * projection ({@link PlaneSpectrum}) and averages it radially ({@link RadialWeights}). Not
 * thread-safe: one per thread.
 */
final class ProjectionWorker implements FieldSynthesizer.LineSink {

    private final SimulationPlan plan;
    private final SimulatorSettings settings;
    private final ParticleGeometry g;
    private final FieldSynthesizer synth;
    private final RadialWeights weights;
    private final FieldSynthesizer.Workspace ws;
    private final FieldSynthesizer.Region lines;
    private final PlaneSpectrum plane;
    private final int mc;
    private final int hc;
    private final int c;
    /** Sums of (t(Y) - E) over core voxels: [part][axis] images of mc × mc. */
    private final double[][][] sums;
    private final double[] image;
    private final double[] power;
    private final boolean levelCut;
    private final boolean sampleStatistics;
    private final double beta;
    private final double expectation;
    private double inv0;
    private double inv1;
    private double boxSum0;
    private double boxSum1;

    /**
     * A worker for {@code plan}; {@code synth}, {@code ws} and {@code lines} are null when the
     * interior does not fluctuate ({@link #uniformCurve} only).
     */
    ProjectionWorker(SimulationPlan plan, ParticleGeometry geometry, FieldSynthesizer synth, RadialWeights weights,
                     FieldSynthesizer.Workspace ws, FieldSynthesizer.Region lines) {
        this.plan = plan;
        this.settings = plan.settings;
        this.g = geometry;
        this.synth = synth;
        this.weights = weights;
        this.ws = ws;
        this.lines = lines;
        this.plane = new PlaneSpectrum(weights);
        this.mc = g.mc;
        this.hc = g.hc;
        this.c = plan.n / 2;
        this.sums = new double[2][3][mc * mc];
        this.image = new double[g.m * g.m];
        this.power = new double[weights.pixels];
        InteriorModel interior = settings.interior;
        this.levelCut = interior.isLevelCut();
        this.sampleStatistics = settings.sampleStatistics;
        this.beta = interior.threshold();
        this.expectation = interior.expectation();
    }

    /** The curve of the particle with a uniform core (no interior fluctuation). */
    double[] uniformCurve() {
        g.uniformProjection(plan.shift, plan.shellDensity - 1.0, image);
        Arrays.fill(power, 0.0);
        plane.accumulate(image, g.m, power);
        double[] curve = new double[weights.nq];
        weights.apply(power, curve);
        return curve;
    }

    /**
     * Realisations 2 {@code pair} and 2 {@code pair} + 1 (the second only when it is below the
     * realisation count): their curves, averaged over the projection axes, go to
     * {@code curves[r]}; CPU times to {@code timing}.
     */
    void runPair(int pair, double[][] curves, RealizationLoop.Timing timing) {
        long t0 = RealizationLoop.Timing.cpu();
        synth.fillSpectrum(ws, settings.seed, pair);
        if (sampleStatistics) {
            double[] ms = synth.sampleMeanSquares(ws);
            inv0 = 1.0 / Math.sqrt(ms[0]);
            inv1 = 1.0 / Math.sqrt(ms[1]);
        } else {
            inv0 = 1.0 / Math.sqrt(synth.variance);
            inv1 = inv0;
        }
        boxSum0 = 0.0;
        boxSum1 = 0.0;
        for (double[][] part : sums) {
            for (double[] img : part) {
                Arrays.fill(img, 0.0);
            }
        }
        synth.transform(ws, lines, this);
        long t1 = RealizationLoop.Timing.cpu();
        double box = (double) plan.n * plan.n * plan.n;
        int axes = settings.axes;
        for (int part = 0; part < 2; part++) {
            int r = 2 * pair + part;
            if (r >= settings.realizations) {
                break;
            }
            double coreContrast = plan.shift;
            if (sampleStatistics) {
                coreContrast += expectation - (part == 0 ? boxSum0 : boxSum1) / box;
            }
            Arrays.fill(power, 0.0);
            for (int axis = 0; axis < axes; axis++) {
                g.uniformProjection(coreContrast, plan.shellDensity - 1.0, image);
                double[] s = sums[part][axis];
                int off = g.hp - hc;
                for (int u = 0; u < mc; u++) {
                    int row = (u + off) * g.m + off;
                    for (int v = 0; v < mc; v++) {
                        image[row + v] += s[u * mc + v];
                    }
                }
                plane.accumulate(image, g.m, power);
            }
            double[] curve = new double[weights.nq];
            weights.apply(power, curve);
            if (axes > 1) {
                for (int j = 0; j < curve.length; j++) {
                    curve[j] /= axes;
                }
            }
            curves[r] = curve;
        }
        long t2 = RealizationLoop.Timing.cpu();
        timing.fieldNanos.addAndGet(t1 - t0);
        timing.projectionNanos.addAndGet(t2 - t1);
    }

    @Override
    public void line(float[] buf, int off, int y, int z) {
        int dy = y - c;
        int dz = z - c;
        int h = FieldSynthesizer.Region.maxOffset(g.core2 - (double) dy * dy - (double) dz * dz);
        if (sampleStatistics) {
            double s0 = 0.0;
            double s1 = 0.0;
            int n = plan.n;
            for (int x = 0; x < n; x++) {
                s0 += transform(buf[off + 2 * x] * inv0);
                s1 += transform(buf[off + 2 * x + 1] * inv1);
            }
            boxSum0 += s0;
            boxSum1 += s1;
        }
        if (h < 0) {
            return;
        }
        final double e = expectation;
        final double[] z0 = sums[0][0];
        final double[] x0 = sums[0][1];
        final double[] y0 = sums[0][2];
        final double[] z1 = sums[1][0];
        final double[] x1 = sums[1][1];
        final double[] y1 = sums[1][2];
        final int iy = dy + hc;
        final int iz = dz + hc;
        double line0 = 0.0;
        double line1 = 0.0;
        for (int dx = -h; dx <= h; dx++) {
            int p = off + 2 * (c + dx);
            double v0 = transform(buf[p] * inv0) - e;
            double v1 = transform(buf[p + 1] * inv1) - e;
            int ix = (dx + hc) * mc;
            z0[ix + iy] += v0;
            z1[ix + iy] += v1;
            y0[ix + iz] += v0;
            y1[ix + iz] += v1;
            line0 += v0;
            line1 += v1;
        }
        x0[iy * mc + iz] += line0;
        x1[iy * mc + iz] += line1;
    }

    private double transform(double y) {
        if (levelCut) {
            return y > beta ? 1.0 : 0.0;
        }
        return 1.0 / (1.0 + Math.exp(-y));
    }
}
