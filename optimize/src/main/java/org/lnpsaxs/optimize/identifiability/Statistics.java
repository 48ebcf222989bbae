package org.lnpsaxs.optimize.identifiability;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import org.lnpsaxs.core.math.Quantiles;

/**
 * Small statistics on the columns of an ensemble matrix ({@code x[member][parameter]}): means,
 * percentiles, covariances, Pearson and Spearman correlations. A correlation that involves a
 * constant column is undefined; it is reported as 0 (and 1 on the diagonal) rather than NaN. Not a
 * user class.
 */
final class Statistics {

    private Statistics() {
    }

    /** The mean of column {@code j}. */
    static double mean(double[][] x, int j) {
        double s = 0;
        for (double[] row : x) {
            s += row[j];
        }
        return s / x.length;
    }

    /** The sample standard deviation of column {@code j} (0 for a single row). */
    static double std(double[][] x, int j) {
        int m = x.length;
        if (m < 2) {
            return 0;
        }
        double mu = mean(x, j);
        double s = 0;
        for (double[] row : x) {
            s += (row[j] - mu) * (row[j] - mu);
        }
        return Math.sqrt(s / (m - 1));
    }

    /** The {@code p}-quantile (0..1) of column {@code j} ({@link Quantiles}: linear between order statistics). */
    static double quantile(double[][] x, int j, double p) {
        double[] v = new double[x.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = x[i][j];
        }
        return Quantiles.of(v, p);
    }

    /** The sample covariance matrix of the columns (zero for a single row). */
    static double[][] covariance(double[][] x) {
        int m = x.length;
        int d = x[0].length;
        double[] mu = new double[d];
        for (int j = 0; j < d; j++) {
            mu[j] = mean(x, j);
        }
        double[][] c = new double[d][d];
        if (m < 2) {
            return c;
        }
        for (double[] row : x) {
            for (int a = 0; a < d; a++) {
                double da = row[a] - mu[a];
                for (int b = a; b < d; b++) {
                    c[a][b] += da * (row[b] - mu[b]);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                c[a][b] /= m - 1;
                c[b][a] = c[a][b];
            }
        }
        return c;
    }

    /** Pearson correlations of the columns. */
    static double[][] pearson(double[][] x) {
        double[][] c = covariance(x);
        int d = c.length;
        double[][] r = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double den = Math.sqrt(c[a][a] * c[b][b]);
                r[a][b] = a == b ? 1.0 : den > 0 ? Math.max(-1, Math.min(1, c[a][b] / den)) : 0.0;
            }
        }
        return r;
    }

    /** Spearman rank correlations of the columns (Pearson on ranks; ties get their mean rank). */
    static double[][] spearman(double[][] x) {
        int m = x.length;
        int d = x[0].length;
        double[][] ranks = new double[m][d];
        for (int j = 0; j < d; j++) {
            int col = j;
            Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble(i -> x[i][col]));
            int i = 0;
            while (i < m) {
                int k = i;
                while (k + 1 < m && x[order[k + 1]][j] == x[order[i]][j]) {
                    k++;
                }
                double rank = 0.5 * (i + k) + 1;
                for (int t = i; t <= k; t++) {
                    ranks[order[t]][j] = rank;
                }
                i = k + 1;
            }
        }
        return pearson(ranks);
    }
}
