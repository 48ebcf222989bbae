package org.lnpsaxs.optimize;

import java.util.ArrayList;
import java.util.List;

import org.lnpsaxs.core.model.Parameter;
import org.lnpsaxs.optimize.internal.FitObjective;
import org.lnpsaxs.optimize.internal.Reparameterization;
import org.lnpsaxs.optimize.param.FitSpace;
import org.lnpsaxs.optimize.param.OrderedPair;
import org.lnpsaxs.optimize.posterior.BatchLogDensity;

/**
 * The fit's free parameters scaled to their boxes, \( v_j = (\theta_j - l_j)/(h_j - l_j) \in [0, 1] \)
 * (dimensionless), the coordinates Hamiltonian Monte Carlo samples in: the prior is uniform on
 * the box (and on the ordered region of an ordered pair), so the posterior over v is the
 * likelihood itself, with no Jacobian, and the box and the orderings are linear constraints
 * {@code a·v <= b} the trajectories reflect off. Unlike the optimiser's logistic coordinates u,
 * a posterior that piles up against a box edge stays a (truncated) smooth bump here instead of
 * becoming a wall on one side and an exponential tail on the other, which forced step sizes of
 * 0.01–0.03 posterior standard deviations on the lnp calibration curves. The parameters a model
 * declares width-like ({@code FitModel.posteriorLogScale()}) are sampled in ln θ instead (a funnel —
 * a posterior that narrows in other directions as the width shrinks — is milder on a log scale);
 * their prior density over v, ∝ θ, then enters the log density. Not a user class.
 */
final class BoxCoordinates {

    private final Reparameterization reparam;
    private final int p;
    private final int d;
    private final int[] free;
    private final double[] lo;
    private final double[] width;
    /** Per free parameter: sampled in ln θ (v = ln(θ/l)/ln(h/l)) rather than in θ. */
    private final boolean[] logScale;
    /** ln(h/l) of a log-scaled parameter. */
    private final double[] logWidth;
    private final double[] template;
    private final double[][] a;
    private final double[] b;
    private final List<int[]> pairs = new ArrayList<>();

    BoxCoordinates(FitSpace space, Reparameterization reparam) {
        this(space, reparam, java.util.Set.of());
    }

    /**
     * Box coordinates in which the free parameters named in {@code logNames} are scaled
     * logarithmically, v = ln(θ/l)/ln(h/l), where their box is positive and they belong to no ordered
     * pair (the others linearly). The prior stays uniform in θ: its density over v, ∝ θ, enters the
     * log density.
     */
    BoxCoordinates(FitSpace space, Reparameterization reparam, java.util.Set<String> logNames) {
        this.reparam = reparam;
        this.p = space.size();
        this.free = space.freeIndices();
        this.d = free.length;
        this.lo = new double[d];
        this.width = new double[d];
        this.logScale = new boolean[d];
        this.logWidth = new double[d];
        int[] slot = new int[p];
        java.util.Arrays.fill(slot, -1);
        java.util.Set<String> paired = new java.util.HashSet<>();
        for (OrderedPair pair : space.orderedPairs()) {
            paired.add(pair.first());
            paired.add(pair.second());
        }
        for (int j = 0; j < d; j++) {
            Parameter par = space.box().get(free[j]);
            lo[j] = par.lower();
            width[j] = par.upper() - par.lower();
            slot[free[j]] = j;
            logScale[j] = par.lower() > 0 && !paired.contains(par.name()) && logNames.contains(par.name());
            logWidth[j] = logScale[j] ? Math.log(par.upper() / par.lower()) : Double.NaN;
        }
        this.template = new double[p];
        reparam.toPhysical(new double[d], null, 1, template);
        List<double[]> rows = new ArrayList<>();
        List<Double> bounds = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            double[] low = new double[d];
            low[j] = -1;
            rows.add(low);
            bounds.add(0.0);
            double[] high = new double[d];
            high[j] = 1;
            rows.add(high);
            bounds.add(1.0);
        }
        for (OrderedPair pair : space.orderedPairs()) {
            int fa = space.box().indexOf(pair.first());
            int fb = space.box().indexOf(pair.second());
            int ja = slot[fa];
            int jb = slot[fb];
            if (ja < 0 && jb < 0) {
                continue;
            }
            pairs.add(new int[] {fa, fb});
            // theta_a <= theta_b, with theta = lo + width v for a free one, its fixed value otherwise
            double[] row = new double[d];
            double rhs = 0;
            if (ja >= 0) {
                row[ja] = width[ja];
                rhs -= lo[ja];
            } else {
                rhs -= template[fa];
            }
            if (jb >= 0) {
                row[jb] = -width[jb];
                rhs += lo[jb];
            } else {
                rhs += template[fb];
            }
            rows.add(row);
            bounds.add(rhs);
        }
        this.a = rows.toArray(new double[0][]);
        this.b = bounds.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The constraint rows (each of length d). */
    double[][] constraintRows() {
        return a;
    }

