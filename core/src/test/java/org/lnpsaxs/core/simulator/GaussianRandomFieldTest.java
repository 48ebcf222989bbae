package org.lnpsaxs.core.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.jtransforms.fft.FloatFFT_1D;
import org.junit.jupiter.api.Test;

/**
 * Validation (b) and (c): the generated field's power spectrum follows G(k), and the hard level
 * cut reaches its volume fraction with Berk's two-point correlation. References are computed here:
 * G from its own log-normal formula, the field's transform by a separate forward FFT, the
 * correlation g(r) by quadrature of G, Berk's integral by quadrature.
 */
class GaussianRandomFieldTest {

    private static final double DX = 5.0;

    /** The two-component log-normal spectrum, written from DESIGN §4.2 step 1. */
    private static double spectrum(double k, double w, double m1, double s1, double m2, double s2) {
        if (k <= 0) {
            return 0;
        }
        return w * logNormal(k, m1, s1) + (1 - w) * logNormal(k, m2, s2);
    }

    private static double logNormal(double k, double m, double s) {
        double mu = Math.log(m * m / Math.sqrt(m * m + s * s));
        double sig2 = Math.log(1 + s * s / (m * m));
        return Math.exp(-Math.pow(Math.log(k) - mu, 2) / (2 * sig2)) / (k * Math.sqrt(2 * Math.PI * sig2));
    }

