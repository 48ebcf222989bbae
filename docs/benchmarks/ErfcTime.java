import java.util.Locale;

import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.numbers.gamma.InverseErfc;

/**
 * One call of the complementary error function, commons-math3's (a continued fraction through the
 * regularised gamma function) against Commons Numbers' (Boost's rational approximations), and
 * Commons Numbers' inverse, in ns per call: five passes of 2·10⁶ arguments spread over [−3, 3]
 * (the inverse over (0, 1.9]), one after the other in one thread. The first passes include the JIT's
 * warm-up; read the last ones. (docs/benchmarks.md, "Racing the paper's AdamW, and the normal
 * distribution's tails".)
 *
 * Usage: java -cp cli/target/lnpsaxs.jar docs/benchmarks/ErfcTime.java
 */
public class ErfcTime {

    public static void main(String[] args) {
        double sink = 0;
        int n = 2_000_000;
        for (int pass = 0; pass < 5; pass++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += org.apache.commons.math3.special.Erf.erfc(-3 + 6.0 * i / n);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += Erfc.value(-3 + 6.0 * i / n);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += InverseErfc.value(1e-6 + 1.9 * i / n);
            }
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "pass %d: commons-math3 erfc %.1f ns, Commons Numbers erfc %.1f ns, its inverse %.1f ns%n",
                    pass + 1, (t1 - t0) / (double) n, (t2 - t1) / (double) n, (t3 - t2) / (double) n);
        }
        System.out.println("(sum " + sink + ")");
    }
}
