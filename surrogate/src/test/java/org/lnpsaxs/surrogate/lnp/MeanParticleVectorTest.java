package org.lnpsaxs.surrogate.lnp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.lnpsaxs.surrogate.internal.VectorKernels;

/**
 * The mean particle's rotation chains ({@link VectorKernels#rotations}) against the plain loop
 * they replace ({@code MeanParticle.plainRotations}), bit for bit, on random starts and angles and
 * segment lengths from one step to more than the shipped grid needs; and both against the direct
 * sine and cosine, to the recurrence's error bound.
 */
class MeanParticleVectorTest {

    private static final int START = 2 * VectorKernels.CHAIN_LANES * VectorKernels.CHAINS;

    @Test
    void givesThePlainLoopsResultsBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        int cases = 0;
        for (int seg : new int[] {8, 16, 24, 80, 88, 200}) {
            for (int t = 0; t < 5; t++) {
                double[] start = new double[START];
                for (int i = 0; i < start.length; i++) {
                    start[i] = 2 * r.nextDouble() - 1;
                }
                double angle = 3 * r.nextDouble();
                int n = VectorKernels.CHAINS * seg;
                double[] s = new double[n];
                double[] c = new double[n];
                double[] ps = new double[n];
                double[] pc = new double[n];
                VectorKernels.rotations(start.clone(), Math.cos(angle), Math.sin(angle), s, c, seg);
                MeanParticle.plainRotations(start.clone(), Math.cos(angle), Math.sin(angle), ps, pc, seg);
                for (int i = 0; i < n; i++) {
                    assertEquals(Double.doubleToLongBits(ps[i]), Double.doubleToLongBits(s[i]), "sine " + i + " of seg " + seg);
                    assertEquals(Double.doubleToLongBits(pc[i]), Double.doubleToLongBits(c[i]), "cosine " + i + " of seg " + seg);
                }
                cases++;
            }
        }
        assertEquals(30, cases);
    }

    /** The chains' layout and angle: element k·seg + 8m + j is the start of lane j rotated m times. */
    @Test
    void followTheDirectSinesAndCosines() {
        int seg = 48;
        double h = 0.0123;
        double[] origin = {0.3, 1.1, 2.9, 7.0};
        double[] start = new double[START];
        int lanes = VectorKernels.CHAIN_LANES;
        for (int k = 0; k < VectorKernels.CHAINS; k++) {
            for (int j = 0; j < lanes; j++) {
                start[2 * lanes * k + j] = Math.sin(origin[k] + j * h);
                start[2 * lanes * k + lanes + j] = Math.cos(origin[k] + j * h);
            }
        }
        int n = VectorKernels.CHAINS * seg;
        double[] s = new double[n];
        double[] c = new double[n];
        VectorKernels.rotations(start, Math.cos(lanes * h), Math.sin(lanes * h), s, c, seg);
        for (int k = 0; k < VectorKernels.CHAINS; k++) {
            for (int e = 0; e < seg; e++) {
                double x = origin[k] + e * h;
                assertEquals(Math.sin(x), s[k * seg + e], 1e-14, "sine at segment " + k + ", element " + e);
                assertEquals(Math.cos(x), c[k * seg + e], 1e-14, "cosine at segment " + k + ", element " + e);
            }
        }
    }
}
