// The cost of screened starts (docs/benchmarks.md, "Screened starts"): fits CURVE with the lnp model
// (the fitter's defaults otherwise, without Fisher information) from STARTS starts, once per
// screening factor given, in that order in one JVM, and prints per fit the factor, the wall and
// process CPU seconds, the forward and reverse evaluations, the iterations per start and the best
// loss. Run from the repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/benchmarks/ScreenedTiming.java CURVE STARTS FACTOR...
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.model.FitModels;

public class ScreenedTiming {
    public static void main(String[] a) throws Exception {
        FitProblem problem = FitProblem.of(FitModels.byName("lnp"), ScatteringCurve.read(Path.of(a[0])));
        int starts = Integer.parseInt(a[1]);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int k = 2; k < a.length; k++) {
            int factor = Integer.parseInt(a[k]);
            long w0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            FitResult r = Fitter.defaults().withStarts(starts).withScreening(factor).withFisher(false).fit(problem);
            long c1 = os.getProcessCpuTime();
            long w1 = System.nanoTime();
            long steps = 0;
            for (int s : r.steps()) {
                steps += s;
            }
            System.out.printf(Locale.ROOT, "screening %d: wall %.1f s, cpu %.1f s, forward %d, reverse %d, "
                    + "iterations per start %.1f, best loss %.10e%n", factor, (w1 - w0) / 1e9, (c1 - c0) / 1e9,
                    r.evaluations(), r.gradients(), (double) steps / starts, r.bestLoss());
        }
    }
}
