package org.lnpsaxs.core.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a text file atomically and never through a symbolic link: the text goes to a new
 * temporary file in the same directory (created exclusively, so never through a link), is
 * forced to disk, and is then renamed over the target in one atomic step. A failure at any point
 * leaves the previous file as it was and removes the temporary file. A target that is a symbolic
 * link or a directory is refused. The one place in the readers' package that writes files, so
 * that a project-wide utility can replace it.
 */
final class AtomicTextFile {

    private AtomicTextFile() {
    }

    static void write(Path target, String text) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isSymbolicLink(abs)) {
            throw new IOException(target + ": is a symbolic link; refusing to write through it (remove it or"
                    + " choose another name)");
        }
        if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + ": is a directory, not a file name to write");
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(target + ": the directory " + dir + " does not exist");
        }
        String base = abs.getFileName().toString();
        Path tmp = null;
        for (int attempt = 0; tmp == null; attempt++) {
            Path candidate = dir.resolve("." + base + "." + Long.toHexString(System.nanoTime()) + attempt + ".tmp");
            try {
                Files.createFile(candidate);
                tmp = candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": the file system cannot replace a file atomically here ("
                        + e.getMessage() + ")", e);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
