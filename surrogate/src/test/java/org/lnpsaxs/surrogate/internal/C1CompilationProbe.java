package org.lnpsaxs.surrogate.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.Surrogate;

/**
 * The program {@link VectorKernelsCompilationTest} runs in a JVM of its own: the shipped surrogate's
 * paths that use the vector kernels (values; values and the vector-Jacobian product for a given
 * dL/dI; values and the product for a callback's dL/dI), 104 random rows of the box a call, each
 * path for {@code args[0]} seconds. Prints the calls made. Dimensionless; not a user class.
 */
public final class C1CompilationProbe {

    private C1CompilationProbe() {
    }

    /**
     * Runs the paths.
     *
     * @param args the seconds per path
     */
    public static void main(String[] args) {
        double seconds = Double.parseDouble(args[0]);
        Surrogate s = Surrogate.loadDefault();
        ParameterSpace space = s.parameters();
        int p = space.size();
        int nq = s.qSize();
        int rows = 104;
        SplittableRandom random = new SplittableRandom(1);
        double[] theta = new double[rows * p];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < p; j++) {
                theta[i * p + j] = space.get(j).lower() + random.nextDouble() * (space.get(j).upper() - space.get(j).lower());
            }
        }
        double[] out = new double[rows * nq];
        double[] dLdI = new double[rows * nq];
        double[] gradient = new double[rows * p];
        Arrays.fill(dLdI, 1e-3);
        for (int path = 0; path < 3; path++) {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            int calls = 0;
            while (calls == 0 || System.nanoTime() < end) {
                switch (path) {
                    case 0 -> s.evaluate(theta, rows, out);
                    case 1 -> s.evaluateAndVectorJacobianProduct(theta, rows, dLdI, out, gradient);
                    default -> s.evaluateAndBackpropagate(theta, rows, out,
                            (intensity, batch, upstream) -> Arrays.fill(upstream, 1e-3), gradient);
                }
                calls++;
            }
            System.out.println("path " + path + ": " + calls + " calls, kernel " + Vectors.kernel());
        }
    }
}
