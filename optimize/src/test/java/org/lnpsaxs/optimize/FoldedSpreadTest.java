package org.lnpsaxs.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.data.ScatteringCurve;
import org.lnpsaxs.optimize.identifiability.FoldedEnsemble;
import org.lnpsaxs.optimize.identifiability.Identifiability;
import org.lnpsaxs.optimize.identifiability.ParameterSpread;
import org.lnpsaxs.optimize.identifiability.ParameterSpread.Verdict;
import org.lnpsaxs.optimize.model.FitModel;
import org.lnpsaxs.optimize.testing.GaussianLoss;
import org.lnpsaxs.optimize.testing.LinearFitModel;

/**
 * The ensemble's spreads within one image of an exact symmetry: I = a0² + a1 x on the noise-free
 * line 1 + 2x, where a0 = +1 and a0 = −1 give the same curve. An ensemble holding both images has
 * a raw range of a0 across both; the folded spreads are those of |a0|, read off the members
 * directly.
 */
class FoldedSpreadTest {

    static final double[] X = QGrid.linear(0.1, 1.0, 20).values();

    private static FitResult fit(FitModel model) {
        double[] d = new double[X.length];
        double[] s = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            d[i] = 1 + 2 * X[i];
            s[i] = 0.1;
        }
        FitProblem problem = FitProblem.of(model, ScatteringCurve.of(X, d, s).withSource("test"))
                .withLoss(new GaussianLoss(d, s));
        return Fitter.defaults().withStarts(32).withFisher(false).withThreads(2).fit(problem);
    }

    @Test
    void aParameterWhoseRangeSpansBothImagesIsJudgedWithinOne() {
        FitResult r = fit(LinearFitModel.of(new double[] {-2, 2}, new double[] {-5, 10}).squared());
        Identifiability id = r.identifiability();
        ParameterSpread raw = id.spread("a0");
        // the ensemble holds both images (a0 near +1 and near -1), so a0's raw range spans them
        assertTrue(raw.p05() < -0.9 && raw.p95() > 0.9, raw.toString());
        assertNotEquals(Verdict.WELL_DETERMINED, raw.verdict());

        FoldedEnsemble f = id.canonicalImage();
        assertNotNull(f, "an ensemble in two images has a folded analysis");
        assertEquals("sign of a0", f.symmetries());
        assertEquals("a0 >= 0", f.canonicalImage());
        int negative = 0;
        double minAbs = Double.POSITIVE_INFINITY;
        double maxAbs = 0;
        for (int k = 0; k < r.ensemble().size(); k++) {
            double a0 = r.namedParameters(r.ensemble().member(k)).get("a0");
            negative += a0 < 0 ? 1 : 0;
            minAbs = Math.min(minAbs, Math.abs(a0));
            maxAbs = Math.max(maxAbs, Math.abs(a0));
        }
        assertEquals(negative, f.folded());
        ParameterSpread a0 = f.spread("a0");
        assertEquals(minAbs, a0.min(), 0.0);
        assertEquals(maxAbs, a0.max(), 0.0);
        assertEquals(Verdict.WELL_DETERMINED, a0.verdict(), a0.toString());
        assertEquals(Verdict.WELL_DETERMINED, id.verdictWithinAnImage("a0"));
        // a parameter the map leaves alone keeps its spread and verdict
        ParameterSpread a1 = f.spread("a1");
        assertEquals(id.spread("a1").p05(), a1.p05(), 0.0);
        assertEquals(id.spread("a1").p95(), a1.p95(), 0.0);
        assertEquals(id.spread("a1").verdict(), a1.verdict());
        // the folded directions have no sloppy direction made by the images
        assertTrue(f.principalDirections().get(0).spread() < 0.05, f.principalDirections().toString());
        assertTrue(id.principalDirections().get(0).spread() > 0.2, id.principalDirections().toString());

        // what JShell prints names the raw verdict and the one within the image
        assertTrue(id.toString().contains("; within the image a0 >= 0: a0 well determined"), id.toString());

        // report.json: beside the raw spreads, which stay as they are
        var json = org.lnpsaxs.optimize.report.FitReport.toJson(r).get("identifiability");
        assertEquals(raw.verdict().label(), json.get("spreads").get(0).get("verdict").asText());
        var c = json.get("canonical_image");
        assertEquals("a0 >= 0", c.get("canonical_image").asText());
        assertEquals(negative, c.get("folded").asInt());
        assertEquals("well determined", c.get("spreads").get(0).get("verdict").asText());
        assertEquals(minAbs, c.get("spreads").get(0).get("min").asDouble(), 0.0);
        assertEquals(f.principalDirections().size(), c.get("principal_directions").size());
    }

    @Test
    void aModelWithoutASymmetryHasNoFoldedAnalysis() {
        FitResult r = fit(LinearFitModel.of(new double[] {-5, 5}, new double[] {-5, 10}));
        assertNull(r.identifiability().canonicalImage());
        assertTrue(!org.lnpsaxs.optimize.report.FitReport.toJson(r).get("identifiability").has("canonical_image"));
        assertEquals(r.identifiability().spread("a0").verdict(), r.identifiability().verdictWithinAnImage("a0"));
    }
}
