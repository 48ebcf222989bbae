package org.lnpsaxs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The JShell start-up imports: the fitting packages are there, and no simple name is ambiguous. */
class JshellImportsTest {

    @Test
    void fittingPackagesAreImported() throws IOException {
        String script = JshellCommand.startupScript();
        for (String p : List.of("org.lnpsaxs.optimize.param", "org.lnpsaxs.optimize.loss", "org.lnpsaxs.optimize.data",
                "org.lnpsaxs.optimize.model", "org.lnpsaxs.core.math")) {
            assertTrue(script.contains("import " + p + ".*;"), p + " not imported:\n" + script);
        }
    }

    @Test
    void noTwoImportedPackagesShareAPublicTypeName() throws IOException {
        Map<String, String> seen = new HashMap<>();
        Map<String, String> clashes = new TreeMap<>();
        for (String entry : JshellCommand.classPath().split(File.pathSeparator)) {
            for (String className : classNames(Path.of(entry))) {
                int dot = className.lastIndexOf('.');
                String p = className.substring(0, dot);
                String simple = className.substring(dot + 1);
                if (!JshellCommand.IMPORTS.contains(p) || simple.contains("$") || simple.equals("package-info")) {
                    continue;
                }
                Class<?> c;
                try {
                    c = Class.forName(className, false, getClass().getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                if (!java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                    continue;
                }
                String other = seen.putIfAbsent(simple, p);
                if (other != null && !other.equals(p)) {
                    clashes.put(simple, other + " and " + p);
                }
            }
        }
        assertTrue(seen.containsKey("FitProblem") && seen.containsKey("ProgressListener"), seen.keySet().toString());
        assertEquals(Map.of(), clashes);
    }

    /** The fully qualified names of the classes in a class-path entry (directory or jar). */
    private static List<String> classNames(Path entry) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .forEach(f -> out.add(name(entry.relativize(f).toString().replace(File.separatorChar, '/'))));
            }
        } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")
                && entry.getFileName().toString().startsWith("lnpsaxs")) {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry.toFile())) {
                jar.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.endsWith(".class"))
                        .forEach(n -> out.add(name(n)));
            }
        }
        return out;
    }

    private static String name(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
