package org.lnpsaxs.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.formfactor.CoreShellSphere;
import org.lnpsaxs.polydispersity.Dispersion;
import org.lnpsaxs.polydispersity.SasPolydisperseModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The 2-D size distribution beside {@link PolydispersityBenchmark}: one core_shell_sphere curve
 * averaged over radius × thickness, 35 × 35 points (1225 rows) on 200 log-spaced q from 0.001 to
 * 0.5 Å⁻¹ — the sasmodels reference case {@code css_lnp_pdRT_gauss_log} (radius 250 Å gaussian pd
 * 0.15, thickness 30 Å gaussian pd 0.2, 3 σ, SLDs 10 / 10.5 / 9.47), which sasmodels 1.0.6 computes
 * in 6.5 ms. Goals (issue 14): forward at most half of that, a gradient at most 3× the forward.
 *
 * <p>{@link #forward}: I(q). {@link #gradient}: I(q) and the gradient of all nine parameters for
 * a fixed, seeded dL/dI (one fused form-factor pass). {@link #lossGradient}: the same for a loss
 * whose dL/dI needs the intensities first (χ²-like, dL/dI = (I − d)/I²), as a fit calls it (a
 * forward pass, then the fused one). {@code threads}: the rows split over 1 or 2 threads
 * ({@link SasPolydisperseModel#withThreads}); 1 is the code before the option. Results blackholed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PolydispersityRadiusThicknessBenchmark {

    /** Threads the rows are split over. */
    @Param({"1", "2"})
    public int threads;

    private SasPolydisperseModel model;
    private double[] theta;
    private double[] out;
    private double[] data;
    private double[] dLdI;
    private double[] dLdTheta;

    /** Builds the model, parameters and buffers. */
    @Setup
    public void setup() {
        model = SasPolydisperseModel.of(new CoreShellSphere(), QGrid.log(0.001, 0.5, 200),
                Dispersion.sasmodels("radius", "gaussian", 35, 3), Dispersion.sasmodels("thickness", "gaussian", 35, 3))
                .withThreads(threads);
        // scale, background, radius, radius_pd, thickness, thickness_pd, sld_core, sld_shell, sld_solvent
        theta = new double[] {1, 0, 250, 0.15, 30, 0.2, 10, 10.5, 9.47};
        out = new double[model.qSize()];
        dLdI = new double[model.qSize()];
        data = model.evaluate(theta);
        Random rnd = new Random(42);
        for (int i = 0; i < dLdI.length; i++) {
            dLdI[i] = rnd.nextGaussian();
            data[i] *= 1 + 0.01 * rnd.nextGaussian();
        }
        dLdTheta = new double[theta.length];
    }

    /** The curve. */
    @Benchmark
    public void forward(Blackhole bh) {
        model.evaluate(theta, 1, out);
        bh.consume(out);
    }

    /** The curve and the gradient for a known dL/dI. */
    @Benchmark
    public void gradient(Blackhole bh) {
        model.evaluateAndVectorJacobianProduct(theta, 1, dLdI, out, dLdTheta);
        bh.consume(out);
        bh.consume(dLdTheta);
    }

    /** The curve and the gradient of a loss that needs the curve first. */
    @Benchmark
    public void lossGradient(Blackhole bh) {
        model.evaluateAndBackpropagate(theta, 1, out, (intensity, batch, g) -> {
            for (int i = 0; i < g.length && i < intensity.length; i++) {
                g[i] = (intensity[i] - data[i]) / (intensity[i] * intensity[i]);
            }
        }, dLdTheta);
        bh.consume(out);
        bh.consume(dLdTheta);
    }
}
