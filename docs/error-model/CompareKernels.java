// Which correlation kernel describes the surrogate's errors along q (docs/surrogate.md, "The
// surrogate's error model"): for the Matern-3/2 (0), Matern-5/2 (1) and squared-exponential (2)
// kernels at lengths of 3..8 grid steps, with each q point's RMS (smoothed over 21 points) as sigma,
// the distribution over the 256 test-hq curves of the whitened chi2/(N-1) of the monodisperse
// surrogate error (1 on average if the kernel describes the errors), and for Matern-3/2 at 5 steps
// the correlation of ln chi2 with each parameter. Run from the repository root:
//   java -cp cli/target/lnpsaxs.jar docs/error-model/CompareKernels.java
import java.nio.file.*;
import java.util.*;
import org.lnpsaxs.surrogate.*;
import org.lnpsaxs.surrogate.data.*;

public class CompareKernels {
    static double k(int type, double d, double l) {
        double x;
        switch (type) {
            case 0: x = Math.sqrt(3) * d / l; return (1 + x) * Math.exp(-x);
            case 1: x = Math.sqrt(5) * d / l; return (1 + x + x * x / 3) * Math.exp(-x);
            default: return Math.exp(-0.5 * d * d / (l * l));
        }
    }
    static double[][] chol(double[][] c) {
        int n = c.length; double[][] L = new double[n][n];
        for (int i=0;i<n;i++) for (int j=0;j<=i;j++){ double s=c[i][j]; for(int k=0;k<j;k++) s-=L[i][k]*L[j][k];
            if(i==j){ if(s<=0) return null; L[i][i]=Math.sqrt(s);} else L[i][j]=s/L[j][j]; }
        return L;
    }
    static double chi(double[][] L, double[] d) {
        int n = d.length; double[] z = new double[n], u = new double[n];
        for (int i=0;i<n;i++){ double s=d[i], t=1; for(int k=0;k<i;k++){s-=L[i][k]*z[k]; t-=L[i][k]*u[k];} z[i]=s/L[i][i]; u[i]=t/L[i][i]; }
        double uu=0, uz=0; for(int i=0;i<n;i++){uu+=u[i]*u[i];uz+=u[i]*z[i];}
        double a=uz/uu, v=0; for(int i=0;i<n;i++){double r=z[i]-a*u[i]; v+=r*r;}
        return v/(n-1);
    }
    public static void main(String[] a) throws Exception {
        Surrogate s = Surrogate.loadDefault();
        Dataset hq = Dataset.read(Path.of("data/test-hq.lnpd.gz"));
        int n = hq.size(), nq = 300; double[] q = hq.q();
        double[] pred = new double[n*nq]; s.predictLog10(hq.thetaArray(), n, pred);
        double[][] d = new double[n][nq];
        for (int i=0;i<n;i++){ double[] h=hq.log10Intensity(i); for(int k=0;k<nq;k++) d[i][k]=(pred[i*nq+k]-h[k])*Math.log(10); }
        double[] rms = new double[nq];
        for (int k=0;k<nq;k++){double r=0; for(int i=0;i<n;i++) r+=d[i][k]*d[i][k]; rms[k]=Math.sqrt(r/n);}
        // smooth rms by a 21-point running mean of variance
        double[] sm = new double[nq];
        for (int k=0;k<nq;k++){double r=0;int c=0; for(int j=Math.max(0,k-10);j<=Math.min(nq-1,k+10);j++){r+=rms[j]*rms[j];c++;} sm[k]=Math.sqrt(r/c);}
        double dq = q[1]-q[0];
        for (int type=0; type<3; type++) for (double steps : new double[]{3,4,5,6,8}) {
            double l = steps*dq;
            double[][] c = new double[nq][nq];
            for (int i=0;i<nq;i++) for(int j=0;j<nq;j++) c[i][j]=sm[i]*sm[j]*k(type, Math.abs(q[i]-q[j]), l) + (i==j? 1e-10*sm[i]*sm[i]:0);
            double[][] L = chol(c); if (L==null){System.out.println("type "+type+" l "+steps+" not PD"); continue;}
            double[] v = new double[n]; for (int i=0;i<n;i++) v[i]=chi(L,d[i]);
            double[] sorted=v.clone(); Arrays.sort(sorted);
            double[] th = hq.thetaArray(); int P = 9;
            if (type == 0 && steps == 5) for (int j=0;j<P;j++){ double mx=0,my=0,sxy=0,sxx=0,syy=0; for(int i=0;i<n;i++){mx+=th[i*P+j];my+=Math.log(v[i]);} mx/=n; my/=n;
              for(int i=0;i<n;i++){double x=th[i*P+j]-mx,y=Math.log(v[i])-my; sxy+=x*y;sxx+=x*x;syy+=y*y;}
              System.out.printf(Locale.ROOT,"%s corr(ln chi2, param) %.2f%n", hq.parameters().names().get(j), sxy/Math.sqrt(sxx*syy)); }
            System.out.printf(Locale.ROOT,"kernel %d  l=%.0f steps: chi2/dof mean %.2f median %.2f p10 %.2f p90 %.2f%n",type,steps,Arrays.stream(v).average().getAsDouble(),sorted[n/2],sorted[n/10],sorted[9*n/10]);
        }
    }
}
