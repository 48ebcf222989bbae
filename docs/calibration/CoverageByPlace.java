// One parameter's coverage by where its truth lies in the fit box (docs/calibration.md, "Where s_q1's
// misses lie"): the curves of each CURVES FITS pair (NAME.dat with '# truth.PARAM=' lines, NAME/report.json
// with a posterior) are grouped by the truth's place in the box, (truth - lower) / (upper - lower), in
// BINS equal bins (default 5), and each bin gets its count, the share of truths inside the 68 % and the
// 90 % interval, and how many truths lie above the 68 % interval. Several pairs are pooled. Meant for a
// parameter whose truth already lies on the reports' canonical image: for lnp not GRF_shift or
// relative_rho_shell, which the contrast sign folds (Coverage.java folds the truth first). Run from the
// repository root:
//
//   java [-Dbins=5] -cp cli/target/lnpsaxs.jar docs/calibration/CoverageByPlace.java PARAM CURVES FITS [CURVES FITS ...]
import java.nio.file.*;
import java.util.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class CoverageByPlace {
    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length % 2 != 1) {
            throw new IllegalArgumentException("usage: CoverageByPlace PARAM CURVES FITS [CURVES FITS ...]");
        }
        String param = args[0];
        int bins = Integer.getInteger("bins", 5);
        int[][] count = new int[bins][4];
        ObjectMapper json = new ObjectMapper();
        for (int a = 1; a < args.length; a += 2) {
            Path curves = Path.of(args[a]);
            Path fits = Path.of(args[a + 1]);
            List<Path> dirs = new ArrayList<>();
            try (var s = Files.list(fits)) {
                s.filter(p -> Files.isRegularFile(p.resolve("report.json"))).sorted().forEach(dirs::add);
            }
            for (Path dir : dirs) {
                Path curve = curves.resolve(dir.getFileName() + ".dat");
                double truth = Double.NaN;
                for (String line : Files.readAllLines(curve)) {
                    if (line.startsWith("# truth." + param + "=")) {
                        truth = Double.parseDouble(line.substring(line.indexOf('=') + 1).trim());
                    }
                }
                if (Double.isNaN(truth)) {
                    throw new IllegalStateException(curve + " has no truth for " + param);
                }
                JsonNode r = json.readTree(dir.resolve("report.json").toFile());
                JsonNode box = r.path("space").path("free").path(param);
                JsonNode p = r.path("posterior").path("parameters").path(param);
                if (box.isMissingNode() || p.isMissingNode()) {
                    throw new IllegalStateException(dir + ": no free " + param + " with a posterior");
                }
                double place = (truth - box.path("lower").asDouble()) / (box.path("upper").asDouble() - box.path("lower").asDouble());
                int b = Math.max(0, Math.min(bins - 1, (int) (place * bins)));
                count[b][0]++;
                count[b][1] += truth >= p.path("p16").asDouble() && truth <= p.path("p84").asDouble() ? 1 : 0;
                count[b][2] += truth >= p.path("p05").asDouble() && truth <= p.path("p95").asDouble() ? 1 : 0;
                count[b][3] += truth > p.path("p84").asDouble() ? 1 : 0;
            }
        }
        System.out.println("| " + param + "'s truth in the box | curves | in 68 % | in 90 % | above the 68 % interval |");
        System.out.println("|---|---:|---:|---:|---:|");
        int[] all = new int[4];
        for (int b = 0; b < bins; b++) {
            int[] c = count[b];
            for (int k = 0; k < 4; k++) {
                all[k] += c[k];
            }
            System.out.printf(Locale.ROOT, "| %.2f–%.2f | %d | %s | %s | %d |%n", (double) b / bins, (b + 1.0) / bins, c[0],
                    share(c[1], c[0]), share(c[2], c[0]), c[3]);
        }
        System.out.printf(Locale.ROOT, "| all | %d | %s | %s | %d |%n", all[0], share(all[1], all[0]), share(all[2], all[0]), all[3]);
    }

    static String share(int k, int n) {
        return n == 0 ? "–" : String.format(Locale.ROOT, "%.2f", (double) k / n);
    }
}
