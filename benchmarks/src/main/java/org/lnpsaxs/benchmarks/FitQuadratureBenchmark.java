package org.lnpsaxs.benchmarks;

import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;
import org.lnpsaxs.optimize.model.AnalyticFitModel;
import org.lnpsaxs.optimize.model.BoundModel;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.polydispersity.quadrature.Quadrature;
import org.lnpsaxs.surrogate.fit.LnpFitModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One curve of a fit model, as the fitter evaluates it, with the paper's quadrature and with the
 * accurate one ({@code fit --quadrature paper|accurate}): the cost of the size average.
 *
 * <p>Cases ({@link #fitCase}): {@code sphere:MEAN:CV} is {@code sphere} bound to the same grid (radius
 * box 6.3–3142 Å, the slds fixed at their defaults); {@code css:MEAN:CV} is {@code core_shell_sphere} bound to 200
 * log-spaced q from 0.001 to 0.5 Å⁻¹ (radius box 6.3–3142 Å), thickness and sld_core at the middle
 * of their boxes, radius_mean MEAN Å and radius_cv CV; {@code lnp:MEAN:CV} is the {@code lnp}
 * model over the shipped surrogate (300 q) at the benchmarks' LNP truth with that radius_mean and
 * radius_cv; {@code lnp-closed:MEAN:CV} the same over the closed form ({@code LnpFitModel.closedForm()},
 * no network). {@link #forward} computes I(q); {@link #gradient} I(q) and the gradient for a fixed
 * (seeded) dL/dI. Results are blackholed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FitQuadratureBenchmark {

    /** The quadrature: {@code paper} or {@code accurate}. */
    @Param({"paper", "accurate"})
    public String quadrature;

    /** The model and size distribution, {@code sphere|css|lnp|lnp-closed:radius_mean:radius_cv}. */
    @Param({"sphere:800:0.6", "css:250:0.1", "css:250:0.3", "css:1000:0.6", "css:3142:0.6", "lnp:245:0.2", "lnp:320:0.4", "lnp-closed:245:0.2",
        "lnp-closed:320:0.4"})
    public String fitCase;

    private FusedDifferentiableModel model;
    private double[] theta;
    private double[] out;
    private double[] dLdI;
    private double[] dLdTheta;
    /**
     * {@link #MOVING} parameter sets around {@link #theta} whose spectrum parameters (w_q1, m_q1,
     * m_q2, s_q1, s_q2, where the model has them) and radius_mean differ by about 1 % from call to
     * call, as in a fit: a model that keeps a spectrum's transform between calls cannot reuse it.
     */
    private double[][] moving;
    private int next;

    /** Parameter sets in the moving benchmarks' cycle. */
    public static final int MOVING = 64;

    /** Builds the model, parameters and buffers. */
    @Setup
    public void setup() {
        String[] c = fitCase.split(":");
        double mean = Double.parseDouble(c[1]);
        double cv = Double.parseDouble(c[2]);
        Quadrature rule = Quadrature.parse(quadrature);
        DifferentiableModel m;
        if (c[0].startsWith("lnp")) {
            LnpFitModel lnp = "lnp-closed".equals(c[0]) ? LnpFitModel.closedForm() : LnpFitModel.of(LnpBenchmarkModel.load().surrogate());
            m = lnp.withQuadrature(rule).model();
            ParameterSpace ps = m.parameters();
            theta = new double[ps.size()];
            LnpBenchmarkModel.TRUTH.forEach((k, v) -> theta[ps.indexOf(k)] = v);
        } else {
            AnalyticFitModel analytic = "sphere".equals(c[0]) ? AnalyticFitModel.sphere() : AnalyticFitModel.coreShellSphere();
            BoundModel b = analytic.withQuadrature(rule).bind(QGrid.log(0.001, 0.5, 200));
            m = b.model();
            FitSpace s = b.defaultSpace();
            theta = new double[s.size()];
            for (int j = 0; j < s.size(); j++) {
                var p = s.box().get(j);
                theta[j] = s.isFixed(j) ? s.fixedValue(j)
                        : p.lower() > 0 && p.upper() >= 10 * p.lower() ? Math.sqrt(p.lower() * p.upper())
                        : 0.5 * (p.lower() + p.upper());
            }
        }
        theta[m.parameters().indexOf("radius_mean")] = Math.min(mean, m.parameters().get("radius_mean").upper());
        theta[m.parameters().indexOf("radius_cv")] = cv;
        model = (FusedDifferentiableModel) m;
        out = new double[model.qSize()];
        dLdI = new double[model.qSize()];
        Random rnd = new Random(42);
        for (int i = 0; i < dLdI.length; i++) {
            dLdI[i] = rnd.nextGaussian();
        }
        dLdTheta = new double[theta.length];
        moving = new double[MOVING][];
        ParameterSpace ps = model.parameters();
        for (int k = 0; k < MOVING; k++) {
            moving[k] = theta.clone();
            for (String name : new String[] {"w_q1", "m_q1", "m_q2", "s_q1", "s_q2", "radius_mean"}) {
                if (ps.names().contains(name)) {
                    int j = ps.indexOf(name);
                    var par = ps.get(j);
                    moving[k][j] = Math.min(par.upper(), Math.max(par.lower(), theta[j] * (1 + 0.01 * rnd.nextGaussian())));
                }
            }
        }
        model.evaluate(theta, 1, out);
        if (!Double.isFinite(out[0])) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s: I(q_min) = %s", fitCase, out[0]));
        }
    }

    /** The curve. */
    @Benchmark
    public void forward(Blackhole bh) {
        model.evaluate(theta, 1, out);
        bh.consume(out);
    }

    /** The curve and its gradient with respect to all parameters. */
    @Benchmark
    public void gradient(Blackhole bh) {
        model.evaluateAndVectorJacobianProduct(theta, 1, dLdI, out, dLdTheta);
        bh.consume(out);
        bh.consume(dLdTheta);
    }

    /** The curve, at a point that moves from call to call (as in a fit). */
    @Benchmark
    public void forwardMoving(Blackhole bh) {
        model.evaluate(moving[next++ & (MOVING - 1)], 1, out);
        bh.consume(out);
    }

    /** The curve and its gradient, at a point that moves from call to call (as in a fit). */
    @Benchmark
    public void gradientMoving(Blackhole bh) {
        model.evaluateAndVectorJacobianProduct(moving[next++ & (MOVING - 1)], 1, dLdI, out, dLdTheta);
        bh.consume(out);
        bh.consume(dLdTheta);
    }
}
