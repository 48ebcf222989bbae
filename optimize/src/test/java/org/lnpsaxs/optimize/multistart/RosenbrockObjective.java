package org.lnpsaxs.optimize.multistart;

/** The 2-D Rosenbrock function f = (1 − x)² + 100 (y − x²)² for every start (minimum 0 at (1, 1)). */
final class RosenbrockObjective implements BatchObjective {

    long values;

    @Override
    public int dimension() {
        return 2;
    }

    static double f(double x, double y) {
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }

    @Override
    public void value(int[] ids, double[] u, int batch, double[] out) {
        values += batch;
        for (int b = 0; b < batch; b++) {
            out[b] = f(u[2 * b], u[2 * b + 1]);
        }
    }

    @Override
    public void gradient(int[] ids, double[] u, int batch, double[] g) {
        for (int b = 0; b < batch; b++) {
            double x = u[2 * b];
            double y = u[2 * b + 1];
            g[2 * b] = -2 * (1 - x) - 400 * x * (y - x * x);
            g[2 * b + 1] = 200 * (y - x * x);
        }
    }
}
