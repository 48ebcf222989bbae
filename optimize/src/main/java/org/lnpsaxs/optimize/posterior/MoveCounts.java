package org.lnpsaxs.optimize.posterior;

/**
 * How many proposals of each kind an ensemble sampler made and accepted over a stretch of steps.
 * A mode jump that has no target (the walker's mode, or every other mode, is absent from the
 * complementary half-ensemble) is counted as proposed and not accepted.
 *
 * @param stretchProposed stretch moves proposed
 * @param stretchAccepted stretch moves accepted
 * @param deProposed      differential-evolution moves proposed
 * @param deAccepted      differential-evolution moves accepted
 * @param jumpProposed    mode jumps proposed
 * @param jumpAccepted    mode jumps accepted
 * @param hamiltonianProposed  Hamiltonian transitions proposed ({@link HamiltonianRun})
 * @param hamiltonianAccepted  Hamiltonian transitions accepted
 */
public record MoveCounts(long stretchProposed, long stretchAccepted, long deProposed, long deAccepted,
                         long jumpProposed, long jumpAccepted, long hamiltonianProposed, long hamiltonianAccepted) {

    /** The accepted fraction of all proposals (NaN when there were none). */
    public double acceptanceFraction() {
        long p = stretchProposed + deProposed + jumpProposed + hamiltonianProposed;
        return p == 0 ? Double.NaN
                : (double) (stretchAccepted + deAccepted + jumpAccepted + hamiltonianAccepted) / p;
    }

    /** The accepted fraction of Hamiltonian transitions (NaN when none were proposed). */
    public double hamiltonianAcceptance() {
        return hamiltonianProposed == 0 ? Double.NaN : (double) hamiltonianAccepted / hamiltonianProposed;
    }


    /** The accepted fraction of stretch moves (NaN when none were proposed). */
    public double stretchAcceptance() {
        return stretchProposed == 0 ? Double.NaN : (double) stretchAccepted / stretchProposed;
    }

    /** The accepted fraction of differential-evolution moves (NaN when none were proposed). */
    public double deAcceptance() {
        return deProposed == 0 ? Double.NaN : (double) deAccepted / deProposed;
    }

    /** The accepted fraction of mode jumps (NaN when none were proposed). */
    public double jumpAcceptance() {
        return jumpProposed == 0 ? Double.NaN : (double) jumpAccepted / jumpProposed;
    }
}
