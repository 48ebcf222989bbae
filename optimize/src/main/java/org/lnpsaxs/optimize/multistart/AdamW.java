package org.lnpsaxs.optimize.multistart;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdamW (Loshchilov &amp; Hutter, decoupled weight decay) with the paper's schedule, run on all
 * starts at once for a fixed number of steps.
 *
 * <p>Learning rate at step \( t = 0..T-1 \): linear warm-up \( \eta_t = \eta\,(t+1)/W \) for
 * \( t &lt; W \), then cosine decay from \( \eta \) to \( \eta_{\min} = f\eta \):
 * \( \eta_t = \eta_{\min} + (\eta - \eta_{\min})\,\tfrac12\,(1 + \cos(\pi (t-W)/(T-W))) \).
 * Per start: the gradient is clipped to norm \( c \) (\( g \leftarrow g\,\min(1, c/\lVert g\rVert) \)),
 * then \( m \leftarrow \beta_1 m + (1-\beta_1)g \), \( v \leftarrow \beta_2 v + (1-\beta_2)g^2 \),
 * \( u \leftarrow u(1 - \eta_t\lambda) - \eta_t\,\hat m/(\sqrt{\hat v} + \epsilon) \) with bias-corrected
 * \( \hat m, \hat v \) (PyTorch's {@code torch.optim.AdamW} update). Clipping is per start, not over the
 * whole batch, so that starts stay independent problems. Paper defaults ({@link #paper()}):
 * \( \eta = 10^{-2} \), W = 200, f = 0.6, c = 5, T = 1000; β = (0.9, 0.999), ε = 10⁻⁸ and
 * λ = 0.01 are PyTorch's AdamW defaults (the paper does not state them). The decay acts on the
 * unconstrained coordinates, i.e. it pulls gently towards the centre of the box.
 *
 * <p>The result for each start is the best iterate seen (the loss is evaluated at every step
 * anyway), including the point after the last update. A start whose gradient is not finite
 * stops moving (counted in the log).
 *
 * @param learningRate          peak learning rate η (unconstrained units per step)
 * @param warmupSteps           W, linear warm-up steps
 * @param finalLearningRateRatio f, the cosine decay ends at f·η
 * @param clipNorm              c, the per-start gradient-norm clip
 * @param steps                 T, the number of steps
 * @param weightDecay           λ, decoupled weight decay
 * @param beta1                 first-moment decay
 * @param beta2                 second-moment decay
 * @param epsilon               denominator guard
 * @param logEvery              log progress every this many steps
 */
public record AdamW(double learningRate, int warmupSteps, double finalLearningRateRatio, double clipNorm, int steps,
                    double weightDecay, double beta1, double beta2, double epsilon, int logEvery)
        implements BatchOptimizer {

    private static final Logger LOG = LoggerFactory.getLogger(AdamW.class);

    /** Validates the settings. */
    public AdamW {
        if (!(learningRate > 0) || warmupSteps < 0 || !(finalLearningRateRatio >= 0) || !(clipNorm > 0) || steps < 1
                || !(weightDecay >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)
                || logEvery < 1) {
            throw new IllegalArgumentException("AdamW settings out of range: lr " + learningRate + ", warm-up " + warmupSteps
                    + ", final ratio " + finalLearningRateRatio + ", clip " + clipNorm + ", steps " + steps
                    + ", weight decay " + weightDecay + ", betas " + beta1 + "/" + beta2 + ", eps " + epsilon
                    + " (need lr > 0, steps >= 1, clip > 0, 0 <= beta < 1)");
        }
    }

    /** The paper's settings: lr 1e-2, 200 warm-up steps, cosine to 0.6·lr, clip 5, 1000 steps, λ = 0.01. */
    public static AdamW paper() {
        return new AdamW(1e-2, 200, 0.6, 5.0, 1000, 0.01, 0.9, 0.999, 1e-8, 100);
    }

    /** A copy with another number of steps (the warm-up is cut to at most a fifth of them). */
    public AdamW withSteps(int newSteps) {
        return new AdamW(learningRate, Math.min(warmupSteps, Math.max(0, newSteps / 5)), finalLearningRateRatio, clipNorm,
                newSteps, weightDecay, beta1, beta2, epsilon, logEvery);
    }

    /** A copy with another peak learning rate. */
    public AdamW withLearningRate(double lr) {
        return new AdamW(lr, warmupSteps, finalLearningRateRatio, clipNorm, steps, weightDecay, beta1, beta2, epsilon, logEvery);
    }

    /** A copy with another weight decay λ. */
    public AdamW withWeightDecay(double lambda) {
        return new AdamW(learningRate, warmupSteps, finalLearningRateRatio, clipNorm, steps, lambda, beta1, beta2, epsilon, logEvery);
    }

    /** A copy that logs every {@code n} steps. */
    public AdamW withLogEvery(int n) {
        return new AdamW(learningRate, warmupSteps, finalLearningRateRatio, clipNorm, steps, weightDecay, beta1, beta2, epsilon, n);
    }

    @Override
    public String name() {
        return "adamw";
    }

    /** The learning rate at step {@code t} (0-based). */
    public double learningRate(int t) {
        if (t < warmupSteps) {
            return learningRate * (t + 1) / warmupSteps;
        }
        double lrMin = finalLearningRateRatio * learningRate;
        int span = steps - warmupSteps;
        double x = span <= 1 ? 1.0 : (double) (t - warmupSteps) / (span - 1);
        return lrMin + (learningRate - lrMin) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, x)));
    }

    @Override
    public OptimizationResult minimize(BatchObjective objective, double[] u0, int starts, OptimizationListener progress) {
        int d = objective.dimension();
        if (u0.length != starts * d) {
            throw new IllegalArgumentException("AdamW: " + u0.length + " starting values for " + starts + " starts of dimension " + d);
        }
        double[] u = u0.clone();
        double[] m = new double[u.length];
        double[] v = new double[u.length];
        double[] g = new double[u.length];
        double[] f = new double[starts];
        double[] bestU = u0.clone();
        double[] bestF = new double[starts];
        Arrays.fill(bestF, Double.POSITIVE_INFINITY);
        boolean[] frozen = new boolean[starts];
        int[] ids = new int[starts];
        for (int i = 0; i < starts; i++) {
            ids[i] = i;
        }
        long evaluations = 0;
        long gradients = 0;
        double b1t = 1;
        double b2t = 1;
        int frozenCount = 0;
        ReportClock clock = new ReportClock();
        for (int t = 0; t < steps; t++) {
            objective.valueAndGradient(ids, u, starts, f, g);
            evaluations += starts;
            gradients += starts;
            record(u, f, bestU, bestF, d, starts);
            double lr = learningRate(t);
            b1t *= beta1;
            b2t *= beta2;
            for (int s = 0; s < starts; s++) {
                if (frozen[s]) {
                    continue;
                }
                int o = s * d;
                double norm = 0;
                boolean finite = true;
                for (int k = 0; k < d; k++) {
                    norm += g[o + k] * g[o + k];
                    finite &= Double.isFinite(g[o + k]);
                }
                if (!finite) {
                    frozen[s] = true;
                    frozenCount++;
                    continue;
                }
                norm = Math.sqrt(norm);
                double clip = norm > clipNorm ? clipNorm / norm : 1.0;
                for (int k = 0; k < d; k++) {
                    double gk = g[o + k] * clip;
                    m[o + k] = beta1 * m[o + k] + (1 - beta1) * gk;
                    v[o + k] = beta2 * v[o + k] + (1 - beta2) * gk * gk;
                    double mh = m[o + k] / (1 - b1t);
                    double vh = v[o + k] / (1 - b2t);
                    u[o + k] = u[o + k] * (1 - lr * weightDecay) - lr * mh / (Math.sqrt(vh) + epsilon);
                }
            }
            if (progress != OptimizationListener.NONE) {
                progress.onLosses(t + 1, bestF.clone());
            }
            if (clock.due((t + 1) % logEvery == 0 || t == steps - 1)) {
                double best = min(bestF);
                LOG.info("adamw step {}/{}: best loss {}, lr {}, {} start(s) stopped on a non-finite gradient",
                        t + 1, steps, best, lr, frozenCount);
                progress.onProgress(new OptimizationListener.Progress(t + 1, steps, best, 0.0, starts));
            }
        }
        objective.value(ids, u, starts, f);
        evaluations += starts;
        record(u, f, bestU, bestF, d, starts);
        int[] stepCount = new int[starts];
        Arrays.fill(stepCount, steps);
        return new OptimizationResult(d, bestU, bestF, stepCount, new boolean[starts], evaluations, gradients);
    }

    private static void record(double[] u, double[] f, double[] bestU, double[] bestF, int d, int starts) {
        for (int s = 0; s < starts; s++) {
            if (f[s] < bestF[s]) {
                bestF[s] = f[s];
                System.arraycopy(u, s * d, bestU, s * d, d);
            }
        }
    }

    static double min(double[] x) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : x) {
            m = Math.min(m, v);
        }
        return m;
    }
}
