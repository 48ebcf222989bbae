package org.lnpsaxs.benchmarks;

import java.util.concurrent.TimeUnit;

import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.internal.Starts;
import org.lnpsaxs.optimize.multistart.AdamW;
import org.lnpsaxs.optimize.multistart.BatchOptimizer;
import org.lnpsaxs.optimize.multistart.Lbfgs;
import org.lnpsaxs.optimize.multistart.OptimizationListener;
import org.lnpsaxs.optimize.multistart.OptimizationResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Multi-start throughput of the {@code lnp} model (surrogate + 32-node truncated log-normal
 * radius distribution + scale-free loss): one operation is {@value #STEPS} steps of all
 * {@code starts} starts advanced together, so starts × steps per second = starts × {@value #STEPS}
 * / (seconds per operation). {@code adamw}: the paper's AdamW update (one forward and one reverse
 * pass per step). {@code lbfgs}: L-BFGS iterations with their batched Armijo line search
 * (≥ 1 forward per iteration, one reverse pass per accepted step); retirement is switched off
 * here so that every iteration keeps all starts — the time to a converged ensemble, where
 * retirement pays off, is measured by {@link MultiStartComparison}.
 *
 * <p>The surrogate: {@code -Dlnpsaxs.surrogate=FILE}, else the shipped default model (see
 * {@link LnpBenchmarkModel}). Run with
 * {@code OMP_NUM_THREADS=1} (ND4J) and the fitter's default thread count (all processors).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class MultiStartBenchmark {

    /** Steps (or iterations) per operation. */
    public static final int STEPS = 5;

    /** The number of starts. */
    @Param({"32", "128"})
    public int starts;

    /** The optimiser. */
    @Param({"adamw", "lbfgs"})
    public String optimizer;

    private FitObjective objective;
    private double[] u0;
    private BatchOptimizer opt;

    /** Loads the model, builds the objective and the starting points. */
    @Setup(Level.Trial)
    public void setup() {
        LnpBenchmarkModel.Loaded loaded = LnpBenchmarkModel.load();
        System.out.println("# surrogate: " + loaded.description());
        FitProblem p = LnpBenchmarkModel.problem(loaded.surrogate());
        Reparameterization reparam = new Reparameterization(p.space());
        objective = new FitObjective(p.model(), reparam, p.loss(), null,
                Runtime.getRuntime().availableProcessors(), 256);
        u0 = Starts.unconstrained(reparam, Starts.physical(p.space(), starts, 1, Starts.DEFAULT_SHRINK), starts);
        opt = "adamw".equals(optimizer) ? AdamW.paper().withSteps(STEPS)
                : Lbfgs.defaults().withMaxIterations(STEPS).withoutEarlyStop();
    }

    /** {@value #STEPS} steps of all starts. */
    @Benchmark
    public OptimizationResult steps() {
        return opt.minimize(objective, u0, starts, OptimizationListener.NONE);
    }
}
