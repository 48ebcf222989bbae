package org.lnpsaxs.core.simulator;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link SimulationPlan}: allocates what the plan sized (the particle's lattice counts,
 * the radial weights, the field synthesiser), runs the realisation pairs on the plan's workers,
 * and reduces the curves to their mean and standard error in realisation order, so that the
 * result does not depend on the thread count. Progress goes to the caller's
 * {@link ProgressListener} after each realisation and, on long runs, to the log every
 * {@link ProgressLog#INTERVAL_NANOS 10 s}.
 */
final class RealizationLoop {

    private static final Logger LOG = LoggerFactory.getLogger(LnpSimulator.class);

    private final SimulationPlan plan;
    private final SimulatorSettings settings;
    private final SimulatorCaches caches;

    RealizationLoop(SimulationPlan plan, SimulatorCaches caches) {
        this.plan = plan;
        this.settings = plan.settings;
        this.caches = caches;
    }

    SimulationResult run(ProgressListener listener) {
        long start = System.nanoTime();
        int realizations = settings.realizations;
        ParticleGeometry geometry = new ParticleGeometry(plan.radius, plan.thickness, settings.voxel);
        RadialWeights weights = caches.weights(settings.grid, settings.planeSize, settings.voxel);
        FieldSynthesizer synth = plan.n > 0 ? new FieldSynthesizer(plan.spectrum, plan.n, settings.voxel) : null;
        long setupDone = System.nanoTime();
        LOG.debug("{}", plan);

        ProgressLog log = new ProgressLog(realizations, plan.radius, System::nanoTime, LOG::info);
        ProgressListener progress = (done, total) -> {
            listener.progress(done, total);
            log.progress(done);
        };
        double[][] curves = new double[realizations][];
        Timing timing = new Timing();
        if (synth == null) {
            // no interior fluctuation: every realisation and projection is the same
            double[] c = new ProjectionWorker(plan, geometry, null, weights, null, null).uniformCurve();
            for (int r = 0; r < realizations; r++) {
                curves[r] = c;
                progress.progress(r + 1, realizations);
            }
            timing.projectionNanos.addAndGet(System.nanoTime() - setupDone);  // wall: one thread
        } else {
            FieldSynthesizer.Region lines = settings.sampleStatistics
                    ? FieldSynthesizer.Region.full(plan.n)
                    : FieldSynthesizer.Region.ball(plan.n, plan.n / 2, plan.core2);
            runWorkers(geometry, synth, weights, lines, curves, timing, progress);
        }

        int nq = weights.nq;
        double[] mean = new double[nq];
        double[] se = new double[nq];
        for (int r = 0; r < realizations; r++) {
            double[] c = curves[r];
            for (int j = 0; j < nq; j++) {
                mean[j] += c[j];
            }
        }
        for (int j = 0; j < nq; j++) {
            mean[j] /= realizations;
        }
        if (realizations < 2) {
            Arrays.fill(se, Double.NaN);
        } else {
            for (int r = 0; r < realizations; r++) {
                double[] c = curves[r];
                for (int j = 0; j < nq; j++) {
                    double d = c[j] - mean[j];
                    se[j] += d * d;
                }
            }
            for (int j = 0; j < nq; j++) {
                se[j] = Math.sqrt(se[j] / ((double) realizations * (realizations - 1)));
            }
        }
        for (int j = 0; j < nq; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new IllegalStateException("simulation produced a non-finite intensity at q = " + settings.grid.get(j));
            }
        }
        long end = System.nanoTime();
        return new SimulationResult(settings.grid.values(), mean, se, plan.n, plan.marginAngstrom, realizations,
                settings.axes, settings.seed, (setupDone - start) * 1e-9, timing.fieldNanos.get() * 1e-9,
                timing.projectionNanos.get() * 1e-9, (end - start) * 1e-9);
    }

    private void runWorkers(ParticleGeometry geometry, FieldSynthesizer synth, RadialWeights weights,
                            FieldSynthesizer.Region lines, double[][] curves, Timing timing, ProgressListener listener) {
        int realizations = settings.realizations;
        int pairs = (realizations + 1) / 2;
        int workers = plan.workers;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Object progressLock = new Object();
        Runnable task = () -> {
            FieldSynthesizer.Workspace ws = caches.takeWorkspace(plan.n);
            try {
                ProjectionWorker w = new ProjectionWorker(plan, geometry, synth, weights, ws, lines);
                for (int pair = next.getAndIncrement(); pair < pairs; pair = next.getAndIncrement()) {
                    w.runPair(pair, curves, timing);
                    int count = Math.min(2, realizations - 2 * pair);
                    synchronized (progressLock) {
                        for (int i = 0; i < count; i++) {
                            listener.progress(done.incrementAndGet(), realizations);
                        }
                    }
                }
            } finally {
                caches.giveWorkspace(ws);
            }
        };
        if (workers <= 1) {
            task.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers - 1, r -> {
            Thread th = new Thread(r, "lnp-simulator");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < workers - 1; i++) {
                futures.add(pool.submit(task));
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                failure.set(e);
                next.set(pairs);
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                }
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error er) {
                throw er;
            }
            if (t != null) {
                throw new IllegalStateException("simulation interrupted", t);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** CPU time by phase, summed over workers. */
    static final class Timing {
        private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
        private static final boolean CPU = MX.isCurrentThreadCpuTimeSupported();

        final AtomicLong fieldNanos = new AtomicLong();
        final AtomicLong projectionNanos = new AtomicLong();

        /** The current thread's CPU time, ns (wall time where the JVM cannot measure CPU time). */
        static long cpu() {
            return CPU ? MX.getCurrentThreadCpuTime() : System.nanoTime();
        }
    }

    /**
     * Plain progress lines for long runs: the first after {@link #INTERVAL_NANOS}, then one per
     * interval, each with the count, the elapsed time and an estimate of the time left. Runs
     * shorter than the interval say nothing. Called under the caller's progress lock.
     */
    static final class ProgressLog {
        /** Ten seconds between lines. */
        static final long INTERVAL_NANOS = 10_000_000_000L;

        private final int total;
        private final double radius;
        private final LongSupplier clock;
        private final Consumer<String> sink;
        private final long start;
        private long next;

        ProgressLog(int total, double radius, LongSupplier clock, Consumer<String> sink) {
            this.total = total;
            this.radius = radius;
            this.clock = clock;
            this.sink = sink;
            this.start = clock.getAsLong();
            this.next = start + INTERVAL_NANOS;
        }

        void progress(int done) {
            long now = clock.getAsLong();
            if (now < next) {
                return;
            }
            while (next <= now) {
                next += INTERVAL_NANOS;
            }
            double elapsed = (now - start) * 1e-9;
            double left = done > 0 ? elapsed * (total - done) / done : Double.NaN;
            sink.accept(String.format(Locale.ROOT, "simulating R = %.1f Å: %d of %d realisations (%.0f %%), %.0f s, "
                    + "about %.0f s left", radius, done, total, 100.0 * done / total, elapsed, left));
        }
    }
}
