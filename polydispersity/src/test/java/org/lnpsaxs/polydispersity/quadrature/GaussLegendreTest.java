package org.lnpsaxs.polydispersity.quadrature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Gauss–Legendre nodes and weights against commons-math's BigDecimal-based rule. */
class GaussLegendreTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8, 16, 31, 32, 33})
    void matchesCommonsMathHighPrecisionRule(int n) {
        double[][] rule = GaussLegendre.rule(n);
        GaussIntegrator reference = new GaussIntegratorFactory().legendreHighPrecision(n);
        double sum = 0;
        for (int k = 0; k < n; k++) {
            assertEquals(reference.getPoint(k), rule[0][k], 2e-16 * Math.max(1, n / 10.0), "node " + k + " of " + n);
            // the Legendre recurrence loses ~n ulps; a node near ±1 holds 1 − |t| only to ulp(1)/(1 − |t|)
            double conditioning = 1e-16 / (1 - Math.abs(reference.getPoint(k)));
            assertEquals(reference.getWeight(k), rule[1][k], (5e-16 * n + conditioning) * reference.getWeight(k),
                    "weight " + k + " of " + n);
            sum += rule[1][k];
        }
        assertEquals(2.0, sum, 1e-14);
    }

    /** Exact for polynomials of degree 2n − 1: \( \int_{-1}^1 t^m dt = 2/(m+1) \) for even m. */
    @ParameterizedTest
    @ValueSource(ints = {1, 4, 7, 32, 64})
    void integratesPolynomialsExactly(int n) {
        double[][] rule = GaussLegendre.rule(n);
        for (int m = 0; m <= 2 * n - 1; m++) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                s += rule[1][k] * Math.pow(rule[0][k], m);
            }
            double exact = m % 2 == 0 ? 2.0 / (m + 1) : 0.0;
            assertEquals(exact, s, 1e-14, "degree " + m + " with " + n + " nodes");
        }
    }
}
