// Which truths lie inside a posterior's intervals, for one fitted curve whose header holds its truth
// ("# truth.NAME=VALUE", as GenerateCalibrationSet.java and examples/lnp_synthetic.dat write them):
// an experiment's helper, not a library feature. Run from the repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/closed-form/TruthInside.java DATA REPORT.json
//
// REPORT.json is `lnpsaxs fit DATA --model lnp|lnp-closed --posterior`'s report. The truth is folded onto
// the report's image of the contrast-sign symmetry (GRF_shift >= 0) before it is compared, as
// docs/calibration/Coverage.java does; prints each parameter's 90 % and 68 % intervals and the counts.
import java.nio.file.*;
import java.util.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

public class TruthInside {
    public static void main(String[] a) throws Exception {
        Map<String, Double> truth = new LinkedHashMap<>();
        for (String l : Files.readAllLines(Path.of(a[0]))) {
            if (l.startsWith("# truth.")) {
                String[] kv = l.substring("# truth.".length()).split("=", 2);
                truth.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        if (truth.isEmpty()) {
            throw new IllegalArgumentException(a[0] + " has no '# truth.NAME=VALUE' lines");
        }
        double g = truth.get("GRF_shift");
        double rho = truth.get("relative_rho_shell");
        if (g < 0) {
            truth.put("GRF_shift", -g);
            truth.put("relative_rho_shell", (2 - rho * (1 + g)) / (1 - g));
        }
        JsonNode post = new ObjectMapper().readTree(Path.of(a[1]).toFile()).get("posterior");
        if (post == null) {
            throw new IllegalArgumentException(a[1] + " has no posterior (fit with --posterior)");
        }
        int in90 = 0;
        int in68 = 0;
        for (Map.Entry<String, Double> e : truth.entrySet()) {
            JsonNode p = post.get("parameters").get(e.getKey());
            double t = e.getValue();
            boolean i90 = p.get("p05").asDouble() <= t && t <= p.get("p95").asDouble();
            boolean i68 = p.get("p16").asDouble() <= t && t <= p.get("p84").asDouble();
            in90 += i90 ? 1 : 0;
            in68 += i68 ? 1 : 0;
            System.out.printf(Locale.ROOT, "%-20s truth %10.5g   90 %%: %10.5g .. %-10.5g %-3s   68 %%: %10.5g .. %-10.5g %s%n",
                    e.getKey(), t, p.get("p05").asDouble(), p.get("p95").asDouble(), i90 ? "in" : "OUT",
                    p.get("p16").asDouble(), p.get("p84").asDouble(), i68 ? "in" : "out");
        }
        System.out.printf(Locale.ROOT, "converged: %s; truths inside the 90 %% intervals: %d of %d; inside the 68 %% intervals: %d of %d%n",
                post.get("converged").asBoolean(), in90, truth.size(), in68, truth.size());
    }
}
