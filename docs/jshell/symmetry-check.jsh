// Checks the lnp model's contrast-sign symmetry (docs/fitting.md, "Posterior") with the direct
// simulator: (GRF_shift, relative_rho_shell) -> (-s, (2 - r(1+s))/(1 - s)) should change the mean
// curve only by realisation noise, i.e. by about as much as a different seed does, while flipping
// the shift alone changes it by far more. Run with
//   ./lnpsaxs jshell docs/jshell/symmetry-check.jsh
// (a few minutes on 2 cores: 4 simulations of 10 realisations per parameter set).
var sign = org.lnpsaxs.surrogate.fit.LnpFitModel.contrastSign();
var sim = LnpSimulator.paperDefaults().withRealizations(10);
double[][] sets = {{-0.3, 150, 0.7, 0.1, 0.11, 0.015, 0.1, 50, 0.9}, {-0.6, 150, 0.4, 0.07, 0.12, 0.03, 0.05, 45, 1.2}};
double medianLogRatio(double[] a, double[] b) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) d[i] = Math.abs(Math.log10(a[i] / b[i]));
    java.util.Arrays.sort(d);
    return d[d.length / 2];
}
for (double[] t : sets) {
    double[] img = sign.map(new double[] {t[0], t[8]});
    double[] mirror = t.clone();
    mirror[0] = img[0];
    mirror[8] = img[1];
    double[] flipped = t.clone();
    flipped[0] = -t[0];
    double[] a = sim.simulate(t);
    System.out.printf(java.util.Locale.ROOT, "%s: median |dlog10 I| mirror image %.4f, another seed %.4f, shift flipped alone %.4f%n",
            java.util.Arrays.toString(t), medianLogRatio(a, sim.simulate(mirror)),
            medianLogRatio(a, sim.withSeed(12345).simulate(t)), medianLogRatio(a, sim.simulate(flipped)));
}
/exit
