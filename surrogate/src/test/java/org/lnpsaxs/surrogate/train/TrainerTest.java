package org.lnpsaxs.surrogate.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.simulator.LnpParameters;
import org.lnpsaxs.surrogate.StandInModel;
import org.lnpsaxs.surrogate.Surrogate;
import org.lnpsaxs.surrogate.data.Dataset;
import org.lnpsaxs.surrogate.data.DatasetGenerator;
import org.lnpsaxs.surrogate.data.DatasetPlan;
import org.lnpsaxs.surrogate.data.Shard;
import org.lnpsaxs.surrogate.data.Split;
import org.lnpsaxs.surrogate.eval.Accuracy;
import org.lnpsaxs.surrogate.eval.Evaluation;

/** A tiny end-to-end training on the stand-in model. */
class TrainerTest {

    private static final QGrid GRID = QGrid.linear(0.002, 0.2, 40);
    private static final TrainerSettings TINY = TrainerSettings.DEFAULTS
            .withNetwork(List.of(24, 24), 8, List.of(12), 4).withMaxEpochs(30).withBatchSize(32).withWarmupEpochs(1)
            .withLearningRates(3e-3, 1e-4).withPatience(30).withValidationFraction(0.1).withSeed(4);

    @TempDir
    static Path dir;
    static Dataset train;
    static Dataset test;

    @BeforeAll
    static void data() throws IOException {
        DatasetGenerator g = DatasetGenerator.of(StandInModel.simulator(GRID, 0.01, 0))
                .withCheckpointInterval(Duration.ofSeconds(10));
        g.generate(new DatasetPlan(LnpParameters.SPACE, 400, 3, Split.TRAIN), Shard.ALL, dir.resolve("train"));
        g.generate(new DatasetPlan(LnpParameters.SPACE, 60, 3, Split.TEST), Shard.ALL, dir.resolve("test"));
        train = Dataset.read(dir.resolve("train"));
        test = Dataset.read(dir.resolve("test"));
    }

    @Test
    void trainingLowersTheErrorAndIsDeterministic() throws IOException {
        TrainingResult a = Trainer.of(TINY).train(train, "stand-in", "arbitrary units");
        List<EpochStats> h = a.history();
        assertEquals(30, h.size());
        // the fluctuation level is initialised from the data, so the first epoch already starts well
        assertTrue(h.get(h.size() - 1).trainLoss() < 0.5 * h.get(0).trainLoss(),
                "train loss " + h.get(0).trainLoss() + " -> " + h.get(h.size() - 1).trainLoss());
        EpochStats best = h.get(a.bestEpoch() - 1);
        assertTrue(best.validationMeanAbs() < 0.6 * h.get(0).validationMeanAbs(),
                "validation error " + h.get(0).validationMeanAbs() + " -> " + best.validationMeanAbs());

        // held-out curves: the trained network beats the best constant curve (the training mean) by far
        Surrogate s = a.surrogate();
        Evaluation ev = Evaluation.of(s, test);
        int nq = GRID.size();
        double[] mean = new double[nq];
        float[] y = train.log10Array();
        for (int i = 0; i < train.size(); i++) {
            for (int k = 0; k < nq; k++) {
                mean[k] += y[i * nq + k] / train.size();
            }
        }
        double[] constant = new double[test.size() * nq];
        for (int i = 0; i < test.size(); i++) {
            System.arraycopy(mean, 0, constant, i * nq, nq);
        }
        double baseline = Accuracy.Summary.of(Accuracy.perCurveMeanAbs(constant, ev.reference(), test.size(), nq)).median();
        assertTrue(ev.raw().median() < 0.2 * baseline, "median " + ev.raw().median() + " vs constant " + baseline);

        // same data, settings and seed: the same weights
        TrainingResult b = Trainer.of(TINY.withMaxEpochs(3)).train(train, "stand-in", "arbitrary units");
        TrainingResult c = Trainer.of(TINY.withMaxEpochs(3)).train(train, "stand-in", "arbitrary units");
        for (String name : b.weights().names()) {
            assertArrayEquals(b.weights().get(name), c.weights().get(name), 0.0f, name);
        }
        assertEquals(b.history().get(2).validationLoss(), c.history().get(2).validationLoss(), 0.0);

        // the model file carries the provenance
        Path file = dir.resolve("m.zip");
        a.write(file);
        Surrogate back = Surrogate.load(file);
        assertEquals(train.manifest().seed(), back.metadata().provenance().dataset().seed());
        assertEquals(4L, ((Number) back.metadata().provenance().training().get("seed")).longValue());
        assertEquals(a.bestEpoch(), ((Number) back.metadata().provenance().metrics().get("bestEpoch")).intValue());
    }

    @Test
    void refusesToTrainOnHeldOutData() {
        IOException e = assertThrows(IOException.class, () -> Trainer.of(TINY).train(test, "x", "au"));
        assertTrue(e.getMessage().contains("test"), e.getMessage());
    }
}
