package org.lnpsaxs.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.data.QGrid;

/**
 * Loading a model and evaluating it on the Java path must not load a single ND4J (or JavaCPP)
 * class: checked in a fresh JVM from its class-loading log. The same probe with the ND4J backend
 * must show ND4J classes, so the check can fail. Both run with SLF4J at INFO: ND4J's start-up
 * banner (backend, threads, BLAS vendor) must not appear.
 */
class FreshJvmLoadTest {

    @TempDir
    Path tmp;

    private String output;

    /** The ND4J and JavaCPP classes a fresh JVM loaded while running {@link LoadProbe}. */
    private List<String> nd4jClassesLoaded(boolean useNd4j) throws IOException, InterruptedException {
        Path model = tmp.resolve("random.zip");
        ModelFile.Contents c = TestModels.random(QGrid.linear(0.002, 0.2, 40), 3);
        if (!Files.exists(model)) {
            ModelFile.write(model, c.metadata(), c.weights());
        }
        Path log = tmp.resolve("classes-" + useNd4j + ".log");
        Path done = tmp.resolve("done-" + useNd4j);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", LoadProbe.class.getName(), model.toString(),
                done.toString(), useNd4j ? "nd4j" : "java")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out-" + useNd4j + ".txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the probe JVM finished");
        String out = Files.readString(tmp.resolve("out-" + useNd4j + ".txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("INFO org.lnpsaxs.surrogate.LoadProbe - probe done"), "INFO lines are shown: " + out);
        output = out;
        assertTrue(Files.exists(done), out);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertTrue(lines.stream().anyMatch(l -> l.contains(" org.lnpsaxs.surrogate.JavaEvaluator ")),
                "the log lists the classes the probe used");
        return lines.stream().filter(l -> l.contains(" org.nd4j.") || l.contains(" org.bytedeco.")).toList();
    }

    @Test
    void loadingAndTheJavaPathNeverLoadNd4j() throws Exception {
        List<String> loaded = nd4jClassesLoaded(false);
        assertTrue(loaded.isEmpty(), "ND4J classes loaded: " + loaded.subList(0, Math.min(5, loaded.size())));
        assertTrue(!output.contains("org.nd4j"), output);
    }

    @Test
    void theNd4jBackendDoesLoadNd4j() throws Exception {
        List<String> loaded = nd4jClassesLoaded(true);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" org.nd4j.linalg.factory.Nd4j ")), "Nd4j was loaded");
        for (String banner : new String[] {"Loaded [CpuBackend]", "Number of threads used", "Blas vendor"}) {
            assertTrue(!output.contains(banner), "ND4J's start-up banner is off: " + output);
        }
    }
}
