package org.lnpsaxs.surrogate;

import java.nio.file.Path;
import java.util.Map;

import org.slf4j.LoggerFactory;

/**
 * Run in a fresh JVM by {@link FreshJvmLoadTest}: loads the default model and a model file,
 * evaluates, back-propagates, reads the metadata and prints the results; with {@code nd4j} as the
 * third argument it also evaluates on the ND4J backend. Prints the load time of the default model.
 */
public final class LoadProbe {

    private LoadProbe() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Surrogate s = Surrogate.loadDefault();
        long t1 = System.nanoTime();
        Surrogate file = Surrogate.load(Path.of(args[0]));
        double[] i = s.evaluate(Map.of("R", 250));
        double[] g = new double[9];
        s.vectorJacobianProductLog10(s.vector(Map.of()), 1, new double[s.qSize()], g);
        double[] j = file.evaluate(file.vector(Map.of("shell_thickness", 55.0)));
        String text = s + " " + s.metadata() + " " + file.metadata();
        if (args.length > 2 && args[2].equals("nd4j")) {
            s.withBackend(Surrogate.Backend.ND4J).evaluate(s.vector(Map.of()));
        }
        System.out.println("loaded in " + (t1 - t0) / 1_000_000 + " ms; I[0] " + i[0] + ", " + j[0] + "; "
                + text.length() + " characters of description");
        LoggerFactory.getLogger(LoadProbe.class).info("probe done");
        java.nio.file.Files.writeString(Path.of(args[1]), "ok");
    }
}
