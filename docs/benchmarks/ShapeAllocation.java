// Bytes allocated and time per surrogate row for networks of other shapes than the shipped model's
// (docs/benchmarks.md, "The vector API's warm-up can outlast a short run"): writes a model file
// with the untrained initial weights (seed 5) of the given shape on the paper's q grid, then calls the
// fused path (values and the vector-Jacobian product for a given dL/dI) on 104 random rows for four
// rounds of 3 s, printing per round the bytes the calling thread allocated per row (kB) and the time
// per row (µs). Compiled vector kernels allocate nothing. Run from the repository root:
//
//   java --add-modules jdk.incubator.vector -cp cli/target/lnpsaxs.jar docs/benchmarks/ShapeAllocation.java \
//       FLUCTUATION_HIDDEN FLUCTUATION_RANK CORRECTION_HIDDEN CORRECTION_RANK      # e.g. 64,64,64 32 32,32 16
import java.nio.file.*;
import java.util.*;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.surrogate.*;
import org.lnpsaxs.surrogate.nn.*;
import org.lnpsaxs.core.simulator.LnpParameters;
public class ShapeAllocation {
    public static void main(String[] a) throws Exception {
        List<Integer> h1 = Arrays.stream(a[0].split(",")).map(Integer::valueOf).toList(), h2 = Arrays.stream(a[2].split(",")).map(Integer::valueOf).toList(); int r1 = Integer.parseInt(a[1]), r2 = Integer.parseInt(a[3]);
        QGrid grid = QGrid.PAPER;
        NetworkSpec spec = NetworkSpec.lnp(grid.size(), 5.0, 1024, h1, r1, h2, r2);
        ModelMetadata meta = ModelMetadata.of("probe", LnpParameters.SPACE, grid.values(), "arbitrary units", spec, null);
        Path f = Files.createTempFile("probe", ".zip");
        ModelFile.write(f, meta, Weights.initial(spec, 5));
        Surrogate s = Surrogate.load(f);
        var sp = s.parameters(); int p = sp.size(), nq = s.qSize(), rows = 104;
        SplittableRandom r = new SplittableRandom(1);
        double[] th = new double[rows * p];
        for (int i = 0; i < rows; i++) for (int j = 0; j < p; j++) th[i*p+j] = sp.get(j).lower() + r.nextDouble() * (sp.get(j).upper() - sp.get(j).lower());
        double[] out = new double[rows * nq], g = new double[rows * nq], grad = new double[rows * p];
        Arrays.fill(g, 1e-3);
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 4; round++) {
            long b0 = mx.getCurrentThreadAllocatedBytes(); long t0 = System.nanoTime(); int calls = 0;
            while (System.nanoTime() - t0 < 3e9) { s.evaluateAndVectorJacobianProduct(th, rows, g, out, grad); calls++; }
            System.out.printf("hidden %s rank %d / hidden %s rank %d: round %d: %.1f kB/row, %.1f us/row, %s%n", h1, r1, h2, r2, round,
                (mx.getCurrentThreadAllocatedBytes() - b0) / 1024.0 / calls / rows, (System.nanoTime() - t0) / 1e3 / calls / rows,
                org.lnpsaxs.surrogate.internal.Vectors.kernel());
        }
    }
}
