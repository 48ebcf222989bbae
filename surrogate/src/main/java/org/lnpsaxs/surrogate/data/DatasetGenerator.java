package org.lnpsaxs.surrogate.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

import org.lnpsaxs.core.io.AtomicFiles;
import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.sampling.ScrambledSobol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulates the curves of one shard of a {@link DatasetPlan} and appends them to the shard's file
 * in {@code dir}, resumably.
 *
 * <p>The file is {@code <split>-shard-<i>-of-<n>.lnpd} (format: see the package description).
 * Records are appended in the shard's index order; every {@link #withCheckpointInterval checkpoint
 * interval} (and at the end, and when the run fails) the file is forced to disk ({@code fsync})
 * and then the number of durable records is written to {@code <file>.ckpt} (written to a
 * temporary file, forced, and renamed over the old one). A run that finds the file resumes: it
 * checks that the file belongs to the same dataset and shard, verifies the checkpointed records
 * (checksums and indices), cuts off anything written after the checkpoint, and goes on with the
 * next curve. Because each curve depends only on (dataset seed, split, global index), and the
 * header holds no time stamp, a killed and resumed shard file equals the file of an uninterrupted
 * run by the same lnpsaxs version byte for byte, header included: no duplicates, no gaps. The
 * directory's {@code manifest.json} is likewise a function of the settings (and the version).
 *
 * <p>A run holds an exclusive lock on the shard ({@code <file>.lock}, an OS file lock, released
 * when the run ends or its process dies; the file holds the process id of the run that holds it):
 * a second run on the same shard, in this process or another, is refused with a
 * {@link ShardLockedException} naming the holder. Different shards of one directory may be
 * generated at the same time.
 *
 * <p>Several curves may be simulated at once ({@link #withWorkers}, at most {@value #MAX_WORKERS});
 * they are still written in order, and the results do not depend on the number of workers.
 * Progress (curves done, rate, time left) is logged at INFO every
 * {@link #withProgressInterval progress interval} and reported to a {@link Listener} after every
 * curve.
 *
 * <p>Instances are immutable; {@code generate} may be called from several threads for different
 * shards or directories (not for the same shard file).
 */
public final class DatasetGenerator {

    /** The most curves simulated at once. */
    public static final int MAX_WORKERS = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(DatasetGenerator.class);

    /** Shard lock files held by this process (a second channel on a locked file would release its lock). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    /** Receives the progress of a shard: called from the generating thread after every curve. */
    @FunctionalInterface
    public interface Listener {

        /** A listener that ignores everything. */
        Listener NONE = (done, shardSize) -> { };

        /**
         * Called once when the run starts and after every curve written.
         *
         * @param done      curves of the shard in the file (those of earlier runs included)
         * @param shardSize curves of the whole shard
         */
        void curvesDone(int done, int shardSize);
    }

    private final CurveSimulator simulator;
    private final int workers;
    private final Duration progressInterval;
    private final Duration checkpointInterval;
    private final Listener listener;

    private DatasetGenerator(CurveSimulator simulator, int workers, Duration progressInterval,
                             Duration checkpointInterval, Listener listener) {
        this.simulator = simulator;
        this.workers = workers;
        this.progressInterval = progressInterval;
        this.checkpointInterval = checkpointInterval;
        this.listener = listener;
    }

    /** A generator over this simulator: one worker, progress every 5 s, checkpoints every 2 s. */
    public static DatasetGenerator of(CurveSimulator simulator) {
        return new DatasetGenerator(Objects.requireNonNull(simulator, "simulator"), 1, Duration.ofSeconds(5),
                Duration.ofSeconds(2), Listener.NONE);
    }

    /**
     * A copy that simulates {@code n} curves at once, {@code 1 <= n <=} {@value #MAX_WORKERS}
     * (each simulation uses its own threads too).
     */
    public DatasetGenerator withWorkers(int n) {
        if (n < 1 || n > MAX_WORKERS) {
            throw new IllegalArgumentException("workers = " + n + " is not allowed: need 1 <= workers <= "
                    + MAX_WORKERS);
        }
        return new DatasetGenerator(simulator, n, progressInterval, checkpointInterval, listener);
    }

    /** A copy that logs progress at this interval. */
    public DatasetGenerator withProgressInterval(Duration d) {
        return new DatasetGenerator(simulator, workers, requireNonNegative(d, "progress interval"), checkpointInterval,
                listener);
    }

    /**
     * A copy that checkpoints at most this often (zero: after every curve). A killed run loses at
     * most the curves simulated since the last checkpoint.
     */
    public DatasetGenerator withCheckpointInterval(Duration d) {
        return new DatasetGenerator(simulator, workers, progressInterval, requireNonNegative(d, "checkpoint interval"),
                listener);
    }

    /** A copy that reports progress to {@code l} (besides the log). */
    public DatasetGenerator withListener(Listener l) {
        return new DatasetGenerator(simulator, workers, progressInterval, checkpointInterval,
                Objects.requireNonNull(l, "listener"));
    }

    /** The number of curves simulated at once. */
    public int workers() {
        return workers;
    }

    /** The simulator. */
    public CurveSimulator simulator() {
        return simulator;
    }

    /** The shard file name, e.g. {@code train-shard-0003-of-0016.lnpd}. */
    public static String shardFileName(Split split, Shard shard) {
        return String.format(Locale.ROOT, "%s-shard-%04d-of-%04d%s", split.label(), shard.index(), shard.count(),
                Dataset.EXTENSION);
    }

    /**
     * Simulates the missing curves of one shard into {@code dir} (created if needed).
     *
     * @return what was done
     * @throws ShardLockedException if another run (in this process or another) is generating the
     *                              same shard file
     * @throws IOException if the directory holds a file of another dataset or shard, if an existing
     *                     file is corrupt, or on an I/O error
     * @throws IllegalArgumentException if the plan's box does not fit the simulator's parameters
     */
    @SuppressWarnings("try") // the lock is held for the body, not used in it
    public GenerationReport generate(DatasetPlan plan, Shard shard, Path dir) throws IOException {
        checkSpace(plan.space(), simulator.parameters());
        AtomicFiles.outputDirectory(dir);
        Path file = dir.resolve(shardFileName(plan.split(), shard));
        try (ShardLock held = ShardLock.acquire(file)) {
            return generateLocked(plan, shard, dir, file);
        }
    }

    private GenerationReport generateLocked(DatasetPlan plan, Shard shard, Path dir, Path file) throws IOException {
        DatasetManifest manifest = DatasetManifest.of(plan, shard, simulator);
        writeOrCheckDirectoryManifest(dir, manifest);
        Path ckpt = dir.resolve(file.getFileName() + DatasetFile.CHECKPOINT_SUFFIX);
        AtomicFiles.checkTarget(ckpt);
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a symbolic link; refusing to write through it");
        }
        int p = plan.space().size();
        int q = simulator.q().length;
        int recordSize = DatasetFile.recordSize(p, q);
        int shardSize = shard.size(plan.count());
        long start = System.nanoTime();

        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            Resume r = openOrResume(ch, file, ckpt, manifest, shard, p, q);
            int done = r.records();
            ch.position(r.headerBytes() + (long) done * recordSize);
            listener.curvesDone(done, shardSize);
            if (done == shardSize) {
                LOG.info("{}: shard {} already complete ({} curves)", file, shard, shardSize);
                return new GenerationReport(file, shard, shardSize, done, 0, 0);
            }
            LOG.info("{}: shard {} of a {} set of {} curves (seed {}): {} curves, {} done, {} to simulate with {} worker(s)",
                    file, shard, plan.split().label(), plan.count(), plan.seed(), shardSize, done, shardSize - done,
                    workers);
            int simulated = run(plan, shard, ch, ckpt, dir, done, shardSize, p, q, recordSize, start);
            double seconds = (System.nanoTime() - start) * 1e-9;
            LOG.info("{}: shard {} complete: {} curves simulated in {} ({} curves/s)", file, shard, simulated,
                    formatDuration(seconds), String.format(Locale.ROOT, "%.3g", simulated / Math.max(seconds, 1e-9)));
            return new GenerationReport(file, shard, shardSize, done, simulated, seconds);
        }
    }

    /**
     * The exclusive lock of one shard file: an OS lock on {@code <file>.lock} (released by the OS
     * when the process dies), with the holder's process id written into the lock file.
     */
    private static final class ShardLock implements AutoCloseable {
        private final Path key;
        private final FileChannel channel;
        private final FileLock lock;

        private ShardLock(Path key, FileChannel channel, FileLock lock) {
            this.key = key;
            this.channel = channel;
            this.lock = lock;
        }

        static ShardLock acquire(Path file) throws IOException {
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            if (Files.isSymbolicLink(lockFile)) {
                throw new IOException(lockFile + " is a symbolic link; refusing to use it as the shard's lock");
            }
            Path key = lockFile.toAbsolutePath().getParent().toRealPath().resolve(lockFile.getFileName());
            long pid = ProcessHandle.current().pid();
            if (!HELD.add(key)) {
                throw new ShardLockedException(file + " is being generated by another run in this process (pid "
                        + pid + "); wait for it to finish");
            }
            FileChannel ch = null;
            try {
                ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    String holder = holder(ch);
                    throw new ShardLockedException(file + " is being generated by another process ("
                            + (holder.isEmpty() ? "process id not recorded yet" : holder) + ", lock "
                            + lockFile.getFileName() + "); wait for it to finish or stop it");
                }
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(("pid " + pid + ", started " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                        + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                ch.force(true);
                return new ShardLock(key, ch, lock);
            } catch (IOException | RuntimeException | Error e) {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                HELD.remove(key);
                throw e;
            }
        }

        /** What the holder wrote into the lock file (its first line), or "" if nothing yet. */
        private static String holder(FileChannel ch) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(200);
            ch.read(b, 0);
            String text = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            int nl = text.indexOf('\n');
            return (nl >= 0 ? text.substring(0, nl) : text).replaceAll("\\p{Cntrl}", "?");
        }

        @Override
        public void close() throws IOException {
            try {
                channel.truncate(0); // an empty lock file: nobody holds it
                lock.release();
            } finally {
                try {
                    channel.close();
                } finally {
                    HELD.remove(key);
                }
            }
        }
    }

    private int run(DatasetPlan plan, Shard shard, FileChannel ch, Path ckpt, Path dir, int done, int shardSize,
                    int p, int q, int recordSize, long start) throws IOException {
        ScrambledSobol sobol = plan.sobol();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "lnpsaxs-dataset-worker");
            t.setDaemon(true);
            return t;
        });
        ByteBuffer buf = ByteBuffer.allocate(recordSize).order(ByteOrder.LITTLE_ENDIAN);
        ArrayDeque<Future<Curve>> window = new ArrayDeque<>();
        int next = done;
        int written = done;
        long lastCheckpoint = System.nanoTime();
        long lastProgress = lastCheckpoint;
        int window0 = 2 * workers;
        try {
            while (written < shardSize) {
                while (next < shardSize && window.size() < window0) {
                    long g = shard.globalIndex(next++);
                    window.add(pool.submit(() -> simulate(plan, sobol, g, p, q)));
                }
                Curve c = await(window.removeFirst());
                DatasetFile.encode(buf, c.g, c.theta, c.log10);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                written++;
                listener.curvesDone(written, shardSize);
                long now = System.nanoTime();
                if (now - lastCheckpoint >= checkpointInterval.toNanos() || written == shardSize) {
                    checkpoint(ch, ckpt, written);
                    lastCheckpoint = now;
                }
                if (now - lastProgress >= progressInterval.toNanos() && written < shardSize) {
                    logProgress(shard, written, done, shardSize, (now - start) * 1e-9);
                    lastProgress = now;
                }
            }
            return written - done;
        } catch (IOException | RuntimeException | Error e) {
            // keep what is complete: a failed run resumes from here
            try {
                checkpoint(ch, ckpt, written);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    private Curve simulate(DatasetPlan plan, ScrambledSobol sobol, long g, int p, int q) {
        double[] theta = new double[p];
        sobol.point(g, theta, 0);
        plan.toBox(theta);
        double[] intensity = new double[q];
        simulator.simulate(theta.clone(), plan.curveSeed(g), intensity);
        float[] log10 = new float[q];
        for (int k = 0; k < q; k++) {
            double v = intensity[k];
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalStateException("curve " + g + ": the simulator returned I = " + v + " at q index " + k
                        + " (need positive finite intensities) for " + describe(plan.space(), theta));
            }
            log10[k] = (float) Math.log10(v);
        }
        return new Curve(g, theta, log10);
    }

    private static Curve await(Future<Curve> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("dataset generation interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private record Curve(long g, double[] theta, float[] log10) {
    }

    private record Resume(int records, long headerBytes) {
    }

    /** Creates the file with its header, or checks and trims an existing one. */
    private static Resume openOrResume(FileChannel ch, Path file, Path ckpt, DatasetManifest manifest, Shard shard,
                                    int p, int q) throws IOException {
        if (ch.size() == 0) {
            ByteBuffer h = ByteBuffer.wrap(DatasetFile.header(manifest));
            while (h.hasRemaining()) {
                ch.write(h);
            }
            ch.force(true);
            writeCheckpoint(ckpt, 0);
            return new Resume(0, ch.size());
        }
        DatasetFile.Contents header = DatasetFile.readHeader(file);
        DatasetManifest old = header.manifest();
        List<String> diff = manifest.differencesFrom(old);
        if (!diff.isEmpty() || !Objects.equals(shard, old.shard())) {
            if (!Objects.equals(shard, old.shard())) {
                diff = new java.util.ArrayList<>(diff);
                diff.add("shard (" + shard + " vs " + old.shard() + ")");
            }
            throw new IOException(file + " exists and belongs to another dataset or shard (differs in "
                    + String.join("; ", diff) + "); use another output directory or the same settings to resume");
        }
        // killed between creating the file and its first checkpoint: nothing is durable
        int kept = Files.exists(ckpt) ? DatasetFile.readCheckpoint(ckpt, file) : 0;
        int recordSize = DatasetFile.recordSize(p, q);
        long need = header.headerBytes() + (long) kept * recordSize;
        if (ch.size() < need) {
            throw new IOException(file + " holds " + ((ch.size() - header.headerBytes()) / recordSize)
                    + " whole records but its checkpoint " + ckpt.getFileName() + " says " + kept
                    + "; the file was damaged: delete both to start this shard again");
        }
        verifyRecords(ch, file, header.headerBytes(), kept, shard, p, q);
        if (ch.size() > need) {
            LOG.info("{}: discarding {} bytes written after the last checkpoint (they are simulated again)", file,
                    ch.size() - need);
            ch.truncate(need);
            ch.force(true);
        }
        return new Resume(kept, header.headerBytes());
    }

    private static void verifyRecords(FileChannel ch, Path file, long headerBytes, int n, Shard shard, int p, int q)
            throws IOException {
        int size = DatasetFile.recordSize(p, q);
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        for (int k = 0; k < n; k++) {
            b.clear();
            long pos = headerBytes + (long) k * size;
            while (b.hasRemaining()) {
                if (ch.read(b, pos + b.position()) < 0) {
                    throw new IOException(file + ": record " + k + " is truncated");
                }
            }
            crc.reset();
            crc.update(b.array(), 0, size - 4);
            if (b.getInt(size - 4) != (int) crc.getValue()) {
                throw new IOException(file + ": record " + k + " (byte offset " + pos
                        + ") is corrupt (checksum mismatch); delete the file and its .ckpt to start this shard again");
            }
            long g = b.getLong(0);
            if (g != shard.globalIndex(k)) {
                throw new IOException(file + ": record " + k + " has index " + g + ", expected "
                        + shard.globalIndex(k) + " for shard " + shard);
            }
        }
    }

    /** Forces the records to disk, then records their number (atomically, the directory forced too). */
    private static void checkpoint(FileChannel ch, Path ckpt, int records) throws IOException {
        ch.force(false);
        writeCheckpoint(ckpt, records);
    }

    private static void writeCheckpoint(Path ckpt, int records) throws IOException {
        AtomicFiles.write(ckpt, DatasetFile.checkpointText(records));
    }

    /**
     * Writes {@code manifest.json} when the directory has none, then checks that the directory's
     * manifest describes this dataset. Shards started at the same moment write identical text,
     * each atomically, so whichever rename comes last leaves the same file.
     */
    private static void writeOrCheckDirectoryManifest(Path dir, DatasetManifest manifest) throws IOException {
        Path file = dir.resolve("manifest.json");
        DatasetManifest merged = manifest.merged();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            AtomicFiles.writeString(file, merged.toJson());
        }
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a symbolic link; a dataset directory's manifest must be a plain file");
        }
        DatasetManifest old = DatasetManifest.parse(Files.readString(file), file);
        List<String> diff = merged.differencesFrom(old);
        if (!diff.isEmpty()) {
            throw new IOException(dir + " holds another dataset (" + file.getFileName() + " differs in "
                    + String.join("; ", diff) + "); use another output directory");
        }
    }

    private void logProgress(Shard shard, int written, int done, int shardSize, double seconds) {
        int thisRun = written - done;
        double rate = thisRun / Math.max(seconds, 1e-9);
        double left = rate > 0 ? (shardSize - written) / rate : Double.POSITIVE_INFINITY;
        LOG.info(String.format(Locale.ROOT, "shard %s: %d/%d curves (%.1f %%), %.3g curves/s, %s left", shard,
                written, shardSize, 100.0 * written / shardSize, rate, formatDuration(left)));
    }

    /** A duration in s as {@code 1h02m}, {@code 3m05s} or {@code 12.3s}. */
    static String formatDuration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%.1fs", seconds);
    }

    private static void checkSpace(ParameterSpace box, ParameterSpace model) {
        if (!box.names().equals(model.names())) {
            throw new IllegalArgumentException("the dataset's parameters " + box.names()
                    + " are not the simulator's " + model.names() + " (same names, same order required)");
        }
        for (int j = 0; j < box.size(); j++) {
            Parameter b = box.get(j);
            Parameter m = model.get(j);
            if (b.lower() < m.lower() || b.upper() > m.upper()) {
                throw new IllegalArgumentException("parameter " + b.name() + ": the dataset box " + b.rangeText()
                        + " is not inside the simulator's range " + m.rangeText());
            }
        }
    }

    private static String describe(ParameterSpace space, double[] theta) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < space.size(); j++) {
            sb.append(j == 0 ? "" : ", ").append(space.get(j).name()).append('=').append(theta[j]);
        }
        return sb.toString();
    }

    private static Duration requireNonNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + d);
        }
        return d;
    }
}
