// Step 2 of the calibration study (docs/calibration.md): measurement noise on the direct-simulator
// curves of GenerateCalibrationSet, so that every fit sees a realistic, known sigma. Run from the
// repository root:
//
//   java -cp cli/target/lnpsaxs.jar docs/calibration/AddNoise.java SET_DIR NOISY_DIR [SEED]
//
// For curve i (file curve-NNN.dat) the noise has two terms, drawn once per curve from a generator
// seeded with SEED * 1000003 + i (SEED default 20261205):
//   sigma(q) = sqrt( (a I(q))^2 + (f I(q_max))^2 ),  a ~ U[0.005, 0.02],  f ~ U[0.005, 0.02]
// a relative term of 0.5-2 % (counting statistics at high flux) and a floor set by the intensity at
// the largest q (a background/detector term, which makes the relative noise grow at high q, as in
// measured SAXS). The noisy intensity is I + sigma * N(0, 1). Output noisy-NNN.dat: q I sigma
// (1/A, a.u., a.u.), the truth and the noise parameters in '#' lines. Existing outputs are kept
// (the step is resumable and reproducible); every file is written atomically.
import java.nio.file.*;
import java.util.*;

public class AddNoise {
    static final long DEFAULT_SEED = 20261205L;

    public static void main(String[] args) throws Exception {
        Path set = Path.of(args[0]);
        Path out = Path.of(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : DEFAULT_SEED;
        Files.createDirectories(out);
        List<Path> curves = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(set, "curve-*.dat")) {
            ds.forEach(curves::add);
        }
        Collections.sort(curves);
        int made = 0;
        for (Path curve : curves) {
            String name = curve.getFileName().toString();
            int i = Integer.parseInt(name.substring(6, name.length() - 4));
            Path file = out.resolve(String.format(Locale.ROOT, "noisy-%03d.dat", i));
            if (Files.exists(file)) {
                continue;
            }
            List<String> header = new ArrayList<>();
            List<double[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(curve)) {
                String t = line.trim();
                if (t.startsWith("#")) {
                    if (t.startsWith("# truth.")) {
                        header.add(t);
                    }
                } else if (!t.isEmpty()) {
                    String[] p = t.split("\\s+");
                    rows.add(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])});
                }
            }
            Random rng = new Random(seed * 1000003L + i);
            double a = 0.005 + 0.015 * rng.nextDouble();
            double f = 0.005 + 0.015 * rng.nextDouble();
            double floor = f * rows.get(rows.size() - 1)[1];
            StringBuilder sb = new StringBuilder();
            sb.append("# lnpsaxs calibration curve ").append(i).append(" with measurement noise (docs/calibration/AddNoise.java)\n");
            sb.append("# from ").append(name).append(": direct simulator, see GenerateCalibrationSet.java\n");
            sb.append(String.format(Locale.ROOT, "# noise: sigma = sqrt((a I)^2 + (f I(q_max))^2), a = %.6f, f = %.6f, seed %d%n",
                    a, f, seed * 1000003L + i));
            for (String h : header) {
                sb.append(h).append('\n');
            }
            sb.append("# q(1/A) I(a.u.) sigma(a.u.)\n");
            for (double[] r : rows) {
                double s = Math.hypot(a * r[1], floor);
                sb.append(String.format(Locale.ROOT, "%.10e %.10e %.10e%n", r[0], r[1] + s * rng.nextGaussian(), s));
            }
            Path tmp = Files.createTempFile(out, ".noisy", ".tmp");
            Files.writeString(tmp, sb.toString());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            made++;
        }
        System.out.printf(Locale.ROOT, "%d noisy curves written to %s (%d curves in %s)%n", made, out, curves.size(), set);
    }
}
