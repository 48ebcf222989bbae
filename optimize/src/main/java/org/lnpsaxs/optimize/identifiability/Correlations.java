package org.lnpsaxs.optimize.identifiability;

import java.util.List;

/**
 * Correlations between the free parameters across the ensemble (a constant parameter correlates 0
 * with every other). Immutable: the matrices are copied in and out.
 *
 * @param names    the parameters, in the order of the matrix rows and columns
 * @param pearson  Pearson (linear) correlations
 * @param spearman Spearman rank correlations
 */
public record Correlations(List<String> names, double[][] pearson, double[][] spearman) {

    /** Copies. */
    public Correlations {
        names = List.copyOf(names);
        pearson = copy(pearson);
        spearman = copy(spearman);
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Pearson correlations (a copy). */
    @Override
    public double[][] pearson() {
        return copy(pearson);
    }

    /** Spearman correlations (a copy). */
    @Override
    public double[][] spearman() {
        return copy(spearman);
    }

    /** The Pearson correlation of parameters {@code a} and {@code b}. */
    public double pearson(String a, String b) {
        return pearson[index(a)][index(b)];
    }

    /** The Spearman correlation of parameters {@code a} and {@code b}. */
    public double spearman(String a, String b) {
        return spearman[index(a)][index(b)];
    }

    private int index(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no free parameter '" + name + "'; the correlations are of " + names);
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Correlations c && names.equals(c.names) && java.util.Arrays.deepEquals(pearson, c.pearson)
                && java.util.Arrays.deepEquals(spearman, c.spearman);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(names, java.util.Arrays.deepHashCode(pearson));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Correlations[Pearson");
        for (int a = 0; a < names.size(); a++) {
            for (int b = a + 1; b < names.size(); b++) {
                sb.append(String.format(java.util.Locale.ROOT, " %s~%s %.2f", names.get(a), names.get(b), pearson[a][b]));
            }
        }
        return sb.append(']').toString();
    }
}
