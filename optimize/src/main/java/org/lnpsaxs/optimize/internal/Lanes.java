package org.lnpsaxs.optimize.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs lane {@code 0..lanes-1} of a job in parallel (lane 0 on the calling thread, the others on
 * a shared pool of daemon threads). The caller decides which work a lane does: by its number
 * (the Fisher information, the identifiability analysis), or by letting the lanes claim pieces
 * as they become free ({@link FitObjective}'s chunks), where each piece's numbers are its own;
 * either way results do not depend on the number of lanes or on timing. Not a user class.
 */
public final class Lanes {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lnpsaxs-fit-" + COUNTER.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Lanes() {
    }

    /** Runs {@code job.accept(lane)} for every lane and waits; rethrows the first failure. */
    public static void run(int lanes, IntConsumer job) {
        if (lanes <= 1) {
            job.accept(0);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(lanes - 1);
        for (int l = 1; l < lanes; l++) {
            int lane = l;
            futures.add(POOL.submit(() -> job.accept(lane)));
        }
        RuntimeException first = null;
        try {
            job.accept(0);
        } catch (RuntimeException e) {
            first = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a fit lane", e);
            } catch (ExecutionException e) {
                if (first == null) {
                    Throwable c = e.getCause();
                    first = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
