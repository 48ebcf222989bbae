package org.lnpsaxs.core.simulator;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** How many points of the n³ Fourier lattice have each squared integer frequency fx²+fy²+fz². */
final class LatticeShells {

    private static final ConcurrentMap<Integer, long[]> CACHE = new ConcurrentHashMap<>();

    private LatticeShells() {
    }

    /**
     * {@code mult[s]} = number of (fx, fy, fz), each in FFT order ({@code -n/2 .. (n-1)/2}), with
     * fx²+fy²+fz² = s; {@code s} runs to {@code 3 (n/2)²}. Cached per n; callers must not modify it.
     */
    static long[] multiplicities(int n) {
        return CACHE.computeIfAbsent(n, LatticeShells::compute);
    }

    private static long[] compute(int n) {
        int half = n / 2;
        int lo = -half;
        int hi = (n - 1) / 2;
        long[] one = new long[half * half + 1];
        for (int f = lo; f <= hi; f++) {
            one[f * f]++;
        }
        long[] two = new long[2 * half * half + 1];
        for (int a = 0; a < one.length; a++) {
            if (one[a] == 0) {
                continue;
            }
            for (int b = 0; b < one.length; b++) {
                if (one[b] != 0) {
                    two[a + b] += one[a] * one[b];
                }
            }
        }
        long[] three = new long[3 * half * half + 1];
        for (int a = 0; a < two.length; a++) {
            if (two[a] == 0) {
                continue;
            }
            for (int b = 0; b < one.length; b++) {
                if (one[b] != 0) {
                    three[a + b] += two[a] * one[b];
                }
            }
        }
        return three;
    }
}
