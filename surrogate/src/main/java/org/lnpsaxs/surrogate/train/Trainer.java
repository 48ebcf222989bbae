package org.lnpsaxs.surrogate.train;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.lnpsaxs.core.Lnpsaxs;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.surrogate.ModelMetadata;
import org.lnpsaxs.surrogate.Provenance;
import org.lnpsaxs.surrogate.data.Dataset;
import org.lnpsaxs.surrogate.data.Split;
import org.lnpsaxs.surrogate.eval.Accuracy;
import org.lnpsaxs.surrogate.internal.Json;
import org.lnpsaxs.surrogate.nn.Graphs;
import org.lnpsaxs.surrogate.nn.Head;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
import org.lnpsaxs.surrogate.nn.Normalisation;
import org.lnpsaxs.surrogate.nn.Weights;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the surrogate network on a training set with ND4J SameDiff (float32).
 *
 * <p>Steps: a seeded split of the curves into training and validation parts; the output
 * normalisation (per-q mean of log₁₀ I over the training part, one common scale: the
 * root-mean-square of the per-q standard deviations); the inputs mapped to [−1, 1] plus log
 * features ({@link Normalisation}); seeded initial weights ({@link Weights#initial}); then epochs
 * of Adam on shuffled mini-batches with a warm-up + cosine learning rate, each followed by a
 * validation pass. The best epoch by validation mean |Δlog₁₀ I| is kept; training stops after
 * {@code patience} epochs without improvement or at {@code maxEpochs}. Each epoch is logged at
 * INFO (losses, validation error, learning rate, time, curves/s).
 *
 * <p>The same data, settings and seed give the same weights when ND4J runs with the same thread
 * count (with one OpenMP thread, runs are bit-identical; see docs/surrogate.md).
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final int EVAL_CHUNK = 4096;

    private final TrainerSettings settings;
    private final Consumer<EpochStats> listener;

    private Trainer(TrainerSettings settings, Consumer<EpochStats> listener) {
        this.settings = settings;
        this.listener = listener;
    }

    /** A trainer with these settings. */
    public static Trainer of(TrainerSettings settings) {
        return new Trainer(Objects.requireNonNull(settings, "settings"), s -> { });
    }

    /** A copy that also reports every epoch to {@code l} (after logging it). */
    public Trainer withListener(Consumer<EpochStats> l) {
        return new Trainer(settings, Objects.requireNonNull(l, "listener"));
    }

    /** The settings. */
    public TrainerSettings settings() {
        return settings;
    }

    /**
     * Trains a network on a training set.
     *
     * @param data a {@link Split#TRAIN} dataset (incomplete sets are accepted with a warning)
     * @param description one line for the model metadata (what the model is a surrogate of)
     * @param intensityUnit the unit of I
     * @throws IOException if the data are held-out test data or too few curves
     */
    public TrainingResult train(Dataset data, String description, String intensityUnit) throws IOException {
        if (data.split() != Split.TRAIN) {
            throw new IOException("refusing to train on a held-out " + data.split().label()
                    + " dataset (seed " + data.manifest().seed() + "); generate a training set (without --test)");
        }
        if (data.missing() > 0) {
            LOG.warn("training on an incomplete dataset: {} of {} curves present", data.size(), data.expectedCount());
        }
        int n = data.size();
        int nVal = (int) Math.round(settings.validationFraction() * n);
        if (n < 4 || nVal < 1 || n - nVal < 2) {
            throw new IOException("too few curves to train (" + n + "); need at least 4 with a validation part");
        }
        ParameterSpace space = data.parameters();
        double[] q = data.q();
        int p = space.size();
        int nq = q.length;
        NetworkSpec spec = NetworkSpec.of(p, settings.logFeatures(), settings.width(), settings.blocks(), nq,
                settings.head(), settings.trunk());

        // seeded split: a permutation of the rows, the first nVal are validation
        int[] perm = permutation(n, new SplittableRandom(settings.seed() ^ 0x5EED_5A11_7L));
        int[] valRows = java.util.Arrays.copyOfRange(perm, 0, nVal);
        int[] trainRows = java.util.Arrays.copyOfRange(perm, nVal, n);
        java.util.Arrays.sort(valRows);
        java.util.Arrays.sort(trainRows);

        double[] theta = data.thetaArray();
        float[] y = data.log10Array();
        Normalisation norm = outputStatistics(Normalisation.inputs(space, settings.logFeatures(), new double[nq],
                filled(nq, 1.0)), y, trainRows, nq);
        int f = norm.features();
        Head head = Head.of(spec, space, norm.outputScale());
        int c = head.contextSize();
        float[] x = new float[n * f];
        float[] ctx = new float[n * c];
        float[] z = new float[n * nq];
        double[] xr = new double[f];
        double[] cr = new double[Math.max(c, 1)];
        for (int i = 0; i < n; i++) {
            norm.features(theta, i * p, xr, 0);
            for (int j = 0; j < f; j++) {
                x[i * f + j] = (float) xr[j];
            }
            head.context(theta, i * p, cr, 0);
            for (int j = 0; j < c; j++) {
                ctx[i * c + j] = (float) cr[j];
            }
            for (int k = 0; k < nq; k++) {
                z[i * nq + k] = (float) ((y[i * nq + k] - norm.outputMean()[k]) / norm.scale(k));
            }
        }
        double[] outScale = norm.outputScale();

        Weights init = Weights.initial(spec, settings.seed());
        SameDiff sd = Graphs.training(init, head, space);
        int batches = (trainRows.length + settings.batchSize() - 1) / settings.batchSize();
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(settings.learningRate(), settings.minLearningRate(),
                settings.warmupEpochs() * batches, settings.maxEpochs() * batches);
        TrainingConfig.Builder tc = TrainingConfig.builder().updater(new Adam(schedule)).dataSetLabelMapping(Graphs.LABEL);
        tc = c == 0 ? tc.dataSetFeatureMapping(Graphs.INPUT) : tc.dataSetFeatureMapping(Graphs.INPUT, Graphs.CONTEXT);
        sd.setTrainingConfig(tc.build());

        LOG.info(String.format(Locale.ROOT, "training %s trunk of %d-block residual MLPs of width %d, %s head (%,d weights)"
                        + " on %d curves, validating on %d; %d q points; up to %d epochs of %d batches", spec.trunk(),
                spec.blocks(), spec.width(), spec.head(), spec.parameterCount(), trainRows.length, nVal, nq,
                settings.maxEpochs(), batches));

        // the training loss is measured at the end of each epoch on a fixed sample of training curves
        int[] trainProbe = java.util.Arrays.copyOf(trainRows, Math.min(trainRows.length, EVAL_CHUNK));
        List<EpochStats> history = new ArrayList<>();
        Weights best = init;
        double bestErr = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        EpochStats bestStats = null;
        long start = System.nanoTime();
        SplittableRandom order = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + 17);
        for (int epoch = 1; epoch <= settings.maxEpochs(); epoch++) {
            long t0 = System.nanoTime();
            int[] shuffled = trainRows.clone();
            shuffle(shuffled, order);
            sd.fit(new Batches(x, ctx, c, z, f, nq, shuffled, settings.batchSize()), 1);
            double trainLoss = validate(sd, x, ctx, c, z, f, nq, trainProbe, outScale)[0];
            double[] val = validate(sd, x, ctx, c, z, f, nq, valRows, outScale);
            double lr = schedule.valueAt(epoch * batches - 1, epoch - 1);
            double secs = (System.nanoTime() - t0) * 1e-9;
            EpochStats s = new EpochStats(epoch, trainLoss, val[0], val[1], val[2], val[3], lr, secs);
            history.add(s);
            boolean improved = s.validationMeanAbs() < bestErr;
            if (improved) {
                bestErr = s.validationMeanAbs();
                bestEpoch = epoch;
                best = Graphs.weights(sd, spec);
                bestStats = s;
            }
            LOG.info(String.format(Locale.ROOT, "epoch %d/%d: train loss %.5f, val loss %.5f, val mean|dlog10 I| %.5f"
                            + " (median %.5f, p90 %.5f)%s, lr %.2e, %.1f s (%.0f curves/s)", epoch,
                    settings.maxEpochs(), trainLoss, s.validationLoss(), s.validationMeanAbs(), s.validationMedian(),
                    s.validationP90(), improved ? " *" : "", lr, secs, trainRows.length / secs));
            listener.accept(s);
            if (!Double.isFinite(trainLoss)) {
                throw new IllegalStateException("training diverged at epoch " + epoch + " (loss " + trainLoss
                        + "); lower the learning rate");
            }
            if (epoch - bestEpoch >= settings.patience()) {
                LOG.info("early stop: no better validation error for {} epochs (best epoch {})", settings.patience(),
                        bestEpoch);
                break;
            }
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        long examples = (long) history.size() * trainRows.length;
        LOG.info(String.format(Locale.ROOT, "training done: %d epochs in %.1f s (%.0f curves/s); best epoch %d,"
                        + " val mean|dlog10 I| %.5f, median %.5f, p90 %.5f", history.size(), seconds,
                examples / seconds, bestEpoch, bestStats.validationMeanAbs(), bestStats.validationMedian(),
                bestStats.validationP90()));

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("bestEpoch", bestEpoch);
        metrics.put("epochsRun", history.size());
        metrics.put("trainLoss", bestStats.trainLoss());
        metrics.put("validationLoss", bestStats.validationLoss());
        metrics.put("validationMeanAbsLog10", bestStats.validationMeanAbs());
        metrics.put("validationMedianAbsLog10", bestStats.validationMedian());
        metrics.put("validationP90AbsLog10", bestStats.validationP90());
        metrics.put("trainingSeconds", seconds);
        metrics.put("curvesPerSecond", examples / seconds);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("nd4jBackend", Nd4j.getBackend().getClass().getSimpleName());
        env.put("nd4jThreads", Nd4j.getEnvironment().maxThreads());
        @SuppressWarnings("unchecked")
        Map<String, Object> training = Json.MAPPER.convertValue(settings, Map.class);
        training.put("optimizer", "Adam(beta1 0.9, beta2 0.999, eps 1e-8), MSE of normalised log10 I, warm-up + cosine");
        Provenance prov = new Provenance(data.manifest(), trainRows.length, nVal, training, metrics, Lnpsaxs.version(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), env);
        ModelMetadata meta = ModelMetadata.of(description, space, q, intensityUnit, spec, norm, prov);
        return new TrainingResult(meta, best, history, bestEpoch);
    }

    /** [MSE of z, mean, median, p90 of per-curve mean |Δlog10 I|] on the validation rows. */
    private static double[] validate(SameDiff sd, float[] x, float[] ctx, int c, float[] z, int f, int nq, int[] rows,
                                     double[] scale) {
        int n = rows.length;
        double[] perCurve = new double[n];
        double sq = 0;
        for (int s = 0; s < n; s += EVAL_CHUNK) {
            int m = Math.min(EVAL_CHUNK, n - s);
            float[] xb = new float[m * f];
            float[] cb = new float[m * c];
            for (int i = 0; i < m; i++) {
                System.arraycopy(x, rows[s + i] * f, xb, i * f, f);
                System.arraycopy(ctx, rows[s + i] * c, cb, i * c, c);
            }
            Map<String, INDArray> ph = new java.util.HashMap<>();
            ph.put(Graphs.INPUT, Nd4j.create(xb, new long[] {m, f}, 'c'));
            if (c > 0) {
                ph.put(Graphs.CONTEXT, Nd4j.create(cb, new long[] {m, c}, 'c'));
            }
            INDArray out = sd.outputSingle(ph, Graphs.OUTPUT);
            float[] pred = out.dup('c').data().asFloat();
            for (int i = 0; i < m; i++) {
                int r = rows[s + i];
                double abs = 0;
                for (int k = 0; k < nq; k++) {
                    double d = pred[i * nq + k] - z[r * nq + k];
                    sq += d * d;
                    abs += Math.abs(d) * scale[k];
                }
                perCurve[s + i] = abs / nq;
            }
        }
        Accuracy.Summary sum = Accuracy.Summary.of(perCurve);
        return new double[] {sq / ((double) n * nq), sum.mean(), sum.median(), sum.p90()};
    }

    private static Normalisation outputStatistics(Normalisation base, float[] y, int[] rows, int nq) {
        double[] mean = new double[nq];
        double[] m2 = new double[nq];
        for (int r : rows) {
            for (int k = 0; k < nq; k++) {
                mean[k] += y[r * nq + k];
            }
        }
        for (int k = 0; k < nq; k++) {
            mean[k] /= rows.length;
        }
        for (int r : rows) {
            for (int k = 0; k < nq; k++) {
                double d = y[r * nq + k] - mean[k];
                m2[k] += d * d;
            }
        }
        double avgVar = 0;
        for (int k = 0; k < nq; k++) {
            avgVar += m2[k] / rows.length;
        }
        double scale = Math.sqrt(avgVar / nq);
        if (!(scale > 0)) {
            scale = 1;
        }
        return base.withOutputs(mean, filled(nq, scale));
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, rng);
        return p;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** One epoch of mini-batches in a fixed order (synchronous, so runs are reproducible). */
    private static final class Batches implements MultiDataSetIterator {
        private static final long serialVersionUID = 1L;
        private final float[] x;
        private final float[] ctx;
        private final int c;
        private final float[] z;
        private final int f;
        private final int nq;
        private final int[] rows;
        private final int batch;
        private int pos;

        Batches(float[] x, float[] ctx, int c, float[] z, int f, int nq, int[] rows, int batch) {
            this.x = x;
            this.ctx = ctx;
            this.c = c;
            this.z = z;
            this.f = f;
            this.nq = nq;
            this.rows = rows;
            this.batch = batch;
        }

        @Override
        public MultiDataSet next(int num) {
            int m = Math.min(num, rows.length - pos);
            float[] xb = new float[m * f];
            float[] cb = new float[m * c];
            float[] zb = new float[m * nq];
            for (int i = 0; i < m; i++) {
                int r = rows[pos + i];
                System.arraycopy(x, r * f, xb, i * f, f);
                System.arraycopy(ctx, r * c, cb, i * c, c);
                System.arraycopy(z, r * nq, zb, i * nq, nq);
            }
            pos += m;
            INDArray labels = Nd4j.create(zb, new long[] {m, nq}, 'c');
            INDArray features = Nd4j.create(xb, new long[] {m, f}, 'c');
            if (c == 0) {
                return new org.nd4j.linalg.dataset.MultiDataSet(features, labels);
            }
            return new org.nd4j.linalg.dataset.MultiDataSet(
                    new INDArray[] {features, Nd4j.create(cb, new long[] {m, c}, 'c')}, new INDArray[] {labels});
        }

        @Override
        public MultiDataSet next() {
            return next(batch);
        }

        @Override
        public boolean hasNext() {
            return pos < rows.length;
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException("no pre-processing");
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            pos = 0;
        }
    }
}
