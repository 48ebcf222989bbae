package org.lnpsaxs.core.data;

import java.nio.file.Path;
import java.util.Locale;

/** Reads a curve and prints its size and end points: the child JVM of {@link ReaderLimitsTest}. */
final class BigCurveMain {

    private BigCurveMain() {
    }

    public static void main(String[] args) throws Exception {
        ScatteringCurve c = CurveReader.defaults().read(Path.of(args[0]));
        int n = c.size();
        System.out.println(String.format(Locale.ROOT, "rows=%d q0=%.6e qN=%.6e dqN=%.3e", n, c.q(0), c.q(n - 1),
                c.dq(n - 1)));
    }
}
