package org.lnpsaxs.optimize.identifiability;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Eigenvalues (descending) and unit eigenvectors of a symmetric matrix, each vector's sign fixed so
 * that its largest component is positive. Not a user class.
 *
 * @param values  eigenvalues, descending
 * @param vectors {@code vectors[k]} belongs to {@code values[k]}
 */
record SymmetricEigen(double[] values, double[][] vectors) {

    static SymmetricEigen of(double[][] sym) {
        int d = sym.length;
        RealMatrix mat = new Array2DRowRealMatrix(sym, true);
        EigenDecomposition ed = new EigenDecomposition(mat);
        double[] vals = ed.getRealEigenvalues();
        Integer[] order = new Integer[d];
        for (int k = 0; k < d; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(vals[b], vals[a]));
        double[] values = new double[d];
        double[][] vectors = new double[d][];
        for (int k = 0; k < d; k++) {
            values[k] = vals[order[k]];
            double[] vec = ed.getEigenvector(order[k]).toArray();
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(vec[j]) > Math.abs(vec[arg]) + 1e-12) {
                    arg = j;
                }
            }
            if (vec[arg] < 0) {
                for (int j = 0; j < d; j++) {
                    vec[j] = -vec[j];
                }
            }
            vectors[k] = vec;
        }
        return new SymmetricEigen(values, vectors);
    }

    /** Eigenvector {@code k} as parameter name → component. */
    Map<String, Double> loadings(List<String> names, int k) {
        Map<String, Double> l = new LinkedHashMap<>();
        for (int j = 0; j < vectors[k].length; j++) {
            l.put(names.get(j), vectors[k][j]);
        }
        return l;
    }
}
