package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lnpsaxs.core.testing.SasmodelsReference;

/**
 * Every public sasmodels case (all twelve files of {@code cases.tsv}: mono- and polydisperse,
 * smeared and not) reproduced from the command line, through {@link Main#commandLine()} with
 * captured output: the case's q values ({@code --q-file}), every {@code par.*} value of its
 * header as {@code name=value}, and {@code --resolution pinhole:0.05} for sasmodels' default
 * smearing or {@code pinhole-exact:0.05} for the converged one. Tolerances: 1e-9 relative without
 * resolution and with sasmodels' smearing; 1e-4 for the converged smearing against the dense
 * reference (itself within 2e-5 of the continuous integral).
 */
class AnalyticSasmodelsCasesTest {

    @TempDir
    Path tmp;

    static Stream<String> cases() {
        return SasmodelsReference.caseNames().stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reproducesEveryPublicCase(String name) throws IOException {
        SasmodelsReference ref = SasmodelsReference.load(name);
        Path qFile = tmp.resolve(name + ".dat");
        try (InputStream in = SasmodelsReference.class.getResourceAsStream(SasmodelsReference.FOLDER + name + ".dat")) {
            Files.copy(in, qFile);
        }
        List<String> args = new ArrayList<>(List.of("analytic", "--model", ref.model(), "--q-file", qFile.toString()));
        double tolerance = 1e-9;
        switch (ref.resolution()) {
            case "none" -> {
            }
            case "pinhole" -> args.addAll(List.of("--resolution", "pinhole:" + ref.dqOverQ()));
            case "pinhole_dense" -> {
                args.addAll(List.of("--resolution", "pinhole-exact:" + ref.dqOverQ()));
                tolerance = 1e-4;
            }
            default -> throw new IllegalStateException(name + ": resolution " + ref.resolution());
        }
        for (Map.Entry<String, String> e : ref.parameters().entrySet()) {
            args.add(e.getKey() + "=" + e.getValue());
        }
        String[] r = AnalyticCommandTest.run(args.toArray(new String[0]));
        assertEquals("0", r[0], r[2]);
        double[][] curve = AnalyticCommandTest.parse(r[1]);
        assertArrayEquals(ref.q(), curve[0], 0.0);
        double err = SasmodelsReference.maxRelativeError(ref.intensity(), curve[1]);
        System.out.printf("lnpsaxs analytic, case %s (%s): max relative error %.3e%n", name, ref.resolution(), err);
        assertTrue(err <= tolerance, name + ": max relative error " + err + " > " + tolerance);
    }
}
