package org.lnpsaxs.core.formfactor;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;

/** Argument checks shared by the form factors (not a user class). */
final class Kernels {

    /** \( 4\pi/3 \) as sasmodels' {@code M_4PI_3} literal. */
    static final double FOUR_PI_3 = 4.18879020478639098461685784437;
    /** \( 4\pi \): the derivative of \( 4\pi r^3/3 \) is \( 4\pi r^2 \). */
    static final double FOUR_PI = 12.5663706143591729538505735331;

    private Kernels() {
    }

    /**
     * Checks the array sizes of a call and that every parameter value is finite and inside its
     * bounds; the message names the parameter, the value, the set and the allowed range.
     */
    static void checkCall(FormFactor ff, double[] q, double[] theta, int batch) {
        ParameterSpace space = ff.parameters();
        int p = space.size();
        if (batch < 0) {
            throw new IllegalArgumentException(ff.name() + ": batch = " + batch + " is negative");
        }
        if (q == null || theta == null) {
            throw new IllegalArgumentException(ff.name() + ": q and theta must not be null");
        }
        for (int i = 0; i < q.length; i++) {
            if (!(q[i] >= 0) || q[i] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(ff.name() + ": q[" + i + "] = " + q[i]
                        + " is not a finite value >= 0 (1/Å)");
            }
        }
        space.check(theta, batch);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < p; j++) {
                double v = theta[b * p + j];
                if (!Double.isFinite(v)) {
                    Parameter par = space.get(j);
                    throw new IllegalArgumentException(ff.name() + ": parameter " + par.name() + " = " + v
                            + (batch > 1 ? " (set " + b + ")" : "") + " is not finite");
                }
            }
        }
    }

    /** Checks that {@code array} (when not null) holds at least {@code need} values. */
    static void checkLength(String what, double[] array, long need) {
        if (array != null && array.length < need) {
            throw new IllegalArgumentException(what + " holds " + array.length + " values, need " + need);
        }
    }
}
