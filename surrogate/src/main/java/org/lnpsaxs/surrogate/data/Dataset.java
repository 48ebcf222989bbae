package org.lnpsaxs.surrogate.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.lnpsaxs.core.io.AtomicFiles;
import org.lnpsaxs.core.model.ParameterSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of simulated curves in memory: for each curve its global index, its parameter point and
 * log₁₀ I on the dataset's q grid (I in the simulator's units, q in Å⁻¹), sorted by global index.
 *
 * <p>{@link #read(Path...)} reads dataset files and directories of them (the shards of one
 * dataset, possibly made on many machines) and merges them: all files must describe the same
 * dataset (same split, count, seed, parameters, q grid and simulator settings); a curve present
 * in several files must be identical in all. Curves not yet simulated are simply absent
 * ({@link #missing()}); {@link #requireComplete()} refuses such a set.
 *
 * <p>Instances are immutable; accessors copy.
 */
public final class Dataset {

    /** File name ending of dataset files. */
    public static final String EXTENSION = ".lnpd";
    /** File name ending of gzip-compressed dataset files. */
    public static final String GZ_EXTENSION = ".lnpd.gz";

    private static final Logger LOG = LoggerFactory.getLogger(Dataset.class);

    private final DatasetManifest manifest;
    private final long[] index;
    private final double[] theta;
    private final float[] log10;

    private Dataset(DatasetManifest manifest, long[] index, double[] theta, float[] log10) {
        this.manifest = manifest;
        this.index = index;
        this.theta = theta;
        this.log10 = log10;
    }

    /**
     * Reads and merges dataset files; a directory stands for all {@code *.lnpd} and
     * {@code *.lnpd.gz} files in it (not its sub-directories). Every record must be intact, the
     * last one included (a shard's bytes past its checkpoint are not committed yet and are left
     * out; see {@link #readAllowingTornTail} for damaged files).
     *
     * @throws TornRecordException naming the file when its last record is torn or corrupt, or
     *                             it holds fewer records than its checkpoint says
     * @throws IOException naming the file when one is unreadable or corrupt, when the files
     *                     describe different datasets, when a curve differs between files, when
     *                     the curves do not fit in memory, or when no dataset file is found
     */
    public static Dataset read(Path... paths) throws IOException {
        return read(false, paths);
    }

    /**
     * Reads and merges dataset files like {@link #read}, but a file whose last record is torn or
     * corrupt (a copy of a file still being written, or a damaged one) is read up to that record,
     * with a warning in the log. A damaged record before the last one is still an error.
     */
    public static Dataset readAllowingTornTail(Path... paths) throws IOException {
        return read(true, paths);
    }

    private static Dataset read(boolean allowTornTail, Path... paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            files.addAll(datasetFiles(p));
        }
        if (files.isEmpty()) {
            throw new IOException("no dataset files (*" + EXTENSION + ", *" + GZ_EXTENSION + ") in "
                    + Arrays.toString(paths));
        }
        DatasetManifest first = null;
        Path firstFile = null;
        List<DatasetFile.Contents> parts = new ArrayList<>();
        for (Path f : files) {
            DatasetFile.Contents c = DatasetFile.read(f, allowTornTail);
            if (first == null) {
                first = c.manifest();
                firstFile = f;
            } else {
                List<String> diff = first.differencesFrom(c.manifest());
                if (!diff.isEmpty()) {
                    throw new IOException(f + " belongs to another dataset than " + firstFile + ": they differ in "
                            + String.join("; ", diff));
                }
            }
            parts.add(c);
            LOG.debug("read {}: {} curves", f, c.records());
        }
        return merge(first.merged(), parts, files);
    }

    /** The dataset files a path stands for (itself, or the dataset files of a directory, sorted). */
    static List<Path> datasetFiles(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.list(p)) {
                return s.filter(f -> Files.isRegularFile(f) && isDatasetName(f.getFileName().toString()))
                        .sorted(Comparator.comparing(Path::toString)).toList();
            }
        }
        if (!Files.isRegularFile(p)) {
            throw new IOException(p + ": no such dataset file or directory");
        }
        return List.of(p);
    }

    static boolean isDatasetName(String name) {
        return name.endsWith(EXTENSION) || name.endsWith(GZ_EXTENSION);
    }

    /**
     * Merges the parts by global index: a k-way merge of the parts' records (each part ascending),
     * so memory grows with the records present, not with the dataset count a header declares.
     */
    private static Dataset merge(DatasetManifest m, List<DatasetFile.Contents> parts, List<Path> files)
            throws IOException {
        int p = m.parameters().size();
        int q = m.q().length;
        int count = m.count();
        long total = 0;
        for (int k = 0; k < parts.size(); k++) {
            DatasetFile.Contents c = parts.get(k);
            long previous = -1;
            for (int r = 0; r < c.records(); r++) {
                long g = c.index()[r];
                if (g < 0 || g >= count) {
                    throw new IOException(files.get(k) + ": record " + r + " has index " + g
                            + " outside the dataset [0, " + count + ")");
                }
                if (g <= previous) {
                    throw new IOException(files.get(k) + ": record " + r + " has index " + g + " after index "
                            + previous + " (records must be in ascending index order, each index once)");
                }
                previous = g;
            }
            total += c.records();
        }
        DatasetFile.checkMemory(files.get(0).toAbsolutePath().getParent(), Math.min(total, count), p, q);
        int capacity = (int) Math.min(total, count);
        long[] index = new long[capacity];
        double[] theta = new double[capacity * p];
        float[] log10 = new float[capacity * q];
        int[] cursor = new int[parts.size()];
        // the part whose next record has the smallest index first; ties by part number
        PriorityQueue<Integer> heads = new PriorityQueue<>(Math.max(1, parts.size()),
                Comparator.comparingLong((Integer k) -> parts.get(k).index()[cursor[k]]).thenComparingInt(k -> k));
        for (int k = 0; k < parts.size(); k++) {
            if (parts.get(k).records() > 0) {
                heads.add(k);
            }
        }
        int n = 0;
        while (!heads.isEmpty()) {
            int k = heads.poll();
            DatasetFile.Contents c = parts.get(k);
            int r = cursor[k];
            long g = c.index()[r];
            if (n > 0 && index[n - 1] == g) {
                // the same curve in another file (e.g. a shard and a merged copy): must be identical
                int[] owner = owners(parts, cursor, g, k);
                if (!sameRecord(parts.get(owner[0]), owner[1], c, r, p, q)) {
                    throw new IOException("curve " + g + " differs between " + files.get(owner[0]) + " and "
                            + files.get(k) + " (same dataset, different results: was the simulator changed?)");
                }
            } else {
                index[n] = g;
                System.arraycopy(c.theta(), r * p, theta, n * p, p);
                System.arraycopy(c.log10(), r * q, log10, n * q, q);
                n++;
            }
            cursor[k]++;
            if (cursor[k] < c.records()) {
                heads.add(k);
            }
        }
        return new Dataset(m, Arrays.copyOf(index, n), Arrays.copyOf(theta, n * p), Arrays.copyOf(log10, n * q));
    }

    /** The part and row that first held curve {@code g} (a part other than {@code not}, already passed). */
    private static int[] owners(List<DatasetFile.Contents> parts, int[] cursor, long g, int not) {
        for (int k = 0; k < parts.size(); k++) {
            if (k == not) {
                continue;
            }
            long[] idx = parts.get(k).index();
            int r = Arrays.binarySearch(idx, 0, cursor[k], g);
            if (r >= 0) {
                return new int[] {k, r};
            }
        }
        throw new IllegalStateException("curve " + g + " was merged but no part holds it");
    }

    private static boolean sameRecord(DatasetFile.Contents a, int ra, DatasetFile.Contents b, int rb, int p, int q) {
        return Arrays.equals(a.theta(), ra * p, ra * p + p, b.theta(), rb * p, rb * p + p)
                && Arrays.equals(a.log10(), ra * q, ra * q + q, b.log10(), rb * q, rb * q + q);
    }

    /**
     * Writes this set as one merged file (records sorted by global index), atomically and never
     * through a link ({@link AtomicFiles}); the directory is created when missing.
     *
     * @param file the target, e.g. {@code train.lnpd} or {@code train.lnpd.gz}
     * @param gzip whether to compress the whole file with gzip
     */
    public void write(Path file, boolean gzip) throws IOException {
        AtomicFiles.outputFile(file);
        AtomicFiles.write(file, raw -> {
            if (gzip) {
                GZIPOutputStream out = new GZIPOutputStream(raw, 1 << 16);
                DatasetFile.write(out, manifest, index, theta, log10, index.length);
                out.finish();
            } else {
                DatasetFile.write(raw, manifest, index, theta, log10, index.length);
            }
        });
    }

    /** The manifest of the whole dataset (no shard). */
    public DatasetManifest manifest() {
        return manifest;
    }

    /** The parameter space. */
    public ParameterSpace parameters() {
        return manifest.parameterSpace();
    }

    /** The q grid in Å⁻¹. */
    public double[] q() {
        return manifest.q();
    }

    /** The split (training or test data). */
    public Split split() {
        return manifest.splitValue();
    }

    /** The number of curves present. */
    public int size() {
        return index.length;
    }

    /** The number of curves of the complete dataset. */
    public int expectedCount() {
        return manifest.count();
    }

    /** The number of curves not (yet) simulated. */
    public int missing() {
        return manifest.count() - index.length;
    }

    /**
     * Returns this set if it is complete.
     *
     * @throws IOException listing how many curves are missing (and the first few indices)
     */
    public Dataset requireComplete() throws IOException {
        if (missing() == 0) {
            return this;
        }
        List<Long> first = new ArrayList<>();
        int i = 0;
        for (long g = 0; g < expectedCount() && first.size() < 5; g++) {
            if (i < index.length && index[i] == g) {
                i++;
            } else {
                first.add(g);
            }
        }
        throw new IOException("the dataset is incomplete: " + missing() + " of " + expectedCount()
                + " curves missing (first missing indices " + first + "); run the missing shards or merge them in");
    }

    /** The global index of row {@code i}. */
    public long index(int i) {
        return index[i];
    }

    /** The global indices of all rows (a copy). */
    public long[] indices() {
        return index.clone();
    }

    /** The parameter point of row {@code i} (a copy). */
    public double[] theta(int i) {
        int p = manifest.parameters().size();
        return Arrays.copyOfRange(theta, i * p, i * p + p);
    }

    /** log₁₀ I of row {@code i} (a copy, in double). */
    public double[] log10Intensity(int i) {
        int q = manifest.q().length;
        double[] out = new double[q];
        for (int k = 0; k < q; k++) {
            out[k] = log10[i * q + k];
        }
        return out;
    }

    /** All parameter points, row-major ({@code size() * P} values, a copy). */
    public double[] thetaArray() {
        return theta.clone();
    }

    /** All log₁₀ I values, row-major ({@code size() * Q} values, a copy). */
    public float[] log10Array() {
        return log10.clone();
    }

    @Override
    public String toString() {
        return "Dataset[" + manifest.split() + ", " + size() + " of " + expectedCount() + " curves, "
                + manifest.parameters().size() + " parameters, " + manifest.q().length + " q points, seed "
                + manifest.seed() + "]";
    }
}
