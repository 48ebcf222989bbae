package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.model.AnalyticFitModel;

/**
 * The fit objective's lanes take the next chunk when they are free: a lane slowed on its core
 * leaves its chunks to the other lane, and the values and gradients stay those of one lane bit
 * for bit, whichever lane ran which chunk, on the split and on the fused path.
 */
class FitObjectiveLanesTest {

    /** Chunks of 1 start: 24 chunks for 24 starts. */
    private static final int STARTS = 24;

    @Test
    void aSlowLaneLeavesItsChunksToTheOtherAndTheNumbersStayTheSame() {
        double[][] syn = FitterTest.synthetic(AnalyticFitModel.sphere(), FitterTest.sphereTruth());
        FitProblem problem = FitterTest.problem(AnalyticFitModel.sphere(), "sphere", syn[0], syn[1]);
        DifferentiableModel model = problem.model();
        assertTrue(model instanceof FusedDifferentiableModel, "the polydisperse sphere is a fused model");
        Reparameterization reparam = new Reparameterization(problem.space());
        int d = reparam.freeSize();
        Random r = new Random(5);
        double[] u = new double[STARTS * d];
        for (int i = 0; i < u.length; i++) {
            u[i] = 0.8 * r.nextGaussian();
        }
        int[] ids = new int[STARTS];
        for (int i = 0; i < STARTS; i++) {
            ids[i] = i;
        }
        for (boolean fused : new boolean[] {false, true}) {
            double[][] one = run(new FitObjective(model, reparam, problem.loss(), null, 1, 1), ids, u, d);
            // lane 0 runs on this thread: slowed by 30 ms per model call, it should leave most chunks to lane 1
            Thread caller = Thread.currentThread();
            Map<Thread, AtomicInteger> calls = new ConcurrentHashMap<>();
            DifferentiableModel slowed = fused ? new SlowFused((FusedDifferentiableModel) model, caller, calls)
                    : new Slow(model, caller, calls);
            double[][] two = run(new FitObjective(slowed, reparam, problem.loss(), null, 2, 1), ids, u, d);
            for (int k = 0; k < one.length; k++) {
                assertArrayEquals(one[k], two[k], 0.0, (fused ? "fused" : "split") + " output " + k);
            }
            int onCaller = calls.getOrDefault(caller, new AtomicInteger()).get();
            int total = calls.values().stream().mapToInt(AtomicInteger::get).sum();
            // a fixed assignment gives each lane half the chunks of every call
            assertTrue(onCaller < total / 4, (fused ? "fused" : "split") + ": the slowed lane ran " + onCaller + " of "
                    + total + " model calls");
        }
    }

    /** Values, then the gradient, then both together. */
    private static double[][] run(FitObjective objective, int[] ids, double[] u, int d) {
        int batch = ids.length;
        double[] values = new double[batch];
        objective.value(ids, u, batch, values);
        double[] gradient = new double[batch * d];
        objective.gradient(ids, u, batch, gradient);
        double[] fusedValues = new double[batch];
        double[] fusedGradient = new double[batch * d];
        objective.valueAndGradient(ids, u, batch, fusedValues, fusedGradient);
        return new double[][] {values, gradient, fusedValues, fusedGradient};
    }

    private static void pause(Thread slow) {
        if (Thread.currentThread() == slow) {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A model that counts its calls per thread and sleeps on one thread. */
    private static class Slow implements DifferentiableModel {
        final DifferentiableModel m;
        final Thread slow;
        final Map<Thread, AtomicInteger> calls;

        Slow(DifferentiableModel m, Thread slow, Map<Thread, AtomicInteger> calls) {
            this.m = m;
            this.slow = slow;
            this.calls = calls;
        }

        void count() {
            calls.computeIfAbsent(Thread.currentThread(), t -> new AtomicInteger()).incrementAndGet();
            pause(slow);
        }

        @Override
        public ParameterSpace parameters() {
            return m.parameters();
        }

        @Override
        public double[] q() {
            return m.q();
        }

        @Override
        public int qSize() {
            return m.qSize();
        }

        @Override
        public void evaluate(double[] theta, int batch, double[] out) {
            count();
            m.evaluate(theta, batch, out);
        }

        @Override
        public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
            count();
            m.vectorJacobianProduct(theta, batch, dLdI, dLdTheta);
        }
    }

    /** The same for a fused model, whose fused pass the objective calls directly. */
    private static final class SlowFused extends Slow implements FusedDifferentiableModel {
        SlowFused(FusedDifferentiableModel m, Thread slow, Map<Thread, AtomicInteger> calls) {
            super(m, slow, calls);
        }

        @Override
        public void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                             double[] dLdTheta) {
            count();
            ((FusedDifferentiableModel) m).evaluateAndBackpropagate(theta, batch, out, upstream, dLdTheta);
        }
    }
}