    /** The constraints' right-hand sides. */
    double[] constraintBounds() {
        return b;
    }

    /** Full parameter vectors ({@code batch * P}) at box coordinates v, clamped into the box. */
    double[] theta(double[] v, int batch) {
        double[] theta = new double[batch * p];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(template, 0, theta, r * p, p);
            for (int j = 0; j < d; j++) {
                theta[r * p + free[j]] = value(j, v[r * d + j]);
            }
        }
        return theta;
    }

    /** Free parameter j's value (model units) at its box coordinate, clamped into the box. */
    double value(int j, double v) {
        double t = Math.min(1, Math.max(0, v));
        if (logScale[j]) {
            return Math.min(lo[j] + width[j], lo[j] * Math.exp(logWidth[j] * t));
        }
        return lo[j] + width[j] * t;
    }

    /** Free parameter j's box coordinate at a value (model units). */
    double coordinate(int j, double theta) {
        return logScale[j] ? Math.log(theta / lo[j]) / logWidth[j] : (theta - lo[j]) / width[j];
    }

    /** ln |dv/dθ| of free parameter j at a value: what the map between the coordinates stretches. */
    double logSlope(int j, double theta) {
        return logScale[j] ? -Math.log(theta * logWidth[j]) : -Math.log(width[j]);
    }

    /** The free parameters sampled on a log scale (names), for the log. */
    List<String> logScaled(FitSpace space) {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            if (logScale[j]) {
                out.add(space.box().get(free[j]).name());
            }
        }
        return out;
    }

    /** Box coordinates of points in the optimiser's coordinates u. */
    double[] fromFree(double[] u, int batch) {
        double[] theta = new double[batch * p];
        reparam.toPhysical(u, null, batch, theta);
        double[] v = new double[batch * d];
        for (int r = 0; r < batch; r++) {
            for (int j = 0; j < d; j++) {
                v[r * d + j] = coordinate(j, theta[r * p + free[j]]);
            }
        }
        return v;
    }

    /** The optimiser's coordinates u of box coordinates v (orderings broken by rounding are restored). */
    double[] toFree(double[] v, int batch) {
        double[] theta = theta(v, batch);
        double[] u = new double[batch * d];
        for (int r = 0; r < batch; r++) {
            for (int[] pair : pairs) {
                int ia = r * p + pair[0];
                int ib = r * p + pair[1];
                if (theta[ia] > theta[ib]) { // broken only by rounding at a reflecting face
                    double mid = 0.5 * (theta[ia] + theta[ib]);
                    theta[ia] = mid;
                    theta[ib] = mid;
                }
            }
        }
        reparam.toFree(theta, batch, u);
        return u;
    }

    /** The log posterior over v: the likelihood (loss / (−2c)), −Infinity where it cannot be scored. */
    BatchLogDensity density(FitObjective objective, double inflation, long[] evaluations) {
        return new BatchLogDensity() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void logDensity(double[] v, int batch, double[] out) {
                logDensityAndGradient(v, batch, out, new double[batch * d]);
            }

            @Override
            public boolean hasGradient() {
                return true;
            }

            @Override
            public void logDensityAndGradient(double[] v, int batch, double[] out, double[] gradient) {
                double[] theta = theta(v, batch);
                double[] loss = new double[batch];
                double[] dTheta = new double[batch * p];
                objective.valueAndPhysicalGradient(theta, batch, loss, dTheta);
                for (int r = 0; r < batch; r++) {
                    boolean inside = true;
                    for (int k = 0; k < a.length && inside; k++) {
                        double s = 0;
                        for (int j = 0; j < d; j++) {
                            s += a[k][j] * v[r * d + j];
                        }
                        inside = s <= b[k] + 1e-9;
                    }
                    double l = loss[r];
                    // a uniform prior in theta: over a log-scaled coordinate its density is d theta/dv = theta ln(h/l)
                    double prior = 0;
                    for (int j = 0; j < d; j++) {
                        if (logScale[j]) {
                            prior += Math.log(theta[r * p + free[j]]);
                        }
                    }
                    out[r] = inside && Double.isFinite(l) ? -l / (2 * inflation) + prior : Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < d; j++) {
                        double slope = logScale[j] ? theta[r * p + free[j]] * logWidth[j] : width[j];
                        double g = -dTheta[r * p + free[j]] * slope / (2 * inflation) + (logScale[j] ? logWidth[j] : 0);
                        gradient[r * d + j] = Double.isFinite(g) ? g : 0.0;
                    }
                }
                evaluations[0] += batch;
            }
        };
    }
}
