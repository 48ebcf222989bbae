// Which starts of a multi-start fit end on an edge of the fit box, and how many iterations they took
// (docs/benchmarks.md, "Bound pinning"). Run from the repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/benchmarks/AtBounds.java CURVE STARTS [unpinned|pinned] [MODEL]
//
// Fits CURVE with MODEL (default lnp) and the scale-free loss from STARTS starts (the fitter's
// defaults, without Fisher information; "unpinned" turns L-BFGS's bound pinning off) and prints, per
// start that ends within 1e-5 of a box width from an edge, its iterations, whether it converged, its
// loss over the best and the parameters at the edge (their distance in box widths); then the counts.
import java.nio.file.Path;
import java.util.Locale;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.model.FitModels;
import org.lnpsaxs.optimize.multistart.Lbfgs;

public class AtBounds {
    public static void main(String[] a) throws Exception {
        int starts = Integer.parseInt(a[1]);
        boolean unpinned = a.length > 2 && a[2].equals("unpinned");
        FitProblem problem = FitProblem.of(FitModels.byName(a.length > 3 ? a[3] : "lnp"),
                ScatteringCurve.read(Path.of(a[0]))).withLoss("scale-free");
        Lbfgs opt = unpinned ? Lbfgs.defaults().withBoundPinning(0) : Lbfgs.defaults();
        FitResult r = Fitter.defaults().withStarts(starts).withFisher(false).withOptimizer(opt).fit(problem);
        ParameterSpace box = problem.space().box();
        double[] lo = box.lowerBounds();
        double[] hi = box.upperBounds();
        int p = box.size();
        int[] per = new int[p];
        long stepsAt = 0;
        long stepsIn = 0;
        int nAt = 0;
        double best = r.loss(r.best());
        for (int i = 0; i < starts; i++) {
            double[] th = r.parameters(i);
            StringBuilder edges = new StringBuilder();
            for (int j = 0; j < p; j++) {
                if (hi[j] > lo[j]) {
                    double f = (th[j] - lo[j]) / (hi[j] - lo[j]);
                    double d = Math.min(f, 1 - f);
                    if (d < 1e-5) {
                        per[j]++;
                        edges.append(String.format(Locale.ROOT, " %s(%.1e)", box.get(j).name(), d));
                    }
                }
            }
            if (edges.length() > 0) {
                nAt++;
                stepsAt += r.steps()[i];
                System.out.printf(Locale.ROOT, "%4d: %3d iterations, converged %s, loss/best %.4g,%s%n", i, r.steps()[i],
                        r.converged()[i], r.loss(i) / best, edges);
            } else {
                stepsIn += r.steps()[i];
            }
        }
        System.out.printf(Locale.ROOT, "starts on an edge (within 1e-5 of the width): %d, %.1f iterations on average;"
                + " the others %d, %.1f%n", nAt, nAt == 0 ? 0.0 : (double) stepsAt / nAt, starts - nAt,
                starts == nAt ? 0.0 : (double) stepsIn / (starts - nAt));
        for (int j = 0; j < p; j++) {
            if (per[j] > 0) {
                System.out.println("  " + box.get(j).name() + ": " + per[j]);
            }
        }
        System.exit(0);
    }
}
