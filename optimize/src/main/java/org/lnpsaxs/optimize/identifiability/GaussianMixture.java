package org.lnpsaxs.optimize.identifiability;

import java.util.SplittableRandom;

import org.lnpsaxs.core.math.Cholesky;

/**
 * A Gaussian mixture with full covariances fitted by expectation–maximisation, initialised by
 * k-means++ seeding (Arthur &amp; Vassilvitskii 2007) and a few Lloyd iterations; several seeded
 * restarts, the best log-likelihood wins. Every covariance gets \( \lambda I \) added (a floor,
 * so that a component of identical points stays proper). The Bayesian information criterion is
 * \( \mathrm{BIC} = -2\ln\hat L + p\ln m \), \( p = (K-1) + Kd + Kd(d+1)/2 \). Not a user class:
 * {@link IdentifiabilityAnalysis} uses it on the box-scaled ensemble.
 */
final class GaussianMixture {

    private static final int MAX_ITERATIONS = 300;

    private GaussianMixture() {
    }

    /**
     * A fitted mixture.
     *
     * @param k             the number of components
     * @param weights       mixing weights
     * @param means         component means
     * @param logLikelihood the maximised log-likelihood
     * @param bic           the BIC
     * @param labels        the most probable component of every point
     * @param covariances   component covariances (floor included)
     */
    record Fit(int k, double[] weights, double[][] means, double logLikelihood, double bic, int[] labels,
               double[][][] covariances) {
    }

    static Fit fit(double[][] x, int k, long seed, double floor, int restarts) {
        Fit best = null;
        for (int r = 0; r < restarts; r++) {
            Fit f = fitOnce(x, k, new SplittableRandom(seed * 1_000_003L + 31L * k + r), floor);
            if (best == null || f.logLikelihood() > best.logLikelihood() + 1e-9 * Math.abs(best.logLikelihood())) {
                best = f;
            }
        }
        return best;
    }

