package org.lnpsaxs.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.core.simulator.LnpSimulator;
import org.lnpsaxs.surrogate.Surrogate;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The paper's headline: one curve simulated directly versus the same curve predicted by the
 * surrogate (bar: direct / surrogate ≥ 10⁴ per curve), plus batched surrogate calls and input
 * gradients, per curve.
 *
 * <p>{@code direct}: {@link LnpSimulator} with the training data's settings — voxel 5 Å, plane
 * 1024, 10 realisations, 3 projection axes, particle-sized box, the paper's q grid — at
 * {@link LnpParameters#example()}, on one thread (as each curve of the training set was made:
 * {@code --threads 1}; the surrogate runs on one thread too). {@code surrogate…}: the model given
 * by {@code -Dlnpsaxs.surrogate=FILE}, else the shipped default model. ND4J runs on one thread. Times are per curve.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SpeedupBenchmark}; the ratio of the
 * {@code direct} and {@code surrogateSingle} scores is the speed-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpeedupBenchmark {

    /** Curves per call of the batched benchmarks. */
    public static final int BATCH = 1024;

    private LnpSimulator simulator;
    private Surrogate surrogate;
    private Surrogate surrogateNd4j;
    private double[] theta;
    private double[] out;
    private double[] grad;
    private double[] dtheta;
    private double[] batchTheta;
    private double[] batchOut;
    private double[] batchGrad;
    private double[] batchDtheta;

    /** Loads the model and builds the inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        simulator = LnpSimulator.paperDefaults().withRealizations(10).withProjectionAxes(3).withThreads(1);
        surrogate = LnpBenchmarkModel.load().surrogate();
        surrogateNd4j = surrogate.withBackend(Surrogate.Backend.ND4J);
        theta = LnpParameters.example();
        int nq = surrogate.qSize();
        out = new double[nq];
        grad = new double[nq];
        java.util.Arrays.fill(grad, 1e-3);
        dtheta = new double[theta.length];
        int p = theta.length;
        batchTheta = new double[BATCH * p];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int b = 0; b < BATCH; b++) {
            for (int j = 0; j < p; j++) {
                double lo = LnpParameters.SPACE.get(j).lower();
                double hi = LnpParameters.SPACE.get(j).upper();
                batchTheta[b * p + j] = lo + rng.nextDouble() * (hi - lo);
            }
        }
        batchOut = new double[BATCH * nq];
        batchGrad = new double[BATCH * nq];
        java.util.Arrays.fill(batchGrad, 1e-3);
        batchDtheta = new double[BATCH * p];
    }

    /** One curve simulated directly with the training-data settings, one thread. */
    @Benchmark
    public double[] direct() {
        return simulator.simulate(theta);
    }

    /** The same curve predicted, batch of one (the default path: plain Java, double). */
    @Benchmark
    public double[] surrogateSingle() {
        surrogate.evaluate(theta, 1, out);
        return out;
    }

    /** The same curve's input gradient (vector-Jacobian product), batch of one. */
    @Benchmark
    public double[] surrogateGradientSingle() {
        surrogate.vectorJacobianProduct(theta, 1, grad, dtheta);
        return dtheta;
    }

    /** The same curve predicted through ND4J, batch of one (shows ND4J's per-call overhead). */
    @Benchmark
    public double[] surrogateSingleNd4j() {
        surrogateNd4j.evaluate(theta, 1, out);
        return out;
    }

    /** 1024 curves predicted in one call (the AUTO backend), time per curve. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] surrogateBatch() {
        surrogate.evaluate(batchTheta, BATCH, batchOut);
        return batchOut;
    }

    /** 1024 curves predicted in one call, networks forced onto ND4J, time per curve. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] surrogateBatchNd4j() {
        surrogateNd4j.evaluate(batchTheta, BATCH, batchOut);
        return batchOut;
    }

    /** Input vector-Jacobian product of 1024 curves in one call, time per curve. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] surrogateGradientBatch() {
        surrogate.vectorJacobianProduct(batchTheta, BATCH, batchGrad, batchDtheta);
        return batchDtheta;
    }

    /** Intensities and input gradients of 1024 curves in one pass (what the fitter calls), time per curve. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] surrogateFusedBatch() {
        surrogate.evaluateAndVectorJacobianProduct(batchTheta, BATCH, batchGrad, batchOut, batchDtheta);
        return batchDtheta;
    }

    /** The fused call of 1024 curves, networks forced onto ND4J, time per curve. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] surrogateFusedBatchNd4j() {
        surrogateNd4j.evaluateAndVectorJacobianProduct(batchTheta, BATCH, batchGrad, batchOut, batchDtheta);
        return batchDtheta;
    }

    /** Names of the benchmarks (for scripts). */
    public static List<String> names() {
        return List.of("direct", "surrogateSingle", "surrogateGradientSingle", "surrogateSingleNd4j",
                "surrogateBatch", "surrogateBatchNd4j", "surrogateGradientBatch", "surrogateFusedBatch",
                "surrogateFusedBatchNd4j");
    }
}
