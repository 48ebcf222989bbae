import org.lnpsaxs.surrogate.Surrogate;
/**
 * How smooth the surrogate's fluctuation term is in the particle radius: can a size average
 * evaluate the networks on m Chebyshev nodes in R and interpolate to its 52 quadrature nodes?
 * (docs/benchmarks.md, "A JFR profile of the README's fit".)
 *
 * <p>With both contrasts at 10⁻⁹ the mean particle vanishes and log₁₀ I is log₁₀ N_c + D(R_c, spectrum),
 * the fluctuation network's output plus a smooth closed form. For 20 random spectra and shells
 * (seed 11) and three radius ranges, it prints the largest and the mean median |Δ log₁₀ I| (decades,
 * over the 300 q points, at 101 radii) of barycentric Chebyshev interpolation from m = 8 … 32 nodes.
 *
 * <p>Run: {@code java -cp cli/target/lnpsaxs.jar docs/benchmarks/InterpolateInRadius.java} (one core, about a minute).
 */
public class InterpolateInRadius {
    public static void main(String[] a) {
        Surrogate s = Surrogate.loadDefault().withClamping(false);
        int nq = s.qSize();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        double[][] ranges = {{200, 300}, {150, 450}, {110, 490}};
        int[] ms = {8, 12, 16, 24, 32};
        for (double[] rg : ranges) {
            double[] worst = new double[ms.length];
            double[] med = new double[ms.length];
            for (int sp = 0; sp < 20; sp++) {
                double w = rng.nextDouble(), m1 = 0.05 + 0.1 * rng.nextDouble(), m2 = 0.05 + 0.1 * rng.nextDouble();
                double s1 = 0.01 + 0.14 * rng.nextDouble(), s2 = 0.01 + 0.14 * rng.nextDouble();
                double t = 40 + 30 * rng.nextDouble();
                int nt = 101;
                double[] th = new double[nt * 9];
                double[] Rt = new double[nt];
                for (int i = 0; i < nt; i++) {
                    Rt[i] = rg[0] + (rg[1] - rg[0]) * i / (nt - 1.0);
                    fill(th, i, Rt[i], w, m1, m2, s1, s2, t);
                }
                double[] yt = new double[nt * nq];
                s.predictLog10(th, nt, yt);
                for (int mi = 0; mi < ms.length; mi++) {
                    int m = ms[mi];
                    double[] xc = new double[m];
                    double[] thc = new double[m * 9];
                    for (int j = 0; j < m; j++) {
                        double x = Math.cos(Math.PI * (j + 0.5) / m);
                        xc[j] = x;
                        double R = 0.5 * (rg[0] + rg[1]) + 0.5 * (rg[1] - rg[0]) * x;
                        fill(thc, j, R, w, m1, m2, s1, s2, t);
                    }
                    double[] yc = new double[m * nq];
                    s.predictLog10(thc, m, yc);
                    double[] bw = new double[m];
                    for (int j = 0; j < m; j++) bw[j] = (j % 2 == 0 ? 1 : -1) * Math.sin(Math.PI * (j + 0.5) / m);
                    double maxErr = 0;
                    double[] errs = new double[nt];
                    for (int i = 0; i < nt; i++) {
                        double x = (2 * Rt[i] - rg[0] - rg[1]) / (rg[1] - rg[0]);
                        double e = 0;
                        for (int k = 0; k < nq; k++) {
                            double num = 0, den = 0; boolean hit = false; double hv = 0;
                            for (int j = 0; j < m; j++) {
                                double dx = x - xc[j];
                                if (dx == 0) { hit = true; hv = yc[j * nq + k]; break; }
                                double c = bw[j] / dx; num += c * yc[j * nq + k]; den += c;
                            }
                            double v = hit ? hv : num / den;
                            e = Math.max(e, Math.abs(v - yt[i * nq + k]));
                        }
                        errs[i] = e; maxErr = Math.max(maxErr, e);
                    }
                    java.util.Arrays.sort(errs);
                    worst[mi] = Math.max(worst[mi], maxErr);
                    med[mi] += errs[nt / 2] / 20;
                }
            }
            StringBuilder b = new StringBuilder(String.format("R in [%.0f, %.0f]:", rg[0], rg[1]));
            for (int mi = 0; mi < ms.length; mi++) b.append(String.format("  m=%d worst %.1e mean-median %.1e", ms[mi], worst[mi], med[mi]));
            System.out.println(b);
        }
    }
    static void fill(double[] th, int i, double R, double w, double m1, double m2, double s1, double s2, double t) {
        double shift = 1e-9, rel = 1;
        double[] p = {shift, R, w, m1, m2, s1, s2, t, rel};
        System.arraycopy(p, 0, th, i * 9, 9);
    }
}
