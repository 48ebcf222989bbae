package org.lnpsaxs.surrogate.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

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
 * next curve. Because each curve depends only on (dataset seed, split, global index), a killed
 * and resumed shard equals an uninterrupted one byte for byte (apart from the header's creation
 * time): no duplicates, no gaps.
 *
 * <p>Several curves may be simulated at once ({@link #withWorkers}); they are still written in
 * order, and the results do not depend on the number of workers. Progress (curves done, rate,
 * time left) is logged at INFO every {@link #withProgressInterval progress interval}.
 *
 * <p>Instances are immutable; {@code generate} may be called from several threads for different
 * shards or directories (not for the same shard file).
 */
public final class DatasetGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetGenerator.class);

    private final CurveSimulator simulator;
    private final int workers;
    private final Duration progressInterval;
    private final Duration checkpointInterval;

    private DatasetGenerator(CurveSimulator simulator, int workers, Duration progressInterval,
                             Duration checkpointInterval) {
        this.simulator = simulator;
        this.workers = workers;
        this.progressInterval = progressInterval;
        this.checkpointInterval = checkpointInterval;
    }

    /** A generator over this simulator: one worker, progress every 5 s, checkpoints every 2 s. */
    public static DatasetGenerator of(CurveSimulator simulator) {
        return new DatasetGenerator(Objects.requireNonNull(simulator, "simulator"), 1, Duration.ofSeconds(5),
                Duration.ofSeconds(2));
    }

    /** A copy that simulates {@code n >= 1} curves at once (each simulation uses its own threads too). */
    public DatasetGenerator withWorkers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + n);
        }
        return new DatasetGenerator(simulator, n, progressInterval, checkpointInterval);
    }

    /** A copy that logs progress at this interval. */
    public DatasetGenerator withProgressInterval(Duration d) {
        return new DatasetGenerator(simulator, workers, requireNonNegative(d, "progress interval"), checkpointInterval);
    }

    /**
     * A copy that checkpoints at most this often (zero: after every curve). A killed run loses at
     * most the curves simulated since the last checkpoint.
     */
    public DatasetGenerator withCheckpointInterval(Duration d) {
        return new DatasetGenerator(simulator, workers, progressInterval, requireNonNegative(d, "checkpoint interval"));
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
     * @throws IOException if the directory holds a file of another dataset or shard, if an existing
     *                     file is corrupt, or on an I/O error
     * @throws IllegalArgumentException if the plan's box does not fit the simulator's parameters
     */
    public GenerationReport generate(DatasetPlan plan, Shard shard, Path dir) throws IOException {
        checkSpace(plan.space(), simulator.parameters());
        Files.createDirectories(dir);
        DatasetManifest manifest = DatasetManifest.of(plan, shard, simulator);
        writeOrCheckDirectoryManifest(dir, manifest);
        Path file = dir.resolve(shardFileName(plan.split(), shard));
        Path ckpt = dir.resolve(file.getFileName() + ".ckpt");
        int p = plan.space().size();
        int q = simulator.q().length;
        int recordSize = DatasetFile.recordSize(p, q);
        int shardSize = shard.size(plan.count());
        long start = System.nanoTime();

        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            Resume r = openOrResume(ch, file, ckpt, manifest, shard, p, q);
            int done = r.records();
            ch.position(r.headerBytes() + (long) done * recordSize);
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
                long now = System.nanoTime();
                if (now - lastCheckpoint >= checkpointInterval.toNanos() || written == shardSize) {
                    checkpoint(ch, ckpt, dir, written);
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
                checkpoint(ch, ckpt, dir, written);
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
        int kept = readCheckpoint(ckpt, file);
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

    private static void checkpoint(FileChannel ch, Path ckpt, Path dir, int records) throws IOException {
        ch.force(false);
        writeCheckpoint(ckpt, records);
        forceDirectory(dir);
    }

    private static void writeCheckpoint(Path ckpt, int records) throws IOException {
        Path tmp = ckpt.resolveSibling(ckpt.getFileName() + ".tmp");
        byte[] text = ("records=" + records + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(text);
            while (b.hasRemaining()) {
                c.write(b);
            }
            c.force(true);
        }
        try {
            Files.move(tmp, ckpt, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, ckpt, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int readCheckpoint(Path ckpt, Path file) throws IOException {
        if (!Files.exists(ckpt)) {
            // killed between creating the file and its first checkpoint: nothing is durable
            return 0;
        }
        String text = Files.readString(ckpt, StandardCharsets.US_ASCII).trim();
        if (!text.startsWith("records=")) {
            throw new IOException(ckpt + ": not a checkpoint of " + file.getFileName() + " (expected records=N)");
        }
        try {
            int n = Integer.parseInt(text.substring("records=".length()).trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException(ckpt + ": bad record count '" + text + "'");
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some systems cannot open or sync a directory; the rename is still atomic there
        }
    }

    private static void writeOrCheckDirectoryManifest(Path dir, DatasetManifest manifest) throws IOException {
        Path file = dir.resolve("manifest.json");
        DatasetManifest merged = manifest.merged();
        if (Files.exists(file)) {
            DatasetManifest old = DatasetManifest.parse(Files.readString(file), file);
            List<String> diff = merged.differencesFrom(old);
            if (!diff.isEmpty()) {
                throw new IOException(dir + " holds another dataset (" + file.getFileName() + " differs in "
                        + String.join("; ", diff) + "); use another output directory");
            }
            return;
        }
        Path tmp = Files.createTempFile(dir, "manifest", ".json.tmp");
        try {
            Files.writeString(tmp, merged.toJson());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                // another shard wrote it at the same moment: check it instead
                writeOrCheckDirectoryManifest(dir, manifest);
            }
        } finally {
            Files.deleteIfExists(tmp);
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
