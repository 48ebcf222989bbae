package org.lnpsaxs.benchmarks;

import java.util.concurrent.TimeUnit;

import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.core.simulator.LnpSimulator;
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

/**
 * One paper-compatible curve of the direct LNP simulation: the example particle (R 245 Å, t 60 Å,
 * w_q1 0.7, m_q 0.10/0.11 Å⁻¹, s_q 0.015/0.10 Å⁻¹, GRF_shift −0.1, relative_rho_shell 0.96),
 * 20 realisations, one projection, the paper's 300-point q grid, voxel 5 Å, plane 1024.
 *
 * <p>{@code box}: {@code particle} sizes the interior box to the particle (the default, 120³
 * for this particle); {@code 256} is a fixed 256³ box, the size of the numpy anchor (0.43 s per
 * realisation with a two-thread FFT on this machine). {@code threads}: worker threads. Divide
 * the time per curve by 20 for the time per realisation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@State(Scope.Benchmark)
public class SimulatorBenchmark {

    /** Box mode: {@code particle} or a fixed side in voxels. */
    @Param({"particle", "256"})
    public String box;

    /** Worker threads. */
    @Param({"2"})
    public int threads;

    /** Realisations per curve. */
    @Param({"20"})
    public int realizations;

    private LnpSimulator simulator;
    private double[] theta;

    /** Builds the simulator and warms its caches. */
    @Setup
    public void setUp() {
        LnpSimulator s = LnpSimulator.paperDefaults().withThreads(threads).withRealizations(realizations);
        if (!"particle".equals(box)) {
            s = s.withBoxSize(Integer.parseInt(box));
        }
        simulator = s;
        theta = LnpParameters.example();
    }

    /** One curve. */
    @Benchmark
    public double[] curve() {
        return simulator.simulate(theta);
    }
}
