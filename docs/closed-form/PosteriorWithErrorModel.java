// The lnp-closed fit of one curve with another error model than the one it carries: an experiment's
// helper, not a library feature (docs/surrogate.md, "A closed form for the fluctuation term"). Run from
// the repository root:
//
//   java -Xmx6g -cp cli/target/lnpsaxs.jar docs/closed-form/PosteriorWithErrorModel.java DATA ERROR_MODEL.json OUT [STARTS]
//
// ERROR_MODEL.json as docs/error-model/BuildErrorModel.java -Dmodel=closed writes it. Fits DATA with
// LnpFitModel.closedForm().withErrorModel(that), the loglik likelihood, STARTS starts (default 128) and
// the default posterior, as `lnpsaxs fit DATA --model lnp-closed --posterior` does, and writes
// OUT/report.json (docs/closed-form/TruthInside.java compares it with a truth).
import java.nio.file.*;
import java.util.Locale;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.optimize.FitProblem;
import org.lnpsaxs.optimize.FitResult;
import org.lnpsaxs.optimize.Fitter;
import org.lnpsaxs.optimize.report.FitReport;
import org.lnpsaxs.surrogate.ErrorModel;
import org.lnpsaxs.surrogate.fit.LnpFitModel;

public class PosteriorWithErrorModel {
    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]), out = Path.of(a[2]);
        ErrorModel em = ErrorModel.fromJson(Files.readAllBytes(Path.of(a[1])), a[1]);
        int starts = a.length > 3 ? Integer.parseInt(a[3]) : 128;
        FitProblem problem = FitProblem.of(LnpFitModel.closedForm().withErrorModel(em), ScatteringCurve.read(data))
                .withLoss("loglik");
        long t0 = System.nanoTime();
        FitResult r = Fitter.defaults().withStarts(starts).withPosterior().fit(problem);
        Files.createDirectories(out);
        FitReport.write(r, out.resolve("report.json"));
        System.out.printf(Locale.ROOT, "%s: fit and posterior %.1f s, converged %s; wrote %s%n", data,
                (System.nanoTime() - t0) * 1e-9, r.posterior().converged(), out.resolve("report.json"));
        System.exit(0);
    }
}
