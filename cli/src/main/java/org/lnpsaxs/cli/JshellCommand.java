package org.lnpsaxs.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;

import jdk.jshell.tool.JavaShellToolBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code lnpsaxs jshell}: JShell with the library on the class path and its packages imported.
 * Extra arguments are passed to JShell (for example a script file to run).
 */
@Command(name = "jshell",
        description = "Start JShell with lnpsaxs on the class path and its packages imported. "
                + "Extra arguments go to JShell (e.g. a script file, or --help).")
final class JshellCommand implements Callable<Integer> {

    /** Packages imported at start-up (those that exist in this build). */
    static final List<String> IMPORTS = List.of(
            "org.lnpsaxs.core",
            "org.lnpsaxs.core.model",
            "org.lnpsaxs.core.data",
            "org.lnpsaxs.core.formfactor",
            "org.lnpsaxs.core.resolution",
            "org.lnpsaxs.core.simulator",
            "org.lnpsaxs.core.sampling",
            "org.lnpsaxs.core.math",
            "org.lnpsaxs.polydispersity",
            "org.lnpsaxs.polydispersity.distribution",
            "org.lnpsaxs.polydispersity.quadrature",
            "org.lnpsaxs.surrogate",
            "org.lnpsaxs.surrogate.fit",
            "org.lnpsaxs.optimize",
            "org.lnpsaxs.optimize.model",
            "org.lnpsaxs.optimize.data",
            "org.lnpsaxs.optimize.param",
            "org.lnpsaxs.optimize.loss",
            "org.lnpsaxs.optimize.multistart",
            "org.lnpsaxs.optimize.ensemble",
            "org.lnpsaxs.optimize.identifiability",
            "org.lnpsaxs.optimize.report");

    @Parameters(arity = "0..*", paramLabel = "JSHELL_ARG", description = "arguments passed to JShell")
    List<String> jshellArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path startup = Files.createTempFile("lnpsaxs-startup", ".jsh");
        try {
            Files.writeString(startup, startupScript(), StandardCharsets.UTF_8);
            List<String> args = new ArrayList<>();
            args.add("--class-path");
            args.add(classPath());
            args.add("--startup");
            args.add("DEFAULT");
            args.add("--startup");
            args.add(startup.toString());
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                // the snippets run in a JVM of their own: give it the vector module this one has, so
                // that the surrogate's loops run their vector kernels there too (the same numbers)
                args.add("-R--add-modules");
                args.add("-Rjdk.incubator.vector");
            }
            args.addAll(jshellArgs);
            return JavaShellToolBuilder.builder().start(args.toArray(new String[0]));
        } finally {
            Files.deleteIfExists(startup);
        }
    }

    /** The import lines for the packages that hold classes on the class path. */
    static String startupScript() throws IOException {
        StringBuilder sb = new StringBuilder();
        Set<String> present = packagesWithClasses();
        for (String p : IMPORTS) {
            if (present.contains(p)) {
                sb.append("import ").append(p).append(".*;\n");
            }
        }
        sb.append("System.out.println(\"lnpsaxs \" + org.lnpsaxs.core.Lnpsaxs.version()"
                + " + \": packages imported; q in 1/Å, lengths in Å, SLD in 1e-6/Å², I in 1/cm\");\n");
        return sb.toString();
    }

    /** Packages of {@link #IMPORTS} that hold at least one class in a class-path entry. */
    private static Set<String> packagesWithClasses() throws IOException {
        Set<String> found = new HashSet<>();
        for (String entry : classPath().split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                for (String p : IMPORTS) {
                    Path dir = path.resolve(p.replace('.', '/'));
                    if (Files.isDirectory(dir)) {
                        try (var files = Files.list(dir)) {
                            if (files.anyMatch(f -> f.toString().endsWith(".class")
                                    && !f.getFileName().toString().equals("package-info.class"))) {
                                found.add(p);
                            }
                        }
                    }
                }
            } else if (Files.isRegularFile(path)) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    jar.stream().map(e -> e.getName())
                            .filter(n -> n.endsWith(".class") && !n.endsWith("package-info.class"))
                            .map(n -> n.substring(0, Math.max(0, n.lastIndexOf('/'))).replace('/', '.'))
                            .filter(IMPORTS::contains)
                            .forEach(found::add);
                }
            }
        }
        return found;
    }

    /** This program's class path: the shaded jar when run with {@code java -jar}. */
    static String classPath() throws IOException {
        String cp = System.getProperty("java.class.path");
        if (cp != null && !cp.isBlank()) {
            return cp;
        }
        try {
            return new File(JshellCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the lnpsaxs jar", e);
        }
    }
}
