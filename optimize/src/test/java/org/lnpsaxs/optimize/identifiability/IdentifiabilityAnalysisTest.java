package org.lnpsaxs.optimize.identifiability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.optimize.identifiability.ParameterSpread.Verdict;
import org.lnpsaxs.optimize.loss.ChiSquaredLoss;
import org.lnpsaxs.optimize.loss.ScaleFreeLoss;
import org.lnpsaxs.optimize.model.SizeSummary;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.testing.TwoGuinierModel;

class IdentifiabilityAnalysisTest {

    static final List<String> NAMES = List.of("a", "b", "c");
    static final List<String> UNITS = List.of("Å", "", "1/Å");
    static final double[] LO = {0, 0, 0};
    static final double[] HI = {100, 1, 0.1};

    static EnsembleSample sample(double[][] boxUnits) {
        int m = boxUnits.length;
        double[][] v = new double[m][3];
        double[] loss = new double[m];
        int[] starts = new int[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < 3; j++) {
                v[i][j] = LO[j] + boxUnits[i][j] * (HI[j] - LO[j]);
            }
            loss[i] = 1 + 1e-3 * i;
            starts[i] = 1000 + i;
        }
        return new EnsembleSample(NAMES, UNITS, LO, HI, v, loss, starts);
    }

    /** Members around the given centres (box units), interleaved, with isotropic noise. */
    static double[][] blobs(long seed, int m, double noise, double[]... centres) {
        Random r = new Random(seed);
        double[][] x = new double[m][3];
        for (int i = 0; i < m; i++) {
            double[] c = centres[i % centres.length];
            for (int j = 0; j < 3; j++) {
                x[i][j] = c[j] + noise * r.nextGaussian();
            }
        }
        return x;
    }

    @Test
    void twoSeparatedClustersAreTwoModesAndTheBestIsModeOne() {
        double[][] x = blobs(1, 200, 0.01, new double[] {0.3, 0.5, 0.5}, new double[] {0.7, 0.4, 0.5});
        Identifiability id = IdentifiabilityAnalysis.analyse(sample(x), null, 42);
        Modes modes = id.modes();
        assertEquals(2, modes.count());
        Mode first = modes.modes().get(0);
        assertEquals(100, first.size());
        // member 0 (the best) sits at the first centre: mode 1 is centred there
        assertEquals(30.0, first.centre().get("a"), 0.5);
        assertEquals(1000, first.bestStart());
        assertEquals(1.0, first.bestLoss(), 0.0);
        assertEquals(70.0, modes.modes().get(1).centre().get("a"), 0.5);
        assertTrue(modes.silhouette() > 0.8, "silhouette " + modes.silhouette());
        for (int i = 0; i < 200; i++) {
            assertEquals(i % 2 == 0 ? 1 : 2, modes.labels()[i]);
        }
    }

    /** The mirror of a box-scaled point under a test symmetry a -> 1 - a. */
    static double[][] withMirrors(double[][] x, boolean[] mirrored) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i].clone();
            if (mirrored[i]) {
                out[i][0] = 1 - out[i][0];
            }
        }
        return out;
    }

    @Test
    void aSmallEnsembleIsSplitByTheSymmetrysImagesAndSaysTheRestIsAssumed() {
        // 14 members in 3 dimensions: too few for two mixture components (needs 16), so without
        // the symmetry one mode is assumed; with it, the images are two modes by construction
        int m = 14;
        double[][] x = blobs(3, m, 0.01, new double[] {0.2, 0.5, 0.5});
        boolean[] mirrored = new boolean[m];
        int[] image = new int[m];
        for (int i = 0; i < m; i++) {
            mirrored[i] = i % 3 == 1;
            image[i] = mirrored[i] ? 1 : 0;
        }
        EnsembleSample sample = sample(withMirrors(x, mirrored));

        Modes plain = IdentifiabilityAnalysis.analyse(sample, null, 42).modes();
        assertEquals(1, plain.count());
        assertTrue(plain.assumed());
        assertEquals(null, plain.symmetry());
        assertTrue(plain.criterion().contains("NOT SPLIT: the ensemble of 14 members"), plain.criterion());

        Modes split = IdentifiabilityAnalysis.analyse(sample, null, 42,
                new IdentifiabilityAnalysis.Images("a mirror", image)).modes();
        assertEquals(2, split.count());
        assertEquals("a mirror", split.symmetry());
        assertTrue(split.assumed(), "each image is too small to split further");
        assertTrue(split.criterion().contains("NOT SPLIT further"), split.criterion());
        for (int i = 0; i < m; i++) {
            // mode 1 holds the best member's image
            assertEquals(mirrored[i] ? 2 : 1, split.label(i), "member " + i);
        }
        assertEquals(9, split.modes().get(0).size()); // members 1, 4, 7, 10, 13 are mirrored
        assertEquals(20.0, split.modes().get(0).centre().get("a"), 1.0);
        assertEquals(80.0, split.modes().get(1).centre().get("a"), 1.0);
    }

    @Test
    void imagesAreClusteredOnTheirOwnAndNeverShareAMode() {
        // two clusters in the canonical image and one in the mirror image; one mirror member sits
        // inside a canonical cluster's region (an image label, not the position, decides its mode)
        double[][] x = blobs(4, 300, 0.01, new double[] {0.3, 0.2, 0.5}, new double[] {0.3, 0.8, 0.5},
                new double[] {0.7, 0.5, 0.5});
        int[] image = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            image[i] = i % 3 == 2 ? 1 : 0;
        }
        image[0] = 0;
        image[3] = 1; // a member of the first cluster labelled as the other image
        Modes modes = IdentifiabilityAnalysis.analyse(sample(x), null, 9,
                new IdentifiabilityAnalysis.Images("a mirror", image)).modes();
        assertEquals(false, modes.assumed());
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                if (image[i] != image[j]) {
                    assertTrue(modes.label(i) != modes.label(j), "members " + i + " and " + j + " share a mode across images");
                }
            }
        }
        // the canonical image keeps its two clusters apart
        assertTrue(modes.label(0) != modes.label(1), "the canonical image's two clusters are one mode");
        assertThrows(IllegalArgumentException.class, () -> IdentifiabilityAnalysis.analyse(sample(x), null, 9,
                new IdentifiabilityAnalysis.Images("a mirror", new int[5])));
    }

    @Test
    void foldedSpreadsAreOfTheWidthsGiven() {
        double[][] x = blobs(4, 60, 0.01, new double[] {0.6, 0.5, 0.5});
        EnsembleSample sample = sample(x);
        FoldedEnsemble box = IdentifiabilityAnalysis.folded(sample, "none", "all", v -> v);
        // a's box is [0, 100]: of a width of 50 its relative spread doubles, the others' stay
        FoldedEnsemble half = IdentifiabilityAnalysis.folded(sample, "none", "all", v -> v, new double[] {50, 1, 0.1});
        ParameterSpread a = box.spread("a");
        assertTrue(a.p95() - a.p05() > 0, a.toString());
        assertEquals((a.p95() - a.p05()) / 100, a.relativeSpread(), 1e-15);
        assertEquals((a.p95() - a.p05()) / 50, half.spread("a").relativeSpread(), 1e-15);
        assertEquals(box.spread("b").relativeSpread(), half.spread("b").relativeSpread(), 0.0);
        assertThrows(IllegalArgumentException.class,
                () -> IdentifiabilityAnalysis.folded(sample, "none", "all", v -> v, new double[] {150, 1, 0.1}));
    }

    @Test
    void threeClusters() {
        double[][] x = blobs(2, 300, 0.01, new double[] {0.2, 0.2, 0.2}, new double[] {0.8, 0.2, 0.5},
                new double[] {0.5, 0.9, 0.8});
        assertEquals(3, IdentifiabilityAnalysis.analyse(sample(x), null, 7).modes().count());
    }

    @Test
    void threeClustersInAnEnsembleTooSmallForThreeComponentsAreSaidToBeAtTheLimit() {
        // 3 free parameters: at least 8 members per component, so 20 members allow K = 2 at most
        double[][] x = blobs(2, 20, 0.01, new double[] {0.2, 0.2, 0.2}, new double[] {0.8, 0.2, 0.5},
                new double[] {0.5, 0.9, 0.8});
        Modes few = IdentifiabilityAnalysis.analyse(sample(x), null, 7).modes();
        assertEquals(2, few.bic().length);
        assertEquals(2, few.count());
        assertTrue(few.atLimit(), few.criterion());
        assertFalse(few.assumed());
        assertTrue(few.criterion().contains("AT ITS LIMIT: the BIC chose the most components that the ensemble of 20"
                + " members allows with 3 free parameters (K = 2"), few.criterion());
        // the same clusters with 300 members: K up to 6, three found, not at the limit
        Modes many = IdentifiabilityAnalysis.analyse(sample(blobs(2, 300, 0.01, new double[] {0.2, 0.2, 0.2},
                new double[] {0.8, 0.2, 0.5}, new double[] {0.5, 0.9, 0.8})), null, 7).modes();
        assertEquals(3, many.count());
        assertFalse(many.atLimit(), many.criterion());
        assertFalse(many.criterion().contains("AT ITS LIMIT"), many.criterion());
        // one cluster in 20 members: K = 1 chosen of 2, not at the limit
        assertFalse(IdentifiabilityAnalysis.analyse(sample(blobs(3, 20, 0.01, new double[] {0.5, 0.5, 0.5})), null, 7)
                .modes().atLimit());
    }

    @Test
    void oneElongatedCorrelatedValleyStaysOneMode() {
        // a sloppy valley: members spread far along a + b = const, tightly across it
        Random r = new Random(5);
        double[][] x = new double[300][3];
        for (int i = 0; i < 300; i++) {
            double t = r.nextDouble() * 0.8 - 0.4;
            x[i][0] = 0.5 + t + 0.003 * r.nextGaussian();
            x[i][1] = 0.5 - t + 0.003 * r.nextGaussian();
            x[i][2] = 0.3 + 0.003 * r.nextGaussian();
        }
        Identifiability id = IdentifiabilityAnalysis.analyse(sample(x), null, 11);
        assertEquals(1, id.modes().count(), "BIC " + java.util.Arrays.toString(id.modes().bic()));
        // first principal direction is the valley (1, -1, 0)/sqrt 2, sloppy; the last is stiff
        PrincipalDirection pc1 = id.principalDirections().get(0);
        assertEquals(1 / Math.sqrt(2), Math.abs(pc1.loadings().get("a")), 1e-3);
        assertEquals(-1 / Math.sqrt(2), pc1.loadings().get("b") * Math.signum(pc1.loadings().get("a")), 1e-3);
        assertEquals(PrincipalDirection.Kind.SLOPPY, pc1.kind());
        assertEquals(PrincipalDirection.Kind.STIFF, id.principalDirections().get(2).kind());
        assertTrue(pc1.explained() > 0.99);
        // a and b are sloppy and anticorrelated, c is well determined
        assertEquals(ParameterSpread.Verdict.SLOPPY, id.spreads().get(0).verdict());
        assertEquals(ParameterSpread.Verdict.WELL_DETERMINED, id.spreads().get(2).verdict());
        assertTrue(id.correlations().pearson()[0][1] < -0.99);
        assertTrue(id.correlations().spearman()[0][1] < -0.99);
    }

    @Test
    void modeSizeDistributionComesFromTheModeCentre() {
        double[][] x = blobs(3, 120, 0.005, new double[] {0.3, 0.5, 0.5}, new double[] {0.6, 0.5, 0.5});
        Identifiability id = IdentifiabilityAnalysis.analyse(sample(x),
                free -> new SizeSummary(free[0], free[1], new double[] {1, 2}, new double[] {0.5, 0.5}), 3);
        for (Mode mode : id.modes().modes()) {
            assertEquals(mode.centre().get("a"), mode.sizeDistribution().mean(), 1e-12);
        }
    }

    @Test
    void spreadsAreRelativeToTheBox() {
        double[][] x = blobs(4, 400, 0.01, new double[] {0.5, 0.5, 0.5});
        ParameterSpread s = IdentifiabilityAnalysis.analyse(sample(x), null, 1).spreads().get(2);
        // p95 - p05 of a normal with sd 0.01 box is 3.29 sd = 0.033 box
        assertEquals(0.0329, s.relativeSpread(), 0.006);
        assertEquals(ParameterSpread.Verdict.WELL_DETERMINED, s.verdict());
        assertEquals(0.1, s.upper(), 0.0);
        assertEquals("1/Å", s.unit());
        assertEquals(ParameterSpread.Bound.NONE, s.atBound());
    }

    @Test
    void aBestValueOnABoundIsFlagged() {
        double[][] x = blobs(6, 50, 0.0, new double[] {0.9996, 0.0, 0.5});
        Identifiability id = IdentifiabilityAnalysis.analyse(sample(x), null, 1);
        assertEquals(ParameterSpread.Bound.UPPER, id.spreads().get(0).atBound());
        assertEquals(ParameterSpread.Bound.LOWER, id.spreads().get(1).atBound());
        assertEquals(ParameterSpread.Bound.NONE, id.spreads().get(2).atBound());
    }

    @Test
    void fisherInformationOfChiSquaredIsHalfTheHessianAndGivesStandardErrors() {
        double[] q = grid();
        TwoGuinierModel model = new TwoGuinierModel(q);
        double[] theta = {30, 90, 0.3};
        ChiSquaredLoss loss = perfectFit(model, theta);
        double[] lo = {5, 5, 0};
        double[] hi = {150, 150, 1};
        FitSpace space = FitSpace.of(model.parameters().withBounds("r", lo[0], hi[0]).withBounds("s", lo[1], hi[1])
                .withBounds("w", lo[2], hi[2]));
        FisherInformation f = FisherInformation.at(model, loss, theta, space, 2);
        // independent: the finite-difference Hessian of chi2/2 in box-scaled coordinates at the perfect fit
        double[][] hess = new double[3][3];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double ha = 1e-4 * (hi[a] - lo[a]);
                double hb = 1e-4 * (hi[b] - lo[b]);
                hess[a][b] = 0.5 * (chi2(model, loss, theta, a, ha, b, hb) - chi2(model, loss, theta, a, ha, b, -hb)
                        - chi2(model, loss, theta, a, -ha, b, hb) + chi2(model, loss, theta, a, -ha, b, -hb))
                        / (4e-8);
            }
        }
        double[][] inv = new org.apache.commons.math3.linear.LUDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(hess)).getSolver().getInverse().getData();
        double[] eig = new org.apache.commons.math3.linear.EigenDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(hess)).getRealEigenvalues();
        java.util.Arrays.sort(eig);
        for (int k = 0; k < 3; k++) {
            assertEquals(eig[2 - k], f.eigenvalues()[k], 1e-3 * eig[2 - k]);
        }
        String[] names = {"r", "s", "w"};
        for (int j = 0; j < 3; j++) {
            double se = Math.sqrt(inv[j][j]) * (hi[j] - lo[j]);
            assertEquals(se, f.standardErrors().get(names[j]), 2e-3 * se);
        }
        assertTrue(f.conditionNumber() >= 1);
        // the scale-free loss gives no standard errors
        double[] data = model.evaluate(theta);
        for (int i = 0; i < data.length; i++) {
            data[i] *= 2;
        }
        ScaleFreeLoss sf = new ScaleFreeLoss(q, data);
        assertEquals(null, FisherInformation.at(model, sf, theta, space, 1).standardErrors());
    }

    /** χ² on the model's own curve (times 2) with σ of 1 % + 10⁻⁴: the perfect fit is at {@code truth}. */
    private static ChiSquaredLoss perfectFit(TwoGuinierModel model, double[] truth) {
        double[] m = model.evaluate(truth);
        double[] data = new double[m.length];
        double[] sigma = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            data[i] = 2 * m[i];
            sigma[i] = 0.01 * data[i] + 1e-4;
        }
        return new ChiSquaredLoss(data, sigma, true, 1.0);
    }

    private static double[] grid() {
        double[] q = new double[60];
        for (int i = 0; i < q.length; i++) {
            q[i] = 0.003 + 0.002 * i;
        }
        return q;
    }

    @Test
    void theNewtonStepIsTheLossesOwnOneParameterStep() {
        TwoGuinierModel model = new TwoGuinierModel(grid());
        double[] truth = {30, 90, 0.3};
        ChiSquaredLoss loss = perfectFit(model, truth);
        FitSpace space = FitSpace.of(model.parameters().withBounds("r", 5, 150).withBounds("s", 5, 150)
                .withBounds("w", 0, 1));
        String[] names = {"r", "s", "w"};
        for (int j = 0; j < 3; j++) {
            for (double rel : new double[] {1e-3, -2e-3}) {
                // independent: the loss's minimum along parameter j is the perfect fit's value, so a
                // Newton step from a point moved off it by delta goes back by -delta (to first order in delta)
                double[] theta = truth.clone();
                double delta = rel * truth[j];
                theta[j] += delta;
                FisherInformation f = FisherInformation.at(model, loss, theta, space, 2);
                assertEquals(-delta, f.newtonStep(names[j], theta[j]), 0.01 * Math.abs(delta), names[j]);
            }
        }
        FisherInformation f = FisherInformation.at(model, loss, truth, space, 1);
        assertEquals(null, f.newtonStep("r", 30.5), "a value other than the one it was computed at has no step");
        assertEquals(null, new FisherInformation("box-scaled", List.of("r"), new double[] {1}, List.of(java.util.Map.of("r", 1.0)),
                null, 1).newtonStep("r", 30), "no steps without the loss");
    }

    @Test
    void aBoundHoldsABestFitOnlyWhenTheLossPressesAgainstIt() {
        TwoGuinierModel model = new TwoGuinierModel(grid());
        double[] truth = {30, 90, 0.3};
        ChiSquaredLoss loss = perfectFit(model, truth);
        // r's box ends 0.02 above the optimum (within 0.1 % of its width 25.02): an interior optimum near the bound
        assertEquals(ParameterSpread.Bound.NONE, judged(model, loss, truth, 30.02).spreads().get(0).atBound());
        assertEquals(Verdict.WELL_DETERMINED, judged(model, loss, truth, 30.02).spreads().get(0).verdict());
        // r's box ends 0.01 below the optimum, and the best fit sits on it: the box holds it
        double[] pinned = {29.99, 90, 0.3};
        Identifiability held = judged(model, loss, pinned, 29.99);
        assertEquals(ParameterSpread.Bound.UPPER, held.spreads().get(0).atBound());
        assertEquals(Verdict.AT_BOUND, held.spreads().get(0).verdict());
        // without the Fisher information the contact alone decides, as before
        Identifiability raw = judged(model, null, truth, 30.02);
        assertEquals(ParameterSpread.Bound.UPPER, raw.spreads().get(0).atBound());
    }

    /**
     * An ensemble of 40 members within 10⁻⁴ of {@code best} (best first), r's box [5, upperR], with the
     * Fisher information of {@code loss} at {@code best} ({@code null}: without).
     */
    private static Identifiability judged(TwoGuinierModel model, ChiSquaredLoss loss, double[] best, double upperR) {
        double[] lo = {5, 5, 0};
        double[] hi = {upperR, 150, 1};
        FitSpace space = FitSpace.of(model.parameters().withBounds("r", lo[0], hi[0]).withBounds("s", lo[1], hi[1])
                .withBounds("w", lo[2], hi[2]));
        int m = 40;
        double[][] v = new double[m][];
        double[] losses = new double[m];
        int[] starts = new int[m];
        for (int i = 0; i < m; i++) {
            v[i] = best.clone();
            if (i > 0) {
                v[i][0] -= 1e-4 * (1 + Math.sin(i));
                v[i][1] += 1e-4 * Math.cos(i);
            }
            losses[i] = 1 + 1e-3 * i;
            starts[i] = i;
        }
        EnsembleSample sample = new EnsembleSample(List.of("r", "s", "w"), List.of("Å", "Å", ""), lo, hi, v, losses, starts);
        Identifiability id = IdentifiabilityAnalysis.analyse(sample, null, 1);
        if (upperR > best[0] + 1e-9) {
            assertEquals(ParameterSpread.Bound.UPPER, id.spreads().get(0).atBound(), "within 0.1 % of the bound");
        }
        return loss == null ? id : id.withFisher(FisherInformation.at(model, loss, best, space, 1));
    }

    private static double chi2(TwoGuinierModel model, ChiSquaredLoss loss, double[] theta, int a, double ha, int b, double hb) {
        double[] t = theta.clone();
        t[a] += ha;
        t[b] += hb;
        return loss.value(model.evaluate(t));
    }
}
