package org.lnpsaxs.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplaces() throws IOException {
        Path f = dir.resolve("report.json");
        AtomicFiles.writeString(f, "{\"a\": 1}\n");
        assertEquals("{\"a\": 1}\n", Files.readString(f));
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertEquals(List.of("report.json"), names(), "no temporary file is left behind");
    }

    @Test
    void aWriteThatFailsMidwayLeavesTheOldFileIntact() throws IOException {
        Path f = dir.resolve("report.json");
        Files.writeString(f, "old, valid report");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]); // more than the buffer: part of it reaches the disk
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("old, valid report", Files.readString(f));
        assertEquals(List.of("report.json"), names(), "the temporary file is removed");

        // an unchecked failure (e.g. a bug or OutOfMemoryError in the code producing the content) too
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("boom");
        }));
        assertEquals("old, valid report", Files.readString(f));
        assertEquals(List.of("report.json"), names());
    }

    @Test
    void refusesToWriteThroughASymbolicLink() throws IOException {
        Path outside = Files.createDirectory(dir.resolve("outside")).resolve("victim.txt");
        Files.writeString(outside, "precious");
        Path out = Files.createDirectory(dir.resolve("out"));
        Path link = out.resolve("report.json");
        Files.createSymbolicLink(link, outside);
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(link, "x"));
        assertTrue(e.getMessage().contains(link.toString()) && e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals("precious", Files.readString(outside));
        assertTrue(Files.isSymbolicLink(link));
        // a dangling link is refused as well (it would create a file wherever it points)
        Path dangling = out.resolve("curves.dat");
        Files.createSymbolicLink(dangling, dir.resolve("outside/new.txt"));
        assertThrows(IOException.class, () -> AtomicFiles.writeString(dangling, "x"));
        assertFalse(Files.exists(dir.resolve("outside/new.txt")));
        assertThrows(IOException.class, () -> AtomicFiles.checkTarget(link));
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(2, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void refusesADirectoryAsTarget() throws IOException {
        Path d = Files.createDirectory(dir.resolve("report.json"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(d, "x"));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        assertTrue(Files.isDirectory(d));
    }

    @Test
    void aMissingDirectoryIsAnError() {
        Path f = dir.resolve("missing/report.json");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(f, "x"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void outputDirectoryIsCheckedAndCreated() throws IOException {
        Path nested = dir.resolve("a/b/c");
        assertEquals(nested, AtomicFiles.outputDirectory(nested));
        assertTrue(Files.isDirectory(nested));
        try (Stream<Path> s = Files.list(nested)) {
            assertEquals(0, s.count(), "the write check leaves nothing behind");
        }
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        IOException notDir = assertThrows(IOException.class, () -> AtomicFiles.outputDirectory(file));
        assertTrue(notDir.getMessage().contains("is a file"), notDir.getMessage());
        IOException under = assertThrows(IOException.class, () -> AtomicFiles.outputDirectory(file.resolve("sub")));
        assertTrue(under.getMessage().startsWith("cannot create the directory"), under.getMessage());
        IOException empty = assertThrows(IOException.class, () -> AtomicFiles.outputDirectory(Path.of("")));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        Path linkToDir = Files.createSymbolicLink(dir.resolve("linked"), nested);
        assertEquals(linkToDir, AtomicFiles.outputDirectory(linkToDir), "a link to a directory is a directory");
    }

    @Test
    void anUnwritableDirectoryIsReportedBeforeWork() throws IOException {
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root may write anywhere");
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.outputDirectory(ro));
            assertTrue(e.getMessage().startsWith("cannot write into the directory " + ro), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void concurrentWritersLeaveOneCompleteVersion() throws Exception {
        Path f = dir.resolve("shared.dat");
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            byte[] content = new byte[200_000];
            java.util.Arrays.fill(content, (byte) ('a' + t));
            Thread th = new Thread(() -> {
                try {
                    for (int k = 0; k < 10; k++) {
                        AtomicFiles.write(f, content);
                    }
                } catch (IOException e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(List.of(), errors);
        byte[] got = Files.readAllBytes(f);
        assertEquals(200_000, got.length);
        for (byte b : got) {
            assertEquals(got[0], b, "one writer's content, not a mixture");
        }
        assertEquals(List.of("shared.dat"), names());
    }
}
