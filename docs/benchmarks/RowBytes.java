import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.Surrogate;
/**
 * Writes the shipped surrogate's outputs on 1 024 random points of the box (seed 7, as
 * SpeedupBenchmark draws them) as raw doubles: the fused call's intensities and input gradients
 * (for an upstream gradient drawn from the same generator), then the plain forward predictions.
 * Two jars, or one jar with and without --add-modules jdk.incubator.vector, give files that cmp
 * compares byte for byte (docs/benchmarks.md, "The vector kernels").
 *
 * Usage: java [--add-modules jdk.incubator.vector] -cp cli/target/lnpsaxs.jar docs/benchmarks/RowBytes.java OUT.bin
 */
public class RowBytes {
    public static void main(String[] a) throws Exception {
        Surrogate s = Surrogate.loadDefault();
        ParameterSpace space = s.parameters();
        int p = space.size(), nq = s.qSize(), batch = 1024;
        double[] theta = new double[batch * p];
        SplittableRandom rng = new SplittableRandom(7);
        for (int b = 0; b < batch; b++) for (int j = 0; j < p; j++) { double lo = space.get(j).lower(), hi = space.get(j).upper(); theta[b * p + j] = lo + rng.nextDouble() * (hi - lo); }
        double[] out = new double[batch * nq], grad = new double[batch * nq], dT = new double[batch * p], fwd = new double[batch * nq];
        for (int i = 0; i < grad.length; i++) grad[i] = rng.nextDouble() - 0.5;
        s.evaluateAndVectorJacobianProduct(theta, batch, grad, out, dT);
        s.evaluate(theta, batch, fwd);
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(Path.of(a[0]))))) {
            for (double v : out) o.writeDouble(v); for (double v : dT) o.writeDouble(v); for (double v : fwd) o.writeDouble(v);
        }
    }
}
