package org.lnpsaxs.polydispersity.quadrature;

import org.lnpsaxs.polydispersity.distribution.SizeDistribution;

/**
 * The paper's rule: Gauss–Legendre nodes in CDF space. With the n-point Gauss–Legendre rule
 * \( (t_k, W_k) \) on [−1, 1], \( u_k = (1+t_k)/2 \), \( x_k = F^{-1}(u_k;\theta) \) and
 * \( w_k = W_k/\sum_i W_i \) (= \( W_k/2 \)), so that
 * \( \int g\,dF = \int_0^1 g(F^{-1}(u))\,du \approx \sum_k w_k\,g(x_k) \).
 * The weights are constants; only the nodes move with θ:
 * \( \partial x_k/\partial\theta = \partial F^{-1}(u_k;\theta)/\partial\theta \).
 * The paper uses n = {@value #PAPER_NODES}.
 *
 * <p>Accuracy: the rule is exact for the distribution's probability mass and converges fast
 * where \( g\circ F^{-1} \) is smooth on [0, 1]; quantities that weight the tails strongly
 * (intensities \( \propto R^6 \)) or oscillate in x (high q) need more nodes — see
 * docs/polydispersity.md for measured errors.
 */
public final class GaussLegendreCdf implements QuadratureRule {

    /** The paper's number of nodes. */
    public static final int PAPER_NODES = 32;

    private final int n;
    private final double[] u;
    private final double[] weights;

    private GaussLegendreCdf(int n) {
        double[][] rule = GaussLegendre.rule(n);
        this.n = n;
        this.u = new double[n];
        this.weights = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += rule[1][k];
        }
        for (int k = 0; k < n; k++) {
            u[k] = 0.5 * (1.0 + rule[0][k]);
            weights[k] = rule[1][k] / sum;
        }
    }

    /** The rule with n nodes (1 to 10000). */
    public static GaussLegendreCdf of(int n) {
        return new GaussLegendreCdf(n);
    }

    /** The paper's rule with {@value #PAPER_NODES} nodes. */
    public static GaussLegendreCdf paper() {
        return new GaussLegendreCdf(PAPER_NODES);
    }

    /** The number of nodes. */
    public int size() {
        return n;
    }

    /** The CDF values \( u_k \) (a copy, ascending in (0, 1)). */
    public double[] cdfNodes() {
        return u.clone();
    }

    @Override
    public String name() {
        return "gauss-legendre-cdf(" + n + ")";
    }

    @Override
    public int maxNodes() {
        return n;
    }

    @Override
    public boolean weightsDependOnParameters() {
        return false;
    }

    @Override
    public int nodes(SizeDistribution d, double[] x, double[] w, double[] dx, double[] dw, int offset) {
        int p = d.parameters().size();
        double[] grad = dx == null ? null : new double[p];
        for (int k = 0; k < n; k++) {
            w[offset + k] = weights[k];
            if (grad != null) {
                // one quantile per node (the gradient needs it too)
                x[offset + k] = d.inverseCdfWithGradient(u[k], grad);
                System.arraycopy(grad, 0, dx, (offset + k) * p, p);
            } else {
                x[offset + k] = d.inverseCdf(u[k]);
            }
            if (dw != null) {
                java.util.Arrays.fill(dw, (offset + k) * p, (offset + k + 1) * p, 0.0);
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return name();
    }
}
