package org.lnpsaxs.optimize.posterior;

import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * The measurements behind the sampler's defaults (package documentation): autocorrelation times
 * and ESS per evaluation on test targets for several move mixtures, mode-weight recovery on
 * separated mixtures, and the sampler's own overhead per log-density evaluation. A program, not a
 * unit test (it times things); run it with the test class path:
 * {@code java -cp optimize/target/classes:optimize/target/test-classes:<commons-math3.jar> org.lnpsaxs.optimize.posterior.SamplerMeasurements}.
 */
public final class SamplerMeasurements {

    private SamplerMeasurements() {
    }

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "all";
        if (what.equals("all") || what.equals("gauss")) {
            gaussian();
        }
        if (what.equals("all") || what.equals("banana")) {
            banana();
        }
        if (what.equals("all") || what.equals("modes")) {
            modes(2);
            modes(8);
        }
        if (what.equals("all") || what.equals("speed")) {
            speed();
        }
    }

    record Mix(String name, double de, double unit) {
    }

    static final List<Mix> MIXES = List.of(new Mix("stretch", 0, 0), new Mix("stretch+DE20", 0.2, 0.1),
            new Mix("stretch+DE50", 0.5, 0.1), new Mix("stretch+DE80", 0.8, 0.1), new Mix("DE100", 1.0, 0.1));

    static void gaussian() {
        TestTargets.Gaussian g = TestTargets.correlatedGaussian(10, 0.9, 11);
        System.out.println("== correlated 10-D Gaussian (AR correlation 0.9, sds 0.1..10), burn-in 1000, 5000 kept steps");
        for (int walkers : new int[] {24, 40, 80}) {
            for (Mix m : MIXES) {
                report(m.name + " W=" + walkers, g, EnsembleSampler.create().withWalkers(walkers)
                        .withDifferentialEvolution(m.de, m.unit).withSeed(5), 1000, 5000);
            }
        }
    }

    static void banana() {
        System.out.println("== twisted Gaussian (Haario banana, b = 0.03, 10-D), W = 40, burn-in 4000, 20000 kept steps, seeds 1..3");
        BatchLogDensity b = TestTargets.banana(10, 0.03);
        for (Mix m : MIXES) {
            for (long seed = 1; seed <= 3; seed++) {
                report(m.name + " seed " + seed, b, EnsembleSampler.create().withWalkers(40)
                        .withDifferentialEvolution(m.de, m.unit).withSeed(seed), 4000, 20000);
            }
        }
    }

    static void report(String label, BatchLogDensity target, EnsembleSampler s, int burn, int steps) {
        int d = target.dimension();
        long t0 = cpuNanos();
        Chain c = s.sample(target, Initialization.gaussianBall(new double[d], 0.1), burn, steps);
        double secs = (cpuNanos() - t0) * 1e-9;
        Convergence v = Convergence.of(c, ConvergenceCriteria.DEFAULT);
        System.out.printf(Locale.ROOT,
                "%-22s acc %.3f  tau max %6.1f mean %6.1f  ESS bulk min %7.0f tail min %7.0f  ESS/1000 kept draws %.2f  Rhat max %.4f  conv %s  %.1fs cpu%n",
                label, c.acceptanceFraction(), v.maxAutocorrelationTime(), mean(v.autocorrelationTime()),
                min(v.essBulk()), min(v.essTail()), 1000 * v.minEss() / (steps * (double) c.walkers()), v.maxRHat(),
                v.converged(), secs);
    }

    static void modes(int d) {
        System.out.println("== two Gaussian modes, weights 0.3/0.7, 10 sd apart along x0, " + d
                + "-D, started 0.5/0.5; burn-in 2000, 6000 kept steps, W = " + Math.max(32, 4 * d));
        BatchLogDensity t = TestTargets.twoModes(d, 10, 0.3);
        double[] ca = new double[d];
        double[] cb = new double[d];
        ca[0] = -5;
        cb[0] = 5;
        double[] sd = new double[d];
        java.util.Arrays.fill(sd, 0.5);
        Initialization init = Initialization.modes(List.of(new Initialization.Mode(ca, sd, 0.5),
                new Initialization.Mode(cb, sd, 0.5)));
        ToIntFunction<double[]> label = x -> x[0] < 0 ? 0 : 1;
        EnsembleSampler base = EnsembleSampler.create().withSeed(3);
        run("stretch", base.withDifferentialEvolution(0, 0), init, t, label);
        run("stretch+DE20(unit .1)", base.withDifferentialEvolution(0.2, 0.1), init, t, label);
        run("stretch+DE20(unit .5)", base.withDifferentialEvolution(0.2, 0.5), init, t, label);
        run("stretch+jump10", base.withDifferentialEvolution(0, 0).withModeJumps(init.nearestMode(), 2, 0.1), init,
                t, label);
        run("stretch+DE20+jump10", base.withModeJumps(init.nearestMode(), 2, 0.1), init, t, label);
        run("stretch+DE50+jump10", base.withDifferentialEvolution(0.5, 0.1).withModeJumps(init.nearestMode(), 2, 0.1),
                init, t, label);
        run("stretch+DE50+jump20", base.withDifferentialEvolution(0.5, 0.1).withModeJumps(init.nearestMode(), 2, 0.2),
                init, t, label);
    }

    static void run(String name, EnsembleSampler s, Initialization init, BatchLogDensity t,
                    ToIntFunction<double[]> label) {
        Chain c = s.sample(t, init, 2000, 6000);
        Convergence v = Convergence.of(c, ConvergenceCriteria.DEFAULT);
        ModeWeights w = ModeWeights.of(c, label, 2);
        MoveCounts m = c.moves();
        System.out.printf(Locale.ROOT,
                "%-24s weight(0.3) %.3f ± %.3f  switches %6d  acc stretch %.3f de %.3f jump %.3f  Rhat max %.3f tau max %.1f conv %s%n",
                name, w.weights()[0], w.standardErrors()[0], w.switches(), m.stretchAcceptance(), m.deAcceptance(),
                m.jumpAcceptance(), v.maxRHat(), v.maxAutocorrelationTime(), v.converged());
    }

    static void speed() {
        int d = 10;
        BatchLogDensity trivial = new BatchLogDensity() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void logDensity(double[] x, int batch, double[] out) {
                for (int b = 0; b < batch; b++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        double v = x[b * d + k];
                        s += v * v;
                    }
                    out[b] = -0.5 * s;
                }
            }
        };
        for (int rep = 0; rep < 3; rep++) {
            for (Mix m : List.of(MIXES.get(0), MIXES.get(2))) {
                EnsembleSampler s = EnsembleSampler.create().withWalkers(64).withDifferentialEvolution(m.de, m.unit);
                long t0 = cpuNanos();
                EnsembleRun r = s.start(trivial, Initialization.gaussianBall(new double[d], 1));
                int steps = 20000;
                r.advance(steps);
                double secs = (cpuNanos() - t0) * 1e-9;
                long t1 = cpuNanos();
                Convergence v = Convergence.of(r.chain(steps / 2), ConvergenceCriteria.DEFAULT);
                double dsecs = (cpuNanos() - t1) * 1e-9;
                System.out.printf(Locale.ROOT,
                        "speed %-14s d=10 W=64 %d steps: %.2f s cpu, %.2f M evaluations/s (%.0f ns per evaluation);"
                                + " diagnostics of 64 walkers x 10000 steps x 10: %.2f s cpu (%.2f us per draw and coordinate)%n",
                        m.name, steps, secs, 64.0 * steps / secs / 1e6, secs / (64.0 * steps) * 1e9, dsecs,
                        dsecs / (64.0 * 10000 * 10) * 1e6);
            }
        }
    }

    /** CPU time of this thread (the machine is shared, so wall time says little). */
    static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }
}