    /** In-place forward 3-D DFT of a complex n³ array (interleaved), axis by axis. */
    private static void forward3d(float[] a, int n) {
        FloatFFT_1D fft = new FloatFFT_1D(n);
        float[] line = new float[2 * n];
        for (int axis = 0; axis < 3; axis++) {
            int stride = axis == 0 ? n * n : axis == 1 ? n : 1;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int base = axis == 0 ? (i * n + j) : axis == 1 ? (i * n * n + j) : (i * n + j) * n;
                    for (int t = 0; t < n; t++) {
                        line[2 * t] = a[2 * (base + t * stride)];
                        line[2 * t + 1] = a[2 * (base + t * stride) + 1];
                    }
                    fft.complexForward(line);
                    for (int t = 0; t < n; t++) {
                        a[2 * (base + t * stride)] = line[2 * t];
                        a[2 * (base + t * stride) + 1] = line[2 * t + 1];
                    }
                }
            }
        }
    }

    @Test
    void powerSpectrumFollowsSpectralDensity() {
        int n = 48;
        double w = 0.4;
        double m1 = 0.08;
        double s1 = 0.02;
        double m2 = 0.2;
        double s2 = 0.08;
        SpectralDensity g = new SpectralDensity(w, m1, s1, m2, s2);
        GaussianRandomField grf = new GaussianRandomField(g, n, DX);
        int shells = n / 2;
        double[] sum = new double[shells];
        double[] expected = new double[shells];
        int[] count = new int[shells];
        double dk = 2 * Math.PI / (n * DX);
        // mean of G over the lattice: the standardised field's power per point is G / mean(G)
        double meanG = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int l = 0; l < n; l++) {
                    int fi = i < n / 2 ? i : i - n;
                    int fj = j < n / 2 ? j : j - n;
                    int fl = l < n / 2 ? l : l - n;
                    meanG += spectrum(dk * Math.sqrt(fi * fi + fj * fj + fl * fl), w, m1, s1, m2, s2);
                }
            }
        }
        meanG /= (double) n * n * n;
        int realizations = 4;
        double mean = 0;
        double meanSquare = 0;
        for (int r = 0; r < realizations; r++) {
            float[] y = grf.realization(11, r);
            float[] c = new float[2 * y.length];
            for (int i = 0; i < y.length; i++) {
                c[2 * i] = y[i];
                mean += y[i];
                meanSquare += y[i] * y[i];
            }
            forward3d(c, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    for (int l = 0; l < n; l++) {
                        int fi = i < n / 2 ? i : i - n;
                        int fj = j < n / 2 ? j : j - n;
                        int fl = l < n / 2 ? l : l - n;
                        double kk = Math.sqrt(fi * fi + fj * fj + fl * fl);
                        int shell = (int) Math.floor(kk);
                        if (kk == 0 || shell >= shells) {
                            continue;
                        }
                        int idx = 2 * ((i * n + j) * n + l);
                        double p = ((double) c[idx] * c[idx] + (double) c[idx + 1] * c[idx + 1]) / ((double) n * n * n);
                        sum[shell] += p;
                        expected[shell] += spectrum(dk * kk, w, m1, s1, m2, s2) / meanG;
                        count[shell]++;
                    }
                }
            }
        }
        long cells = (long) realizations * n * n * n;
        mean /= cells;
        meanSquare /= cells;
        assertEquals(0.0, mean, 1e-6, "the field's mean is exactly 0 (G(0) = 0)");
        assertEquals(1.0, meanSquare, 0.03, "population standardisation gives unit variance");
        double chi2 = 0;
        int dof = 0;
        for (int sh = 1; sh < shells; sh++) {
            // |Y_k|^2 is exponential; k and -k are one independent value
            double independent = count[sh] / 2.0;
            double exp = expected[sh] / count[sh];
            double obs = sum[sh] / count[sh];
            double z = (obs - exp) / (exp / Math.sqrt(independent));
            assertTrue(Math.abs(z) < 5, "shell " + sh + ": power " + obs + " vs G " + exp + " (z = " + z + ")");
            chi2 += z * z;
            dof++;
        }
        assertTrue(chi2 / dof < 2.0, "chi2/dof = " + chi2 / dof);
    }

    @Test
    void sampleStatisticsStandardiseExactly() {
        int n = 32;
        GaussianRandomField grf = new GaussianRandomField(new SpectralDensity(1, 0.1, 0.03, 0.1, 0.03), n, DX)
                .withSampleStatistics(true);
        for (int r = 0; r < 2; r++) {
            float[] y = grf.realization(3, r);
            double s = 0;
            double ss = 0;
            for (float v : y) {
                s += v;
                ss += v * v;
            }
            assertEquals(0.0, s / y.length, 1e-6);
            assertEquals(1.0, ss / y.length, 1e-5);
        }
    }

    @Test
    void realizationsAreReproducibleAndDistinct() {
        GaussianRandomField grf = new GaussianRandomField(new SpectralDensity(0.5, 0.1, 0.03, 0.12, 0.05), 24, DX);
        float[] a = grf.realization(5, 0);
        assertArrayEquals(a, grf.realization(5, 0));
        assertFalse(java.util.Arrays.equals(a, grf.realization(5, 1)), "the pair's two fields differ");
        assertFalse(java.util.Arrays.equals(a, grf.realization(6, 0)), "seeds differ");
        // the two fields of a pair are uncorrelated
        float[] b = grf.realization(5, 1);
        double cross = 0;
        for (int i = 0; i < a.length; i++) {
            cross += a[i] * b[i];
        }
        assertEquals(0.0, cross / a.length, 0.1);
    }

    /** Berk: C(r) = (1/2π) ∫_0^{g} exp(-β²/(1+t))/sqrt(1-t²) dt, with t = sin θ. */
    private static double berk(double g, double beta) {
        double top = Math.asin(Math.max(-1, Math.min(1, g)));
        int steps = 2000;
        double h = top / steps;
        double acc = 0;
        for (int i = 0; i <= steps; i++) {
            double th = i * h;
            double f = Math.exp(-beta * beta / (1 + Math.sin(th)));
            acc += (i == 0 || i == steps) ? f : (i % 2 == 1 ? 4 * f : 2 * f);
        }
        return acc * h / 3 / (2 * Math.PI);
    }

    /** g(r) = ∫ G k² sinc(kr) dk / ∫ G k² dk by the midpoint rule up to the lattice's reach. */
    private static double correlation(double r, double w, double m1, double s1, double m2, double s2) {
        double kMax = Math.PI / DX * Math.sqrt(3);
        int steps = 40000;
        double h = kMax / steps;
        double num = 0;
        double den = 0;
        for (int i = 0; i < steps; i++) {
            double k = (i + 0.5) * h;
            double gk = spectrum(k, w, m1, s1, m2, s2) * k * k;
            num += gk * (r == 0 ? 1 : Math.sin(k * r) / (k * r));
            den += gk;
        }
        return num / den;
    }

    @Test
    void levelCutReachesVolumeFractionWithBerkCorrelation() {
        int n = 96;
        double w = 1;
        double m = 0.12;
        double s = 0.04;
        double phi = 0.3;
        InteriorModel cut = InteriorModel.levelCut(phi);
        double beta = new NormalDistribution().inverseCumulativeProbability(1 - phi);
        assertEquals(beta, cut.threshold(), 1e-9);
        GaussianRandomField grf = new GaussianRandomField(new SpectralDensity(w, m, s, m, s), n, DX);
        int lags = 12;
        double[] cov = new double[lags + 1];
        double fraction = 0;
        int realizations = 2;
        for (int r = 0; r < realizations; r++) {
            float[] y = grf.realization(21, r);
            byte[] ind = new byte[y.length];
            long on = 0;
            for (int i = 0; i < y.length; i++) {
                double t = cut.apply(y[i]);
                assertTrue(t == 0.0 || t == 1.0);
                ind[i] = (byte) t;
                on += ind[i];
            }
            fraction += (double) on / y.length / realizations;
            // two-point probability along the three axes (periodic box)
            for (int lag = 0; lag <= lags; lag++) {
                long both = 0;
                for (int x = 0; x < n; x++) {
                    for (int yy = 0; yy < n; yy++) {
                        for (int z = 0; z < n; z++) {
                            int i = (x * n + yy) * n + z;
                            if (ind[i] == 0) {
                                continue;
                            }
                            both += ind[(((x + lag) % n) * n + yy) * n + z];
                            both += ind[(x * n + (yy + lag) % n) * n + z];
                            both += ind[(x * n + yy) * n + (z + lag) % n];
                        }
                    }
                }
                cov[lag] += (double) both / (3.0 * y.length) / realizations;
            }
        }
        assertEquals(phi, fraction, 0.01 * phi, "volume fraction");
        for (int lag = 0; lag <= lags; lag++) {
            double c = cov[lag] - phi * phi;
            double g = correlation(lag * DX, w, m, s, m, s);
            double theory = berk(g, beta);
            assertEquals(theory, c, 0.01 * phi * (1 - phi), "C(r) at r = " + lag * DX + " Å (g = " + g + ")");
        }
    }
}
