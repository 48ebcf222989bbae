package org.lnpsaxs.benchmarks;

import java.util.concurrent.TimeUnit;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.loss.Loss;
import org.lnpsaxs.surrogate.fit.LnpFitModel;
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
 * The posterior's kernel: the log likelihood and its gradient for a batch of 8 parameter sets (the
 * Hamiltonian sampler's 8 chains, one leapfrog step), on the {@code lnp} model over the shipped
 * surrogate with the accurate size quadrature, 300 q from 0.002 to 0.1995 Å⁻¹, data = the model at
 * the benchmarks' LNP truth with 1 % σ. Per {@link #loss}: {@code loglik} (the data's σ plus the
 * surrogate's error model, whitened) or {@code chi2}. {@link #lossOnly} times the loss and its
 * gradient dL/dI for 8 given curves; {@link #modelAndLoss} the whole value and physical gradient
 * ({@link FitObjective#valueAndPhysicalGradient}, one thread). Microseconds per call of 8 sets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LikelihoodBenchmark {

    /** Batch: the default number of HMC chains. */
    static final int BATCH = 8;

    /** The loss: {@code loglik} or {@code chi2}. */
    @Param({"loglik", "chi2"})
    public String loss;

    private Loss lossFn;
    private FitObjective objective;
    private double[] theta;
    private double[] curves;
    private double[] values;
    private double[] dLdI;
    private double[] dTheta;

    /** Builds the data, the problem and the buffers. */
    @Setup
    public void setup() {
        LnpFitModel fm = LnpFitModel.of(LnpBenchmarkModel.load().surrogate());
        double[] q = QGrid.linear(0.002, 0.1995, 300).values();
        DifferentiableModel m = fm.bind(QGrid.of(q)).model();
        ParameterSpace ps = m.parameters();
        double[] truth = new double[ps.size()];
        LnpBenchmarkModel.TRUTH.forEach((k, v) -> truth[ps.indexOf(k)] = v);
        double[] intensity = m.evaluate(truth);
        double[] sigma = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            sigma[i] = 0.01 * intensity[i];
        }
        FitProblem problem = FitProblem.of(fm, ScatteringCurve.of(q, intensity, sigma).withSource("benchmark"))
                .withLoss(loss);
        lossFn = problem.loss();
        DifferentiableModel model = problem.model();
        int p = model.parameters().size();
        objective = new FitObjective(model, new Reparameterization(problem.space()), lossFn, null, 1, BATCH);
        theta = new double[BATCH * p];
        java.util.Random r = new java.util.Random(7);
        for (int b = 0; b < BATCH; b++) {
            for (int j = 0; j < p; j++) {
                // within 1 % of the truth: the points a converged chain visits
                theta[b * p + j] = truth[j] * (1 + 0.01 * (r.nextDouble() - 0.5));
            }
        }
        curves = new double[BATCH * q.length];
        model.evaluate(theta, BATCH, curves);
        values = new double[BATCH];
        dLdI = new double[BATCH * q.length];
        dTheta = new double[BATCH * p];
    }

    /** The loss and dL/dI for 8 given curves. */
    @Benchmark
    public void lossOnly(Blackhole bh) {
        lossFn.evaluate(curves, BATCH, values, dLdI);
        bh.consume(values);
        bh.consume(dLdI);
    }

    /** Model, loss and the gradient with respect to the parameters for 8 parameter sets. */
    @Benchmark
    public void modelAndLoss(Blackhole bh) {
        objective.valueAndPhysicalGradient(theta, BATCH, values, dTheta);
        bh.consume(values);
        bh.consume(dTheta);
    }
}
