// What the surrogate's error depends on (docs/calibration.md): its RMS error over q >= 0.04 1/A on the 256 held-out
// monodisperse curves (test-hq) and its Spearman correlation with each parameter.
// Run: ./lnpsaxs jshell docs/calibration/error-drivers.jsh
import org.lnpsaxs.surrogate.*;
import org.lnpsaxs.surrogate.data.*;
var s = Surrogate.loadDefault();
var hq = Dataset.read(java.nio.file.Path.of("data/test-hq.lnpd.gz"));
int n = hq.size(); double[] q = hq.q(); int nq = q.length; var names = hq.parameters().names(); int np = names.size();
double[] rms = new double[n]; double[][] th = new double[n][];
for (int i = 0; i < n; i++) { th[i] = hq.theta(i); double[] p = s.predictLog10(th[i]); double[] y = hq.log10Intensity(i); double m = 0; int c = 0; for (int k = 0; k < nq; k++) if (q[k] >= 0.04) { m += p[k] - y[k]; c++; } m /= c; double ss = 0; for (int k = 0; k < nq; k++) if (q[k] >= 0.04) { double e = (p[k] - y[k] - m) * Math.log(10); ss += e * e; } rms[i] = Math.sqrt(ss / c); }
double[] rank(double[] x) { Integer[] idx = new Integer[x.length]; for (int i = 0; i < x.length; i++) idx[i] = i; java.util.Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b])); double[] r = new double[x.length]; for (int i = 0; i < x.length; i++) r[idx[i]] = i; return r; }
double corr(double[] a, double[] b) { double ma = 0, mb = 0; for (int i = 0; i < a.length; i++) { ma += a[i]; mb += b[i]; } ma /= a.length; mb /= b.length; double sab = 0, saa = 0, sbb = 0; for (int i = 0; i < a.length; i++) { sab += (a[i]-ma)*(b[i]-mb); saa += (a[i]-ma)*(a[i]-ma); sbb += (b[i]-mb)*(b[i]-mb); } return sab / Math.sqrt(saa * sbb); }
double[] rr = rank(rms);
java.util.Arrays.sort(rms.clone());
double[] sorted = rms.clone(); java.util.Arrays.sort(sorted);
System.out.printf("RMS of the surrogate's error over q >= 0.04 (ln I, offset removed), 256 held-out monodisperse curves: median %.4f, p10 %.4f, p90 %.4f, max %.4f%n", sorted[n/2], sorted[n/10], sorted[9*n/10], sorted[n-1]);
for (int j = 0; j < np; j++) { double[] x = new double[n]; for (int i = 0; i < n; i++) x[i] = th[i][j]; System.out.printf("  Spearman(rms, %s) = %.3f%n", names.get(j), corr(rr, rank(x))); }
/exit