    private static Fit fitOnce(double[][] x, int k, SplittableRandom rnd, double floor) {
        int m = x.length;
        int d = x[0].length;
        double[][] means = kmeansPlusPlus(x, k, rnd);
        int[] labels = new int[m];
        for (int it = 0; it < 10; it++) {
            assign(x, means, labels);
            recentre(x, labels, means);
        }
        double[] w = new double[k];
        double[][][] cov = new double[k][d][d];
        double[][] resp = new double[m][k];
        for (int i = 0; i < m; i++) {
            resp[i][labels[i]] = 1;
        }
        mStep(x, resp, w, means, cov, floor);
        double prev = Double.NEGATIVE_INFINITY;
        double ll = 0;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            ll = eStep(x, w, means, cov, resp);
            if (ll - prev <= 1e-10 * Math.abs(ll) + 1e-12) {
                break;
            }
            prev = ll;
            mStep(x, resp, w, means, cov, floor);
        }
        int[] hard = new int[m];
        for (int i = 0; i < m; i++) {
            int arg = 0;
            for (int c = 1; c < k; c++) {
                if (resp[i][c] > resp[i][arg]) {
                    arg = c;
                }
            }
            hard[i] = arg;
        }
        int p = (k - 1) + k * d + k * d * (d + 1) / 2;
        double bic = -2 * ll + p * Math.log(m);
        return new Fit(k, w, means, ll, bic, hard, cov);
    }

    private static double[][] kmeansPlusPlus(double[][] x, int k, SplittableRandom rnd) {
        int m = x.length;
        double[][] c = new double[k][];
        c[0] = x[rnd.nextInt(m)].clone();
        double[] dist = new double[m];
        for (int i = 0; i < m; i++) {
            dist[i] = sq(x[i], c[0]);
        }
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (double v : dist) {
                total += v;
            }
            int pick;
            if (total <= 0) {
                pick = rnd.nextInt(m);
            } else {
                double target = rnd.nextDouble() * total;
                pick = m - 1;
                double acc = 0;
                for (int i = 0; i < m; i++) {
                    acc += dist[i];
                    if (acc >= target) {
                        pick = i;
                        break;
                    }
                }
            }
            c[j] = x[pick].clone();
            for (int i = 0; i < m; i++) {
                dist[i] = Math.min(dist[i], sq(x[i], c[j]));
            }
        }
        return c;
    }

    private static void assign(double[][] x, double[][] means, int[] labels) {
        for (int i = 0; i < x.length; i++) {
            int arg = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < means.length; c++) {
                double v = sq(x[i], means[c]);
                if (v < best) {
                    best = v;
                    arg = c;
                }
            }
            labels[i] = arg;
        }
    }

    private static void recentre(double[][] x, int[] labels, double[][] means) {
        int d = x[0].length;
        int[] count = new int[means.length];
        double[][] sum = new double[means.length][d];
        for (int i = 0; i < x.length; i++) {
            count[labels[i]]++;
            for (int a = 0; a < d; a++) {
                sum[labels[i]][a] += x[i][a];
            }
        }
        for (int c = 0; c < means.length; c++) {
            if (count[c] > 0) {
                for (int a = 0; a < d; a++) {
                    means[c][a] = sum[c][a] / count[c];
                }
            }
        }
    }

    private static void mStep(double[][] x, double[][] resp, double[] w, double[][] means, double[][][] cov, double floor) {
        int m = x.length;
        int d = x[0].length;
        int k = w.length;
        for (int c = 0; c < k; c++) {
            double nc = 0;
            for (int i = 0; i < m; i++) {
                nc += resp[i][c];
            }
            if (nc < 1e-10) {
                w[c] = 1e-300;
                for (int a = 0; a < d; a++) {
                    java.util.Arrays.fill(cov[c][a], 0);
                    cov[c][a][a] = floor;
                }
                continue;
            }
            w[c] = nc / m;
            double[] mu = new double[d];
            for (int i = 0; i < m; i++) {
                for (int a = 0; a < d; a++) {
                    mu[a] += resp[i][c] * x[i][a];
                }
            }
            for (int a = 0; a < d; a++) {
                mu[a] /= nc;
            }
            means[c] = mu;
            double[][] s = new double[d][d];
            for (int i = 0; i < m; i++) {
                double r = resp[i][c];
                if (r == 0) {
                    continue;
                }
                for (int a = 0; a < d; a++) {
                    double da = x[i][a] - mu[a];
                    for (int b = a; b < d; b++) {
                        s[a][b] += r * da * (x[i][b] - mu[b]);
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    s[a][b] /= nc;
                    s[b][a] = s[a][b];
                }
                s[a][a] += floor;
            }
            cov[c] = s;
        }
    }

    /** Responsibilities; returns the log-likelihood. */
    private static double eStep(double[][] x, double[] w, double[][] means, double[][][] cov, double[][] resp) {
        int m = x.length;
        int d = x[0].length;
        int k = w.length;
        double[][][] chol = new double[k][][];
        double[] logDet = new double[k];
        for (int c = 0; c < k; c++) {
            chol[c] = cholesky(cov[c]);
            double ld = 0;
            for (int a = 0; a < d; a++) {
                ld += Math.log(chol[c][a][a]);
            }
            logDet[c] = ld;
        }
        double ll = 0;
        double[] z = new double[d];
        double[] lp = new double[k];
        double halfLog2Pi = 0.5 * d * Math.log(2 * Math.PI);
        for (int i = 0; i < m; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double[][] l = chol[c];
                double q = 0;
                for (int a = 0; a < d; a++) {
                    double v = x[i][a] - means[c][a];
                    for (int b = 0; b < a; b++) {
                        v -= l[a][b] * z[b];
                    }
                    z[a] = v / l[a][a];
                    q += z[a] * z[a];
                }
                lp[c] = Math.log(w[c]) - 0.5 * q - logDet[c] - halfLog2Pi;
                max = Math.max(max, lp[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(lp[c] - max);
            }
            for (int c = 0; c < k; c++) {
                resp[i][c] = Math.exp(lp[c] - max) / sum;
            }
            ll += max + Math.log(sum);
        }
        return ll;
    }

    /** The log density of the mixture at {@code x}. */
    static double logDensity(double[] x, double[] w, double[][] means, double[][][] cov) {
        int d = x.length;
        double max = Double.NEGATIVE_INFINITY;
        double[] lp = new double[w.length];
        double[] z = new double[d];
        for (int c = 0; c < w.length; c++) {
            double[][] l = cholesky(cov[c]);
            double q = 0;
            double ld = 0;
            for (int a = 0; a < d; a++) {
                double v = x[a] - means[c][a];
                for (int b = 0; b < a; b++) {
                    v -= l[a][b] * z[b];
                }
                z[a] = v / l[a][a];
                q += z[a] * z[a];
                ld += Math.log(l[a][a]);
            }
            lp[c] = Math.log(w[c]) - 0.5 * q - ld - 0.5 * d * Math.log(2 * Math.PI);
            max = Math.max(max, lp[c]);
        }
        double sum = 0;
        for (double v : lp) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    /** The lower Cholesky factor of a symmetric positive-definite matrix (jitter added if needed). */
    static double[][] cholesky(double[][] s) {
        int d = s.length;
        double jitter = 0;
        double[] a = new double[d * d];
        for (int attempt = 0; attempt < 20; attempt++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i * d + j] = s[i][j] + (i == j ? jitter : 0);
                }
            }
            double[] flat = Cholesky.lower(a, d);
            if (flat != null) {
                double[][] l = new double[d][d];
                for (int i = 0; i < d; i++) {
                    System.arraycopy(flat, i * d, l[i], 0, d);
                }
                return l;
            }
            jitter = jitter == 0 ? 1e-12 * (1 + trace(s) / d) : jitter * 10;
        }
        throw new IllegalStateException("covariance is not positive definite even with jitter");
    }

    private static double trace(double[][] s) {
        double t = 0;
        for (int a = 0; a < s.length; a++) {
            t += Math.abs(s[a][a]);
        }
        return t;
    }

    static double sq(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }
}
