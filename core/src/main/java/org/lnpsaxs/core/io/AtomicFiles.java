package org.lnpsaxs.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Output files that are either written completely or not at all, and never through a symbolic
 * link.
 *
 * <p>{@link #write(Path, Content)} writes the content to a new temporary file in the target's own
 * directory (created with {@code CREATE_NEW}, so an existing file or link of that name is never
 * opened), forces it to disk ({@code fsync}), renames it over the target in one atomic step
 * ({@code ATOMIC_MOVE}, {@code REPLACE_EXISTING}) and forces the directory. A reader sees the old
 * file or the new one, never a mixture; if anything fails (the content throws, the disk is full,
 * the process is killed) the old file is left as it was and the temporary file is removed (a
 * killed process may leave a hidden {@code .NAME.*.tmp} file behind, never a damaged target).
 *
 * <p>A target that is a symbolic link is refused with an {@link IOException} naming it, even
 * when the link points inside the directory: writing through a link would put data wherever the
 * link points. A rename replaces a link itself rather than following it, so a link created while
 * the content is written is replaced, not followed. A target that is a directory is refused too.
 * The directories above the target may be links (a user's linked data directory is theirs).
 *
 * <p>{@link #outputDirectory(Path)} checks an output directory before any work is done: the name
 * is not empty, it is not a file, it is created when missing, and a file can be created in it.
 *
 * <p>All methods are thread-safe; two threads writing the same target leave one complete
 * version.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Content written to a stream: the stream is buffered, and closed by {@link AtomicFiles}. */
    @FunctionalInterface
    public interface Content {

        /**
         * Writes the file's content.
         *
         * @param out the stream to the temporary file (do not close it)
         * @throws IOException if the content cannot be produced or written
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code content} to {@code target} atomically (see the class description). The
     * target's directory must exist.
     *
     * @throws IOException naming the target if it is a symbolic link or a directory, if its
     *                     directory is missing, or if writing or renaming fails; the old target
     *                     is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        Objects.requireNonNull(content, "content");
        checkTarget(target);
        Path dir = directoryOf(target);
        if (!Files.isDirectory(dir)) {
            throw new IOException(target + ": the directory " + dir + " does not exist");
        }
        Temporary t = createTemporary(dir, target.getFileName().toString());
        Path tmp = t.path();
        boolean moved = false;
        try {
            try (FileChannel ch = t.channel();
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            checkTarget(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": the file system cannot replace a file atomically ("
                        + e.getMessage() + "); refusing to overwrite it in place", e);
            }
            moved = true;
            forceDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Writes {@code bytes} to {@code target} atomically; see {@link #write(Path, Content)}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically; see {@link #write(Path, Content)}. */
    public static void writeString(Path target, CharSequence text) throws IOException {
        Objects.requireNonNull(text, "text");
        write(target, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks that {@code target} can be replaced by {@link #write}: it is not a symbolic link
     * and not a directory (it may be missing). Useful before a long computation whose results go
     * there.
     *
     * @throws IOException naming the target and what is wrong
     */
    public static void checkTarget(Path target) throws IOException {
        Objects.requireNonNull(target, "target");
        if (target.getFileName() == null || target.toString().isEmpty()) {
            throw new IOException("output file '" + target + "': the name is empty");
        }
        if (Files.isSymbolicLink(target)) {
            throw new IOException(target + " is a symbolic link; refusing to write through it (remove the link or"
                    + " choose another output location)");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(target + " is a directory, not a file");
        }
    }

    /**
     * Checks an output directory before work starts: the name is not empty, it is not a file
     * (a link to a directory is accepted), it is created with its parents when missing, and a
     * file can be created in it (a temporary file is made and deleted).
     *
     * @return {@code dir}
     * @throws IOException naming the directory and what is wrong
     */
    public static Path outputDirectory(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (dir.toString().isBlank()) {
            throw new IOException("the output directory name is empty");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + " is a file, not a directory");
        }
        if (!Files.isDirectory(dir)) {
            if (Files.isSymbolicLink(dir)) {
                throw new IOException(dir + " is a symbolic link to nothing; refusing to create a directory through it");
            }
            try {
                Files.createDirectories(dir);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("cannot create the directory " + dir + ": " + e.getFile()
                        + " exists and is not a directory", e);
            } catch (IOException e) {
                throw new IOException("cannot create the directory " + dir + " (" + reason(e) + ")", e);
            }
        }
        Temporary probe;
        try {
            probe = createTemporary(dir, "write-check");
        } catch (IOException e) {
            throw new IOException("cannot write into the directory " + dir + " (" + reason(e) + ")", e);
        }
        probe.channel().close();
        Files.deleteIfExists(probe.path());
        return dir;
    }

    /**
     * Checks the directory of an output file before work starts (as {@link #outputDirectory},
     * creating it when missing) and the file itself (as {@link #checkTarget}).
     *
     * @return {@code file}
     * @throws IOException naming the file or directory and what is wrong
     */
    public static Path outputFile(Path file) throws IOException {
        checkTarget(file);
        outputDirectory(directoryOf(file));
        return file;
    }

    /** The directory a target lives in (the current directory for a bare name). */
    private static Path directoryOf(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        return dir != null ? dir : target.toAbsolutePath().getRoot();
    }

    /** A temporary file and the channel open on it. */
    private record Temporary(Path path, FileChannel channel) {
    }

    /**
     * A new empty file {@code .NAME.<random>.tmp} in {@code dir}, opened for writing. It is
     * created exclusively ({@code CREATE_NEW}: an existing file or link of that name makes it try
     * another name, and is never opened) with the default permissions (umask).
     */
    private static Temporary createTemporary(Path dir, String name) throws IOException {
        String stem = name.length() > 100 ? name.substring(0, 100) : name;
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + stem + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4)
                    + ".tmp");
            try {
                return new Temporary(tmp, FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some systems cannot open or sync a directory; the rename is atomic there all the same
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
