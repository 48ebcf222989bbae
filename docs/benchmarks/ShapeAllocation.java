// Bytes allocated and time per surrogate row for networks of other shapes than the shipped model's
// (docs/benchmarks.md, "The vector API's warm-up can outlast a short run"): writes a model file
// with the untrained initial weights (seed 5) of the given shape on the paper's q grid, then calls the
// fused path (values and the vector-Jacobian product for a given dL/dI) on 104 random rows for four
// rounds of 3 s, printing per round the bytes the calling thread allocated per row (kB) and the time
// per row (µs). Compiled vector kernels allocate nothing. Run from the repository root:
//
//   java --add-modules jdk.incubator.vector -cp cli/target/lnpsaxs.jar docs/benchmarks/ShapeAllocation.java \
//       FLUCTUATION_HIDDEN FLUCTUATION_RANK CORRECTION_HIDDEN CORRECTION_RANK      # e.g. 64,64,64 32 32,32 16
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import com.sun.management.ThreadMXBean;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.ModelFile;
import org.lnpsaxs.surrogate.ModelMetadata;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.internal.Vectors;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Weights;

public class ShapeAllocation {

    private static final int ROWS = 104;

    public static void main(String[] a) throws Exception {
        List<Integer> fluctuationHidden = widths(a[0]);
        int fluctuationRank = Integer.parseInt(a[1]);
        List<Integer> correctionHidden = widths(a[2]);
        int correctionRank = Integer.parseInt(a[3]);
        QGrid grid = QGrid.PAPER;
        NetworkSpec spec = NetworkSpec.lnp(grid.size(), 5.0, 1024, fluctuationHidden, fluctuationRank, correctionHidden,
                correctionRank);
        ModelMetadata meta = ModelMetadata.of("probe", LnpParameters.SPACE, grid.values(), "arbitrary units", spec, null);
        Path file = Files.createTempFile("probe", ".zip");
        ModelFile.write(file, meta, Weights.initial(spec, 5));
        Surrogate s = Surrogate.load(file);
        ParameterSpace space = s.parameters();
        int p = space.size();
        int nq = s.qSize();
        SplittableRandom random = new SplittableRandom(1);
        double[] theta = new double[ROWS * p];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < p; j++) {
                theta[i * p + j] = space.get(j).lower() + random.nextDouble() * (space.get(j).upper() - space.get(j).lower());
            }
        }
        double[] out = new double[ROWS * nq];
        double[] dLdI = new double[ROWS * nq];
        double[] gradient = new double[ROWS * p];
        Arrays.fill(dLdI, 1e-3);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 4; round++) {
            long bytes = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            int calls = 0;
            while (System.nanoTime() - start < 3e9) {
                s.evaluateAndVectorJacobianProduct(theta, ROWS, dLdI, out, gradient);
                calls++;
            }
            long rows = (long) calls * ROWS;
            System.out.printf(Locale.ROOT, "hidden %s rank %d / hidden %s rank %d: round %d: %.1f kB/row, %.1f us/row, %s%n",
                    fluctuationHidden, fluctuationRank, correctionHidden, correctionRank, round,
                    (threads.getCurrentThreadAllocatedBytes() - bytes) / 1024.0 / rows, (System.nanoTime() - start) / 1e3 / rows,
                    Vectors.kernel());
        }
    }

    private static List<Integer> widths(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(Integer::valueOf).toList();
    }
}
