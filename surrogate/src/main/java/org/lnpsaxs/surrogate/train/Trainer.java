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
import org.lnpsaxs.surrogate.lnp.LnpFeatures;
import org.lnpsaxs.surrogate.lnp.MeanParticle;
import org.lnpsaxs.surrogate.lnp.RadialOperator;
import org.lnpsaxs.surrogate.internal.Graphs;
import org.lnpsaxs.surrogate.nn.NetworkSpec;
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
 * Trains the surrogate's two MLPs on a training set with ND4J SameDiff (float32).
 *
 * <p>Steps: a seeded split of the curves into training and validation parts; per curve, in double
 * precision, the features ({@link LnpFeatures}), the closed-form mean-particle intensity
 * ({@link MeanParticle}, fed to the graph as log₁₀) and log₁₀ of the core volume in voxels; seeded
 * initial weights ({@link Weights#initial}), with the fluctuation MLP's output bias set to a data
 * estimate of the fluctuation level (the per-q median of log₁₀ I − log₁₀ N_c over the curves where
 * the mean particle explains less than a tenth of the intensity); then epochs of Adam on shuffled
 * mini-batches with a warm-up + cosine learning rate, each followed by a validation pass. The best
 * epoch by validation mean |Δlog₁₀ I| is kept; training stops after {@code patience} epochs without
 * improvement or at {@code maxEpochs}. Each epoch is logged at INFO.
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

    /** The simulator setting {@code key} of a dataset manifest as a number. */
    private static double simulatorNumber(Dataset data, String key) throws IOException {
        Object v = data.manifest().simulator() == null ? null : data.manifest().simulator().get(key);
        if (!(v instanceof Number)) {
            throw new IOException("the training set's manifest lacks the simulator setting '" + key + "'");
        }
        return ((Number) v).doubleValue();
    }

    /** The per-curve inputs of the training graph. */
    private static final class Inputs {
        final float[] xf;
        final float[] xe;
        final float[] lgMean;
        final float[] lgNc;
        final float[] y;

        Inputs(int n, int nq) {
            xf = new float[n * LnpFeatures.FLUCTUATION_FEATURES];
            xe = new float[n * LnpFeatures.CORRECTION_FEATURES];
            lgMean = new float[n * nq];
            lgNc = new float[n];
            y = new float[n * nq];
        }
    }

    /**
     * Trains the networks on a training set.
     *
     * @param data a {@link Split#TRAIN} dataset (incomplete sets are accepted with a warning)
     * @param description one line for the model metadata (what the model is a surrogate of)
     * @param intensityUnit the unit of I
     * @throws IOException if the data are held-out test data, too few curves, or lack the
     *                     simulator settings
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
        double voxel = simulatorNumber(data, "voxelSize");
        int plane = (int) simulatorNumber(data, "planeSize");
        NetworkSpec spec = NetworkSpec.lnp(nq, voxel, plane, settings.fluctuationHidden(), settings.fluctuationRank(),
                settings.correctionHidden(), settings.correctionRank());
        LnpFeatures features = new LnpFeatures(space, voxel);
        MeanParticle mean = new MeanParticle(RadialOperator.of(q, voxel, plane, spec.refine()));

        // seeded split: a permutation of the rows, the first nVal are validation
        int[] perm = permutation(n, new SplittableRandom(settings.seed() ^ 0x5EED_5A11_7L));
        int[] valRows = java.util.Arrays.copyOfRange(perm, 0, nVal);
        int[] trainRows = java.util.Arrays.copyOfRange(perm, nVal, n);
        java.util.Arrays.sort(valRows);
        java.util.Arrays.sort(trainRows);

        double[] theta = data.thetaArray();
        float[] y = data.log10Array();
        Inputs in = new Inputs(n, nq);
        LnpFeatures.Row row = new LnpFeatures.Row();
        MeanParticle.Work mw = new MeanParticle.Work(mean);
        double[] m = new double[nq];
        int ff = LnpFeatures.FLUCTUATION_FEATURES;
        int fe = LnpFeatures.CORRECTION_FEATURES;
        for (int i = 0; i < n; i++) {
            features.compute(theta, i * p, row);
            for (int j = 0; j < ff; j++) {
                in.xf[i * ff + j] = (float) row.xf[j];
            }
            for (int j = 0; j < fe; j++) {
                in.xe[i * fe + j] = (float) row.xe[j];
            }
            in.lgNc[i] = (float) row.lgNc;
            mean.intensity(row.r, row.rc, row.cc, row.cs, m, 0, mw);
            for (int k = 0; k < nq; k++) {
                in.lgMean[i * nq + k] = (float) Math.log10(Math.max(m[k], 1e-30));
            }
        }
        System.arraycopy(y, 0, in.y, 0, n * nq);

        Weights init = Weights.initial(spec, settings.seed());
        init = init.with(NetworkSpec.D_PREFIX + "b_out", fluctuationLevel(in, trainRows, nq));
        SameDiff sd = Graphs.training(init);
        int batches = (trainRows.length + settings.batchSize() - 1) / settings.batchSize();
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(settings.learningRate(), settings.minLearningRate(),
                settings.warmupEpochs() * batches, settings.maxEpochs() * batches);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(schedule))
                .dataSetFeatureMapping(Graphs.XF, Graphs.XE, Graphs.LG_MEAN, Graphs.LG_NC)
                .dataSetLabelMapping(Graphs.LABEL).build());

        LOG.info(String.format(Locale.ROOT, "training %s: fluctuation MLP %s rank %d, correction MLP %s rank %d"
                        + " (%,d weights, %,d multiply-adds per curve) on %d curves, validating on %d; %d q points;"
                        + " up to %d epochs of %d batches", spec.architecture(), spec.fluctuation().hidden(),
                spec.fluctuation().rank(), spec.correction().hidden(), spec.correction().rank(),
                spec.parameterCount(), spec.multiplyAddsPerCurve(), trainRows.length, nVal, nq,
                settings.maxEpochs(), batches));

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
            sd.fit(new Batches(in, nq, shuffled, settings.batchSize()), 1);
            double trainLoss = validate(sd, in, nq, trainProbe)[0];
            double[] val = validate(sd, in, nq, valRows);
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
            LOG.info(String.format(Locale.ROOT, "epoch %d/%d: train loss %.6f, val loss %.6f, val mean|dlog10 I| %.5f"
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
        training.put("optimizer", "Adam(beta1 0.9, beta2 0.999, eps 1e-8), MSE of log10 I (decades^2), warm-up + cosine");
        Provenance prov = new Provenance(data.manifest(), trainRows.length, nVal, training, metrics, Lnpsaxs.version(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), env);
        ModelMetadata meta = ModelMetadata.of(description, space, q, intensityUnit, spec, prov);
        return new TrainingResult(meta, best, history, bestEpoch);
    }

    /**
     * The initial output bias of the fluctuation MLP: per q, the median of log₁₀ I − log₁₀ N_c over
     * the training curves whose mean-particle term is below a tenth of the intensity there (where
     * the fluctuation term dominates); where fewer than 20 curves qualify, the median over all
     * curves minus one decade.
     */
    private static float[] fluctuationLevel(Inputs in, int[] rows, int nq) {
        float[] b = new float[nq];
        double[] sel = new double[rows.length];
        double[] all = new double[rows.length];
        for (int k = 0; k < nq; k++) {
            int ns = 0;
            for (int i = 0; i < rows.length; i++) {
                int r = rows[i];
                double v = in.y[r * nq + k] - in.lgNc[r];
                all[i] = v;
                if (in.lgMean[r * nq + k] < in.y[r * nq + k] - 1) {
                    sel[ns++] = v;
                }
            }
            if (ns >= 20) {
                java.util.Arrays.sort(sel, 0, ns);
                b[k] = (float) sel[ns / 2];
            } else {
                double[] a = all.clone();
                java.util.Arrays.sort(a);
                b[k] = (float) (a[a.length / 2] - 1);
            }
        }
        return b;
    }

    /** [MSE, mean, median, p90 of per-curve mean |Δlog10 I|] on the given rows. */
    private static double[] validate(SameDiff sd, Inputs in, int nq, int[] rows) {
        int n = rows.length;
        double[] perCurve = new double[n];
        double sq = 0;
        for (int s = 0; s < n; s += EVAL_CHUNK) {
            int m = Math.min(EVAL_CHUNK, n - s);
            Map<String, INDArray> ph = placeholders(in, nq, rows, s, m, false);
            INDArray out = sd.outputSingle(ph, Graphs.OUTPUT);
            float[] pred = out.dup('c').data().asFloat();
            for (int i = 0; i < m; i++) {
                int r = rows[s + i];
                double abs = 0;
                for (int k = 0; k < nq; k++) {
                    double d = pred[i * nq + k] - in.y[r * nq + k];
                    sq += d * d;
                    abs += Math.abs(d);
                }
                perCurve[s + i] = abs / nq;
            }
        }
        Accuracy.Summary sum = Accuracy.Summary.of(perCurve);
        return new double[] {sq / ((double) n * nq), sum.mean(), sum.median(), sum.p90()};
    }

    /** The graph's placeholders for rows[from .. from + m - 1] (with the label when asked). */
    private static Map<String, INDArray> placeholders(Inputs in, int nq, int[] rows, int from, int m, boolean label) {
        int ff = LnpFeatures.FLUCTUATION_FEATURES;
        int fe = LnpFeatures.CORRECTION_FEATURES;
        float[] xf = new float[m * ff];
        float[] xe = new float[m * fe];
        float[] lm = new float[m * nq];
        float[] ln = new float[m];
        float[] yb = label ? new float[m * nq] : null;
        for (int i = 0; i < m; i++) {
            int r = rows[from + i];
            System.arraycopy(in.xf, r * ff, xf, i * ff, ff);
            System.arraycopy(in.xe, r * fe, xe, i * fe, fe);
            System.arraycopy(in.lgMean, r * nq, lm, i * nq, nq);
            ln[i] = in.lgNc[r];
            if (label) {
                System.arraycopy(in.y, r * nq, yb, i * nq, nq);
            }
        }
        Map<String, INDArray> ph = new java.util.LinkedHashMap<>();
        ph.put(Graphs.XF, Nd4j.create(xf, new long[] {m, ff}, 'c'));
        ph.put(Graphs.XE, Nd4j.create(xe, new long[] {m, fe}, 'c'));
        ph.put(Graphs.LG_MEAN, Nd4j.create(lm, new long[] {m, nq}, 'c'));
        ph.put(Graphs.LG_NC, Nd4j.create(ln, new long[] {m, 1}, 'c'));
        if (label) {
            ph.put(Graphs.LABEL, Nd4j.create(yb, new long[] {m, nq}, 'c'));
        }
        return ph;
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
        private final transient Inputs in;
        private final int nq;
        private final int[] rows;
        private final int batch;
        private int pos;

        Batches(Inputs in, int nq, int[] rows, int batch) {
            this.in = in;
            this.nq = nq;
            this.rows = rows;
            this.batch = batch;
        }

        @Override
        public MultiDataSet next(int num) {
            int m = Math.min(num, rows.length - pos);
            Map<String, INDArray> ph = placeholders(in, nq, rows, pos, m, true);
            pos += m;
            return new org.nd4j.linalg.dataset.MultiDataSet(
                    new INDArray[] {ph.get(Graphs.XF), ph.get(Graphs.XE), ph.get(Graphs.LG_MEAN), ph.get(Graphs.LG_NC)},
                    new INDArray[] {ph.get(Graphs.LABEL)});
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
