package consumer;

import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.Surrogate;

/** A user of lnpsaxs-surrogate: the shipped LNP surrogate's curve for the example parameters. */
public final class LnpPredict {

    private LnpPredict() {
    }

    public static void main(String[] args) throws Exception {
        var lnp = Surrogate.loadDefault();
        double[] intensity = lnp.evaluate(LnpParameters.example());
        if (intensity.length != lnp.q().length) {
            throw new AssertionError(intensity.length + " intensities for " + lnp.q().length + " q values");
        }
        for (double v : intensity) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new AssertionError("the surrogate predicted I = " + v);
            }
        }
        System.out.printf(java.util.Locale.ROOT, "consumer: surrogate curve of %d points, I(q0) = %.4g%n",
                intensity.length, intensity[0]);
    }
}
