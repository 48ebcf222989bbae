import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares two files written by RowBytes.java (the shipped surrogate on 1 024 random points of
 * its box, seed 7): the largest difference of the fused call's intensities and of the forward
 * predictions in decades, |log10(b/a)|, and the largest relative difference of the input gradients,
 * |b − a|/|a|. Two libraries that give the same numbers print zeros (cmp says the same).
 *
 * Usage: java docs/benchmarks/RowDiff.java A.bin B.bin
 */
public class RowDiff {
    static final int BATCH = 1024, NQ = 300, P = 9;

    public static void main(String[] a) throws Exception {
        double[] x = read(Path.of(a[0])), y = read(Path.of(a[1]));
        if (x.length != y.length || x.length != BATCH * (2 * NQ + P)) {
            throw new IllegalArgumentException("not two RowBytes files of the shipped model: " + x.length + ", " + y.length);
        }
        int fused = BATCH * NQ, grads = BATCH * P;
        System.out.printf("fused intensities: max |dlog10 I| = %.3g decades%n", decades(x, y, 0, fused));
        System.out.printf("input gradients:   max relative difference = %.3g%n", relative(x, y, fused, fused + grads));
        System.out.printf("forward:           max |dlog10 I| = %.3g decades%n", decades(x, y, fused + grads, x.length));
    }

    static double decades(double[] x, double[] y, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) m = Math.max(m, Math.abs(Math.log10(y[i] / x[i])));
        return m;
    }

    static double relative(double[] x, double[] y, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) if (x[i] != y[i]) m = Math.max(m, Math.abs(y[i] - x[i]) / Math.abs(x[i]));
        return m;
    }

    static double[] read(Path f) throws Exception {
        double[] v = new double[(int) (Files.size(f) / 8)];
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
            for (int i = 0; i < v.length; i++) v[i] = in.readDouble();
        }
        return v;
    }
}
