package consumer;

import java.util.Map;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.core.formfactor.SasModel;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.model.AnalyticFitModel;

/**
 * A user of lnpsaxs-optimize alone: fits a sphere curve (the same calls as step 4 of
 * docs/jshell/quickstart.jsh) with no ND4J on the class path.
 */
public final class AnalyticFit {

    private AnalyticFit() {
    }

    public static void main(String[] args) {
        try {
            Class.forName("org.nd4j.linalg.factory.Nd4j");
            throw new AssertionError("ND4J is on the class path of a program that depends on lnpsaxs-optimize only");
        } catch (ClassNotFoundException expected) {
            // the point of this consumer
        }
        QGrid q = QGrid.log(0.002, 0.3, 120);                                   // 1/Å
        double[] intensity = SasModel.sphere(q).with("radius", 120).evaluate();  // 1/cm
        ScatteringCurve curve = ScatteringCurve.of(q.values(), intensity);
        FitProblem problem = FitProblem.of(AnalyticFitModel.sphere(), curve, 0.002, 0.3);
        FitResult result = Fitter.defaults().withStarts(16).fit(problem);
        Map<String, Double> best = result.bestParameters();
        double radius = best.get("radius_mean");
        if (!(Math.abs(radius - 120) < 6)) {
            throw new AssertionError("the sphere fit found radius_mean = " + radius + " A, expected 120 A within 5 %");
        }
        System.out.printf(java.util.Locale.ROOT, "consumer: analytic fit without ND4J, radius_mean = %.1f A%n", radius);
    }
}
