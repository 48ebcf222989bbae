package org.lnpsaxs.surrogate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * C1, the JIT's first compiler, must be able to compile every vector kernel, also as an
 * on-stack replacement (OSR) at a loop. It inlines the vector API's Java code, and a kernel too
 * large for its register allocator is skipped ("out of virtual registers in linear scan"); in a
 * JVM where that happened to the networks' block kernel, C2 never compiled it either and the kernel
 * ran uncompiled for good, at 1.7 MB and hundreds of µs per row (docs/benchmarks.md, "The vector
 * API's warm-up can outlast a short run"). Whether an OSR compilation happens in a given JVM depends
 * on timing, so this test forces it: a JVM of its own that stops at C1's profiling tier and
 * compiles loops after 1 000 back edges but methods only after a million calls (so every hot loop
 * of the kernels is compiled as an OSR), each compilation waited for ({@code -Xbatch}, so that a busy
 * machine cannot leave it for later), running {@link C1CompilationProbe}, with the JIT's
 * compilations printed; no compilation of {@link VectorKernels} may be skipped. HotSpot only.
 */
class VectorKernelsCompilationTest {

    @Test
    void c1CompilesEveryKernelAtItsLoops() throws IOException, InterruptedException {
        assumeTrue(System.getProperty("java.vm.name", "").contains("HotSpot")
                || System.getProperty("java.vm.name", "").contains("OpenJDK"), "HotSpot's flags");
        assumeTrue(VectorKernels.lanes() >= 4, "the kernels run only with vectors of four doubles or more");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx1g", "--add-modules", "jdk.incubator.vector",
                "-XX:TieredStopAtLevel=3", "-XX:Tier3InvocationThreshold=1000000",
                "-XX:Tier3MinInvocationThreshold=1000000", "-XX:Tier3CompileThreshold=1000000",
                "-XX:Tier3BackEdgeThreshold=1000", "-Xbatch", "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), C1CompilationProbe.class.getName(), "2"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the probe did not end");
        assertEquals(0, process.exitValue(), output);
        String kernels = VectorKernels.class.getName() + "::";
        List<String> skipped = output.lines().filter(l -> l.contains(kernels) && l.contains("SKIPPED")).toList();
        assertTrue(skipped.isEmpty(), String.join("\n", skipped));
        // not vacuous: the probe ran every path on the kernels, and C1 compiled the networks' block kernel at a loop
        for (int path = 0; path < 3; path++) {
            assertTrue(output.contains("path " + path + ": "), output);
        }
        assertTrue(output.contains("kernel vector ("), output);
        assertTrue(output.lines().anyMatch(l -> l.contains(kernels + "eightByTwo @")), output);
    }
}
