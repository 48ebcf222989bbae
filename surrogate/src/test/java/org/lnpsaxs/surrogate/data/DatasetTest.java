package org.lnpsaxs.surrogate.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.core.sampling.ScrambledSobol;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.StandInModel;

class DatasetTest {

    private static final QGrid GRID = QGrid.linear(0.002, 0.2, 50);
    private static final ParameterSpace SPACE = LnpParameters.SPACE;

    @TempDir
    Path tmp;

    private static CurveSimulator sim() {
        return StandInModel.simulator(GRID, 0.02, 0);
    }

    private static DatasetGenerator gen() {
        return DatasetGenerator.of(sim()).withCheckpointInterval(Duration.ZERO);
    }

    @Test
    void planMapsSobolPointsToTheBoxAndSeedsAreDistinct() {
        DatasetPlan train = new DatasetPlan(SPACE, 500, 7, Split.TRAIN);
        DatasetPlan test = new DatasetPlan(SPACE, 500, 7, Split.TEST);
        ScrambledSobol sobol = ScrambledSobol.of(9, train.sobolSeed());
        double[] t = new double[9];
        Set<Long> seeds = new HashSet<>();
        for (int g = 0; g < 500; g++) {
            train.theta(g, t);
            double[] u = sobol.point(g);
            for (int j = 0; j < 9; j++) {
                double lo = SPACE.get(j).lower();
                double hi = SPACE.get(j).upper();
                assertEquals(lo + u[j] * (hi - lo), t[j], 0.0);
                assertTrue(t[j] >= lo && t[j] < hi);
            }
            assertTrue(seeds.add(train.curveSeed(g)), "train seed repeats at " + g);
            assertTrue(seeds.add(test.curveSeed(g)), "test seed repeats a seed at " + g);
        }
        assertNotEquals(train.sobolSeed(), test.sobolSeed());
        double[] a = new double[9];
        double[] b = new double[9];
        train.theta(3, a);
        test.theta(3, b);
        assertFalse(java.util.Arrays.equals(a, b));
        assertThrows(IllegalArgumentException.class, () -> train.theta(500, t));
    }

