package org.lnpsaxs.core.formfactor;

/**
 * The entry points shared by the analytic form factors: values, the vector-Jacobian product, or
 * both, all through one kernel per form factor after the same argument checks (not a user class).
 * Units as in {@link FormFactor}: q in Å⁻¹, f2 in cm⁻¹·Å³, volumes in Å³.
 */
abstract class KernelFormFactor implements FormFactor {

    @Override
    public final void compute(double[] q, double[] theta, int batch, double[] f2, double[] volume) {
        checkedKernel(q, theta, batch, null, null, f2, volume, null);
    }

    @Override
    public final void vectorJacobianProduct(double[] q, double[] theta, int batch, double[] dLdF2, double[] dLdV,
                                            double[] dLdTheta) {
        checkedKernel(q, theta, batch, dLdF2, dLdV, null, null, dLdTheta);
    }

    @Override
    public final void computeWithVectorJacobianProduct(double[] q, double[] theta, int batch, double[] dLdF2,
                                                       double[] dLdV, double[] f2, double[] volume,
                                                       double[] dLdTheta) {
        checkedKernel(q, theta, batch, dLdF2, dLdV, f2, volume, dLdTheta);
    }

    private void checkedKernel(double[] q, double[] theta, int batch, double[] dLdF2, double[] dLdV,
                               double[] f2, double[] volume, double[] dLdTheta) {
        Kernels.checkCall(this, q, theta, batch);
        long nOut = (long) batch * q.length;
        Kernels.checkLength("f2", f2, nOut);
        Kernels.checkLength("volume", volume, batch);
        Kernels.checkLength("dLdF2", dLdF2, nOut);
        Kernels.checkLength("dLdV", dLdV, batch);
        Kernels.checkLength("dLdTheta", dLdTheta, (long) batch * parameters().size());
        kernel(q, theta, batch, dLdF2, dLdV, f2, volume, dLdTheta);
    }

    /**
     * The one implementation, called with checked arguments: values when {@code f2}/{@code volume}
     * are given, the vector-Jacobian product ({@code dLdTheta} is overwritten)
     * when {@code dLdTheta} is given. The q loop may be skipped when neither {@code f2} nor
     * {@code dLdF2} needs it.
     */
    abstract void kernel(double[] q, double[] theta, int batch, double[] dLdF2, double[] dLdV,
                         double[] f2, double[] volume, double[] dLdTheta);
}
