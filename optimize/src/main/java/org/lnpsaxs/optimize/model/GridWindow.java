package org.lnpsaxs.optimize.model;

import java.util.Arrays;

import org.lnpsaxs.core.data.QGrid;
import org.lnpsaxs.core.model.DifferentiableModel;
import org.lnpsaxs.core.model.FusedDifferentiableModel;
import org.lnpsaxs.core.model.ParameterSpace;

/**
 * A model with a fixed q grid seen through a window: the same model, but its outputs are only the
 * intensities at a run of consecutive points of its grid (the part of a fixed grid that measured
 * data cover). Reverse mode pads the upstream gradient with zeros outside the window. A model
 * with a fused forward and reverse pass ({@link FusedDifferentiableModel}) keeps it. For authors
 * of {@link FitModel}s with a fixed grid: {@link FitModel#bind} returns
 * {@code GridWindow.of(model, grid)}. q in Å⁻¹; intensities in the model's unit.
 */
public final class GridWindow {

    private GridWindow() {
    }

    /**
     * {@code model} restricted to {@code window}; {@code model} itself when the window is its whole grid.
     *
     * @param model  a model with a fixed q grid
     * @param window consecutive points of that grid (equal values, in order)
     * @throws IllegalArgumentException if the window is not a run of the model's grid points
     */
    public static DifferentiableModel of(DifferentiableModel model, QGrid window) {
        double[] grid = model.q();
        double[] w = window.values();
        int from = Arrays.binarySearch(grid, w[0]);
        if (from < 0 || from + w.length > grid.length
                || !Arrays.equals(w, Arrays.copyOfRange(grid, from, from + w.length))) {
            throw new IllegalArgumentException("the fitting grid " + window + " is not a run of consecutive points of the"
                    + " model's grid " + QGrid.of(grid));
        }
        if (w.length == grid.length) {
            return model;
        }
        return model instanceof FusedDifferentiableModel fused ? new Fused(fused, from, w) : new Plain(model, from, w);
    }

    /** The window over a model without a fused pass. */
    private static class Plain implements DifferentiableModel {
        final DifferentiableModel inner;
        final int from;
        final int n;
        final int nq;
        private final double[] q;

        Plain(DifferentiableModel inner, int from, double[] q) {
            this.inner = inner;
            this.from = from;
            this.n = q.length;
            this.nq = inner.qSize();
            this.q = q;
        }

        @Override
        public ParameterSpace parameters() {
            return inner.parameters();
        }

        @Override
        public double[] q() {
            return q.clone();
        }

        @Override
        public int qSize() {
            return n;
        }

        /** Copies the window's columns of {@code batch} full curves into {@code out}. */
        final void cut(double[] full, int batch, double[] out) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(full, b * nq + from, out, b * n, n);
            }
        }

        /** Writes {@code batch} window gradients into full-grid gradients, zero outside the window. */
        final void pad(double[] window, int batch, double[] full) {
            Arrays.fill(full, 0, batch * nq, 0.0);
            for (int b = 0; b < batch; b++) {
                System.arraycopy(window, b * n, full, b * nq + from, n);
            }
        }

        @Override
        public void evaluate(double[] theta, int batch, double[] out) {
            double[] full = new double[batch * nq];
            inner.evaluate(theta, batch, full);
            cut(full, batch, out);
        }

        @Override
        public void vectorJacobianProduct(double[] theta, int batch, double[] dLdI, double[] dLdTheta) {
            double[] full = new double[batch * nq];
            pad(dLdI, batch, full);
            inner.vectorJacobianProduct(theta, batch, full, dLdTheta);
        }

        @Override
        public String toString() {
            return inner + " on q points " + from + ".." + (from + n - 1) + " of its grid";
        }
    }

    /** The window over a model with a fused forward and reverse pass. */
    private static final class Fused extends Plain implements FusedDifferentiableModel {
        private final FusedDifferentiableModel fused;

        Fused(FusedDifferentiableModel inner, int from, double[] q) {
            super(inner, from, q);
            this.fused = inner;
        }

        @Override
        public void evaluateAndBackpropagate(double[] theta, int batch, double[] out, UpstreamGradient upstream,
                                             double[] dLdTheta) {
            double[] full = new double[batch * nq];
            double[] window = new double[batch * n];
            fused.evaluateAndBackpropagate(theta, batch, full, (intensity, rows, g) -> {
                cut(intensity, rows, out);
                upstream.compute(out, rows, window);
                pad(window, rows, g);
            }, dLdTheta);
            cut(full, batch, out);
        }
    }
}
