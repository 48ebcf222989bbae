package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-file Java programs under {@code docs/} (the calibration study's and the error model's
 * scripts, run as {@code java -cp cli/target/lnpsaxs.jar docs/…/X.java}) still compile against the
 * library: a doc that names a command whose program no longer compiles is no longer true. Each program
 * is compiled on its own, as the {@code java} launcher compiles it, with this module's test class path
 * (every lnpsaxs module and their dependencies, as in the command-line jar).
 */
class DocProgramsCompileTest {

    @TempDir
    Path out;

    @Test
    void everyDocProgramCompiles() throws IOException {
        Path docs = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../docs").normalize();
        List<Path> programs;
        try (Stream<Path> files = Files.walk(docs)) {
            programs = files.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        assertTrue(programs.size() >= 8, "expected the calibration and error-model programs under " + docs + ", found "
                + programs);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> failures = new ArrayList<>();
        for (Path program : programs) {
            Path classes = Files.createDirectories(out.resolve(program.getFileName().toString().replace(".java", "")));
            StringWriter messages = new StringWriter();
            Boolean ok = javac.getTask(messages, null, null,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none",
                            "-encoding", "UTF-8"),
                    null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(program.toFile())).call();
            if (!ok) {
                failures.add(docs.relativize(program) + ":\n" + messages);
            }
        }
        assertTrue(failures.isEmpty(), "doc programs that no longer compile:\n" + String.join("\n", failures));
    }
}