    @Test
    void shardsPartitionTheIndices() {
        for (int n = 1; n <= 7; n++) {
            int total = 0;
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                Shard s = new Shard(i, n);
                total += s.size(30);
                for (int k = 0; k < s.size(30); k++) {
                    long g = s.globalIndex(k);
                    assertTrue(g < 30 && s.contains(g) && seen.add(g));
                }
            }
            assertEquals(30, total);
        }
        assertEquals(new Shard(3, 16), Shard.parse("3/16"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("16/16"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("a/b"));
    }

    @Test
    void generatedCurvesAreTheSimulatorsCurves() throws IOException {
        DatasetPlan plan = new DatasetPlan(SPACE, 25, 5, Split.TRAIN);
        GenerationReport r = gen().generate(plan, Shard.ALL, tmp);
        assertEquals(25, r.simulated());
        assertTrue(r.complete());
        Dataset d = Dataset.read(tmp).requireComplete();
        assertEquals(25, d.size());
        assertEquals(Split.TRAIN, d.split());
        assertArrayEquals(GRID.values(), d.q(), 0.0);
        assertEquals(SPACE, d.parameters());
        assertEquals(5, d.manifest().seed());
        assertNull(d.manifest().shardIndex());
        assertEquals(0.02, ((Number) d.manifest().simulator().get("noise")).doubleValue());
        double[] t = new double[9];
        for (int i = 0; i < 25; i++) {
            assertEquals(i, d.index(i));
            plan.theta(i, t);
            assertArrayEquals(t, d.theta(i), 0.0);
            double[] direct = new StandInModel(GRID, plan.curveSeed(i), 0.02, 0).evaluate(t);
            double[] y = d.log10Intensity(i);
            for (int k = 0; k < direct.length; k++) {
                assertEquals((float) Math.log10(direct[k]), (float) y[k], "curve " + i + " q " + k);
            }
        }
        assertTrue(Files.exists(tmp.resolve("manifest.json")));
        // a second run finds the shard complete
        assertEquals(0, gen().generate(plan, Shard.ALL, tmp).simulated());
    }

    @Test
    void shardsFromManyMachinesMergeIntoTheWholeDataset() throws IOException {
        DatasetPlan plan = new DatasetPlan(SPACE, 31, 9, Split.TEST);
        gen().generate(plan, Shard.ALL, tmp.resolve("whole"));
        for (int i = 0; i < 4; i++) {
            gen().withWorkers(1 + i % 3).generate(plan, new Shard(i, 4), tmp.resolve("machine" + (i % 2)));
        }
        Dataset whole = Dataset.read(tmp.resolve("whole"));
        Dataset merged = Dataset.read(tmp.resolve("machine0"), tmp.resolve("machine1")).requireComplete();
        assertSame(whole, merged);
        // one machine alone is incomplete and says so
        Dataset half = Dataset.read(tmp.resolve("machine0"));
        assertEquals(15, half.missing());
        IOException e = assertThrows(IOException.class, half::requireComplete);
        assertTrue(e.getMessage().contains("15 of 31"), e.getMessage());
        // merged files, plain and gzip, read back equal; reading both together dedupes identical curves
        merged.write(tmp.resolve("out/test.lnpd.gz"), true);
        merged.write(tmp.resolve("out2/test.lnpd"), false);
        assertSame(whole, Dataset.read(tmp.resolve("out/test.lnpd.gz")));
        assertSame(whole, Dataset.read(tmp.resolve("out2"), tmp.resolve("machine1")));
        assertTrue(Files.size(tmp.resolve("out/test.lnpd.gz")) < Files.size(tmp.resolve("out2/test.lnpd")));
    }

    @Test
    void workersDoNotChangeTheData() throws IOException {
        DatasetPlan plan = new DatasetPlan(SPACE, 40, 1, Split.TRAIN);
        gen().generate(plan, Shard.ALL, tmp.resolve("one"));
        gen().withWorkers(4).generate(plan, Shard.ALL, tmp.resolve("four"));
        assertSame(Dataset.read(tmp.resolve("one")), Dataset.read(tmp.resolve("four")));
    }

    @Test
    void aFailedRunResumesWithoutGapsOrDuplicates() throws IOException {
        DatasetPlan plan = new DatasetPlan(SPACE, 60, 3, Split.TRAIN);
        Shard shard = new Shard(1, 2);
        gen().generate(plan, shard, tmp.resolve("clean"));

        // a simulator that fails on its 13th curve
        AtomicInteger calls = new AtomicInteger();
        CurveSimulator good = sim();
        CurveSimulator failing = new CurveSimulator() {
            @Override
            public ParameterSpace parameters() {
                return good.parameters();
            }

            @Override
            public double[] q() {
                return good.q();
            }

            @Override
            public void simulate(double[] theta, long seed, double[] out) {
                if (calls.incrementAndGet() == 13) {
                    throw new IllegalStateException("simulated crash");
                }
                good.simulate(theta, seed, out);
            }

            @Override
            public java.util.Map<String, Object> settings() {
                return good.settings();
            }
        };
        Path dir = tmp.resolve("crashy");
        assertThrows(IllegalStateException.class,
                () -> DatasetGenerator.of(failing).withCheckpointInterval(Duration.ZERO).generate(plan, shard, dir));
        Path file = dir.resolve(DatasetGenerator.shardFileName(Split.TRAIN, shard));
        assertEquals(12, Dataset.read(file).size());
        // a torn record after the checkpoint, as a kill during a write leaves it
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7}, StandardOpenOption.APPEND);
        GenerationReport r = gen().generate(plan, shard, dir);
        assertEquals(12, r.resumedFrom());
        assertEquals(18, r.simulated());
        assertSame(Dataset.read(tmp.resolve("clean")), Dataset.read(dir));
        assertRecordsEqual(tmp.resolve("clean").resolve(file.getFileName()), file);
    }

    @Test
    void aKilledProcessResumesWithoutGapsOrDuplicates() throws Exception {
        Path dir = tmp.resolve("killed");
        Shard shard = new Shard(0, 1);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                GenerateChild.class.getName(), dir.toString(), "200", shard.toString(), "25")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
        Process child = pb.start();
        Path ckpt = dir.resolve(DatasetGenerator.shardFileName(Split.TRAIN, shard) + ".ckpt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (checkpointed(ckpt) < 6 && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), "the child ended early: " + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        int before = checkpointed(ckpt);
        assertTrue(before >= 6 && before < 200, "checkpointed " + before);

        DatasetPlan plan = new DatasetPlan(SPACE, 200, 11, Split.TRAIN);
        GenerationReport r = gen().generate(plan, shard, dir);
        assertEquals(before, r.resumedFrom());
        assertEquals(200, r.resumedFrom() + r.simulated());
        gen().generate(plan, shard, tmp.resolve("clean"));
        Dataset resumed = Dataset.read(dir).requireComplete();
        assertSame(Dataset.read(tmp.resolve("clean")), resumed);
        // byte for byte, header included, and the directory manifests too (no time stamps)
        String name = DatasetGenerator.shardFileName(Split.TRAIN, shard);
        assertEquals(-1L, Files.mismatch(tmp.resolve("clean").resolve(name), dir.resolve(name)));
        assertEquals(-1L, Files.mismatch(tmp.resolve("clean/manifest.json"), dir.resolve("manifest.json")));
    }

    private static int checkpointed(Path ckpt) {
        try {
            String s = Files.readString(ckpt).trim();
            return Integer.parseInt(s.substring("records=".length()));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Test
    void refusesToMixDatasetsInOneDirectory() throws IOException {
        gen().generate(new DatasetPlan(SPACE, 10, 1, Split.TRAIN), Shard.ALL, tmp);
        IOException e = assertThrows(IOException.class,
                () -> gen().generate(new DatasetPlan(SPACE, 10, 2, Split.TRAIN), Shard.ALL, tmp));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
        IOException e2 = assertThrows(IOException.class,
                () -> gen().generate(new DatasetPlan(SPACE, 12, 1, Split.TRAIN), Shard.ALL, tmp));
        assertTrue(e2.getMessage().contains("count"), e2.getMessage());
        // reading files of two datasets together is refused too
        gen().generate(new DatasetPlan(SPACE, 10, 2, Split.TRAIN), Shard.ALL, tmp.resolve("other"));
        IOException e3 = assertThrows(IOException.class, () -> Dataset.read(tmp, tmp.resolve("other")));
        assertTrue(e3.getMessage().contains("another dataset") && e3.getMessage().contains("seed"), e3.getMessage());
    }

    @Test
    void refusesTheWrongBox() {
        ParameterSpace wider = SPACE.withBounds("R", 50, 500);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gen().generate(new DatasetPlan(wider, 10, 1, Split.TRAIN), Shard.ALL, tmp));
        assertTrue(e.getMessage().contains("R"), e.getMessage());
    }

    @Test
    void corruptAndForeignFilesAreRefusedWithTheirName() throws IOException {
        gen().generate(new DatasetPlan(SPACE, 10, 1, Split.TRAIN), Shard.ALL, tmp);
        Path file = tmp.resolve(DatasetGenerator.shardFileName(Split.TRAIN, Shard.ALL));
        long header = DatasetFile.readHeader(file).headerBytes();
        int rec = DatasetFile.recordSize(9, GRID.size());

        Path flipped = tmp.resolve("bad/flipped.lnpd");
        Files.createDirectories(flipped.getParent());
        Files.copy(file, flipped);
        flipByte(flipped, header + 3L * rec + 20);
        IOException e = assertThrows(IOException.class, () -> Dataset.read(flipped));
        assertTrue(e.getMessage().contains("flipped.lnpd") && e.getMessage().contains("record 3")
                && e.getMessage().contains("corrupt"), e.getMessage());

        Path headerHit = tmp.resolve("bad/header.lnpd");
        Files.copy(file, headerHit);
        flipByte(headerHit, 40);
        IOException e2 = assertThrows(IOException.class, () -> Dataset.read(headerHit));
        assertTrue(e2.getMessage().contains("header.lnpd") && e2.getMessage().contains("corrupt"), e2.getMessage());

        Path shortFile = tmp.resolve("bad/short.lnpd");
        Files.write(shortFile, java.util.Arrays.copyOf(Files.readAllBytes(file), 30));
        IOException e3 = assertThrows(IOException.class, () -> Dataset.read(shortFile));
        assertTrue(e3.getMessage().contains("truncated"), e3.getMessage());

        Path foreign = tmp.resolve("bad/foreign.lnpd");
        Files.writeString(foreign, "q I\n0.01 1.0\n", StandardCharsets.US_ASCII);
        IOException e4 = assertThrows(IOException.class, () -> Dataset.read(foreign));
        assertTrue(e4.getMessage().contains("not an lnpsaxs dataset"), e4.getMessage());

        Path gz = tmp.resolve("bad/cut.lnpd.gz");
        Dataset.read(file).write(tmp.resolve("gz/whole.lnpd.gz"), true);
        byte[] all = Files.readAllBytes(tmp.resolve("gz/whole.lnpd.gz"));
        Files.write(gz, java.util.Arrays.copyOf(all, all.length / 2));
        IOException e5 = assertThrows(IOException.class, () -> Dataset.read(gz));
        assertTrue(e5.getMessage().contains("cut.lnpd.gz"), e5.getMessage());

        IOException e6 = assertThrows(IOException.class, () -> Dataset.read(tmp.resolve("nothing-here")));
        assertTrue(e6.getMessage().contains("nothing-here"), e6.getMessage());
    }

    @Test
    void aCorruptCheckpointedRecordStopsTheResume() throws IOException {
        DatasetPlan plan = new DatasetPlan(SPACE, 10, 1, Split.TRAIN);
        gen().generate(plan, Shard.ALL, tmp);
        Path file = tmp.resolve(DatasetGenerator.shardFileName(Split.TRAIN, Shard.ALL));
        long header = DatasetFile.readHeader(file).headerBytes();
        flipByte(file, header + 2L * DatasetFile.recordSize(9, GRID.size()) + 9);
        Files.writeString(tmp.resolve(file.getFileName() + ".ckpt"), "records=5\n");
        IOException e = assertThrows(IOException.class, () -> gen().generate(plan, Shard.ALL, tmp));
        assertTrue(e.getMessage().contains("record 2") && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aCorruptLastCheckpointedRecordIsAnErrorUnlessTornTailsAreAllowed() throws IOException {
        DatasetPlan plan = new DatasetPlan(SPACE, 10, 1, Split.TRAIN);
        gen().generate(plan, Shard.ALL, tmp);
        Path file = tmp.resolve(DatasetGenerator.shardFileName(Split.TRAIN, Shard.ALL));
        long header = DatasetFile.readHeader(file).headerBytes();
        int rec = DatasetFile.recordSize(9, GRID.size());
        flipByte(file, header + 9L * rec + 30); // the last record, covered by the checkpoint (10)
        TornRecordException e = assertThrows(TornRecordException.class, () -> Dataset.read(tmp));
        assertTrue(e.getMessage().contains(file.getFileName().toString()) && e.getMessage().contains("record 9")
                && e.getMessage().contains("checkpoint says 10"), e.getMessage());
        Dataset lenient = Dataset.readAllowingTornTail(tmp);
        assertEquals(9, lenient.size());
        assertEquals(1, lenient.missing());

        // the same in a copy without its checkpoint (e.g. a merged or copied file)
        Path copy = tmp.resolve("copy/train.lnpd");
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy);
        assertThrows(TornRecordException.class, () -> Dataset.read(copy));
        assertEquals(9, Dataset.readAllowingTornTail(copy).size());

        // a damaged record before the last one is refused even when torn tails are allowed
        flipByte(copy, header + 4L * rec + 30);
        IOException inner = assertThrows(IOException.class, () -> Dataset.readAllowingTornTail(copy));
        assertFalse(inner instanceof TornRecordException);
        assertTrue(inner.getMessage().contains("record 4"), inner.getMessage());
    }

    @Test
    void aPartialRecordIsAnErrorUnlessPastTheCheckpoint() throws IOException {
        DatasetPlan plan = new DatasetPlan(SPACE, 10, 1, Split.TRAIN);
        gen().generate(plan, Shard.ALL, tmp);
        Path file = tmp.resolve(DatasetGenerator.shardFileName(Split.TRAIN, Shard.ALL));
        Path ckpt = tmp.resolve(file.getFileName() + ".ckpt");
        long header = DatasetFile.readHeader(file).headerBytes();
        int rec = DatasetFile.recordSize(9, GRID.size());
        // a run killed while writing record 7, its checkpoint at 6: records 6 and the torn 7th are not committed
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(header + 7L * rec + 100);
        }
        Files.writeString(ckpt, "records=6\n");
        Dataset live = Dataset.read(tmp);
        assertEquals(7, live.size(), "the intact record past the checkpoint is read, the torn one left out");

        // the checkpoint claims more than the file holds: damaged
        Files.writeString(ckpt, "records=9\n");
        TornRecordException e = assertThrows(TornRecordException.class, () -> Dataset.read(tmp));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("checkpoint says 9"), e.getMessage());
        assertEquals(7, Dataset.readAllowingTornTail(tmp).size());

        // without a checkpoint a partial last record is an error as well
        Files.delete(ckpt);
        TornRecordException e2 = assertThrows(TornRecordException.class, () -> Dataset.read(tmp));
        assertTrue(e2.getMessage().contains("record 7") && e2.getMessage().contains("truncated"), e2.getMessage());
    }

    @Test
    void aSecondRunOnTheSameShardIsRefusedNamingTheHolder() throws Exception {
        DatasetPlan plan = new DatasetPlan(SPACE, 400, 1, Split.TRAIN);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        DatasetGenerator first = gen().withListener((done, size) -> {
            if (done == 3) {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<GenerationReport> running = pool.submit(() -> first.generate(plan, Shard.ALL, tmp));
            assertTrue(started.await(60, TimeUnit.SECONDS));
            ShardLockedException e = assertThrows(ShardLockedException.class, () -> gen().generate(plan, Shard.ALL, tmp));
            assertTrue(e.getMessage().contains(DatasetGenerator.shardFileName(Split.TRAIN, Shard.ALL))
                    && e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            // another shard of the same directory is not held up
            assertEquals(200, gen().generate(plan, new Shard(1, 2), tmp).simulated());
            release.countDown();
            assertEquals(400, running.get(60, TimeUnit.SECONDS).simulated());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        // the lock is released when the run ends; the refused run left the data alone
        assertEquals(0, gen().generate(plan, Shard.ALL, tmp).simulated());
        assertEquals(400, Dataset.read(tmp.resolve(DatasetGenerator.shardFileName(Split.TRAIN, Shard.ALL))).size());
    }

    @Test
    void aRunInAnotherProcessHoldsTheShard() throws Exception {
        Path dir = tmp.resolve("shared");
        Shard shard = Shard.ALL;
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                GenerateChild.class.getName(), dir.toString(), "2000", shard.toString(), "25")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
        Process child = pb.start();
        try {
            Path ckpt = dir.resolve(DatasetGenerator.shardFileName(Split.TRAIN, shard) + ".ckpt");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (checkpointed(ckpt) < 2 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "the child ended early: " + Files.readString(tmp.resolve("child.log")));
            DatasetPlan plan = new DatasetPlan(SPACE, 2000, 11, Split.TRAIN);
            ShardLockedException e = assertThrows(ShardLockedException.class, () -> gen().generate(plan, shard, dir));
            assertTrue(e.getMessage().contains("another process") && e.getMessage().contains("pid " + child.pid()),
                    e.getMessage());
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        // a killed holder's lock is released by the operating system: the shard resumes
        DatasetPlan small = new DatasetPlan(SPACE, 2000, 11, Split.TRAIN);
        DatasetGenerator resume = gen().withListener((done, size) -> {
            if (done > 0 && done % 50 == 0) {
                throw new IllegalStateException("stop here");
            }
        });
        IllegalStateException stop = assertThrows(IllegalStateException.class, () -> resume.generate(small, shard, dir));
        assertEquals("stop here", stop.getMessage());
    }

    @Test
    void headerCountsAreCheckedBeforeAnythingIsAllocated() throws IOException {
        DatasetPlan plan = new DatasetPlan(SPACE, 3, 1, Split.TRAIN);
        DatasetManifest real = DatasetManifest.of(plan, null, sim());
        // a crafted manifest declaring a billion curves: read without allocating per declared curve
        DatasetManifest huge = new DatasetManifest(real.format(), real.formatVersion(), real.split(), 1_000_000_000,
                real.seed(), real.sobolSeed(), real.sampling(), real.shardLayout(), null, null, real.parameters(),
                real.q(), real.values(), real.simulator(), real.libraryVersion(), null);
        Path f = tmp.resolve("huge.lnpd");
        try (java.io.OutputStream out = Files.newOutputStream(f)) {
            DatasetFile.write(out, huge, new long[] {5}, new double[9], new float[GRID.size()], 1);
        }
        Dataset d = Dataset.read(f);
        assertEquals(1, d.size());
        assertEquals(999_999_999, d.missing());

        // a header declaring a billion q points is refused with the limits
        byte[] bytes = Files.readAllBytes(f);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(16, 1_000_000_000);
        Path q = tmp.resolve("q.lnpd");
        Files.write(q, bytes);
        IOException e = assertThrows(IOException.class, () -> Dataset.read(q));
        assertTrue(e.getMessage().contains("q.lnpd") && e.getMessage().contains("Q=1000000000")
                && e.getMessage().contains("Q <= 100000"), e.getMessage());

        // records that do not fit in the heap are refused before they are allocated
        IOException mem = assertThrows(IOException.class, () -> DatasetFile.checkMemory(f, 1_000_000_000L, 9, 300));
        assertTrue(mem.getMessage().contains("1000000000 curves") && mem.getMessage().contains("MiB"), mem.getMessage());
    }

    @Test
    void recordsOutOfOrderAreRefused() throws IOException {
        DatasetManifest m = DatasetManifest.of(new DatasetPlan(SPACE, 10, 1, Split.TRAIN), null, sim());
        Path f = tmp.resolve("order.lnpd");
        try (java.io.OutputStream out = Files.newOutputStream(f)) {
            DatasetFile.write(out, m, new long[] {4, 2}, new double[18], new float[2 * GRID.size()], 2);
        }
        IOException e = assertThrows(IOException.class, () -> Dataset.read(f));
        assertTrue(e.getMessage().contains("ascending"), e.getMessage());
    }

    @Test
    void workersAreBounded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gen().withWorkers(2_000_000_000));
        assertTrue(e.getMessage().contains("2000000000") && e.getMessage().contains("1024"), e.getMessage());
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5a);
        }
    }

    private static void assertRecordsEqual(Path a, Path b) throws IOException {
        byte[] x = Files.readAllBytes(a);
        byte[] y = Files.readAllBytes(b);
        long ha = DatasetFile.readHeader(a).headerBytes();
        long hb = DatasetFile.readHeader(b).headerBytes();
        assertArrayEquals(java.util.Arrays.copyOfRange(x, (int) ha, x.length),
                java.util.Arrays.copyOfRange(y, (int) hb, y.length));
    }

    private static void assertSame(Dataset expected, Dataset actual) {
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.manifest().count(), actual.manifest().count());
        assertTrue(expected.manifest().differencesFrom(actual.manifest()).isEmpty());
        assertArrayEquals(expected.indices(), actual.indices());
        assertArrayEquals(expected.thetaArray(), actual.thetaArray(), 0.0);
        assertArrayEquals(expected.log10Array(), actual.log10Array(), 0.0f);
    }
}
