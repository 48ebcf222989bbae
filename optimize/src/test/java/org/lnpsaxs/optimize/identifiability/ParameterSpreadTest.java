package org.lnpsaxs.optimize.identifiability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.optimize.identifiability.ParameterSpread.Bound;
import org.lnpsaxs.optimize.identifiability.ParameterSpread.Verdict;

/** A parameter on a bound, or with a standard error above its value, is never called well determined. */
class ParameterSpreadTest {

    @Test
    void verdictFromSpreadAndBound() {
        assertEquals(Verdict.WELL_DETERMINED, ParameterSpread.verdict(0.05, Bound.NONE));
        assertEquals(Verdict.AT_BOUND, ParameterSpread.verdict(0.0, Bound.LOWER));
        assertEquals(Verdict.AT_BOUND, ParameterSpread.verdict(0.01, Bound.UPPER));
        assertEquals(Verdict.PARTLY_DETERMINED, ParameterSpread.verdict(0.1, Bound.LOWER));
        assertEquals(Verdict.SLOPPY, ParameterSpread.verdict(0.25, Bound.NONE));
        assertEquals(Bound.LOWER, ParameterSpread.atBound(1.0005, 1, 2));
        assertEquals(Bound.UPPER, ParameterSpread.atBound(2.0, 1, 2));
        assertEquals(Bound.NONE, ParameterSpread.atBound(1.5, 1, 2));
    }

    /** The ensemble pins all three; the Fisher standard error of c exceeds its value. */
    @Test
    void aStandardErrorAboveTheValueMeansNotDetermined() {
        int m = 40;
        double[][] v = new double[m][3];
        double[] loss = new double[m];
        int[] starts = new int[m];
        for (int i = 0; i < m; i++) {
            double t = 1e-4 * Math.sin(i);
            v[i] = new double[] {50 + t, 0.5 + t, 0.01 + 1e-5 * t};
            loss[i] = 1 + i;
            starts[i] = i;
        }
        EnsembleSample sample = new EnsembleSample(List.of("a", "b", "c"), List.of("Å", "", ""), new double[] {0, 0, -1},
                new double[] {100, 1, 1}, v, loss, starts);
        Identifiability id = IdentifiabilityAnalysis.analyse(sample, null, 1);
        assertEquals(List.of("a", "b", "c"), id.parametersWith(Verdict.WELL_DETERMINED));
        Map<String, Double> se = new java.util.LinkedHashMap<>();
        se.put("a", 0.5);
        se.put("b", null);
        se.put("c", 0.02);
        FisherInformation f = new FisherInformation("box-scaled", List.of("a", "b", "c"), new double[] {3, 2, 1},
                List.of(Map.of("a", 1.0), Map.of("b", 1.0), Map.of("c", 1.0)), se, 3);
        Identifiability judged = id.withFisher(f);
        assertEquals(List.of("a", "b"), judged.parametersWith(Verdict.WELL_DETERMINED));
        assertEquals(List.of("c"), judged.parametersWith(Verdict.UNDETERMINED));
        assertEquals(Verdict.UNDETERMINED, judged.spread("c").verdict());
    }
}
